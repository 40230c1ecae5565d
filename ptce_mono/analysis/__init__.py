"""Pure rules and aggregations on the corpus: the evidence rule, référentiel
reading, declared scores and cohorts, typology, transversal statistics.
"""
