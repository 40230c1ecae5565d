"""Answers in: three export formats give the same scores; every bad input is refused in French
with its file and row, and leaves the stored answers unchanged; re-import changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ptce_mono.analysis.scores import wave_scores
from ptce_mono.core.errors import AnswersImportError
from ptce_mono.corpus.answer_settings import Settings
from ptce_mono.corpus.answer_store import load_waves
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.importers.answers import import_answers

from .participation_helpers import EXPORTS, QUESTIONNAIRES, SLUGS, network_project


def _scores(project) -> dict:
    ref = load_referentiel(project.referentiels, "2012")
    return {
        (w.slug, w.wave): (w.n, wave_scores(w, ref, Settings()).objectives,
                           wave_scores(w, ref, Settings()).indicators)
        for slug in SLUGS for w in load_waves(project.poles / slug)
    }  # fmt: skip


def _stored(project) -> dict[str, bytes]:
    return {
        str(p.relative_to(project.poles)): p.read_bytes()
        for p in sorted(project.poles.glob("*/referentiel/*.yaml"))
    }


@pytest.fixture(scope="module")
def kobo_scores(tmp_path_factory):
    project = network_project(tmp_path_factory.mktemp("kobo"))
    plan = import_answers(project, [EXPORTS / "kobo.csv"])
    assert sum(plan.added.values()) == 31
    return _scores(project)


@pytest.mark.parametrize("files", [
    [EXPORTS / "kobo.xlsx"], [EXPORTS / "limesurvey.csv"], QUESTIONNAIRES,
], ids=["kobo-xlsx", "limesurvey-csv", "questionnaires-xlsx"])  # fmt: skip
def test_every_format_gives_the_same_scores(tmp_path: Path, kobo_scores, files) -> None:
    project = network_project(tmp_path)
    import_answers(project, files)
    assert _scores(project) == kobo_scores
    assert kobo_scores[("pole-fictif-001", "2025-03")][0] == 6
    assert kobo_scores[("pole-fictif-004", "2024-03")][0] == 2


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "kobo.csv"])
    before = _stored(project)
    plan = import_answers(project, [EXPORTS / "kobo.csv"])
    assert plan.added == {} and plan.unchanged == 31
    assert _stored(project) == before


def test_stored_answers_are_pseudonymous(tmp_path: Path) -> None:
    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "kobo.csv", EXPORTS / "limesurvey.csv"])
    text = "".join(b.decode("utf-8") for b in _stored(project).values())
    assert "@exemple.invalid" not in text and "Fictif-" not in text and ".fictif" not in text
    assert "_uuid" not in text and "r-" in text


def _kobo_rows() -> list[list[str]]:
    text = (EXPORTS / "kobo.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def _bad_file(tmp_path: Path, kind: str) -> tuple[Path, str]:
    rows = _kobo_rows()[:3]
    path = tmp_path / f"{kind}.csv"
    if kind == "pole-inconnu":
        rows[2][_column(rows, "pole")] = "pole-inconnu"
        message = f"{path}:3: pôle inconnu « pole-inconnu » (aucun dossier {{poles}}/pole-inconnu)"
    elif kind == "indicateur-inconnu":
        rows[0].append("objectif_z/z9")
        rows[1].append("3")
        rows[2].append("")
        message = (f"{path}:2: objectif_z/z9: indicateur « z9 » absent du "
                   "référentiel 2012")  # fmt: skip
    elif kind == "hors-echelle":
        rows[1][_column(rows, "objectif_a/a1")] = "7"
        message = (f"{path}:2: objectif_a/a1: valeur « 7 » hors de l'échelle "
                   "1–4 (ou « ne sait pas »)")  # fmt: skip
    elif kind == "doublon":
        rows.append(list(rows[1]))
        uuid = rows[1][_column(rows, "_uuid")]
        message = (f"{path}:4: soumission en double (_uuid « {uuid} » déjà lu : "
                   f"{path}, ligne 2)")  # fmt: skip
    else:  # categorie-manquante
        rows[2][_column(rows, "repondant/categorie")] = ""
        message = f"{path}:3: catégorie de répondant manquante"
    return _write(path, rows), message


@pytest.mark.parametrize("kind", ["pole-inconnu", "indicateur-inconnu", "hors-echelle",
                                  "doublon", "categorie-manquante"])  # fmt: skip
def test_bad_input_is_refused_and_stored_answers_unchanged(tmp_path: Path, kind: str) -> None:
    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "limesurvey.csv"])
    before = _stored(project)
    assert before
    bad, message = _bad_file(tmp_path, kind)
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [bad])
    assert [str(p) for p in caught.value.problems] == [
        message.replace("{poles}", str(project.poles))
    ]
    assert str(caught.value).startswith("import des réponses refusé (un problème) ; aucune réponse")
    assert _stored(project) == before
