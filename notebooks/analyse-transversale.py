# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ptce-mono)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Analyse transversale
#
# Ce carnet est exécuté par `ptce-mono build` en même temps que les monographies (il lit les données, pas les monographies). Chaque cellule appelle une fonction de `ptce_mono.documents.transversal` ; le code est masqué aux lecteurs (étiquettes `remove-input` / `remove-cell`). Ouvert seul dans JupyterLab, il analyse le corpus de `data/` ; `export_dir` vide : le paquet de données n'est pas écrit.

# %% tags=["parameters", "remove-cell"]
data_dir = "../data"
referentiel_version = ""  # vide : la version par défaut (ptce_mono/corpus/referentiel.py)
export_dir = ""

# %% ptce={"section": "chargement"} tags=["remove-cell"]
from ptce_mono.documents import transversal as t
from ptce_mono.documents import transversal_report as r

ctx = t.load(data_dir, referentiel_version)

# %% ptce={"section": "titre"} tags=["remove-input"]
t.show_title(ctx)

# %% ptce={"section": "cadrage"} tags=["remove-input"]
r.show_framing(ctx)

# %% ptce={"section": "panorama"} tags=["remove-input"]
t.show_panorama(ctx)

# %% ptce={"section": "recensement"} tags=["remove-input"]
t.show_census(ctx)

# %% ptce={"section": "typologie-2014"} tags=["remove-input"]
t.show_typology_2014(ctx)

# %% ptce={"section": "classification"} tags=["remove-input"]
t.show_classification(ctx)

# %% ptce={"section": "grille"} tags=["remove-input"]
t.show_grid_findings(ctx)

# %% ptce={"section": "chiffres"} tags=["remove-input"]
t.show_consolidated(ctx)

# %% ptce={"section": "financements-publics"} tags=["remove-input"]
t.show_public_funding(ctx)

# %% ptce={"section": "referentiel"} tags=["remove-input"]
t.show_referentiel(ctx)

# %% ptce={"section": "completude"} tags=["remove-input"]
t.show_coverage(ctx)

# %% ptce={"section": "enseignements"} tags=["remove-input"]
t.show_lessons(ctx)

# %% ptce={"section": "discussion"} tags=["remove-input"]
r.show_discussion(ctx)

# %% ptce={"section": "vagues"} tags=["remove-input"]
t.show_waves(ctx)

# %% ptce={"section": "donnees"} tags=["remove-input"]
t.show_data(ctx, export_dir)
