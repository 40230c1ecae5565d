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

# %% [markdown]
# # Exemple d'exploration du corpus
#
# Ce carnet montre comment charger les fiches des pôles et le jeu de données consolidé pour
# une exploration libre. Copiez-le (`02-mon-exploration.ipynb`…) plutôt que de le modifier.
#
# - Les fiches sont lues depuis `data/poles/` : seules les fiches valides sont gardées.
# - Les champs privés (contacts, entretiens, notes) restent dans les fiches : ne les affichez
#   pas dans un carnet destiné à être partagé.
# - Avant de committer : `ptce-mono notebooks --synchroniser` (retire les sorties et met à
#   jour la forme texte `.py` de ce carnet).

# %%
import matplotlib.pyplot as plt
import pandas as pd

from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.documents.dataset import build_tables

paths = ProjectPaths.discover()
report = validate_corpus(paths)
corpus = corpus_from_report(paths, report)
print(f"{len(corpus.poles)} pôles valides sur {len(report.poles)} fiches ({paths.poles})")

# %% [markdown]
# ## Le jeu de données consolidé
#
# `build_tables` rassemble les faits publics de toutes les fiches en tables pandas (les mêmes
# que l'export CSV de `monographs/donnees/`).

# %%
tables = build_tables(corpus)
{name: table.shape for name, table in tables.items()}

# %%
next(iter(tables.values())).head(10)

# %% [markdown]
# ## Une table construite à la main
#
# Chaque pôle est un objet `Pole` : `pole.get("identite.commune")` lit un champ par son
# chemin, `pole.list_of("structures")` une liste d'éléments.

# %%
poles = pd.DataFrame(
    [
        {
            "pôle": pole.name,
            "région": pole.get("identite.region"),
            "formalisation": pole.get("identite.annee_formalisation"),
            "structures membres": len(pole.list_of("structures")),
            "dont IAE": sum(1 for s in pole.list_of("structures") if s.get("iae")),
        }
        for pole in corpus.poles
    ]
).set_index("pôle")
poles.sort_values("structures membres", ascending=False)

# %% [markdown]
# ## Un graphique

# %%
ax = poles["structures membres"].sort_values().plot.barh(figsize=(7, 0.4 * len(poles) + 1))
ax.set_xlabel("Nombre de structures membres")
ax.set_ylabel("")
ax.set_title("Structures membres par pôle")
plt.tight_layout()
