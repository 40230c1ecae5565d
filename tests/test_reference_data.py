"""The grid, the référentiel and the shared bibliography shipped in data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.core.errors import UnknownReferentielError
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.corpus.schema import field_at

DATA = Path(__file__).resolve().parents[1] / "data"


def test_referentiel_2012_has_3_general_9_principal_27_indicators() -> None:
    ref = load_referentiel(DATA / "referentiels", "2012")
    assert [g.id for g in ref.general_objectives] == ["og1", "og2", "og3"]
    assert [o.id for o in ref.objectives] == list("abcdefghi")
    ids = [i.id for i in ref.indicators]
    assert len(ids) == 27 and len(set(ids)) == 27
    assert all(len(o.indicators) == 3 for o in ref.objectives)
    assert (ref.scale.minimum, ref.scale.maximum) == (1, 4)
    legible = [i for i in ref.indicators if i.label]
    assert len(legible) == 18
    assert all(i.reconstructed for i in legible)
    assert all(i.status == "illisible" for i in ref.indicators if not i.label)
    # word for word from Annex 3
    assert ref.indicator("a1").label == "disposer d'un lieu identifié et accessible"


def test_unknown_referentiel_version() -> None:
    with pytest.raises(UnknownReferentielError, match="version de référentiel inconnue « 2099 »"):
        load_referentiel(DATA / "referentiels", "2099")


def test_grid_has_the_seven_sections_of_the_2013_plan() -> None:
    grid = load_grid(DATA / "grille.yaml")
    assert grid.section_ids == (
        "finalites", "origine", "structuration", "leadership", "gouvernance", "modele-economique", "impacts",
    )  # fmt: skip
    ref = load_referentiel(DATA / "referentiels", "2012")
    objectives = {o.id for o in ref.objectives}
    for section in grid.sections:
        assert section.questions, section.id
        assert set(section.objectives) <= objectives
        for question in section.questions:
            assert question.id.startswith(section.id + "-")
            for path in question.fields:
                assert field_at(path) is not None, path
