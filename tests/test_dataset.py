"""The public data package: valid Frictionless package, deterministic, no private value."""

from __future__ import annotations

import json

import frictionless

from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.corpus.records import load_corpus
from ptce_mono.documents.dataset import build_tables, write_corpus_package, write_datapackage

PRIVATE_MARKERS = (
    "Camille Fictive-Privée",  # contact and interviewee of vallons-fictifs
    "NOTE-PRIVEE-VALLONS",  # interview notes
    "voir carnet de terrain",  # contact details
    "NOTE-PRIVEE-BASSIN",  # private working note (field « notes ») of bassin-imaginaire
)


def test_package_is_valid_and_complete(project, tmp_path) -> None:
    corpus = load_corpus(project)
    tables = build_tables(corpus)
    assert set(tables) == {
        "poles", "structures", "ressources", "emploi", "scores", "scores_declares", "citations",
        "couverture",
    }  # fmt: skip
    assert len(tables["scores_declares"]) == 0  # no answers in this corpus
    assert len(tables["poles"]) == 4 and len(tables["structures"]) == 16
    assert len(tables["scores"]) == 3 * 27  # three scored poles, 27 indicators each
    assert len(tables["couverture"]) == 4 * len(corpus.grid.sections)
    descriptor_path = write_datapackage(tables, tmp_path / "donnees")
    report = frictionless.validate(descriptor_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads(descriptor_path.read_text(encoding="utf-8"))
    assert meta["licenses"] and meta["title"]
    assert [r["path"] for r in meta["resources"]] == [f"{n}.csv" for n in tables]
    for resource in meta["resources"]:
        assert all(f["description"] and f["type"] for f in resource["schema"]["fields"])
    emploi = (tmp_path / "donnees" / "emploi.csv").read_text(encoding="utf-8").splitlines()
    assert emploi[0].startswith("pole,annee,etp,etp_animation")
    assert len(emploi) == 1 + 5


def test_no_private_value_in_any_exported_file(project) -> None:
    narrative = project.poles / "vallons-fictifs" / "finalites.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\n<!-- COMMENTAIRE-PRIVE-EXPORT -->\n",
        encoding="utf-8",
    )
    descriptor_path = export(project)
    assert descriptor_path == project.export / "datapackage.json"
    text = "\n".join(p.read_text(encoding="utf-8") for p in project.export.iterdir())
    for marker in (*PRIVATE_MARKERS, "COMMENTAIRE-PRIVE-EXPORT"):
        assert marker not in text
    assert "Pôle fictif des Vallons" in text  # public facts are there


def test_export_is_atomic_and_deterministic(project) -> None:
    first = export(project).parent
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    (first / "ancien.csv").write_text("x\n", encoding="utf-8")
    export(project)
    after = {p.name: p.read_bytes() for p in first.iterdir()}
    assert after == before  # same bytes; stale files of the previous package are gone
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".donnees")]


def test_empty_corpus_gives_a_valid_package(project, tmp_path) -> None:
    import shutil

    shutil.rmtree(project.poles)
    project.poles.mkdir()
    tables = build_tables(load_corpus(project))
    assert all(len(t) == 0 for t in tables.values())
    report = frictionless.validate(write_datapackage(tables, tmp_path / "vide"))
    assert report.valid


def export(project):
    return write_corpus_package(project, corpus_from_report(project, validate_corpus(project)))


def test_census_and_readings_are_resources_of_the_package(project, tmp_path) -> None:
    """With data/recensement (the real census) and a citation marked as a reading, the package
    holds both census tables with their Table Schema and the reading, and validates."""
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "data" / "recensement", project.data / "recensement")
    record = project.poles / "vallons-fictifs" / "pole.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace(
            "    passage: fiche vallons-fictifs\n",
            "    passage: fiche vallons-fictifs\n    lecture: identification\n"
            "    note: NOTE-DE-LECTURE-FICTIVE\n",
            1,
        ),
        encoding="utf-8",
    )
    tables = build_tables(load_corpus(project))
    assert len(tables["recensement_initiatives"]) == 112
    assert len(tables["recensement_regions"]) == 18
    descriptor_path = write_datapackage(tables, tmp_path / "donnees")
    report = frictionless.validate(descriptor_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    meta = json.loads(descriptor_path.read_text(encoding="utf-8"))
    census = next(r for r in meta["resources"] if r["name"] == "recensement_initiatives")
    assert census["schema"]["primaryKey"] == ["rang"]
    citations = (tmp_path / "donnees" / "citations.csv").read_text(encoding="utf-8")
    assert "vallons-fictifs,identite.nom,rapport-fictif-2016" in citations
    assert "identification,NOTE-DE-LECTURE-FICTIVE" in citations
