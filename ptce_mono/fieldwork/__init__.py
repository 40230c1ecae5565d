"""Fieldwork in: the grid as a codebook, coded interviews from QDA tools, pseudonymised excerpts
and the poles' accounts.

One job per module: ``codes`` (what a code means), ``codebook`` (QDC and Taguette CSV),
``qdpx`` and ``tabular`` (reading exports), ``pseudonymise`` (private table and flagged names),
``excerpts`` (stored excerpt files), ``importer`` (the import pipeline), ``accounts`` (comptes),
``monograph`` (what monographs show).
"""
