"""Exports written by the tools themselves (tests/fixtures/exports-reels/, with their source and
licence): the importers read them as the tools write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ptce_mono.core.errors import AnswersImportError
from ptce_mono.corpus.excerpts import load_interviews
from ptce_mono.importers.answers import import_answers, read_submissions
from ptce_mono.importers.interviews import import_interviews, read_export
from tests.conftest import FIXTURES, make_project

REAL = FIXTURES / "exports-reels"
TAGUETTE = REAL / "taguette" / "highlights-interesting.csv"


def test_taguette_highlights_csv_as_taguette_writes_it() -> None:
    """Taguette's own test of its CSV export: CRLF line ends, a backslash in a tag name, one
    highlight with two tags written as two rows."""
    assert TAGUETTE.read_bytes().count(b"\r\n") == 4
    export = read_export(TAGUETTE)
    rows = [(s.document, s.codes, s.text) for s in export.segments]
    assert rows == [
        ("otherdoc", ("interesting\\places",), "diff"),
        ("otherdoc", ("interesting", "people"), "tent"),
    ]
    assert export.uncoded == () and export.notices == ()


def test_taguette_real_export_is_imported_into_a_pole(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "projet")
    slug = sorted(p.name for p in paths.poles.iterdir())[0]
    codes = {
        "codes": {
            "interesting": {"section": "origine"},
            "interesting\\places": {"section": "gouvernance"},
            "people": {"section": "gouvernance"},
        }
    }
    (paths.data / "codes.yaml").write_text(
        yaml.safe_dump(codes, allow_unicode=True), encoding="utf-8"
    )
    export = tmp_path / TAGUETTE.name
    shutil.copy2(TAGUETTE, export)
    import_interviews(paths, export, pole=slug, flag_names=False)
    (interview,) = load_interviews(paths.poles / slug)
    assert interview.document == "otherdoc" and interview.tool == "Taguette"
    found = sorted((e.section, e.text, e.codes) for e in interview.excerpts)
    assert found == [
        ("gouvernance", "diff", ("interesting\\places",)),
        ("gouvernance", "tent", ("interesting", "people")),
        ("origine", "tent", ("interesting", "people")),
    ]


# --- KoboToolbox: an export written by formpack, KoboToolbox's export engine ------------------

KOBO = REAL / "kobotoolbox"
KOBO_COLUMNS = "« restaurant_name », « customer_enjoyment », « _uuid », « _submission_time »"


def test_kobo_real_export_files_as_kobotoolbox_writes_them() -> None:
    """formpack's CSV: « ; » between cells, every cell quoted, CRLF after each line (as
    KoboToolbox's export task writes formpack's lines); its XLSX: one sheet named after the form."""
    from openpyxl import load_workbook

    raw = (KOBO / "customer_satisfaction.csv").read_bytes()
    assert (
        raw.splitlines()[0] == b'"restaurant_name";"customer_enjoyment";"_uuid";"_submission_time"'
    )
    assert raw.count(b"\r\n") == 4
    sheet = load_workbook(KOBO / "customer_satisfaction.xlsx").worksheets[0]
    assert sheet.title == "Customer Satisfaction"
    assert [c.value for c in sheet[1]] == [
        "restaurant_name", "customer_enjoyment", "_uuid", "_submission_time",
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["customer_satisfaction.csv", "customer_satisfaction.xlsx"])
def test_kobo_real_export_of_another_questionnaire_is_refused_naming_what_it_misses(
    tmp_path: Path, name: str
) -> None:
    """A real KoboToolbox export of a survey that is not the project's questionnaire: read as a
    KoboToolbox export (its « _uuid » column), then refused as a whole with one French problem
    naming the file and the columns it lacks, never imported as three empty questionnaires."""
    paths = make_project(tmp_path / "projet")
    export = tmp_path / name
    shutil.copy2(KOBO / name, export)
    problems: list = []
    assert read_submissions(export, problems) == []
    assert [(p.path, p.line, p.message) for p in problems] == [(
        export, 1,
        "export KoboToolbox sans aucune colonne d'indicateur du référentiel "
        "(« a1 », « b2 »… : les questions du questionnaire de ptce-mono) ; ce fichier répond à "
        "un autre questionnaire, rien n'en est importé ; colonnes manquantes aussi : "
        f"« categorie », « pole », « vague » (colonnes du fichier : {KOBO_COLUMNS})",
    )]  # fmt: skip
    before = sorted(p.relative_to(paths.poles) for p in paths.poles.rglob("*"))
    with pytest.raises(AnswersImportError) as error:
        import_answers(paths, [export], pole="plateau-essai", wave="2025-01")
    assert [(p.path, p.line) for p in error.value.problems] == [(export, 1)]
    assert f"{export}:1: export KoboToolbox sans aucune colonne" in str(error.value)
    assert sorted(p.relative_to(paths.poles) for p in paths.poles.rglob("*")) == before


# The project's own questionnaire (its XLSForm, fictional pole « plateau-essai ») exported by
# formpack with three fictional submissions: answers to a1 … i3, written by hand below
# (« - » is « ne sait pas », stored as no value).
KOBO_ANSWERS = {
    ("salarie", "association", "2025-03-11"): "1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2",
    ("benevole", "cooperative", "2025-03-12"): "2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3",
    ("partenaire", "collectivite", "2025-03-14"): "3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4 - 1 2 3 4",
}  # fmt: skip
INDICATORS = [f"{o}{n}" for o in "abcdefghi" for n in (1, 2, 3)]
KOBO_UUIDS = [f"6f1d2c3e-0a4b-4c5d-8e9f-00000000000{i}" for i in (1, 2, 3)]


@pytest.mark.parametrize("name", ["plateau-essai-2025-03.csv", "plateau-essai-2025-03.xlsx"])
def test_kobo_export_of_the_projects_questionnaire_is_imported(tmp_path: Path, name: str) -> None:
    """Headers as KoboToolbox writes them with groups (« objectif_a/a1 »), XML values (« nsp »),
    « ; » between cells: every answer stored, the submission ids never in clear."""
    from ptce_mono.corpus.answer_store import load_wave

    paths = make_project(tmp_path / "projet")
    export = tmp_path / name
    shutil.copy2(KOBO / name, export)
    plan = import_answers(paths, [export])
    assert plan.added == {("plateau-essai", "2025-03"): 3} and plan.notices == []
    wave = load_wave(paths.poles / "plateau-essai", "2025-03")
    assert wave.version == "2012"
    found = {
        (r.category, r.structure_type, r.date): " ".join(
            "-" if r.answers[i] is None else str(r.answers[i]) for i in INDICATORS
        )
        for r in wave.respondents
    }
    assert found == KOBO_ANSWERS
    assert {r.format for r in wave.respondents} == {"kobo"}
    stored = (paths.poles / "plateau-essai" / "referentiel" / "2025-03.yaml").read_text("utf-8")
    assert not any(u in stored for u in KOBO_UUIDS)
    assert not any(u[-12:] in stored for u in KOBO_UUIDS)
    # the same export again adds nobody
    assert import_answers(paths, [export]).added == {}
