"""Coding interviews without friction (issue 26): dates read as dates, stable excerpt identity,
messages that propose the nearest code or pole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ptce_mono.core.errors import FieldworkError, UnknownPoleError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.excerpts import load_interviews, merge, same_passage
from ptce_mono.corpus.interview_dates import french_date, iso_date
from ptce_mono.documents.fieldwork_blocks import attribution
from ptce_mono.importers.interviews import import_interviews
from tests.conftest import FIXTURES, run_cli
from tests.qdpx_builder import INTERVIEWS, project_xml, span, text_of, write_qdpx
from tests.test_fieldwork import QDPX, SLUG, make_terrain, write_csv

KOBO = FIXTURES / "participation" / "exports" / "kobo.csv"


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "iso", "french"),
    [
        ("2026-02-05T00:00:00Z", "2026-02-05", "5\u00a0février 2026"),
        ("2026-02-05T10:30:00+01:00", "2026-02-05", "5\u00a0février 2026"),
        ("2026-02-05 00:00:00", "2026-02-05", "5\u00a0février 2026"),
        ("2026-02-05T00:00:00.000Z", "2026-02-05", "5\u00a0février 2026"),
        ("05/02/2026", "2026-02-05", "5\u00a0février 2026"),
        ("5.2.2026", "2026-02-05", "5\u00a0février 2026"),
        ("05/02/26", "2026-02-05", "5\u00a0février 2026"),
        ("5/2/2026 14h30", "2026-02-05", "5\u00a0février 2026"),
        ("2026/02/05", "2026-02-05", "5\u00a0février 2026"),
        ("5 février 2026", "2026-02-05", "5\u00a0février 2026"),
        ("1er Octobre 2025", "2025-10-01", "1er\u00a0octobre 2025"),
        ("2025-10", "2025-10", "octobre 2025"),
        (dt.datetime(2025, 10, 14, 9, 0), "2025-10-14", "14\u00a0octobre 2025"),
        (dt.date(2025, 10, 14), "2025-10-14", "14\u00a0octobre 2025"),
    ],
)
def test_dates_of_qda_tools_are_read_as_dates(raw: object, iso: str, french: str) -> None:
    assert iso_date(raw) == iso
    assert french_date(raw) == french


@pytest.mark.parametrize("raw", ["printemps 2025", "2026-02-30", "31/13/2025", "", "n.c."])
def test_what_is_not_a_date_stays_as_written(raw: str) -> None:
    assert iso_date(raw) is None
    assert french_date(raw) == raw


def _qdpx_with_date(tmp_path: Path, date: str) -> Path:
    xml = project_xml().replace("2025-03-12", date)
    assert date in xml
    return write_qdpx(tmp_path / "date.qdpx", xml=xml)


def test_refi_qda_datetime_is_stored_as_a_date_and_printed_in_french(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    import_interviews(terrain, _qdpx_with_date(tmp_path, "2026-02-05T00:00:00Z"), pole=SLUG)
    (interview,) = [i for i in load_interviews(terrain.poles / SLUG) if "salariée" in i.document]
    assert interview.date == "2026-02-05"
    assert attribution(interview) == (
        "salariée d'une structure membre, entretien du 5\u00a0février 2026"
    )


def test_a_date_stored_raw_by_an_older_import_is_printed_in_french(terrain: ProjectPaths) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    folder = terrain.poles / SLUG / "entretiens"
    for path in folder.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("date: '2025-03-12'", "date: 2026-02-05T00:00:00Z"),
                        encoding="utf-8")  # fmt: skip
    stored = load_interviews(terrain.poles / SLUG)
    assert "2026-02-05" in {i.date for i in stored}  # read as a date by every consumer
    shown = [attribution(i) for i in stored]
    assert "salariée d'une structure membre, entretien du 5\u00a0février 2026" in shown
    assert not any("T00" in s or "2026-02" in s for s in shown)


def test_an_unreadable_date_is_kept_with_a_notice(terrain: ProjectPaths, tmp_path: Path) -> None:
    report = import_interviews(terrain, _qdpx_with_date(tmp_path, "printemps 2025"), pole=SLUG)
    assert any("date « printemps 2025 »" in n and "AAAA-MM-JJ" in n for n in report.notices)


def test_qualcoder_and_taguette_dates(terrain: ProjectPaths, tmp_path: Path) -> None:
    rows = [
        ["File", "Coded", "Id", "Codename", "FileVar_date"],
        ["Entretien Corrigou", "La commune siège au conseil.", "ctid:4", "gouvernance",
         "03/04/2025 14:30"],
    ]  # fmt: skip
    import_interviews(terrain, write_csv(tmp_path / "qc.csv", rows, "utf-8"), pole=SLUG)
    (interview,) = load_interviews(terrain.poles / SLUG)
    assert interview.date == "2025-04-03"


# --- stable excerpt identity -------------------------------------------------------------------


def _trevoux_file(paths: ProjectPaths) -> Path:
    (path,) = [
        p for p in (paths.poles / SLUG / "entretiens").glob("*.yaml") if "salariee" in p.name
    ]
    return path


def _odile(paths: ProjectPaths):
    (interview,) = [i for i in load_interviews(paths.poles / SLUG) if "salariée" in i.document]
    (excerpt,) = [e for e in interview.excerpts if "conseil de coopération" in e.text]
    return excerpt


def test_fixing_a_flagged_name_keeps_the_excerpt_and_its_choices(terrain: ProjectPaths) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    before = _odile(terrain)
    assert before.flagged == ("Odile Vernasque",)
    path = _trevoux_file(terrain)
    text = path.read_text(encoding="utf-8")
    marker = f"- id: {before.id}\n"
    head, tail = text.split(marker)
    tail = tail.replace("retenu: false", "retenu: true", 1)
    path.write_text(head + marker + tail, encoding="utf-8")
    table = terrain.data / "prive" / SLUG / "personnes.yaml"
    table.write_text(
        table.read_text(encoding="utf-8").replace(
            "personnes:\n",
            "personnes:\n  - nom: Odile Vernasque\n    role: présidente d'une association\n",
        ),
        encoding="utf-8",
    )
    report = import_interviews(terrain, QDPX, pole=SLUG)
    after = _odile(terrain)
    assert "[présidente d'une association]" in after.text and "Odile" not in after.text
    assert after.id == before.id and after.retained is True
    (change,) = [c for c in report.changes if c.changed]
    assert change.changed == [before.id] and not change.added and not change.removed
    again = import_interviews(terrain, QDPX, pole=SLUG)  # stable from now on
    assert again.written == [] and _odile(terrain).id == before.id


def test_whitespace_changes_keep_the_excerpt(terrain: ProjectPaths, tmp_path: Path) -> None:
    interview = INTERVIEWS[1]
    text = text_of(interview)
    passage = text[slice(*span(text, interview.selections[1][0]))]
    first = write_csv(tmp_path / "a.csv", [["id", "document", "tag", "content"],
                      ["1", "Entretien Corrigou", "gouvernance", passage]], "utf-8")  # fmt: skip
    import_interviews(terrain, first, pole=SLUG)
    (stored,) = load_interviews(terrain.poles / SLUG)
    path = stored.path
    assert path is not None
    path.write_text(path.read_text(encoding="utf-8").replace("retenu: false", "retenu: true"),
                    encoding="utf-8")  # fmt: skip
    spaced = passage.replace(" ", "  \n ", 3)
    second = write_csv(tmp_path / "b.csv", [["id", "document", "tag", "content"],
                       ["1", "Entretien Corrigou", "gouvernance", spaced]], "utf-8")  # fmt: skip
    import_interviews(terrain, second, pole=SLUG)
    (again,) = load_interviews(terrain.poles / SLUG)
    assert again.excerpts[0].id == stored.excerpts[0].id and again.excerpts[0].retained


def test_a_real_change_of_passage_says_so(terrain: ProjectPaths, tmp_path: Path, runner) -> None:
    interview = INTERVIEWS[1]
    text = text_of(interview)
    start, end = span(text, interview.selections[1][0])
    first = write_csv(tmp_path / "a.csv", [["id", "document", "tag", "content"],
                      ["1", "Entretien Corrigou", "gouvernance", text[start:end]]], "utf-8")  # fmt: skip
    import_interviews(terrain, first, pole=SLUG)
    (stored,) = load_interviews(terrain.poles / SLUG)
    cut = text[start : end - 40]
    second = write_csv(tmp_path / "b.csv", [["id", "document", "tag", "content"],
                       ["1", "Entretien Corrigou", "gouvernance", cut]], "utf-8")  # fmt: skip
    result = run_cli(runner, terrain, "import", "interviews", str(second), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    (again,) = load_interviews(terrain.poles / SLUG)
    new_id = again.excerpts[0].id
    assert new_id != stored.excerpts[0].id
    assert (
        f"1 passage changé (nouvel identifiant, « retenu » à redécider) : "
        f"{stored.excerpts[0].id} → {new_id}"
    ) in result.output
    assert "retiré" not in result.output and "ajouté" not in result.output


def test_same_passage_is_only_whitespace_and_names() -> None:
    names = ("Odile Vernasque",)
    assert same_passage("Odile Vernasque a\npoussé.", "[présidente] a poussé.", names)
    assert same_passage("Odile  Vernasque a poussé.", "Mme la présidente a poussé.", names)
    assert not same_passage("Odile Vernasque a poussé.", "[présidente] a freiné.", names)
    assert not same_passage("Le pôle a poussé.", "Le pôle a freiné.", names)


def test_merge_keeps_ids_unique() -> None:
    from ptce_mono.corpus.excerpts import Excerpt, InterviewExcerpts

    def interview(*excerpts: Excerpt) -> InterviewExcerpts:
        return InterviewExcerpts("d", "r", "", True, "f", "t", excerpts)

    old = interview(Excerpt("a", ("x",), "s", (), "Jean Dupont parle.", ("Jean Dupont",)))
    new = interview(
        Excerpt("b", ("x",), "s", (), "[maire] parle."),
        Excerpt("a", ("x",), "s", (), "Jean Dupont parle.", ("Jean Dupont",)),
    )
    merged, _ = merge(old, new, Path("f.yaml"))
    assert sorted(e.id for e in merged.excerpts) == ["a", "b"]


# --- messages that help ------------------------------------------------------------------------


def test_a_code_typo_proposes_the_nearest_codes(terrain: ProjectPaths, tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "typo.csv", [
        ["id", "document", "tag", "content"],
        ["1", "Entretien Corrigou", "gouvernance", "La commune siège."],
        ["2", "Entretien Corrigou", "origine2", "Au début, trois structures."],
        ["3", "Entretien Corrigou", "gouvernanse", "Le conseil vote."],
    ], "utf-8")  # fmt: skip
    with pytest.raises(FieldworkError) as err:
        import_interviews(terrain, bad, pole=SLUG)
    message = str(err.value)
    # every unknown code, each on its line with its own suggestion
    assert f"\n{bad}:3: code « origine2 » inconnu" in message
    assert "vouliez-vous dire `origine-2`" in message
    assert f"\n{bad}:4: code « gouvernanse » inconnu" in message
    assert "vouliez-vous dire `gouvernance`" in message


def test_a_code_typo_in_a_qdpx_names_the_element(terrain: ProjectPaths, tmp_path: Path) -> None:
    from tests.qdpx_builder import guid

    xml = project_xml(extra_code="gouvernanse").replace(
        f'targetGUID="{guid("impacts")}"', f'targetGUID="{guid("gouvernanse")}"'
    )
    path = write_qdpx(tmp_path / "typo.qdpx", xml=xml)
    with pytest.raises(FieldworkError) as err:
        import_interviews(terrain, path, pole=SLUG)
    assert str(err.value).splitlines()[1].startswith(f'{path}: élément <PlainTextSelection guid="')
    assert "vouliez-vous dire `gouvernance`" in str(err.value)


def test_unknown_pole_proposes_the_nearest_slugs(terrain: ProjectPaths) -> None:
    err = UnknownPoleError("val-de-brum", terrain.poles)
    assert str(err).endswith("vouliez-vous dire `val-de-brume` ?")
    far = UnknownPoleError("zzzz", terrain.poles)
    assert "vouliez-vous" not in str(far)


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "val-de-brum"),
        ("build", "val-de-brum"),
        ("preview", "val-de-brum", "--sans-navigateur"),
        ("questionnaire", "val-de-brum", "--vague", "2025-06"),
        ("restitution", "val-de-brum"),
        ("compare", "val-de-brum", "--vagues", "2025-01", "2025-06"),
        ("render", "val-de-brum"),
        ("import", "interviews", str(QDPX), "--pole", "val-de-brum"),
        ("import", "answers", str(KOBO), "--pole", "val-de-brum"),
        ("coder", "val-de-brum", "--sans-navigateur"),
    ],
)
def test_every_command_proposes_the_nearest_pole(
    terrain: ProjectPaths, runner, args: tuple[str, ...]
) -> None:
    result = run_cli(runner, terrain, *args)
    assert result.exit_code != 0
    assert "val-de-brum" in result.output
    assert "vouliez-vous dire `val-de-brume` ?" in result.output, result.output


# --- accounts cite a bibliography key ----------------------------------------------------------


def _accounts_problems(paths: ProjectPaths, runner) -> str:
    result = run_cli(runner, paths, "validate", SLUG)
    return result.output


def test_accounts_cite_a_bibliography_key_with_its_passage(terrain: ProjectPaths) -> None:
    from ptce_mono.corpus.accounts import load_accounts
    from ptce_mono.documents.fieldwork_blocks import accounts_sources_markdown

    accounts = load_accounts(terrain.poles / SLUG)
    assert accounts is not None
    assert (accounts.years[0].source, accounts.years[0].passage) == (
        "comptes-brume",
        "compte de résultat 2022",
    )
    text = accounts_sources_markdown(accounts, {"comptes-brume"})
    assert text.startswith("*Sources des comptes : 2022 : [@comptes-brume, compte de résultat")


def test_free_text_or_unknown_account_sources_are_refused_with_the_fix(
    terrain: ProjectPaths, runner
) -> None:
    path = terrain.poles / SLUG / "comptes.yaml"
    text = path.read_text(encoding="utf-8")
    old = (
        text.replace(
            "    source: comptes-brume\n    passage: compte de résultat 2022\n",
            "    source: comptes-brume, compte de résultat 2022\n",
        )
        .replace(
            "    source: comptes-brume\n    passage: compte de résultat 2023\n",
            "    source: bilan de l'association 2023\n",
        )
        .replace("    source: comptes-brume\n", "    source: comptes-inconnus\n")
    )
    path.write_text(old, encoding="utf-8")
    output = _accounts_problems(terrain, runner)
    assert (
        "comptes.yaml:3: exercices.2022.source: exercice 2022 : source en texte libre "
        "« comptes-brume, compte de résultat 2022 » : écrivez « source: comptes-brume » et "
        "« passage: compte de résultat 2022 »"
    ) in output, output
    assert "exercice 2023 : source en texte libre « bilan de l'association 2023 » : ajoutez" in (
        output
    )
    assert "exercice 2024 : source « comptes-inconnus » absente de la bibliographie" in output
    # still read: the monograph shows the old free text as written
    from ptce_mono.corpus.accounts import load_accounts
    from ptce_mono.documents.fieldwork_blocks import accounts_sources_markdown

    accounts = load_accounts(path.parent)
    assert accounts is not None
    assert "2023 : bilan de l'association 2023" in accounts_sources_markdown(accounts, set())


def test_codes_yaml_typos_propose_the_nearest_section_or_indicator(terrain: ProjectPaths) -> None:
    from ptce_mono.corpus.codes import load_code_map
    from ptce_mono.corpus.grid import load_grid
    from ptce_mono.corpus.referentiel import load_referentiel

    grid = load_grid(terrain.grid_file)
    ref = load_referentiel(terrain.referentiels, "2012")
    codes = terrain.data / "codes.yaml"
    codes.write_text("codes:\n  maison:\n    section: gouvernanse\n", encoding="utf-8")
    with pytest.raises(FieldworkError) as err:
        load_code_map(terrain.data, grid, ref)
    assert str(err.value).startswith(f"{codes}:2: le code « maison »")
    assert str(err.value).endswith("vouliez-vous dire `gouvernance` ?")
    codes.write_text(
        "codes:\n  maison:\n    section: gouvernance\n    indicateurs: [g22]\n", encoding="utf-8"
    )
    with pytest.raises(FieldworkError) as err:
        load_code_map(terrain.data, grid, ref)
    assert "indicateur inconnu du référentiel 2012 : g22 ; vouliez-vous dire `g2`" in str(err.value)


def test_a_document_missing_from_the_mapping_proposes_the_nearest(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    with pytest.raises(FieldworkError) as err:
        # a typo (an accent alone is not one: names are matched folded, issue 28)
        import_interviews(terrain, QDPX, mapping={"Entretien Trevouz": SLUG,
                                                  "Entretien Corrigou": SLUG})  # fmt: skip
    assert "le document « Entretien Trévoux » n'est rattaché à aucun pôle" in str(err.value)
    assert "vouliez-vous dire `Entretien Trevouz` ?" in str(err.value)
