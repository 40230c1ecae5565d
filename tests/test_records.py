"""Pole records on the fictional corpus: facts, narratives, bibliography, privacy, errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ptce_mono.core.errors import DataFileError, UnknownPoleError, UnsafeSlugError
from ptce_mono.corpus.records import (
    Document,
    load_bibliography,
    load_corpus,
    load_pole,
    strip_comments,
)
from ptce_mono.corpus.schema import PRIVATE_KEYS

from .conftest import FIXTURES

SLUGS = ["bassin-imaginaire", "plateau-essai", "scene-fictive", "vallons-fictifs"]


@pytest.fixture
def corpus(project):
    return load_corpus(project)


def test_corpus_holds_the_four_fictional_poles_sorted(corpus) -> None:
    assert [p.slug for p in corpus.poles] == SLUGS
    assert corpus.grid.section_ids[0] == "finalites"
    assert "2012" in corpus.referentiels
    assert set(corpus.bibliography) == {"rapport-fictif-2016", "entretiens-fictifs-2017"}
    assert all(re.search("fictif|fictive|imaginaire|essai", p.name) for p in corpus.poles)


def test_load_only_named_poles(project) -> None:
    corpus = load_corpus(project, ["scene-fictive"])
    assert [p.slug for p in corpus.poles] == ["scene-fictive"]


def test_unknown_and_unsafe_slugs_raise(project, corpus) -> None:
    with pytest.raises(UnknownPoleError, match="pôle inconnu « inconnu »"):
        load_corpus(project, ["inconnu"])
    with pytest.raises(UnsafeSlugError, match="identifiant de pôle invalide"):
        load_corpus(project, ["../x"])
    with pytest.raises(UnknownPoleError):
        corpus.pole("absent")


def test_get_dotted_paths_and_lines(corpus) -> None:
    pole = corpus.pole("vallons-fictifs")
    assert pole.name == "Pôle fictif des Vallons"
    assert pole.get("identite.code_postal") == "26150"
    assert pole.get("structures.1.nom") == "Menuiserie imaginaire"
    assert pole.get("structures.9.nom", "—") == "—"
    assert pole.get("identite.absent") is None
    assert pole.get("statut.laureat_aap") == [2013, 2015]
    assert pole.path == pole.folder / "pole.yaml"
    lines = pole.path.read_text(encoding="utf-8").splitlines()
    assert lines[pole.line_of("identite.commune") - 1] == "  commune: Die"
    assert lines[pole.line_of("structures.1") - 1] == "- nom: Menuiserie imaginaire"


def test_scores_and_lists(corpus) -> None:
    vallons = corpus.pole("vallons-fictifs")
    assert vallons.referentiel_version == "2012"
    assert len(vallons.scores) == 27
    assert vallons.scores["a1"] == 4 and vallons.scores["i3"] == 3
    assert len(vallons.list_of("structures")) == 4
    assert vallons.list_of("identite") == []  # not a list
    assert corpus.pole("plateau-essai").scores == {}


def test_public_facts_drop_every_private_key(corpus) -> None:
    assert {"contacts", "entretiens", "notes"} == PRIVATE_KEYS
    vallons = corpus.pole("vallons-fictifs")
    bassin = corpus.pole("bassin-imaginaire")
    assert "contacts" in vallons.facts and "entretiens" in vallons.facts
    assert "notes" in bassin.facts
    for pole in corpus.poles:
        public = pole.public_facts()
        assert not PRIVATE_KEYS & set(public)
        text = repr(public)
        assert "NOTE-PRIVEE" not in text and "Camille Fictive-Privée" not in text
        assert public["identite"] == pole.facts["identite"]


def test_narratives_strip_html_comments(corpus) -> None:
    vallons = corpus.pole("vallons-fictifs")
    assert set(vallons.narratives) == set(corpus.grid.section_ids)
    origine = vallons.narratives["origine"]
    assert "NOTE-PRIVEE-COMMENTAIRE" in origine.doc.body
    assert "NOTE-PRIVEE" not in origine.text
    assert "Questions directrices" not in origine.text
    assert origine.text.startswith("La coopération est née")
    assert origine.questions == ("origine-1", "origine-2", "origine-3")
    assert origine.cited_sources == ("entretiens-fictifs-2017",)
    assert not origine.is_empty


def test_empty_and_partial_narratives(corpus) -> None:
    plateau = corpus.pole("plateau-essai")
    assert plateau.narratives["gouvernance"].is_empty
    assert plateau.narratives["gouvernance"].questions == ()
    assert plateau.narratives["impacts"].questions == ("impacts-1",)
    assert not plateau.narratives["impacts"].is_empty


def test_strip_comments_also_drops_an_unclosed_comment() -> None:
    assert strip_comments("a <!-- b --> c <!-- d") == "a  c "


def test_extra_markdown_file_is_kept_aside(project) -> None:
    folder = project.poles / "scene-fictive"
    (folder / "brouillon.md").write_text("brouillon", encoding="utf-8")
    pole = load_corpus(project, ["scene-fictive"]).poles[0]
    assert [p.name for p in pole.extra_files] == ["brouillon.md"]
    assert folder / "brouillon.md" in pole.input_files()


def test_malformed_pole_file_raises_a_data_file_error(project, corpus) -> None:
    folder = project.poles / "yaml-malforme"
    shutil.copytree(FIXTURES / "broken" / "yaml-malforme", folder)
    with pytest.raises(DataFileError) as info:
        load_pole(folder, corpus.grid)
    assert info.value.path == folder / "pole.yaml"
    assert "YAML mal formé" in str(info.value)


def test_pole_file_must_be_a_mapping(project, corpus) -> None:
    folder = project.poles / "scene-fictive"
    (folder / "pole.yaml").write_text("- une liste\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="dictionnaire de champs"):
        load_pole(folder, corpus.grid)


def test_bibliography_documents(corpus, project) -> None:
    doc = corpus.bibliography["rapport-fictif-2016"]
    assert doc.year == 2016
    assert doc.short == "Équipe de recherche fictive, 2016"
    assert doc.full.startswith("Équipe de recherche fictive, « Rapport d'enquête fictif")
    assert doc.full.endswith("2016.")
    assert corpus.document("rapport-fictif-2016") is doc
    assert corpus.document("inconnu") is None
    untitled = Document.from_raw({"id": "x", "titre": "Titre seul", "annee": "vers 2010"})
    assert untitled.year is None and untitled.short == "Titre seul"
    (project.data / "bibliographie.yaml").write_text("documents: 3\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="une liste est attendue"):
        load_bibliography(project)


def test_local_bibliography_takes_precedence(project) -> None:
    path = project.poles / "scene-fictive" / "pole.yaml"
    text = path.read_text(encoding="utf-8")
    text += "bibliographie:\n- id: rapport-fictif-2016\n  titre: Version locale fictive\n"
    path.write_text(text, encoding="utf-8")
    corpus = load_corpus(project)
    pole = corpus.pole("scene-fictive")
    assert corpus.document("rapport-fictif-2016", pole).title == "Version locale fictive"
    other = corpus.pole("vallons-fictifs")
    assert corpus.document("rapport-fictif-2016", other).title.startswith("Rapport d'enquête")


def test_input_files_are_sorted_and_skip_hidden_files(project) -> None:
    folder: Path = project.poles / "vallons-fictifs"
    (folder / ".cache-editeur").write_text("x", encoding="utf-8")
    pole = load_corpus(project, ["vallons-fictifs"]).poles[0]
    files = pole.input_files()
    assert files == sorted(files)
    assert folder / "pole.yaml" in files
    assert folder / ".cache-editeur" not in files
    assert all(not p.name.startswith(".") for p in files)
