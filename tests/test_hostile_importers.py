"""Hostile importers (issue 28): names in every Unicode form, one data lock, all-or-nothing
writes on a full disk, nothing dropped in silence, bounded reads, one set of limits.

Every export is written by the real library of its format (``csv``, ``openpyxl``,
``zipfile``); concurrent imports are real ``ptce-mono`` processes.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from ptce_mono.core.errors import AnswersImportError, FieldworkError
from ptce_mono.core.names import fold
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.excerpts import load_interviews
from ptce_mono.corpus.pseudonymise import contains_name, load_private_table, replace_names
from ptce_mono.importers.interviews import import_interviews
from tests.conftest import run_cli
from tests.test_fieldwork import SLUG, make_terrain

REPO = Path(__file__).resolve().parents[1]
NFD = "NFD"


def nfd(text: str) -> str:
    return unicodedata.normalize(NFD, text)


# Each way a person's name may reach an export without being the table's exact bytes.
NAME_FORMS = {
    "décomposé (macOS, traitement de texte)": nfd("Maëlle Trévoux"),
    "capitales": "MAËLLE TRÉVOUX",
    "sans accents": "Maelle Trevoux",
    "capitales décomposées": nfd("MAËLLE TRÉVOUX"),
    "espace insécable": "Maëlle\u00a0Trévoux",
    "prénom décomposé seul": nfd("Maëlle"),
    "nom seul en minuscules": "trévoux",
}


def taguette_csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["id", "document", "tag", "content"], *rows])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


# --- 1. names compared as people write them -----------------------------------------------------


@pytest.mark.parametrize("form", list(NAME_FORMS), ids=list(NAME_FORMS))
def test_every_written_form_of_a_name_is_replaced(terrain: ProjectPaths, form: str) -> None:
    people = load_private_table(terrain.data, SLUG).people
    written = NAME_FORMS[form]
    text = f"Selon {written}, la recyclerie a ouvert en 2019."
    replaced = replace_names(text, people)
    assert "[salariée d'une structure membre]" in replaced
    assert "maelle" not in fold(replaced) and "trevoux" not in fold(replaced)
    assert replaced.startswith("Selon ") and replaced.endswith(", la recyclerie a ouvert en 2019.")
    assert contains_name(text, load_private_table(terrain.data, SLUG).names())


def test_a_private_table_written_decomposed_matches_composed_text(terrain: ProjectPaths) -> None:
    path = terrain.data / "prive" / SLUG / "personnes.yaml"
    path.write_text(nfd(path.read_text(encoding="utf-8")), encoding="utf-8")
    people = load_private_table(terrain.data, SLUG).people
    assert replace_names("Maëlle et M. Corrigou", people) == (
        "[salariée d'une structure membre] et M. [élu local]"
    )
    table = load_private_table(terrain.data, SLUG)
    assert table.interview("Entretien Trévoux") is not None  # the table's key is decomposed


def test_import_replaces_every_form_and_validate_refuses_each_one(
    terrain: ProjectPaths, tmp_path: Path, runner
) -> None:
    rows = [
        [str(k), "Entretien Trévoux", "gouvernance", f"Passage {k} : {written} a parlé."]
        for k, written in enumerate(NAME_FORMS.values(), start=1)
    ]
    import_interviews(terrain, taguette_csv(tmp_path / "formes.csv", rows), pole=SLUG)
    stored = "".join(
        p.read_text(encoding="utf-8") for p in (terrain.poles / SLUG / "entretiens").glob("*")
    )
    assert "maelle" not in fold(stored) and "trevoux" not in fold(stored)
    # A researcher pastes a name back, in each form: validate refuses every one.
    (path,) = (terrain.poles / SLUG / "entretiens").glob("*.yaml")
    clean = path.read_text(encoding="utf-8").replace("retenu: false", "retenu: true")
    for form, written in NAME_FORMS.items():
        path.write_text(
            clean.replace("a parlé", f"a parlé à {written}", 1),
            encoding="utf-8",
        )
        result = run_cli(runner, terrain, "validate", SLUG)
        assert result.exit_code == 1, form
        assert "contient le nom d'une personne de la table privée" in result.output, form


def test_a_flagged_name_verified_in_another_form_is_not_flagged_again() -> None:
    from ptce_mono.corpus.excerpts import Excerpt

    excerpt = Excerpt("x", (), "origine", (), "Odile Vernasque présidait.",
                      flagged=("Odile Vernasque",), verified=(nfd("ODILE VERNASQUE"),))  # fmt: skip
    assert excerpt.unresolved_names() == []
    excerpt = Excerpt("x", (), "origine", (), nfd("Odile Vernasque présidait."),
                      flagged=("Odile Vernasque",))  # fmt: skip
    assert excerpt.unresolved_names() == ["Odile Vernasque"]


@pytest.mark.parametrize(
    ("document", "export_name"),
    [
        ("Entretien Jeanne Martin", "Jeanne Martin 2025-03.csv"),
        ("Entretien Trévoux", "trevoux.csv"),
        (nfd("Entretien avec Élodie Brassac"), "elodie_brassac.csv"),
    ],
)
def test_stored_file_names_are_pseudonymous(
    terrain: ProjectPaths, tmp_path: Path, document: str, export_name: str
) -> None:
    rows = [["1", document, "gouvernance", "Le conseil se réunit chaque mois."]]
    import_interviews(terrain, taguette_csv(tmp_path / export_name, rows), pole=SLUG)
    (path,) = (terrain.poles / SLUG / "entretiens").glob("*.yaml")
    person = fold(document).split()[-1]
    assert person not in fold(path.name)
    assert path.name.startswith("entretien-") and path.name.endswith(".yaml")
    text = path.read_text(encoding="utf-8")
    assert fold(Path(export_name).stem) not in fold(text)  # the export's file name is not kept
    assert "empreinte" in text


def test_a_file_stored_under_its_old_name_is_renamed_and_keeps_its_curation(
    terrain: ProjectPaths, tmp_path: Path
) -> None:
    rows = [["1", "Entretien Jeanne Martin", "gouvernance", "Le conseil se réunit."]]
    export = taguette_csv(tmp_path / "e.csv", rows)
    import_interviews(terrain, export, pole=SLUG)
    folder = terrain.poles / SLUG / "entretiens"
    (new,) = folder.glob("*.yaml")
    old = folder / ("entretien-jeanne-martin-" + new.name.rsplit("-", 1)[1])
    new.rename(old)  # as an earlier version stored it
    old.write_text(old.read_text(encoding="utf-8").replace("retenu: false", "retenu: true"),
                   encoding="utf-8")  # fmt: skip
    import_interviews(terrain, export, pole=SLUG)
    assert sorted(p.name for p in folder.glob("*.yaml")) == [new.name]
    (interview,) = load_interviews(terrain.poles / SLUG)
    assert all(e.retained for e in interview.excerpts)


# --- 3. one lock for data/, all-or-nothing writes ---------------------------------------------


def _kobo_rows(uuid_prefix: str, n: int) -> list[list[str]]:
    from tests.participation_helpers import EXPORTS

    text = (EXPORTS / "kobo.csv").read_text(encoding="utf-8")
    header, first, *_ = list(csv.reader(io.StringIO(text), delimiter=";"))
    uuid = header.index("_uuid")
    rows = [header]
    for k in range(n):
        row = list(first)
        row[uuid] = f"{uuid_prefix}-{k:05d}"
        rows.append(row)
    return rows


def _write_rows(path: Path, rows: list[list[str]], delimiter: str = ";") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _cli(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "ptce-mono"), "--racine", str(root), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )  # fmt: skip


def test_two_concurrent_answer_imports_keep_every_respondent(tmp_path: Path) -> None:
    """Two real ``ptce-mono import answers`` processes add to the same wave at the same time:
    the wave keeps every respondent of both (the wave already holds 1 000, so that reading and
    writing it takes long enough for the two processes to overlap)."""
    from ptce_mono.corpus.answer_store import load_wave
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    project = network_project(tmp_path)
    import_answers(project, [_write_rows(tmp_path / "base.csv", _kobo_rows("base", 1000))])
    n, total = 40, 1000
    for round_ in range(2):
        files = [
            _write_rows(tmp_path / f"{tag}{round_}.csv", _kobo_rows(f"{tag}{round_}", n))
            for tag in ("aa", "bb")
        ]
        procs = [_cli(project.root, "import", "answers", str(f)) for f in files]
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, out + err
            assert "Traceback" not in err
        total += 2 * n
        assert load_wave(project.poles / "pole-fictif-001", "2024-03").n == total


def test_a_second_writer_waits_then_refuses_in_french(tmp_path: Path) -> None:
    from ptce_mono.core.errors import DataLockHeldError
    from ptce_mono.core.lock import data_lock

    data = tmp_path / "data"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom ptce_mono.core.lock import data_lock\n"
         f"with data_lock(Path({str(data)!r})):\n    print('pris', flush=True)\n    time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "pris"
        waited: list[bool] = []
        with (
            pytest.raises(DataLockHeldError) as caught,
            data_lock(data, wait=0.5, on_wait=lambda: waited.append(True)),
        ):
            pass
        assert waited == [True]
        assert "une autre commande modifie les données de ce projet" in str(caught.value)
        assert "rien n'a été modifié" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    # released by the system when the holder died; re-entrant within one process
    with data_lock(data), data_lock(data):
        pass


def _fsize_limited(limit: int) -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("limit", [0, 4096, 20_000])
def test_full_disk_during_an_interview_import_leaves_nothing_and_names_the_folder(
    terrain: ProjectPaths, tmp_path: Path, limit: int
) -> None:
    rows = [[str(k), f"Entretien {k % 3}", "gouvernance", "Le conseil se réunit. " * 200]
            for k in range(60)]  # fmt: skip
    export = taguette_csv(tmp_path / "gros.csv", rows)
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ptce-mono"), "--racine", str(terrain.root),
         "import", "interviews", str(export), "--pole", SLUG],
        capture_output=True, text=True, preexec_fn=lambda: _fsize_limited(limit), timeout=300,
    )  # fmt: skip
    assert proc.returncode != 0
    folder = terrain.poles / SLUG / "entretiens"
    assert f"impossible d'écrire dans le dossier {folder}" in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    assert not [p for p in folder.rglob("*")] if folder.exists() else True
    leftovers = [p for p in terrain.data.rglob(".*") if p.name != ".verrou-donnees"]
    assert leftovers == []


def test_full_disk_during_an_answers_import_leaves_the_waves_unchanged(tmp_path: Path) -> None:
    from tests.participation_helpers import EXPORTS, network_project

    project = network_project(tmp_path)
    before = {p: p.read_bytes() for p in project.poles.rglob("*.yaml")}
    proc = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ptce-mono"), "--racine", str(project.root),
         "import", "answers", str(EXPORTS / "kobo.csv")],
        capture_output=True, text=True, preexec_fn=lambda: _fsize_limited(1000), timeout=300,
    )  # fmt: skip
    assert proc.returncode != 0, proc.stdout
    assert "impossible d'écrire dans le dossier" in proc.stderr + proc.stdout
    assert "/referentiel" in proc.stderr + proc.stdout
    assert {p: p.read_bytes() for p in project.poles.rglob("*.yaml")} == before
    assert [p for p in project.data.rglob(".*") if p.name != ".verrou-donnees"] == []


def test_a_write_killed_between_renames_is_finished_by_the_next_command(tmp_path: Path) -> None:
    from ptce_mono.core.atomic import JOURNAL_NAME, write_files_atomic
    from ptce_mono.core.lock import data_lock

    data = tmp_path / "data"
    a, b = data / "poles" / "p" / "x" / "a.yaml", data / "poles" / "p" / "x" / "b.yaml"
    write_files_atomic({a: "a1", b: "b1"}, data)
    # A process killed after the journal and the first rename (os.replace of a).
    script = (
        "import os, sys\nfrom pathlib import Path\nfrom ptce_mono.core import atomic\n"
        "real = os.replace\ncount = [0]\n"
        "def dying(src, dst):\n    count[0] += 1\n    real(src, dst)\n"
        "    if count[0] == 2:\n        os._exit(9)\n"  # the journal, then a.yaml
        "atomic.os.replace = dying\n"
        f"atomic.write_files_atomic({{Path({str(a)!r}): 'a2', Path({str(b)!r}): 'b2'}}, "
        f"Path({str(data)!r}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 9, proc.stderr
    assert (a.read_text(), b.read_text()) == ("a2", "b1")  # half done
    assert (data / JOURNAL_NAME).is_file()
    with data_lock(data):
        assert (a.read_text(), b.read_text()) == ("a2", "b2")
    assert not (data / JOURNAL_NAME).exists()
    assert sorted(p.name for p in a.parent.iterdir()) == ["a.yaml", "b.yaml"]


# --- 4. nothing dropped in silence ---------------------------------------------------------------


def _qdpx_variants() -> dict[str, str]:
    from tests.qdpx_builder import CODES, INTERVIEWS, guid, project_xml

    xml = project_xml()
    a, b = INTERVIEWS[0].name, INTERVIEWS[1].name
    return {
        "source": xml.replace(f'TextSource guid="{guid("source-" + b)}"',
                              f'TextSource guid="{guid("source-" + a)}"'),
        "code": xml.replace(f'Code guid="{guid(CODES[1])}"', f'Code guid="{guid(CODES[0])}"'),
        "sélection": xml.replace(guid(f"sel-{a}-1"), guid(f"sel-{a}-0")),
        "casse": xml.replace(guid(f"sel-{a}-1"), guid(f"sel-{a}-0").upper()),
        "nom de document": xml.replace(f'name="{b}" plainTextPath', f'name="{a}" plainTextPath'),
    }  # fmt: skip


@pytest.mark.parametrize("kind", list(_qdpx_variants()))
def test_a_repeated_qdpx_identifier_is_a_located_problem(
    terrain: ProjectPaths, tmp_path: Path, kind: str
) -> None:
    from tests.qdpx_builder import write_qdpx

    path = write_qdpx(tmp_path / "double.qdpx", xml=_qdpx_variants()[kind])
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, path, pole=SLUG)
    message = str(caught.value)
    assert "en double" in message and "(ligne " in message, message
    assert not (terrain.poles / SLUG / "entretiens").exists()


def _corrupt(rows: list[list[str]], mutate) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["id", "document", "tag", "content"], *rows])
    return mutate(out.getvalue())


ROWS = [
    ["1", "Entretien A", "gouvernance", "Le conseil, dit-elle, « se réunit » chaque mois."],
    ["2", "Entretien A", "impacts", "Une douzaine de postes, en trois ans."],
    ["3", "Entretien B", "origine", "Trois structures, au début."],
    ["4", "Entretien B", "gouvernance", "Chaque membre a une voix."],
]
UNBALANCED = {
    # the closing quote of row 2's cell is lost: the reader swallows rows 3 and 4 into it
    "fin de cellule": lambda t: t.replace('en trois ans."', "en trois ans.", 1),
    # an opening quote without its end, on the last row: the file ends inside the cell
    "dernière ligne": lambda t: t.replace("4,Entretien B,gouvernance,", '4,Entretien B,gouvernance,"'),
    # the first cell's closing quote is lost: the next quote of the file closes it
    "première cellule": lambda t: t.replace('chaque mois."', "chaque mois.", 1),
    # a stray delimiter: one more cell than the header
    "cellule en trop": lambda t: t.replace("3,Entretien B,origine,", "3,Entretien B,origine,x,", 1),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(UNBALANCED))
def test_an_unbalanced_csv_is_a_located_problem_never_a_swallowed_row(
    tmp_path: Path, kind: str
) -> None:
    from ptce_mono.importers.tabular import read_csv

    path = tmp_path / "export.csv"
    path.write_text(_corrupt(ROWS, UNBALANCED[kind]), encoding="utf-8")
    with pytest.raises(FieldworkError) as caught:
        read_csv(path)
    message = str(caught.value)
    first = caught.value.problems[0]
    assert first.line and message.startswith(f"{path}:{first.line}: "), message
    assert "Error" not in message and "expected" not in message


@pytest.mark.parametrize("formula", ["=1+1", '=CONCATENATE("a";"b")', "=HYPERLINK(\"http://x\")",
                                     "=A2"])  # fmt: skip
def test_a_formula_cell_in_a_taguette_workbook_is_refused(tmp_path: Path, formula: str) -> None:
    from openpyxl import Workbook

    from ptce_mono.importers.tabular import read_xlsx

    book = Workbook()
    sheet = book.active
    sheet.title = "highlights"
    sheet.append(["id", "document", "tag", "content"])
    sheet.append(["1", "Entretien A", "gouvernance", "Le conseil se réunit."])
    sheet.append(["2", "Entretien A", "impacts", formula])
    path = tmp_path / "formule.xlsx"
    book.save(path)
    with pytest.raises(FieldworkError) as caught:
        read_xlsx(path)
    message = str(caught.value)
    assert f"{path}:3: feuille « highlights », cellule D3 : " in message
    assert "formule" in message


@pytest.mark.parametrize(
    ("content", "refused"),
    [
        ("avant\x00après", "U+0000"),
        ("échappement \x1b[31m rouge", "U+001B"),
        ("suppr\x7f", "U+007F"),
        ("mal décodé \x92", "U+0092"),
    ],
)
def test_control_characters_are_refused_with_their_place(
    terrain: ProjectPaths, tmp_path: Path, content: str, refused: str
) -> None:
    from openpyxl import Workbook

    rows = [["1", "Entretien A", "gouvernance", content]]
    with pytest.raises(FieldworkError) as caught:  # CSV (the csv module writes them as they are)
        import_interviews(terrain, taguette_csv(tmp_path / "c.csv", rows), pole=SLUG)
    assert refused in str(caught.value) or "NUL" in str(caught.value)
    assert "c.csv:2: " in str(caught.value)
    assert not (terrain.poles / SLUG / "entretiens").exists()
    if "\x00" not in content and "\x1b" not in content:  # openpyxl refuses to write those
        book = Workbook()
        book.active.append(["id", "document", "tag", "content"])
        book.active.append(rows[0])
        book.save(tmp_path / "c.xlsx")
        with pytest.raises(FieldworkError) as caught:
            import_interviews(terrain, tmp_path / "c.xlsx", pole=SLUG)
        assert refused in str(caught.value)


def test_soft_breaks_become_line_breaks_with_a_located_notice(tmp_path: Path) -> None:
    from ptce_mono.importers.tabular import read_csv

    rows = [["1", "Entretien A", "gouvernance", "Premier paragraphe\x0bsuite\u2028fin\x0cpage"]]
    export = read_csv(taguette_csv(tmp_path / "s.csv", rows))
    assert export.segments[0].text == "Premier paragraphe\nsuite\nfin\npage"
    assert any("ligne 2" in n and "retour à la ligne" in n for n in export.notices)


def test_a_windows_1252_file_is_read_as_such_not_as_latin_1(tmp_path: Path) -> None:
    from ptce_mono.importers.tabular import read_csv

    rows = [["1", "Entretien A", "gouvernance", "L’équipe a dit « oui » – enfin…"]]
    out = io.StringIO()
    csv.writer(out).writerows([["id", "document", "tag", "content"], *rows])
    path = tmp_path / "w.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    export = read_csv(path)
    assert export.segments[0].text == "L’équipe a dit « oui » – enfin…"
    assert "Windows-1252" in export.notices[0]


def test_a_control_character_in_a_qdpx_source_is_refused(tmp_path: Path) -> None:
    import zipfile

    from ptce_mono.importers.qdpx import read_qdpx
    from tests.qdpx_builder import INTERVIEWS, project_xml, text_of

    path = tmp_path / "nul.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_xml())
        archive.writestr(f"Sources/{INTERVIEWS[1].file}", text_of(INTERVIEWS[1]) + "\x00\x00")
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    assert "U+0000" in str(caught.value) and "<TextSource" in str(caught.value)


@pytest.mark.parametrize("kind", ["formule", "autre feuille", "guillemet", "NUL"])
def test_answers_never_dropped_in_silence(tmp_path: Path, kind: str) -> None:
    from openpyxl import Workbook

    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    project = network_project(tmp_path)
    rows = _kobo_rows("x", 3)
    if kind in ("formule", "autre feuille"):
        book = Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(row)
        if kind == "formule":
            sheet.cell(row=3, column=rows[0].index("objectif_a/a1") + 1, value="=2+1")
        else:
            other = book.create_sheet("Suite")
            for row in _kobo_rows("y", 2):
                other.append(row)
        path = tmp_path / "a.xlsx"
        book.save(path)
    else:
        path = _write_rows(tmp_path / "a.csv", rows)
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        if kind == "guillemet":
            lines[2] = lines[2].replace(";dirigeant;", ';"dirigeant;', 1)
        else:
            lines[2] = lines[2].replace(";dirigeant;", ";diri\x00geant;", 1)
        path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [path])
    message = str(caught.value)
    assert str(path) in message
    assert {"formule": "cellule C", "autre feuille": "« Suite »", "guillemet": f"{path}:",
            "NUL": f"{path}:3: "}[kind] in message or "cellule" in message, message  # fmt: skip
    assert not list(project.poles.glob("*/referentiel/*.yaml"))


# --- 5. bounded reads ----------------------------------------------------------------------------


def _with_bomb(source: Path, dest: Path, member: str, size: int = 8 * 1024 * 1024) -> Path:
    """``source`` (a real QDPX or XLSX) with one more, highly compressed member."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(member, b"\0" * size)
    return dest


