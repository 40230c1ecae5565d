"""The input families of a project and one edit of each, with the outputs that show it (shared by
tests/test_plan_inputs.py, which builds, and tests/test_plan_families.py, which only plans)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.pipeline.plan import TRANSVERSAL
from tests.conftest import FIXTURES, REPO, make_project

POLES = frozenset(p.name for p in (FIXTURES / "corpus" / "poles").iterdir() if p.is_dir())
EVERYTHING = POLES | {TRANSVERSAL}
# The private table (data/prive) is made an input of what it protects by another change
# (issue 28); until then its reads are left out of the guard below.
UNDECLARED_FAMILIES: set[str] = set()
CENSUS_LINKS = ("pole", "pole_lecture", "pole_note")


def full_project(dest: Path) -> ProjectPaths:
    """The fictional corpus with every data family of the real project beside it."""
    paths = make_project(dest)
    shutil.copytree(REPO / "data" / "publications", paths.data / "publications")
    shutil.copytree(REPO / "data" / "recensement", paths.data / "recensement")
    # the census links some rows to demo poles the fictional corpus lacks: links left out
    table = paths.data / "recensement" / "initiatives.csv"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, **dict.fromkeys(CENSUS_LINKS, "")} for row in rows)
    table.write_text(out.getvalue(), encoding="utf-8")
    # the census and the publications cite the demo's sources: both bibliographies
    mine = yaml.safe_load(paths.bibliography_file.read_text(encoding="utf-8"))
    demo = yaml.safe_load((REPO / "data" / "bibliographie.yaml").read_text(encoding="utf-8"))
    mine["documents"] += demo["documents"]
    paths.bibliography_file.write_text(
        yaml.safe_dump(mine, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copy2(FIXTURES / "terrain" / "codes.yaml", paths.data / "codes.yaml")
    return paths


def append(relative: str, text: str) -> Callable[[ProjectPaths], None]:
    def edit(paths: ProjectPaths) -> None:
        path = paths.root / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def replace(relative: str, old: str, new: str) -> Callable[[ProjectPaths], None]:
    def edit(paths: ProjectPaths) -> None:
        path = paths.root / relative
        content = path.read_text(encoding="utf-8")
        assert old in content
        path.write_text(content.replace(old, new, 1), encoding="utf-8")

    return edit


def add_notebook_cell(relative: str) -> Callable[[ProjectPaths], None]:
    def edit(paths: ProjectPaths) -> None:
        path = paths.root / relative
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"].append(
            {"cell_type": "markdown", "id": "note-ajoutee", "metadata": {}, "source": "Note."}
        )
        path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")

    return edit


def add_font(paths: ProjectPaths) -> None:
    fonts = paths.templates / "fonts"
    shutil.copy2(fonts / "LibertinusSerif-Regular.otf", fonts / "Autre-Regular.otf")


FIRST_POLE = sorted(POLES)[0]
# family → (edit, outputs that show it, the reason « status » gives; for an edited pole, the
# transversal analysis says « fiches des pôles »)
FAMILIES: dict[str, tuple[Callable[[ProjectPaths], None], frozenset[str], str]] = {
    "recensement": (
        replace("data/recensement/initiatives.csv", "Projet DARWIN", "Projet Darwin"),
        frozenset({TRANSVERSAL}),
        "recensement 2011 (data/recensement)",
    ),
    "publications": (
        append("data/publications/podlewski-2014.yaml", "# relu\n"),
        frozenset({TRANSVERSAL}),
        "chiffres publiés (data/publications)",
    ),
    "geo": (
        append("data/geo/SOURCE.md", "\nRelu.\n"),
        frozenset({TRANSVERSAL}),
        "fonds de carte (data/geo)",
    ),
    "participation": (
        append("data/participation/reglages.yaml", "# relu\n"),
        EVERYTHING,
        "réglages de la participation (data/participation)",
    ),
    "codes": (append("data/codes.yaml", "# relu\n"), frozenset(), ""),
    "bibliographie": (append("data/bibliographie.yaml", "# relue\n"), EVERYTHING, "bibliographie"),
    "grille": (append("data/grille.yaml", "# relue\n"), EVERYTHING, "grille d'analyse"),
    "referentiels": (append("data/referentiels/2012.yaml", "# relu\n"), EVERYTHING, "référentiels"),
    "pole": (
        append(f"data/poles/{FIRST_POLE}/origine.md", "\nUne phrase ajoutée.\n"),
        frozenset({FIRST_POLE, TRANSVERSAL}),
        "fiche ou récits du pôle",
    ),
    "modele": (
        add_notebook_cell("templates/monographie.ipynb"),
        POLES,
        "modèle de monographie",
    ),
    "modele-transversal": (
        add_notebook_cell("notebooks/analyse-transversale.ipynb"),
        frozenset({TRANSVERSAL}),
        "modèle de monographie",
    ),
    "style-de-citation": (
        append("templates/ptce-auteur-date.csl", "<!-- relu -->\n"),
        EVERYTHING,
        "gabarits de rendu (filtre, style de citation, polices)",
    ),
    "polices": (add_font, EVERYTHING, "gabarits de rendu (filtre, style de citation, polices)"),
    "projet-quarto": (
        append("templates/_quarto.yml", "# relu\n"),
        EVERYTHING,
        "gabarits de rendu (filtre, style de citation, polices)",
    ),
}
