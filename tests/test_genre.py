"""The genre of a pole document, its corpus and its limits, computed from the evidence (pure),
and the project's identity (data/projet.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ptce_mono.analysis.genre import (
    AnswerWave,
    DocumentBasis,
    Genre,
    Interview,
    corpus_lines,
    limits_paragraph,
    pole_genre,
)
from ptce_mono.core.errors import ProjectIdentityError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.identity import DEFAULT_IDENTITY, load_identity, parse_identity
from ptce_mono.corpus.records import load_corpus

from .conftest import REPO

DOCS = (("Rapport A", 2013), ("Article B", 2017))


def test_published_documents_only_make_a_documentary_file() -> None:
    assert pole_genre(DocumentBasis(documents=DOCS)) is Genre.DOSSIER
    assert pole_genre(DocumentBasis()) is Genre.DOSSIER
    assert Genre.DOSSIER.label == "Dossier documentaire"


@pytest.mark.parametrize(
    "basis",
    [
        DocumentBasis(documents=DOCS, interviews=(Interview("directrice", "2025-03-12"),)),
        DocumentBasis(waves=(AnswerWave("2025-printemps", 6),)),
        DocumentBasis(account_years=(2022,)),
    ],
)
def test_any_fieldwork_makes_a_monograph(basis: DocumentBasis) -> None:
    assert pole_genre(basis) is Genre.MONOGRAPHIE


def test_an_empty_wave_is_not_fieldwork() -> None:
    assert pole_genre(DocumentBasis(waves=(AnswerWave("2025", 0),))) is Genre.DOSSIER


def test_a_closed_review_round_makes_a_reviewed_monograph() -> None:
    basis = DocumentBasis(interviews=(Interview("président", "2025-01-02"),))
    assert pole_genre(basis, reviewed_on=dt.date(2026, 5, 1)) is Genre.RELUE
    assert Genre.RELUE.value == "monographie relue par le pôle"


def test_corpus_lines_give_counts_dates_and_say_aucun() -> None:
    basis = DocumentBasis(
        documents=DOCS,
        interviews=(Interview("directrice", "2025-03-12"), Interview("bénévole", "2024-11-02"),
                    Interview("bénévole", "")),
        waves=(AnswerWave("2025-printemps", 6),),
    )  # fmt: skip
    lines = corpus_lines(basis)
    assert lines[0] == "2 documents publiés de 2013 à 2017"
    assert lines[1] == "3 entretiens (bénévole : 2, directrice : 1), menés en 2024 à 2025"
    assert lines[2] == "1 vague de questionnaire : 2025-printemps (n = 6)"
    assert lines[3] == "aucun compte annuel"
    empty = corpus_lines(DocumentBasis(documents=(("C", 2024),)))
    assert empty == ["1 document publié en 2024", "aucun entretien",
                     "aucune vague de questionnaire", "aucun compte annuel"]  # fmt: skip


def test_limits_are_generated_from_what_is_missing() -> None:
    sparse = DocumentBasis(documents=(("C", 2013),), sections_total=7, sections_missing=5,
                           readings=1)  # fmt: skip
    text = limits_paragraph(sparse, Genre.DOSSIER, 2026)
    assert text.startswith("Aucun entretien n'a été mené")
    assert "aucun questionnaire" in text and "aucun compte annuel" in text
    assert "date de 2013" in text
    assert "5 sections de la grille sur 7 restent sans aucune source" in text
    assert "1 valeur est une lecture du projet" in text and "signalée comme telle," in text
    assert text.endswith("les acteurs du pôle n'ont pas relu ce document.")
    rich = DocumentBasis(
        documents=(("C", 2025),), interviews=(Interview("a", "2025-01-01"),),
        waves=(AnswerWave("w", 3),), account_years=(2024,), sections_total=7,
    )  # fmt: skip
    reviewed = limits_paragraph(rich, Genre.RELUE, 2026, dt.date(2026, 1, 1))
    assert "entretien" not in reviewed and "relu" not in reviewed


def test_the_demo_identity_names_no_person_and_parses() -> None:
    identity = load_identity(REPO / "data")
    assert identity.filled
    assert identity.team == ("Équipe ptce-mono (corpus de démonstration)",)
    assert identity.licence


def test_a_project_without_identity_file_gets_a_neutral_one(tmp_path: Path) -> None:
    assert load_identity(tmp_path) is DEFAULT_IDENTITY
    assert "projet.yaml" in DEFAULT_IDENTITY.authors


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"titre": "T"}, "equipe"),
        ({"titre": "T", "equipe": []}, "equipe"),
        ({"equipe": ["A"]}, "titre"),
        ({"titre": "T", "equipe": ["A", 3]}, "equipe.1"),
        ({"titre": "T", "equipe": ["A"], "site": "exemple.org"}, "site"),
        ({"titre": "T", "equipe": ["A"], "doi": "doi:12"}, "doi"),
    ],
)
def test_a_bad_identity_names_the_file_and_field(raw: dict, field: str) -> None:
    with pytest.raises(ProjectIdentityError) as info:
        parse_identity(Path("data/projet.yaml"), raw, {})
    assert info.value.field == field
    assert "data/projet.yaml" in str(info.value) and f"« {field} »" in str(info.value)


def test_the_demo_seed_poles_are_documentary_files() -> None:
    """No demo pole has fieldwork yet: all read as « dossier documentaire »."""
    from ptce_mono.analysis.corpus_facts import document_basis

    corpus = load_corpus(ProjectPaths.at(REPO))
    for pole in corpus.poles:
        basis = document_basis(pole, corpus)
        assert basis.documents, pole.slug
        if (
            not (pole.folder / "entretiens").is_dir()
            and not (pole.folder / "comptes.yaml").exists()
        ):
            assert pole_genre(basis) is Genre.DOSSIER, pole.slug


def test_a_reviewed_pole_says_so_in_its_title_and_how_it_was_made() -> None:
    """What the review round feeds (``reviewed_on``) reaches the genre, the lead, « Relecture »
    and the limits."""
    import dataclasses

    from ptce_mono.documents.monograph import document_meta, how_made, load

    ctx = load(REPO / "data", "realis")
    assert ctx.genre is Genre.DOSSIER
    assert "pas encore relu par les acteurs du pôle" in how_made(ctx).replace("\u00a0", " ")
    reviewed = dataclasses.replace(ctx, reviewed_on=dt.date(2026, 6, 30))
    assert reviewed.genre is Genre.RELUE
    text = how_made(reviewed).replace("\u00a0", " ")
    assert "tour de relecture clos le 30 juin 2026" in text
    assert "n'ont pas relu" not in text
    assert document_meta(reviewed)["surtitre"] == "Monographie relue par le pôle"