def _taguette_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "document", "tag", "content"])
    book.active.append(["1", "Entretien A", "gouvernance", "Le conseil se réunit."])
    book.save(path)
    return path


@pytest.mark.parametrize("member", ["project.qde", "Sources/bombe.txt", "autre/bombe.bin"])
def test_a_compressed_bomb_in_a_qdpx_is_refused_before_decompression(
    tmp_path: Path, member: str
) -> None:
    import zipfile

    from ptce_mono.importers.qdpx import read_qdpx
    from tests.qdpx_builder import write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    if member == "project.qde":  # the project file itself, padded with a huge comment
        path = tmp_path / "bombe.qdpx"
        xml = zipfile.ZipFile(base).read("project.qde")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml + b"<!--" + b" " * (8 * 1024 * 1024) + b"-->")
    else:
        path = _with_bomb(base, tmp_path / "bombe.qdpx", member)
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert "compressé" in message and "refusée sans la décompresser" in message
    assert len(message) < 400


@pytest.mark.parametrize("reader", ["interviews", "answers"])
def test_a_compressed_bomb_in_a_workbook_is_refused(tmp_path: Path, reader: str) -> None:
    from ptce_mono.importers.answers import read_submissions
    from ptce_mono.importers.tabular import read_xlsx

    path = _with_bomb(_taguette_xlsx(tmp_path / "t.xlsx"), tmp_path / "b.xlsx", "xl/media/x.bin")
    if reader == "interviews":
        with pytest.raises(FieldworkError) as caught:
            read_xlsx(path)
        message = str(caught.value)
    else:  # an unreadable file is one of the listed problems (the other files are read)
        problems: list = []
        assert read_submissions(path, problems) == []
        message = "\n".join(map(str, problems))
    assert "refusée sans la décompresser" in message


