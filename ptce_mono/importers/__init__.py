"""What enters ``data/``: interview exports (QDA tools), answers (survey tools,
questionnaires), returned review documents, new poles and fictional corpora.
"""
