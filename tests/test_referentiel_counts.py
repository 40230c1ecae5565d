"""How many objectives and indicators a référentiel has is read from it, never typed: a
version with four principal objectives must not be described as having « neuf objectifs »."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptce_mono.core.fr import number_words, words
from ptce_mono.corpus.referentiel import load_referentiel, parse_referentiel, principal_objectives
from ptce_mono.documents.charts.monograph import radar_alt

from .source_scan import REPO, package_modules, string_constants

NUMBER_WORDS = (
    "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    "vingt|trente|quarante|cinquante|soixante|cent"
)
NUMBER = rf"(?:\d+|(?:{NUMBER_WORDS})(?:[- ](?:et[- ])?(?:un|{NUMBER_WORDS}))*)"
# A count of référentiel parts: « neuf objectifs », « 27 indicateurs », « trois objectifs
# généraux », « vingt-sept indicateurs », « 9 objectifs principaux ».
TYPED_COUNT = re.compile(rf"(?i)(?<![\w-]){NUMBER}\s+(?:objectifs?|indicateurs?)\b")
# The same for the grid: « les sept catégories de la grille d'analyse » is read from
# data/grille.yaml (a count of other things, « deux catégories » of respondents, is not one).
GRID_COUNT = re.compile(
    rf"(?i)(?<![\w-]){NUMBER}\s+(?:catégories?|sections?)\s+(?:de\s+la\s+grille|d['’]analyse)"
)
# What the 2013 action plan itself says (its seven categories), not the project's grid: these
# stay seven whatever the grid becomes.
SOURCE_STATEMENTS = (
    "les sept catégories de la grille d'analyse « seront",
    "selon une grille commune de sept catégories",
)
TEXT_SUFFIXES = (".py", ".ipynb", ".typ", ".html", ".lua", ".css", ".csl", ".yml", ".js")


def _counts(text: str) -> list[str]:
    if any(statement in text for statement in SOURCE_STATEMENTS):
        text = "".join(text.split(next(s for s in SOURCE_STATEMENTS if s in text)))
    return [m.group(0) for pattern in (TYPED_COUNT, GRID_COUNT) for m in pattern.finditer(text)]


def typed_counts_in_code(root: Path) -> list[str]:
    found = []
    for name, tree in package_modules(root):
        for line, text in string_constants(tree, docstrings=False):
            found += [f"{name}:{line}: « {count} »" for count in _counts(text)]
    return found


def typed_counts_in_files(folder: Path) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix not in TEXT_SUFFIXES:
            continue
        where = path.relative_to(folder.parent).as_posix()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            found += [f"{where}:{number}: « {count} »" for count in _counts(line)]
    return found


def test_each_source_statement_is_still_there() -> None:
    """An exception whose sentence is gone must leave the list."""
    texts = [
        t for _, tree in package_modules(REPO / "ptce_mono") for _, t in string_constants(tree)
    ]
    texts += [p.read_text("utf-8") for p in (REPO / "templates").rglob("*.html")]
    for statement in SOURCE_STATEMENTS:
        assert any(statement in text for text in texts), statement


def test_no_count_of_referentiel_parts_is_typed_in_the_code() -> None:
    found = typed_counts_in_code(REPO / "ptce_mono")
    assert found == [], (
        "nombre (objectifs, indicateurs, catégories de la grille) écrit en dur :\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("folder", ["templates", "notebooks"])
def test_no_count_of_referentiel_parts_is_typed_in_templates_or_notebooks(folder: str) -> None:
    found = typed_counts_in_files(REPO / folder)
    assert found == [], (
        "nombre (objectifs, indicateurs, catégories de la grille) écrit en dur :\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("sur les neuf objectifs principaux", True),
        ("les 9 objectifs principaux", True),
        ("trois objectifs généraux", True),
        ("27 indicateurs", True),
        ("vingt-sept indicateurs lisibles", True),
        ("répartition en trois indicateurs par objectif", True),
        ("Un objectif", False),
        ("pour un objectif", False),
        ("objectifs a à i", False),
        ("le score de chaque indicateur", False),
        ("3 autres pôles", False),
        ("puis parcourt les sept catégories de la grille", True),
        ("Les récits suivent les 7 sections de la grille", True),
        ("les sept catégories d’analyse", True),
        ("médianes de deux catégories d'au moins 5 répondants", False),
        ("Le plan prévoit, selon une grille commune de sept catégories, des monographies", False),
        ("sur 175 sections", False),
        ("chaque section", False),
    ],
)
def test_the_scan_sees_a_typed_count(tmp_path: Path, text: str, flagged: bool) -> None:
    package = tmp_path / "ptce_mono"
    package.mkdir()
    (package / "module.py").write_text(f'"""{text}"""\nALT = f"{{n}} : {text}"\n', "utf-8")
    found = typed_counts_in_code(package)
    assert bool(found) is flagged, found
    assert all(f.startswith("ptce_mono/module.py:2:") for f in found)  # never the docstring


def referentiel_with(objectives: int, per_objective: int = 2):
    letters = "abcdefghijklmnopqrstuvwxyz"[:objectives]
    data = {
        "version": "essai",
        "echelle": {"min": 1, "max": 4},
        "objectifs_generaux": [
            {
                "id": "og1",
                "libelle": "Objectif général fictif",
                "objectifs": [
                    {
                        "id": o,
                        "libelle": f"objectif fictif {o}",
                        "indicateurs": [
                            {"id": f"{o}{k}", "libelle": f"indicateur {o}{k}"}
                            for k in range(1, per_objective + 1)
                        ],
                    }
                    for o in letters
                ],
            }
        ],
    }
    return parse_referentiel(data, Path("essai.yaml"))


def test_a_referentiel_of_four_objectives_is_said_to_have_four() -> None:
    ref = referentiel_with(4)
    alt = radar_alt(ref, {"a": 2.0, "b": 3.0}, {"median": {}, "poles": 0})
    assert "sur les quatre objectifs principaux (échelle 1 à 4)" in alt
    assert "neuf" not in alt
    assert principal_objectives(ref) == "quatre objectifs principaux"
    assert principal_objectives(ref, principal=False) == "quatre objectifs"
    assert principal_objectives(ref, digits=True) == "4 objectifs principaux"
    assert principal_objectives(referentiel_with(1)) == "un objectif principal"
    assert ref.indicators_per_objective == 2


def test_the_shipped_referentiel_still_reads_nine_objectives_and_three_indicators_each() -> None:
    ref = load_referentiel(REPO / "data" / "referentiels", "2012")
    assert principal_objectives(ref) == "neuf objectifs principaux"
    assert ref.indicators_per_objective == 3
    uneven = parse_referentiel(
        {
            "echelle": {"min": 1, "max": 4},
            "objectifs_generaux": [
                {
                    "id": "og1",
                    "libelle": "x",
                    "objectifs": [
                        {"id": "a", "libelle": "a", "indicateurs": [{"id": "a1"}]},
                        {"id": "b", "libelle": "b", "indicateurs": [{"id": "b1"}, {"id": "b2"}]},
                    ],
                }
            ],
        },
        Path("inegal.yaml"),
    )
    assert uneven.indicators_per_objective is None


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "zéro"), (1, "un"), (4, "quatre"), (9, "neuf"), (16, "seize"), (17, "dix-sept"),
        (21, "vingt et un"), (27, "vingt-sept"), (71, "soixante et onze"), (80, "quatre-vingts"),
        (81, "quatre-vingt-un"), (91, "quatre-vingt-onze"), (99, "quatre-vingt-dix-neuf"),
        (100, "100"), (1500, "1\u202f500"),
    ],
)  # fmt: skip
def test_number_words(count: int, expected: str) -> None:
    assert number_words(count) == expected


def test_words_agree() -> None:
    assert words(9, "objectif") == "neuf objectifs"
    assert words(1, "indicateur") == "un indicateur"
    assert words(3, "objectif général", "objectifs généraux") == "trois objectifs généraux"
