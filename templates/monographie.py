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
# # Modèle de monographie
#
# Ce carnet est le **modèle** exécuté pour chaque pôle par `ptce-mono build`. Chaque cellule appelle une fonction de `ptce_mono.documents.monograph` ; le code est masqué aux lecteurs (étiquettes `remove-input` / `remove-cell`). Ouvert seul dans JupyterLab, il montre le premier pôle du corpus : changez `slug` ci-dessous pour en voir un autre.

# %% tags=["parameters", "remove-cell"]
slug = ""
data_dir = "../data"
referentiel_version = ""  # vide : la version par défaut (ptce_mono/corpus/referentiel.py)
cohort_file = ""
inputs_hash = ""
template_version = "1"

# %% ptce={"section": "chargement"} tags=["remove-cell"]
from ptce_mono.documents import monograph as m

ctx = m.load(data_dir, slug, referentiel_version, cohort_file)

# %% ptce={"section": "titre"} tags=["remove-input"]
m.show_title(ctx)

# %% ptce={"section": "comment"} tags=["remove-input"]
m.show_how_made(ctx)

# %% ptce={"section": "identite"} tags=["remove-input"]
m.show_identity(ctx)

# %% ptce={"section": "finalites"} tags=["remove-input"]
m.show_section(ctx, "finalites")

# %% ptce={"section": "origine"} tags=["remove-input"]
m.show_section(ctx, "origine")

# %% ptce={"section": "structuration"} tags=["remove-input"]
m.show_section(ctx, "structuration")

# %% ptce={"section": "leadership"} tags=["remove-input"]
m.show_section(ctx, "leadership")

# %% ptce={"section": "gouvernance"} tags=["remove-input"]
m.show_section(ctx, "gouvernance")

# %% ptce={"section": "modele-economique"} tags=["remove-input"]
m.show_section(ctx, "modele-economique")

# %% ptce={"section": "impacts"} tags=["remove-input"]
m.show_section(ctx, "impacts")

# %% ptce={"section": "referentiel"} tags=["remove-input"]
m.show_referentiel(ctx)

# %% ptce={"section": "etat-documentation"} tags=["remove-input"]
m.show_documentation_state(ctx)

# %% ptce={"section": "sources"} tags=["remove-input"]
m.show_sources(ctx)

# %% ptce={"section": "citer"} tags=["remove-input"]
m.show_how_to_cite(ctx)

# %% ptce={"section": "provenance"} tags=["remove-input"]
m.show_provenance(ctx, inputs_hash, template_version)
