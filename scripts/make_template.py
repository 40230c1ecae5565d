"""Write templates/monographie.ipynb (run once; the notebook is then edited in JupyterLab)."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SECTIONS = [
    "finalites",
    "origine",
    "structuration",
    "leadership",
    "gouvernance",
    "modele-economique",
    "impacts",
]


def code(source, tags=("remove-input",), section=None):
    cell = new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    if section:
        cell.metadata["ptce"] = {"section": section}
    return cell


cells = [
    new_markdown_cell(
        "# Modèle de monographie\n\n"
        "Ce carnet est le **modèle** exécuté pour chaque pôle par `ptce-mono build`. "
        "Chaque cellule appelle une fonction de `ptce_mono.monograph` ; le code est masqué aux lecteurs "
        "(étiquettes `remove-input` / `remove-cell`). Ouvert seul dans JupyterLab, il montre le premier pôle "
        "du corpus : changez `slug` ci-dessous pour en voir un autre.",
        metadata={"tags": ["remove-cell"]},
    ),
    code(
        'slug = ""\ndata_dir = "../data"\nreferentiel_version = "2012"\ncohort_file = ""\n'
        'inputs_hash = ""\ntemplate_version = "1"',
        tags=("parameters", "remove-cell"),
    ),
    code(
        "from ptce_mono import monograph as m\n\nctx = m.load(data_dir, slug, referentiel_version, cohort_file)",
        tags=("remove-cell",),
        section="chargement",
    ),
    code("m.show_title(ctx)", section="titre"),
    code("m.show_identity(ctx)", section="identite"),
]
cells += [code(f'm.show_section(ctx, "{s}")', section=s) for s in SECTIONS]
cells += [
    code("m.show_referentiel(ctx)", section="referentiel"),
    code("m.show_sources(ctx)", section="sources"),
    code("m.show_provenance(ctx, inputs_hash, template_version)", section="provenance"),
]
nb = new_notebook(cells=cells)
nb.metadata["kernelspec"] = {
    "name": "python3",
    "display_name": "Python 3 (ptce-mono)",
    "language": "python",
}
nb.metadata["language_info"] = {"name": "python"}
for i, cell in enumerate(nb.cells):
    cell["id"] = f"cell-{i:02d}"
nbformat.write(nb, "templates/monographie.ipynb")
