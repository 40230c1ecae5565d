"""What the documents say: the monograph's cells, the transversal analysis, the
restitution sheets, questionnaires, comparisons, figures and the data package.
"""