@pytest.mark.parametrize("reader", ["interviews", "answers"])
def test_a_huge_csv_is_refused_by_its_size(tmp_path: Path, reader: str) -> None:
    from ptce_mono.importers.answers import read_submissions
    from ptce_mono.importers.tabular import read_csv

    path = tmp_path / "enorme.csv"
    with path.open("wb") as handle:  # a sparse file: its size is read, never its content
        handle.write(b"id,document,tag,content\n")
        handle.truncate(21 * 1024 * 1024)
    if reader == "interviews":
        with pytest.raises(FieldworkError) as caught:
            read_csv(path)
        message = str(caught.value)
    else:  # an unreadable file is one of the listed problems (the other files are read)
        problems: list = []
        assert read_submissions(path, problems) == []
        message = "\n".join(map(str, problems))
    assert "trop volumineux" in message and "limite : 20 Mio" in message


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_huge_cell_is_refused_with_a_short_excerpt(tmp_path: Path, fmt: str) -> None:
    from openpyxl import Workbook

    from ptce_mono.core.limits import MAX_CELL_CHARS
    from ptce_mono.importers.tabular import read_csv, read_xlsx

    big = "Lorem ipsum dolor sit amet. " * 8000  # 224 000 characters
    if fmt == "csv":
        path = taguette_csv(tmp_path / "c.csv", [["1", "Entretien A", "gouvernance", big]])
        with pytest.raises(FieldworkError) as caught:
            read_csv(path)
    else:
        book = Workbook()
        book.active.append(["id", "document", "tag", "content"])
        book.active.append(["1", "Entretien A", "gouvernance", big[:MAX_CELL_CHARS]])
        book.active.append(["2", "Entretien A", "gouvernance", big[: MAX_CELL_CHARS + 10]])
        path = tmp_path / "c.xlsx"
        book.save(path)
        with pytest.raises(FieldworkError) as caught:
            read_xlsx(path)
    assert all(p.line for p in caught.value.problems)  # each on its row
    for problem in caught.value.problems:
        assert str(MAX_CELL_CHARS) in str(problem)
        assert len(str(problem)) < 400  # the value itself is never echoed whole


