"""Fieldwork in (issue 15): codebook, QDA exports, stored excerpts, pseudonymisation, accounts.

Real tools only: lxml validates against the REFI-QDA schemas shipped with QualCoder's source,
openpyxl writes the workbooks, spaCy's French model flags names.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ptce_mono.core.errors import AccountsError, FieldworkError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.accounts import (
    load_accounts,
    public_funding_summary,
    public_shares,
    revenue_mix,
)
from ptce_mono.corpus.codes import load_code_map
from ptce_mono.corpus.excerpts import indicator_evidence, load_interviews
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.pseudonymise import load_private_table, person_names, replace_names
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.importers.codebook import qdc_codebook, taguette_codebook
from ptce_mono.importers.interviews import import_interviews
from ptce_mono.importers.qdpx import read_qdpx
from ptce_mono.importers.tabular import read_csv, read_xlsx
from tests.conftest import FIXTURES, make_project, run_cli
from tests.qdpx_builder import INTERVIEWS, project_xml, span, text_of, write_qdpx

TERRAIN = FIXTURES / "terrain"
SCHEMAS = FIXTURES / "refi-qda"
SLUG = "val-de-brume"
QDPX = TERRAIN / "exports" / "val-de-brume.qdpx"
PRIVATE_NAMES = ("Maëlle", "Trévoux", "Bastien", "Corrigou")


def make_terrain(dest: Path) -> ProjectPaths:
    paths = make_project(dest, TERRAIN)
    shutil.copy2(TERRAIN / "codes.yaml", paths.data / "codes.yaml")
    shutil.copytree(TERRAIN / "prive", paths.data / "prive")
    return paths


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


def stored(paths: ProjectPaths) -> dict[str, str]:
    folder = paths.poles / SLUG / "entretiens"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*"))}


def expected_texts() -> list[str]:
    out = []
    for interview in INTERVIEWS:
        text = text_of(interview)
        for selection, _ in interview.selections:
            start, end = span(text, selection)
            out.append(text[start:end])
    return out


# --- codebook --------------------------------------------------------------------------------


def test_codebook_is_valid_qdc_and_taguette_csv_with_stable_names(terrain: ProjectPaths) -> None:
    grid = load_grid(terrain.grid_file)
    ref = load_referentiel(terrain.referentiels, "2012")
    qdc = qdc_codebook(grid, ref)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Codebook.xsd")))
    assert schema.validate(etree.fromstring(qdc.encode("utf-8"))), schema.error_log
    assert qdc == qdc_codebook(grid, ref)  # stable GUIDs
    csv_text = taguette_codebook(grid, ref)
    lines = csv_text.splitlines()
    assert lines[0] == "tag,description"
    names = [line.split(",", 1)[0] for line in lines[1:]]
    assert len(names) == len(set(names))
    assert {"gouvernance", "gouvernance-1", "ref-f", "ref-f1"} <= set(names)
    codes = load_code_map(terrain.data, grid, ref)
    assert all(codes.resolve(n) is not None for n in names)  # every written code reads back


def test_cli_codebook_writes_both_files(terrain: ProjectPaths, runner) -> None:
    result = run_cli(runner, terrain, "codebook")
    assert result.exit_code == 0, result.output
    assert (terrain.root / "codebook" / "grille-ptce.qdc").is_file()
    assert (terrain.root / "codebook" / "grille-ptce-taguette.csv").is_file()


# --- QDPX ------------------------------------------------------------------------------------


def test_fixture_qdpx_is_valid_against_the_refi_qda_project_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    with zipfile.ZipFile(QDPX) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        assert any(n.startswith("Sources/") for n in archive.namelist())  # capitalised folder
    assert schema.validate(root), schema.error_log
    inclusive = etree.fromstring(project_xml(inclusive=True).encode("utf-8"))
    assert schema.validate(inclusive), schema.error_log


@pytest.mark.parametrize(
    ("inclusive", "with_names", "end"),
    [
        (False, True, "auto"),  # exclusive, detected from the selections' names
        (True, True, "auto"),  # inclusive, detected from the selections' names
        (False, False, "exclusive"),
        (True, False, "inclusive"),
    ],
)
def test_both_end_position_conventions(tmp_path: Path, inclusive: bool, with_names: bool,
                                       end: str) -> None:  # fmt: skip
    path = write_qdpx(tmp_path / "p.qdpx", inclusive=inclusive, with_names=with_names)
    export = read_qdpx(path, end)
    assert [s.text for s in export.segments] == expected_texts()
    assert export.interviews["Entretien Corrigou"].role == "élu local"
    assert export.interviews["Entretien Trévoux"].date == "2025-03-12"
    assert export.interviews["Entretien Trévoux"].consent is True


def test_wrong_convention_reads_other_text_or_fails(tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "p.qdpx", inclusive=True, with_names=False)
    assert [s.text for s in read_qdpx(path, "exclusive").segments] != expected_texts()


def test_bad_qdpx_inputs_have_french_messages(tmp_path: Path) -> None:
    truncated = tmp_path / "tronque.qdpx"
    truncated.write_bytes(QDPX.read_bytes()[:300])
    with pytest.raises(FieldworkError) as err:
        read_qdpx(truncated)
    assert (
        str(err.value) == f"{truncated}: archive QDPX illisible (fichier ZIP tronqué ou corrompu)"
    )

    empty = tmp_path / "sans-projet.qdpx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("sources/a.txt", "texte")
    with pytest.raises(FieldworkError) as err:
        read_qdpx(empty)
    assert str(err.value) == (
        f"{empty}: l'archive ne contient pas de project.qde : ce n'est pas un projet REFI-QDA"
    )

    wrong = write_qdpx(tmp_path / "espace.qdpx", namespace="urn:QDA-XML:project:0.9")
    with pytest.raises(FieldworkError) as err:
        read_qdpx(wrong)
    assert str(err.value) == (
        f"{wrong}: élément racine <Project> de project.qde : espace de noms "
        "« urn:QDA-XML:project:0.9 » au lieu de « urn:QDA-XML:project:1.0 » : ce fichier "
        "n'est pas un projet REFI-QDA 1.0"
    )

    beyond = write_qdpx(tmp_path / "hors.qdpx", shift=2000)
    with pytest.raises(FieldworkError) as err:
        read_qdpx(beyond)
    # every selection out of its text is named, each with its element
    assert str(err.value).startswith("6 problèmes :\n")
    first = str(err.value).splitlines()[1]
    assert first.startswith(f'{beyond}: élément <PlainTextSelection guid="')
    assert "(ligne 67) : positions 139–2370 hors du texte de « Entretien Trévoux »" in first
    assert first.endswith("(916 caractères ; fin exclue)")
    assert len(err.value.problems) == 6


def test_unknown_code_is_reported_with_its_element_and_nothing_is_stored(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    before = stored(terrain)
    xml = project_xml(extra_code="code-mystere").replace(
        f'targetGUID="{__import__("tests.qdpx_builder").qdpx_builder.guid("impacts")}"',
        f'targetGUID="{__import__("tests.qdpx_builder").qdpx_builder.guid("code-mystere")}"',
    )
    path = write_qdpx(tmp_path / "inconnu.qdpx", xml=xml)
    with pytest.raises(FieldworkError) as err:
        import_interviews(terrain, path, pole=SLUG)
    message = str(err.value)
    assert message.startswith(
        "import des entretiens refusé (un problème) ; rien n'a été enregistré :\n"
        f'{path}: élément <PlainTextSelection guid="'
    )
    assert message.endswith(
        "code « code-mystere » inconnu : ni la grille ni data/codes.yaml ne le rattachent à une "
        "section ; ajoutez-le à data/codes.yaml"
    )
    assert stored(terrain) == before  # a failed import loses nothing


# --- tables: Taguette, QualCoder --------------------------------------------------------------

TAGUETTE_ROWS = [
    ["id", "document", "tag", "content"],
    ["1", "Entretien Trévoux", "gouvernance", "Chaque structure membre a une voix, dit-elle."],
    [
        "1",
        "Entretien Trévoux",
        "voix des habitants",
        "Chaque structure membre a une voix, dit-elle.",
    ],
    ["2", "Entretien Corrigou", "impacts", "Une douzaine de postes créés en trois ans."],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_taguette_csv_in_utf8_bom_and_latin1(tmp_path: Path) -> None:
    plain = read_csv(write_csv(tmp_path / "utf8.csv", TAGUETTE_ROWS, "utf-8"))
    bom_path = write_csv(tmp_path / "bom.csv", TAGUETTE_ROWS, "utf-8-sig")
    latin_path = write_csv(tmp_path / "latin.csv", TAGUETTE_ROWS, "latin-1")
    bom, latin = read_csv(bom_path), read_csv(latin_path)
    assert plain.notices == ()
    assert bom.notices == (
        f"{bom_path} : marque d'ordre des octets (BOM) UTF-8 en tête du fichier, ignorée.",
    )
    assert latin.notices == (
        f"{latin_path} : fichier qui n'est pas en UTF-8 : encodage Latin-1 (ISO-8859-1) "
        "supposé, converti en UTF-8 à l'import ; vérifiez les lettres accentuées.",
    )
    for export in (plain, bom, latin):
        assert [(s.document, s.codes) for s in export.segments] == [
            ("Entretien Trévoux", ("gouvernance", "voix des habitants")),
            ("Entretien Corrigou", ("impacts",)),
        ]
        assert export.segments[0].where == "ligne 2"


def test_taguette_xlsx_and_missing_column(tmp_path: Path) -> None:
    from openpyxl import Workbook

    def workbook(path: Path, rows: list[list[str]]) -> Path:
        book = Workbook()
        sheet = book.active
        sheet.title = "highlights"
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path

    export = read_xlsx(workbook(tmp_path / "ok.xlsx", TAGUETTE_ROWS))
    assert (
        len(export.segments) == 2 and export.segments[1].where == "feuille « highlights », ligne 4"
    )
    bad = workbook(tmp_path / "manque.xlsx", [[c for c in r if c != r[2]] for r in TAGUETTE_ROWS])
    with pytest.raises(FieldworkError) as err:
        read_xlsx(bad)
    assert str(err.value) == (
        f"{bad}:1: feuille « highlights » : colonne manquante : tag "
        "(colonnes attendues : id, document, tag, content)"
    )


def test_qualcoder_coded_text_csv(tmp_path: Path) -> None:
    rows = [
        ["File", "Coder", "Coded", "Id", "Codename", "Coded_Memo", "FileVar_role"],
        ["Entretien Corrigou", "chercheuse", "La commune siège au conseil.", "ctid:4", "gouvernance", "", "élu local"],
    ]  # fmt: skip
    export = read_csv(write_csv(tmp_path / "qualcoder.csv", rows, "utf-8-sig"))
    assert export.tool == "QualCoder"
    assert export.segments[0].codes == ("gouvernance",)
    assert export.interviews["Entretien Corrigou"].role == "élu local"


# --- import, idempotence, replacement, pseudonymisation ---------------------------------------


def test_import_pseudonymises_flags_and_is_idempotent(terrain: ProjectPaths) -> None:
    report = import_interviews(terrain, QDPX, pole=SLUG)
    assert len(report.written) == 2
    assert report.flagged == {"Entretien Trévoux": ["Odile Vernasque"]}
    files = stored(terrain)
    text = "\n".join(files.values())
    for name in PRIVATE_NAMES:
        assert name not in text
    assert "[salariée d'une structure membre], c'est moi" in text
    interviews = {i.document: i for i in load_interviews(terrain.poles / SLUG)}
    assert interviews["Entretien [élu local]"].role == "élu local"
    sections = {e.section for i in interviews.values() for e in i.excerpts}
    assert sections == {"origine", "gouvernance", "modele-economique", "impacts"}
    home = [
        e
        for e in interviews["Entretien [salariée d'une structure membre]"].excerpts
        if "financements publics" in e.codes
    ]
    assert home[0].section == "modele-economique" and home[0].indicators == ("g2",)
    again = import_interviews(terrain, QDPX, pole=SLUG)
    assert again.written == [] and stored(terrain) == files
    assert all(c.unchanged == 3 and not c.touched for c in again.changes)


def test_updated_export_replaces_a_source_and_keeps_curation(terrain: ProjectPaths,
                                                              tmp_path: Path) -> None:  # fmt: skip
    import_interviews(terrain, QDPX, pole=SLUG)
    path = terrain.poles / SLUG / "entretiens" / "entretien-elu-local-4eda57.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("retenu: false", "retenu: true"),
                    encoding="utf-8")  # fmt: skip
    csv_path = write_csv(tmp_path / "maj.csv", [
        ["id", "document", "tag", "content"],
        ["1", "Entretien Corrigou", "gouvernance",
         text_of(INTERVIEWS[1])[slice(*span(text_of(INTERVIEWS[1]), INTERVIEWS[1].selections[1][0]))]],
        ["2", "Entretien Corrigou", "impacts", "Un passage nouveau sur les emplois."],
    ], "utf-8")  # fmt: skip
    report = import_interviews(terrain, csv_path, pole=SLUG)
    (change,) = report.changes
    assert len(change.added) == 1 and len(change.removed) == 2 and change.unchanged == 1
    (interview,) = [
        i for i in load_interviews(terrain.poles / SLUG) if i.document == "Entretien [élu local]"
    ]
    kept = {e.text[:20]: e.retained for e in interview.excerpts}
    assert kept == {"La commune met à dis": True, "Un passage nouveau s": False}
    assert (
        interview.role == "élu local" and interview.date == "2025-04-03"
    )  # from the private table


def test_failed_import_leaves_stored_excerpts_unchanged(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    before = stored(terrain)
    bad = write_csv(tmp_path / "bad.csv", [*TAGUETTE_ROWS, ["3", "Entretien Corrigou", "zzz", "x"]],
                    "utf-8")  # fmt: skip
    with pytest.raises(FieldworkError) as err:
        import_interviews(terrain, bad, pole=SLUG)
    assert str(err.value) == (
        "import des entretiens refusé (un problème) ; rien n'a été enregistré :\n"
        f"{bad}:5: code « zzz » inconnu : ni la grille ni data/codes.yaml ne le "
        "rattachent à une section ; ajoutez-le à data/codes.yaml"
    )
    assert stored(terrain) == before
    assert not list((terrain.poles / SLUG / "entretiens").glob(".*"))  # no temp file left


def test_private_table_replacement_and_name_flagging(terrain: ProjectPaths) -> None:
    table = load_private_table(terrain.data, SLUG)
    text = replace_names("Selon Mme Trévoux et M. Corrigou, Maëlle a tout lancé.", table.people)
    assert text == (
        "Selon Mme [salariée d'une structure membre] et M. [élu local], "
        "[salariée d'une structure membre] a tout lancé."
    )
    assert person_names(text) == []
    assert person_names("Odile Vernasque présidait l'association.") == ["Odile Vernasque"]


def test_validate_refuses_flagged_name_or_missing_consent(terrain: ProjectPaths, runner) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    folder = terrain.poles / SLUG / "entretiens"
    for path in folder.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("retenu: false", "retenu: true"),
                        encoding="utf-8")  # fmt: skip
    result = run_cli(runner, terrain, "validate")
    assert result.exit_code == 1
    assert (
        "data/poles/val-de-brume/entretiens/entretien-salariee-d-une-structure-membre-2b8151.yaml:23: extraits.115c6bc041: "
        "extrait retenu « 115c6bc041 » non publiable : nom signalé encore présent : Odile Vernasque"
    ) in result.output
    corrigou = folder / "entretien-elu-local-4eda57.yaml"
    corrigou.write_text(corrigou.read_text(encoding="utf-8").replace("consentement: true",
                        "consentement: false"), encoding="utf-8")  # fmt: skip
    result = run_cli(runner, terrain, "validate")
    assert "le consentement à citer l'entretien n'est pas enregistré" in result.output


def test_indicator_evidence_of_published_excerpts(terrain: ProjectPaths) -> None:
    import_interviews(terrain, QDPX, pole=SLUG)
    interviews = load_interviews(terrain.poles / SLUG)
    assert indicator_evidence(interviews) == {}  # nothing retained yet
    for path in (terrain.poles / SLUG / "entretiens").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("retenu: false", "retenu: true"),
                        encoding="utf-8")  # fmt: skip
    evidence = indicator_evidence(load_interviews(terrain.poles / SLUG))
    assert sorted(evidence) == ["g2"]  # f1's excerpt still holds a flagged name
    assert {e.role for e in evidence["g2"]} == {"salariée d'une structure membre", "élu local"}


def test_cli_import_reports_and_refuses_ambiguous_target(terrain: ProjectPaths, runner) -> None:
    result = run_cli(runner, terrain, "import", "interviews", str(QDPX), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    assert (
        "data/poles/val-de-brume/entretiens/entretien-salariee-d-une-structure-membre-2b8151.yaml : nouveau fichier, 3 ajoutés."
        in result.output
    )
    assert (
        "Noms de personnes signalés dans « Entretien Trévoux » : Odile Vernasque." in result.output
    )
    result = run_cli(runner, terrain, "import", "interviews", str(QDPX))
    assert result.exit_code == 1
    assert "indiquez soit --pole SLUG, soit --correspondance FICHIER" in result.output
    mapping = terrain.root / "correspondance.yaml"
    mapping.write_text("cas:\n  Entretien Trévoux: val-de-brume\n", encoding="utf-8")
    result = run_cli(
        runner, terrain, "import", "interviews", str(QDPX), "--correspondance", str(mapping)
    )
    assert result.exit_code == 1
    assert "le document « Entretien Corrigou » n'est rattaché à aucun pôle" in result.output


# --- accounts --------------------------------------------------------------------------------


def test_accounts_views() -> None:
    accounts = load_accounts(TERRAIN / "poles" / SLUG)
    assert accounts is not None
    assert [round(s, 2) for _, s in public_shares(accounts)] == [53.33, 40.62, 33.33]
    assert revenue_mix(accounts)[0]["subventions"] == 80000
    summary = public_funding_summary([accounts, None])
    assert summary.n == 1 and round(summary.median or 0, 2) == 33.33 and summary.years == (2024,)


ACCOUNT_BASE = """exercices:
  - annee: 2024
    source: rapport-fictif-2016
    produits:
      ventes: 100
      subventions:
        region: 50
      total: 150
    charges: 140
    resultat: 10
    etp: 2
    etp_animation: 1
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("total: 150", "total: 160",
         "comptes.yaml:8: exercice 2024 : la somme des produits (150\u00a0€) ne fait pas le total déclaré (160\u00a0€)"),
        ("resultat: 10", "resultat: 20",
         "comptes.yaml:10: exercice 2024 : produits moins charges font 10\u00a0€, mais le résultat déclaré est 20\u00a0€"),
        ("etp: 2", "etp: -1", "comptes.yaml:11: exercice 2024 : effectif négatif (etp = -1)"),
        ("region: 50", "mairie: 50",
         "comptes.yaml:7: exercice 2024 : type de financeur public inconnu « mairie » (types connus : "
         "etat, region, departement, intercommunalite, commune, europe, autres_publics)"),
    ],
)  # fmt: skip
def test_accounts_errors_name_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    folder = tmp_path / "pole"
    folder.mkdir()
    (folder / "comptes.yaml").write_text(ACCOUNT_BASE.replace(old, new), encoding="utf-8")
    with pytest.raises(AccountsError) as err:
        load_accounts(folder)
    assert str(err.value) == f"{folder}/{message}"


