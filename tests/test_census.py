"""The 2011 census (data/recensement): loads, checks each row, matches Annex 2 of the source."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.core.errors import CensusError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.census import compare_counts, load_census, national_count, read_census
from tests.conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"
PLAN = SEEDS / "002_b125d319ce04f9ec.txt"


def test_the_census_holds_the_112_initiatives_of_annex_2() -> None:
    census = load_census(REPO / "data")
    assert len(census.initiatives) == 112
    assert [i.rank for i in census.initiatives] == list(range(1, 113))
    assert national_count(census) == 5
    assert {i.pole for i in census.linked()} == {"la-coursive-boutaric", "alpen"}
    assert all(i.pole_reading == "identification" and i.pole_note for i in census.linked())
    assert sum(c.applications for c in census.counts) == 142


def test_counts_are_compared_region_by_region() -> None:
    rows = {r.region_before_2016: r for r in compare_counts(load_census(REPO / "data"))}
    assert (rows["Île-de-France"].listed, rows["Île-de-France"].announced) == (40, 53)
    assert rows["Lorraine"].listed == 2 and rows["Lorraine"].announced == 1
    assert rows["Centre"].announced is None and rows["Centre"].differs
    assert not rows["Provence-Alpes-Côte d'Azur"].differs
    assert rows["Île-de-France"].region == "Île-de-France"


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data" / "recensement", data / "recensement")
    shutil.copytree(REPO / "data" / "geo", data / "geo")
    return data


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "words"),
    [
        ("3,Auvergne,Auvergne,Auvergne-Rhône-Alpes", "3,Auvergne,Auvergne,Occitanie", 4,
         "region_2016", "Auvergne-Rhône-Alpes"),
        ("2,Aquitaine,Aquitaine", "deux,Aquitaine,Aquitaine", 3, "rang", "nombre entier"),
        (",alpen,identification,", ",alpen,lecture-libre,", 98, "pole_lecture", "vocabulaire"),
        (",,nom de personne,", ",Une Personne,nom de personne,", 8, "structure_porteuse",
         "doit rester vide"),
        ("4,Auvergne,Auvergne,Auvergne-Rhône-Alpes,Epicentre - Co-working,SCOP Cultures Trafic,,,,,labo-ess-2013,",
         "4,Auvergne,Auvergne,Auvergne-Rhône-Alpes,Epicentre - Co-working,SCOP Cultures Trafic,,,,,,",
         5, "source", "obligatoire"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_in_french(tmp_path, old, new, row, column, words) -> None:
    data = _copy(tmp_path)
    path = data / "recensement" / "initiatives.csv"
    _edit(path, old, new)
    with pytest.raises(CensusError) as caught:
        load_census(data)
    message = str(caught.value)
    assert f"initiatives.csv:{row}: {column}: " in message
    assert words in message


def test_missing_schema_and_bad_header_are_reported(tmp_path) -> None:
    data = _copy(tmp_path)
    (data / "recensement" / "candidatures-par-region.schema.json").unlink()
    _edit(data / "recensement" / "initiatives.csv", "rang,region_imprimee", "rang,region")
    _, issues = read_census(data)
    text = "\n".join(map(str, issues))
    assert "candidatures-par-region.schema.json: schéma de table manquant" in text
    assert "initiatives.csv:1: en-tête attendu : rang,region_imprimee," in text


def test_validate_reports_an_unknown_pole_and_source(project) -> None:
    shutil.copytree(REPO / "data" / "recensement", project.data / "recensement")
    report = validate_corpus(ProjectPaths.at(project.root))
    found = {(p.path.name, p.line, p.field) for p in report.errors}
    # The fictional corpus has neither alpen nor la-coursive-boutaric.
    assert ("initiatives.csv", 13, "pole") in found and ("initiatives.csv", 98, "pole") in found
    # ... and its (fictional) bibliography has no labo-ess-2013.
    sources = [p for p in report.errors if p.field == "source"]
    assert len(sources) == 112 + 18
    assert "source « labo-ess-2013 » absente de la bibliographie" in sources[0].format()


def _annex_2_rows() -> list[list[str]]:
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    start = lines.index("Région\tNom de l'initiative\tStructure porteuse")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("ANNEXE 3"))
    return [line.split("\t") for line in lines[start + 1 : end] if line.strip()]


@pytest.mark.skipif(not PLAN.is_file(), reason=f"sources absentes ({SEEDS}) : comparaison sautée")
def test_every_row_is_the_annex_row_and_no_person_name_is_kept() -> None:
    """Same rows in the same order as the source; a carrier is copied verbatim (OCR
    superscript markup removed) or left empty for a person's name."""
    annex = _annex_2_rows()
    census = load_census(REPO / "data")
    assert len(annex) == len(census.initiatives) == 112
    omitted = 0
    for (region, name, carrier), item in zip(annex, census.initiatives, strict=True):
        clean = re.sub(r" \^\{(\w+)\}", r"\1", carrier.strip())
        assert (item.region_printed, item.name) == (region.strip(), name.strip())
        if item.carrier_omitted:
            omitted += 1
            assert item.carrier == "" and clean  # the annex gives a person's name here
        else:
            assert item.carrier == clean
    assert omitted == 2