# --- 6. one set of limits ------------------------------------------------------------------------


@pytest.mark.slow
def test_twenty_thousand_coded_passages_import_validate_and_build(
    terrain: ProjectPaths, tmp_path: Path, runner
) -> None:
    rows = [
        [str(k), f"Entretien {k % 4}", ("gouvernance", "impacts", "origine")[k % 3],
         f"Passage {k} : le conseil de coopération se réunit et décide du budget commun."]
        for k in range(20_000)
    ]  # fmt: skip
    report = import_interviews(
        terrain, taguette_csv(tmp_path / "gros.csv", rows), pole=SLUG, flag_names=False
    )
    assert sum(len(c.added) for c in report.changes) == 20_000
    stored = sorted((terrain.poles / SLUG / "entretiens").glob("*.yaml"))
    assert max(p.stat().st_size for p in stored) > 1024 * 1024  # past the limit of a record
    result = run_cli(runner, terrain, "validate", SLUG)
    assert result.exit_code == 0, result.output
    assert sum(len(i.excerpts) for i in load_interviews(terrain.poles / SLUG)) == 20_000
    result = run_cli(runner, terrain, "build", SLUG, "-j", "1", "--to", "html")
    assert result.exit_code == 0, result.output
    assert terrain.output(SLUG, "html").is_file()


