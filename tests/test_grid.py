"""The analysis grid: 7 sections in order, questions tied to schema fields and to the référentiel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptce_mono.core.errors import DataFileError
from ptce_mono.corpus.grid import load_grid, parse_grid
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.corpus.schema import field_at

DATA = Path(__file__).resolve().parents[1] / "data"
SECTIONS = (
    "finalites",
    "origine",
    "structuration",
    "leadership",
    "gouvernance",
    "modele-economique",
    "impacts",
)


@pytest.fixture(scope="module")
def grid():
    return load_grid(DATA / "grille.yaml")


def test_seven_sections_in_order(grid) -> None:
    assert grid.section_ids == SECTIONS
    assert [s.number for s in grid.sections] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.filename for s in grid.sections] == [f"{s}.md" for s in SECTIONS]
    assert all(s.title.strip() for s in grid.sections)
    assert grid.section("gouvernance").number == 5
    assert grid.section("inconnue") is None


def test_question_ids_are_section_dash_number_and_unique(grid) -> None:
    seen = []
    for section in grid.sections:
        assert section.questions, section.id
        for n, question in enumerate(section.questions, start=1):
            assert question.id == f"{section.id}-{n}"
            assert question.text.strip().endswith("?"), question.id
            seen.append(question.id)
    assert len(seen) == len(set(seen))
    assert all(re.fullmatch(r"[a-z-]+-\d+", q) for q in seen)


def test_every_question_field_exists_in_the_schema(grid) -> None:
    for section in grid.sections:
        for question in section.questions:
            for path in question.fields:
                assert field_at(path) is not None, f"{question.id} : champ {path} inconnu"
        for path in section.fields:
            assert field_at(path) is not None, f"{section.id} : champ {path} inconnu"


def test_some_questions_are_tied_to_facts(grid) -> None:
    assert any(q.fields for s in grid.sections for q in s.questions)


def test_section_objectives_exist_in_referentiel_2012(grid) -> None:
    ref = load_referentiel(DATA / "referentiels", "2012")
    objectives = {o.id for o in ref.objectives}
    covered = set()
    for section in grid.sections:
        assert set(section.objectives) <= objectives, section.id
        covered |= set(section.objectives)
    assert covered, "aucune section n'est reliée au référentiel"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"titre": "x"}, "sections : une liste de sections est attendue"),
        ({"sections": [{"id": "a"}]}, "chaque section a un id et un titre"),
        ({"sections": [{"id": "a", "titre": "A", "questions": [{"id": "a-1"}]}]}, "id et texte"),
        (
            {"sections": [{"id": "a", "titre": "A", "champs": "identite.nom"}]},
            "une liste de textes est attendue",
        ),
    ],
)
def test_malformed_grid_is_a_french_data_file_error(data, words, tmp_path) -> None:
    with pytest.raises(DataFileError) as info:
        parse_grid(data, tmp_path / "grille.yaml")
    assert words in str(info.value)
    assert "grille.yaml" in str(info.value)
