"""The versioned référentiel d'action: structure of version 2012, labels, scale, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.core.errors import DataFileError, UnknownReferentielError
from ptce_mono.corpus.referentiel import (
    available_versions,
    load_all_referentiels,
    load_referentiel,
    parse_referentiel,
)

REFERENTIELS = Path(__file__).resolve().parents[1] / "data" / "referentiels"


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REFERENTIELS, "2012")


def test_three_general_objectives(ref) -> None:
    assert ref.version == "2012"
    assert len(ref.general_objectives) == 3
    assert [g.id for g in ref.general_objectives] == ["og1", "og2", "og3"]
    assert all(g.label.strip() for g in ref.general_objectives)


def test_nine_objectives_a_to_i_each_under_its_general_objective(ref) -> None:
    assert [o.id for o in ref.objectives] == list("abcdefghi")
    for general in ref.general_objectives:
        assert general.objectives, general.id
        for objective in general.objectives:
            assert objective.general == general.id
            assert objective.label.strip() and objective.short_label.strip()


def test_27_indicators_with_unique_ids(ref) -> None:
    ids = [i.id for i in ref.indicators]
    assert len(ids) == 27
    assert len(set(ids)) == 27
    assert ids == [f"{o}{k}" for o in "abcdefghi" for k in (1, 2, 3)]
    for objective in ref.objectives:
        assert [i.objective for i in objective.indicators] == [objective.id] * 3
    assert ref.indicator("e2") is not None and ref.indicator("e2").objective == "e"
    assert ref.indicator("z9") is None


def test_scale_is_1_to_4(ref) -> None:
    assert (ref.scale.minimum, ref.scale.maximum) == (1, 4)
    assert set(ref.scale.labels) <= {1, 2, 3, 4}


def test_legible_labels_are_non_empty_and_illegible_ones_are_none(ref) -> None:
    legible = [i for i in ref.indicators if i.status == "lisible"]
    illegible = [i for i in ref.indicators if i.status == "illisible"]
    assert len(legible) + len(illegible) == 27
    assert legible and illegible
    for indicator in legible:
        assert isinstance(indicator.label, str) and indicator.label.strip(), indicator.id
        assert indicator.display == indicator.label
    for indicator in illegible:
        assert indicator.label is None, indicator.id
        assert indicator.display == "(libellé illisible dans la source)"


def test_unknown_version_raises_a_french_typed_error() -> None:
    with pytest.raises(UnknownReferentielError) as info:
        load_referentiel(REFERENTIELS, "1999")
    assert "version de référentiel inconnue « 1999 »" in str(info.value)
    assert "2012" in str(info.value)


def test_all_versions_are_loaded() -> None:
    assert "2012" in available_versions(REFERENTIELS)
    assert set(load_all_referentiels(REFERENTIELS)) == set(available_versions(REFERENTIELS))


@pytest.mark.parametrize(
    "data",
    [
        ["pas", "un", "dictionnaire"],
        {"objectifs_generaux": []},  # no scale
        {"echelle": {"min": 1, "max": 4}, "objectifs_generaux": [{"id": "og1"}]},
    ],
)
def test_malformed_referentiel_is_a_data_file_error(data, tmp_path) -> None:
    with pytest.raises(DataFileError) as info:
        parse_referentiel(data, tmp_path / "2099.yaml")
    assert "2099.yaml" in str(info.value)