@pytest.mark.slow
def test_five_thousand_respondents_import_validate_and_build(tmp_path: Path, runner) -> None:
    from ptce_mono.corpus.answer_store import load_wave, wave_path
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    project = network_project(tmp_path)
    import_answers(project, [_write_rows(tmp_path / "5000.csv", _kobo_rows("r", 5000))])
    folder = project.poles / "pole-fictif-001"
    assert wave_path(folder, "2024-03").stat().st_size > 1024 * 1024
    assert load_wave(folder, "2024-03").n == 5000
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, project, "build", "pole-fictif-001", "-j", "1", "--to", "html")
    assert result.exit_code == 0, result.output
    assert project.output("pole-fictif-001", "html").is_file()


def test_an_import_past_the_limits_is_refused_before_writing(
    terrain: ProjectPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptce_mono.importers import answers
    from ptce_mono.importers import interviews as importer
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    monkeypatch.setattr(importer, "MAX_CODED_PASSAGES", 5)
    rows = [[str(k), "Entretien A", "gouvernance", f"Passage {k}."] for k in range(6)]
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, taguette_csv(tmp_path / "six.csv", rows), pole=SLUG)
    assert "6 passages codés : plus que la limite de 5 par import" in str(caught.value)
    monkeypatch.setattr(answers, "MAX_WAVE_RESPONDENTS", 3)
    project = network_project(tmp_path / "reseau")
    with pytest.raises(AnswersImportError) as caught:
        import_answers(project, [_write_rows(tmp_path / "4.csv", _kobo_rows("q", 4))])
    assert "4 répondants, plus que la limite de 3 par vague" in str(caught.value)
    assert not list(project.poles.glob("*/referentiel/*.yaml"))


