"""One reader per kind of file under ``data/``: the record schema, grid, référentiels,
poles (facts, narratives, interviews, accounts, answer waves, private table), bibliography,
census, project identity, review rounds.
"""
