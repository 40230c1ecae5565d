"""One problem type (issue 21, item 4): every importer reports all its problems at once, each
with its file and line (or row, or element), stores nothing, and the command line prints them
with the one rendering that ``validate`` uses."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.core.errors import AnswersImportError, DataFileError, FieldworkError, ProblemsError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.core.problems import Problem, Severity, located, render_problem, render_report
from ptce_mono.importers.answers import import_answers
from ptce_mono.importers.interviews import import_export, import_interviews
from ptce_mono.importers.segments import Export, Interview, Segment
from tests.conftest import run_cli
from tests.participation_helpers import EXPORTS, QUESTIONNAIRES, network_project
from tests.qdpx_builder import guid, project_xml, write_qdpx
from tests.test_fieldwork import SLUG, make_terrain

HEADER = ["id", "document", "tag", "content"]


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


def stored_interviews(paths: ProjectPaths) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(paths.poles.glob("*/entretiens/*"))}


def stored_waves(paths: ProjectPaths) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(paths.poles.glob("*/referentiel/*.yaml"))}


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


# --- the type and its rendering -------------------------------------------------------------


def test_a_problem_renders_file_line_place_field_and_message() -> None:
    path = Path("data/poles/x/pole.yaml")
    assert render_problem(Problem(path, 12, "identite.nom", "champ obligatoire manquant")) == (
        "data/poles/x/pole.yaml:12: identite.nom: champ obligatoire manquant"
    )
    warning = Problem(path, None, "", "parts incomplètes", Severity.WARNING)
    assert render_problem(warning) == "data/poles/x/pole.yaml: avertissement : parts incomplètes"
    # a place written as text gives its line; a line inside an archive's member stays text
    cell = located("r.xlsx", "formule", "feuille « réponses », ligne 3, cellule D3")
    assert (cell.line, cell.where) == (3, "feuille « réponses », cellule D3")
    assert render_problem(cell) == "r.xlsx:3: feuille « réponses », cellule D3 : formule"
    element = located("p.qdpx", "code absent", 'élément <CodeRef guid="g"> (ligne 67)')
    assert element.line is None
    assert render_problem(element) == 'p.qdpx: élément <CodeRef guid="g"> (ligne 67) : code absent'
    # relative to the project root when inside it
    root = Path("/projet")
    assert render_problem(Problem(root / "data" / "a.yaml", 2, "", "m"), root) == "data/a.yaml:2: m"


def test_a_report_lists_every_problem_one_line_each() -> None:
    one = Problem(Path("a.csv"), 2, "", "premier")
    two = Problem(Path("a.csv"), 5, "a1", "second")
    assert render_report([one]) == "a.csv:2: premier"
    assert render_report([one, two], "import refusé {n} ; rien n'a été enregistré") == (
        "import refusé (2 problèmes) ; rien n'a été enregistré :\na.csv:2: premier\na.csv:5: a1: second"
    )
    error = ProblemsError([one, two], "import refusé")
    assert str(error) == "import refusé (2 problèmes) :\na.csv:2: premier\na.csv:5: a1: second"
    # a data file's error is a report of one problem, printed as before
    single = DataFileError("data/grille.yaml", "YAML invalide", 4)
    assert str(single) == "data/grille.yaml:4: YAML invalide"
    assert single.problems == (Problem(Path("data/grille.yaml"), 4, "", "YAML invalide"),)
    with pytest.raises(ValueError):
        ProblemsError([])


# --- interviews: every format reports all its problems --------------------------------------


def test_three_unknown_codes_and_a_broken_row_of_a_taguette_csv_are_all_reported(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    rows = [
        HEADER,
        ["1", "Entretien Trévoux", "gouvernance", "Chaque structure a une voix."],
        ["2", "Entretien Trévoux", "code-inconnu-un", "Un passage."],
        ["3", "Entretien Corrigou", "code-inconnu-deux", "Un autre passage."],
        ["4", "Entretien Corrigou", "impacts", "avant\x00après"],
        ["5", "Entretien Corrigou", "code-inconnu-trois", "Un troisième."],
    ]
    path = write_rows(tmp_path / "export.csv", rows)
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, path, pole=SLUG)
    problems = caught.value.problems
    assert [(p.path, p.line) for p in problems] == [(path, 3), (path, 4), (path, 5), (path, 6)]
    assert "U+0000" in problems[2].message
    for code, problem in zip(("un", "deux", "trois"), problems[:2] + problems[3:], strict=True):
        assert problem.message.startswith(f"code « code-inconnu-{code} » inconnu")
    message = str(caught.value)
    assert message.startswith(
        "import des entretiens refusé (4 problèmes) ; rien n'a été enregistré :"
    )
    assert message.splitlines()[1:] == [render_problem(p) for p in problems]
    assert stored_interviews(terrain) == {}


def test_a_qualcoder_csv_reports_its_broken_row_and_its_unknown_code(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    rows = [
        ["id", "codename", "coded", "file"],
        ["1", "gouvernance", "Chaque structure a une voix.", "Entretien Trévoux"],
        ["2", "zzz-inconnu", "Un passage.", "Entretien Trévoux"],
        ["3", "impacts", "Une cellule", "Entretien Corrigou", "en trop"],
    ]
    path = write_rows(tmp_path / "qualcoder.csv", rows)
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, path, pole=SLUG)
    found = [(p.line, p.message.split(" : ")[0]) for p in caught.value.problems]
    assert found == [(3, "code « zzz-inconnu » inconnu"),
                     (4, "5 cellules au lieu de 4 (guillemet ou séparateur en trop ?)")]  # fmt: skip
    assert stored_interviews(terrain) == {}


def test_a_taguette_workbook_reports_each_bad_cell_and_each_unknown_code(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "highlights"
    for row in (
        HEADER,
        ["1", "Entretien Trévoux", "gouvernance", "=1+1"],
        ["2", "Entretien Trévoux", "inconnu-a", "Un passage."],
        ["3", "Entretien Corrigou", "impacts", "=A2"],
        ["4", "Entretien Corrigou", "inconnu-b", "Un autre."],
    ):
        sheet.append(row)
    path = tmp_path / "surlignages.xlsx"
    book.save(path)
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, path, pole=SLUG)
    problems = caught.value.problems
    assert [(p.line, p.where) for p in problems] == [
        (2, "feuille « highlights », cellule D2"),
        (3, "feuille « highlights »"),
        (4, "feuille « highlights », cellule D4"),
        (5, "feuille « highlights »"),
    ]
    assert "formule" in problems[0].message and "formule" in problems[2].message
    assert problems[1].message.startswith("code « inconnu-a » inconnu")
    assert problems[3].message.startswith("code « inconnu-b » inconnu")
    assert stored_interviews(terrain) == {}


def test_a_qdpx_reports_every_bad_element_and_unknown_code(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    xml = project_xml(extra_code="code-mystere")
    xml = xml.replace(f'targetGUID="{guid("impacts")}"', f'targetGUID="{guid("code-mystere")}"')
    xml = re.sub(r'startPosition="\d+"', 'startPosition="zéro"', xml, count=1)
    path = write_qdpx(tmp_path / "projet.qdpx", xml=xml)
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, path, pole=SLUG)
    problems = caught.value.problems
    assert len(problems) >= 2
    assert any("startPosition « zéro » n'est pas un nombre entier" in p.message for p in problems)
    assert any(p.message.startswith("code « code-mystere » inconnu") for p in problems)
    assert all(p.path == path and p.where.startswith("élément <") for p in problems)
    assert stored_interviews(terrain) == {}


def test_highlights_read_from_taguette_report_every_unknown_code_and_document(
    terrain: ProjectPaths,
) -> None:
    """The export that ``--depuis-taguette`` builds from Taguette's API (highlights placed by
    their id) goes through the same checks: every problem, each at its highlight."""
    segments = (
        Segment("Entretien Trévoux", ("gouvernance",), "Une voix.", "surlignage 1 de « A »", "1"),
        Segment("Entretien Trévoux", ("inconnu-1",), "Un passage.", "surlignage 2 de « A »", "2"),
        Segment("Entretien Corrigou", ("inconnu-2",), "Un autre.", "surlignage 3 de « B »", "3"),
    )
    interviews = {s.document: Interview(s.document) for s in segments}
    export = Export("Taguette, projet « Val [val-de-brume] »", "Taguette", segments, interviews)
    with pytest.raises(FieldworkError) as caught:
        import_export(terrain, export, "taguette:projet-1", mapping={"Autre": SLUG})
    found = [(p.where, p.message.split(" : ")[0].split(" n'est")[0]) for p in caught.value.problems]
    assert found == [
        ("surlignage 2 de « A »", "code « inconnu-1 » inconnu"),
        ("surlignage 3 de « B »", "code « inconnu-2 » inconnu"),
        ("surlignage 1 de « A »", "le document « Entretien Trévoux »"),
        ("surlignage 3 de « B »", "le document « Entretien Corrigou »"),
    ]
    assert stored_interviews(terrain) == {}


# --- answers: every format reports all its problems -----------------------------------------


def test_two_bad_answers_of_a_kobo_csv_are_both_reported_with_row_and_column(
    tmp_path: Path,
) -> None:
    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "limesurvey.csv"])
    before = stored_waves(project)
    rows = list(csv.reader(io.StringIO((EXPORTS / "kobo.csv").read_text("utf-8")), delimiter=";"))
    rows = rows[:4]
    rows[1][rows[0].index("objectif_a/a1")] = "9"
    rows[3][rows[0].index("objectif_b/b1")] = "beaucoup"
    path = write_rows(tmp_path / "kobo.csv", rows, ";")
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [path])
    found = [(p.path, p.line, p.field, p.message.split(" hors")[0]) for p in caught.value.problems]
    assert found == [(path, 2, "objectif_a/a1", "valeur « 9 »"),
                     (path, 4, "objectif_b/b1", "valeur « beaucoup »")]  # fmt: skip
    assert str(caught.value).startswith("import des réponses refusé (2 problèmes) ;")
    assert stored_waves(project) == before


def test_two_bad_rows_of_a_limesurvey_csv_are_both_reported(tmp_path: Path) -> None:
    project = network_project(tmp_path)
    text = (EXPORTS / "limesurvey.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(text[:4]))
    rows[1][rows[0].index("categorie")] = ""
    rows[3][rows[0].index("vague")] = "printemps"
    path = write_rows(tmp_path / "lime.csv", rows)
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [path])
    assert [(p.line, p.message.split(" (")[0]) for p in caught.value.problems] == [
        (2, "catégorie de répondant manquante"),
        (4, "vague « printemps » invalide"),
    ]
    assert stored_waves(project) == {}


def test_filled_questionnaires_report_every_bad_answer_on_its_line(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from ptce_mono.importers.workbook import ANSWER_COL, HEADER_ROW, SHEET

    project = network_project(tmp_path)
    bad = []
    for k, source in enumerate(QUESTIONNAIRES[:2]):
        book = load_workbook(source)
        sheet = book[SHEET]
        row = next(r for r in range(HEADER_ROW + 1, sheet.max_row + 1)
                   if sheet.cell(row=r, column=1).value)  # fmt: skip
        sheet.cell(row=row, column=ANSWER_COL, value=7)
        path = tmp_path / f"q{k}.xlsx"
        book.save(path)
        bad.append((path, row))
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [p for p, _ in bad])
    found = [(p.path, p.line) for p in caught.value.problems]
    assert found == bad
    assert all("valeur 7 hors de l'échelle" in p.message.replace("« 7 »", "7")
               for p in caught.value.problems)  # fmt: skip
    assert stored_waves(project) == {}


# --- the command line: one rendering for validate and every import ---------------------------


def test_validate_and_an_import_print_problems_through_the_same_rendering(
    terrain: ProjectPaths, tmp_path: Path, runner
) -> None:
    pole = terrain.poles / SLUG / "pole.yaml"
    pole.write_text(pole.read_text(encoding="utf-8") + "champ_inconnu_du_schema: 1\n", "utf-8")
    report = validate_corpus(terrain, use_cache=False)
    expected = [render_problem(p, terrain.root) for p in report.errors]
    assert expected
    result = run_cli(runner, terrain, "validate")
    assert result.exit_code == 1
    for line in expected:
        assert line in result.output.splitlines()

    export = write_rows(tmp_path / "export.csv", [
        HEADER,
        ["1", "Entretien Trévoux", "inconnu-a", "Un passage."],
        ["2", "Entretien Corrigou", "inconnu-b", "Un autre."],
    ])  # fmt: skip
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, export, pole=SLUG)
    result = run_cli(runner, terrain, "import", "interviews", str(export), "--pole", SLUG)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == (
        "Erreur : import des entretiens refusé (2 problèmes) ; rien n'a été enregistré :"
    )
    assert lines[1:] == [render_problem(p, terrain.root) for p in caught.value.problems]
    assert [line.split(":")[1] for line in lines[1:]] == ["2", "3"]  # file:line: as validate
    assert stored_interviews(terrain) == {}


def test_validate_names_every_bad_excerpt_of_a_stored_interview(terrain: ProjectPaths) -> None:
    from tests.test_fieldwork import QDPX

    import_interviews(terrain, QDPX, pole=SLUG)
    path = sorted((terrain.poles / SLUG / "entretiens").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    assert text.count("retenu: false") >= 2
    path.write_text(text.replace("retenu: false", "retenu: peut-être", 2), encoding="utf-8")
    report = validate_corpus(terrain, use_cache=False)
    found = [p for p in report.errors if p.path == path]
    assert [p.message for p in found] == ["« retenu » vaut true ou false"] * 2
    lines = text.splitlines()
    expected = [k + 1 for k, line in enumerate(lines) if "retenu: false" in line][:2]
    assert [p.line for p in found] == expected


def test_every_bad_entry_of_a_private_table_is_named(tmp_path: Path) -> None:
    from ptce_mono.corpus.pseudonymise import load_private_table, private_table_path

    path = private_table_path(tmp_path, SLUG)
    path.parent.mkdir(parents=True)
    path.write_text(
        "personnes:\n  - nom: A\n  - {nom: B, role: r}\n  - role: r\n"
        "entretiens:\n  doc-1: {personne: Inconnue}\n",
        encoding="utf-8",
    )
    with pytest.raises(FieldworkError) as caught:
        load_private_table(tmp_path, SLUG)
    assert [(p.line, p.message.split(" : ")[-1]) for p in caught.value.problems] == [
        (2, "chaque personne a un « nom » et un « role »"),
        (4, "chaque personne a un « nom » et un « role »"),
        (6, "personne « Inconnue » absente de « personnes »"),
    ]


def test_every_bad_remark_of_a_review_round_is_named(tmp_path: Path) -> None:
    from ptce_mono.core.errors import ReviewError
    from ptce_mono.corpus.review_store import parse_round

    path = tmp_path / "2026-12-01.yaml"
    path.write_text(
        "envoi: {date: '2026-12-01', version: v1, sections: []}\n"
        "remarques:\n"
        "  - id: r-1\n    statut: adoptée\n"
        "  - id: r-2\n    nature: rature\n"
        "  - id: r-1\n"
        "cloture: bientôt\n",
        encoding="utf-8",
    )
    with pytest.raises(ReviewError) as caught:
        parse_round(path)
    assert [(p.line, p.message.split(" (")[0].split(" : ")[-1]) for p in caught.value.problems] == [
        (4, "statut « adoptée » inconnu"),
        (6, "nature « rature » inconnue"),
        (7, "remarque « r-1 » en double"),
        (8, "une date AAAA-MM-JJ est attendue"),
    ]


def test_an_unreadable_answers_file_does_not_hide_the_problems_of_the_others(
    tmp_path: Path,
) -> None:
    project = network_project(tmp_path)
    broken = tmp_path / "casse.csv"
    broken.write_text('_uuid;pole\n"abc;pole-fictif-001\n', encoding="utf-8")
    text = (EXPORTS / "limesurvey.csv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(text[:2]))
    rows[1][rows[0].index("categorie")] = ""
    lime = write_rows(tmp_path / "lime.csv", rows)
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [broken, lime])
    assert [(p.path, p.line) for p in caught.value.problems] == [(broken, 2), (lime, 2)]
    assert stored_waves(project) == {}


def test_every_bad_year_of_the_accounts_is_named(tmp_path: Path) -> None:
    from ptce_mono.core.errors import AccountsError
    from ptce_mono.corpus.accounts import load_accounts
    from tests.test_fieldwork import ACCOUNT_BASE

    second = ACCOUNT_BASE.split("\n", 1)[1].replace("etp: 2", "etp: -1")
    text = ACCOUNT_BASE.replace("total: 150", "total: 160") + second + second
    folder = tmp_path / "pole"
    folder.mkdir()
    (folder / "comptes.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(AccountsError) as caught:
        load_accounts(folder)
    etp = [k + 1 for k, line in enumerate(text.splitlines()) if "etp: -1" in line]
    assert [(p.line, p.message.split(" (")[0]) for p in caught.value.problems] == [
        (8, "exercice 2024 : la somme des produits"),
        (etp[0], "exercice 2024 : effectif négatif"),
        (etp[1], "exercice 2024 : effectif négatif"),
    ]


def test_every_wave_past_the_respondent_limit_is_named_and_none_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptce_mono.importers import answers

    monkeypatch.setattr(answers, "MAX_WAVE_RESPONDENTS", 2)
    project = network_project(tmp_path)
    text = (EXPORTS / "kobo.csv").read_text(encoding="utf-8")
    header, first, *_ = list(csv.reader(io.StringIO(text), delimiter=";"))
    rows = [header]
    for k, wave in enumerate(["2024-03"] * 3 + ["2024-09"] * 3):
        row = list(first)
        row[header.index("_uuid")], row[header.index("vague")] = f"u-{k}", wave
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    path = tmp_path / "six.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [path])
    assert [(p.path.name, p.message.split(" : ")[0]) for p in caught.value.problems] == [
        ("2024-03.yaml", "vague 2024-03 du pôle pole-fictif-001"),
        ("2024-09.yaml", "vague 2024-09 du pôle pole-fictif-001"),
    ]
    assert all("3 répondants, plus que la limite de 2" in p.message for p in caught.value.problems)
    assert stored_waves(project) == {}