@pytest.mark.parametrize("name", ["taguette-highlights.csv", "qualcoder-codes.csv"])
def test_committed_exports_import_like_the_qdpx(terrain: ProjectPaths, name: str) -> None:
    """The Taguette export (from a real Taguette run) and the QualCoder-format one file the
    same passages in the same sections as the QDPX project."""
    import_interviews(terrain, QDPX, pole=SLUG)
    from_qdpx = sorted(
        (e.section, e.indicators, e.text)
        for i in load_interviews(terrain.poles / SLUG)
        for e in i.excerpts
    )
    shutil.rmtree(terrain.poles / SLUG / "entretiens")
    import_interviews(terrain, TERRAIN / "exports" / name, pole=SLUG)
    interviews = load_interviews(terrain.poles / SLUG)
    assert (
        sorted((e.section, e.indicators, e.text) for i in interviews for e in i.excerpts)
        == from_qdpx
    )
    assert {i.role for i in interviews} == {"salariée d'une structure membre", "élu local"}
    assert all(i.consent for i in interviews)


def test_qdpx_coded_with_the_written_qdc_codebook(terrain: ProjectPaths, tmp_path: Path) -> None:
    """A project whose codebook is the QDC written by ``ptce-mono codebook`` (as a QDA tool that
    imported it would export it): valid against the project schema, imported into the pole."""
    from ptce_mono.importers.codebook import code_guid
    from tests.qdpx_builder import CODES, guid

    grid = load_grid(terrain.grid_file)
    qdc = qdc_codebook(grid, load_referentiel(terrain.referentiels, "2012"))
    grid_codes = qdc[qdc.index("<Codes>") + len("<Codes>") : qdc.index("</Codes>")]
    xml = project_xml()
    for code in CODES:
        if f'name="{code}"' in grid_codes:
            xml = "\n".join(
                line for line in xml.split("\n") if f'name="{code}" isCodable' not in line
            )
            xml = xml.replace(guid(code), code_guid(code))
    xml = xml.replace("    <Codes>\n", "    <Codes>\n" + grid_codes.strip("\n") + "\n", 1)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))
    assert schema.validate(etree.fromstring(xml.encode("utf-8"))), schema.error_log
    path = write_qdpx(tmp_path / "avec-qdc.qdpx", xml=xml)
    import_interviews(terrain, path, pole=SLUG)
    excerpts = [e for i in load_interviews(terrain.poles / SLUG) for e in i.excerpts]
    assert sorted(e.section for e in excerpts) == [
        "gouvernance", "gouvernance", "impacts", "modele-economique", "modele-economique", "origine",
    ]  # fmt: skip