@pytest.mark.parametrize("written", [nfd("Maëlle Trévoux"), "MAELLE TREVOUX", "Trévoux"])
def test_validate_refuses_a_private_name_in_a_narrative_but_not_in_a_comment(
    terrain: ProjectPaths, runner, written: str
) -> None:
    narrative = terrain.poles / SLUG / "gouvernance.md"
    text = narrative.read_text(encoding="utf-8").rstrip("\n")
    line = len(text.splitlines()) + 2
    narrative.write_text(text + f"\n\n{written} anime le conseil.\n", encoding="utf-8")
    result = run_cli(runner, terrain, "validate", SLUG)
    assert result.exit_code == 1, result.output
    assert f"gouvernance.md:{line}: recit: nom d'une personne de la table privée" in result.output
    narrative.write_text(text + f"\n\n<!-- {written} anime le conseil. -->\n", encoding="utf-8")
    assert "table privée" not in run_cli(runner, terrain, "validate", SLUG).output


@pytest.mark.parametrize(
    "html", ["<p>Ma&euml;lle Tr&eacute;voux</p>", "<p>Ma&#235;lle <b>Trévoux</b></p>",
             "<p>" + nfd("MAËLLE") + "</p>"],
)  # fmt: skip
def test_the_output_scan_reads_what_a_reader_sees(tmp_path: Path, html: str) -> None:
    from ptce_mono.pipeline.withdraw import protected_names_in

    page = tmp_path / "m.html"
    page.write_text(html, encoding="utf-8")
    assert protected_names_in([page], ["Maëlle Trévoux", "Maëlle"])
