"""One reader contract for every import format (issue 21, item 3): bounded archives, one bounded
tabular reader (one encoding policy, one delimiter rule), a registry of formats that both
importers dispatch through, one all-or-nothing writer, codes resolved against the pole's
référentiel version.

Every file is written by the real library of its format (``csv``, ``openpyxl``, ``zipfile``).
"""

from __future__ import annotations

import csv
import io
import json
import struct
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ptce_mono.core.errors import FieldworkError
from ptce_mono.core.limits import MAX_MEMBER_BYTES, MAX_UNCOMPRESSED_BYTES
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.core.problems import Problem
from tests.test_fieldwork import make_terrain


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


# --- archives: every member bounded before decompression ---------------------------------------


def test_a_qdpx_member_above_the_cap_is_refused_naming_archive_and_member(tmp_path: Path) -> None:
    from ptce_mono.importers.qdpx import read_qdpx
    from tests.qdpx_builder import write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    path = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        with new.open("Sources/enorme.txt", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(MAX_MEMBER_BYTES // len(block) + 1):  # just above the cap
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024  # small on disk, huge once decompressed
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert str(path) in message and "« Sources/enorme.txt »" in message
    assert "une fois décompressé" in message and "limite : 100 Mio" in message


def _forge_sizes(path: Path, prefix: str, compressed: int, size: int) -> None:
    """Rewrite the central directory of ``path`` so that members named ``prefix…`` declare
    ``size`` bytes once decompressed (``compressed`` in the archive): a lying header."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        name = bytes(data[at + 46 : at + 46 + name_len]).decode("utf-8")
        if name.startswith(prefix):
            struct.pack_into("<II", data, at + 20, compressed, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_an_archive_whose_members_total_too_much_is_refused_before_decompression(
    tmp_path: Path,
) -> None:
    from ptce_mono.importers.qdpx import read_qdpx
    from tests.qdpx_builder import write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    path = tmp_path / "total.qdpx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for k in range(6):
            new.writestr(f"Sources/audio-{k}.m4a", b"x" * 64)
    # each under the member cap and under the ratio limit, all together above the total cap
    each = MAX_UNCOMPRESSED_BYTES // 5
    assert each < MAX_MEMBER_BYTES
    _forge_sizes(path, "Sources/audio-", each // 100, each)
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert str(path) in message and "Sources/audio-" in message
    assert "refusée sans la décompresser" in message and "400 Mio" in message


# --- one bounded tabular reader: one encoding policy, one delimiter rule -----------------------


def _csv_bytes(rows: list[list[str]], delimiter: str, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


TAGUETTE_ROWS = [
    ["id", "document", "tag", "content"],
    ["1", "Entretien A", "gouvernance", "Le conseil, dit-elle ; se réunit « chaque mois »."],
    ["2", "Entretien A", "impacts", "Une douzaine de postes créés."],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_interview_csv_with_any_delimiter_is_read_by_the_same_rule(
    tmp_path: Path, delimiter: str
) -> None:
    from ptce_mono.importers.interview_formats import read_export

    path = tmp_path / "surlignages.csv"
    path.write_bytes(_csv_bytes(TAGUETTE_ROWS, delimiter))
    export = read_export(path)
    assert [(s.document, s.codes, s.text) for s in export.segments] == [
        ("Entretien A", ("gouvernance",), TAGUETTE_ROWS[1][3]),
        ("Entretien A", ("impacts",), TAGUETTE_ROWS[2][3]),
    ]


def test_the_delimiter_rule_counts_outside_quotes() -> None:
    from ptce_mono.importers.importcheck import delimiter_of

    assert delimiter_of('"a;b;c;d",e,f\n1;2;3;4\n') == ","
    assert delimiter_of("a;b,c;d\n") == ";"
    assert delimiter_of("a\tb\tc\n") == "\t"
    assert delimiter_of("seule\n") == ","


def _kobo_rows() -> list[list[str]]:
    from tests.participation_helpers import EXPORTS

    text = (EXPORTS / "kobo.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_answers_csv_with_comma_or_semicolon_are_read_alike(tmp_path: Path, delimiter: str) -> None:
    from ptce_mono.importers.answers import read_submissions

    path = tmp_path / "kobo.csv"
    path.write_bytes(_csv_bytes(_kobo_rows(), delimiter))
    problems: list[Problem] = []
    subs = read_submissions(path, problems)
    assert problems == []
    reference = read_submissions(_write(tmp_path / "ref.csv", _csv_bytes(_kobo_rows(), ";")), [])
    assert [(s.key, dict(s.fields), dict(s.values)) for s in subs] == [
        (s.key, dict(s.fields), {k: (replace(w, path=path), v) for k, (w, v) in
                                 s.values.items()}) for s in reference
    ]  # fmt: skip
    assert len(subs) == len(_kobo_rows()) - 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_latin1_answers_csv_is_read_with_a_notice_naming_the_encoding(tmp_path: Path) -> None:
    """Before: the answers importer refused any CSV not in UTF-8, the interviews importer read
    it: one policy now, for both."""
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    project = network_project(tmp_path)
    rows = _kobo_rows()[:3]
    rows[0].append("commentaire")
    for row in rows[1:]:
        row.append("Très intéressé, à suivre")
    path = _write(tmp_path / "kobo-latin1.csv", _csv_bytes(rows, ";", "latin-1"))
    plan = import_answers(project, [path])
    assert sum(plan.added.values()) == 2
    notice = next(n for n in plan.notices if "encodage" in n)
    assert str(path) in notice and "Latin-1 (ISO-8859-1) supposé" in notice


def test_a_latin1_interview_csv_is_read_with_the_same_notice(tmp_path: Path) -> None:
    from ptce_mono.importers.interview_formats import read_export

    path = _write(tmp_path / "latin.csv", _csv_bytes(TAGUETTE_ROWS, ",", "latin-1"))
    export = read_export(path)
    assert export.segments[0].text == TAGUETTE_ROWS[1][3]
    assert export.notices == (
        f"{path} : fichier qui n'est pas en UTF-8 : encodage Latin-1 (ISO-8859-1) supposé, "
        "converti en UTF-8 à l'import ; vérifiez les lettres accentuées.",
    )


def test_a_huge_answers_workbook_member_is_refused_before_decompression(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from ptce_mono.core.errors import AnswersImportError
    from ptce_mono.importers.answers import read_submissions

    book = Workbook()
    for row in _kobo_rows()[:2]:
        book.active.append(row)
    path = tmp_path / "kobo.xlsx"
    book.save(path)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/enorme.bin", "w", force_zip64=True) as member,
    ):
        block = b"\0" * (1024 * 1024)
        for _ in range(MAX_MEMBER_BYTES // len(block) + 1):
            member.write(block)
    problems: list[Problem] = []  # an unreadable file is one of the listed problems
    assert read_submissions(path, problems) == []
    message = str(AnswersImportError(problems))
    assert [p.path for p in problems] == [path]
    assert str(path) in message and "« xl/media/enorme.bin »" in message
    assert "classeur XLSX" in message and "une fois décompressé" in message


# --- codes and answers read against the pole's référentiel version ---------------------------

FICTIONAL_VERSION = "2099"


def add_fictional_version(paths: ProjectPaths) -> None:
    """A second, FICTIONAL référentiel version: the 2012 one where indicator a3 became a4 (only
    one real version exists; this one is a test fixture, never data)."""
    text = (paths.referentiels / "2012.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2012"', f'version: "{FICTIONAL_VERSION}"', 1)
    text = text.replace("titre: ", "titre: FICTIF (test) ", 1)
    assert "{id: a3," in text
    text = text.replace("{id: a3,", "{id: a4,", 1)
    (paths.referentiels / f"{FICTIONAL_VERSION}.yaml").write_text(text, encoding="utf-8")


def set_pole_version(pole_dir: Path, version: str) -> None:
    record = pole_dir / "pole.yaml"
    text = record.read_text(encoding="utf-8")
    assert "\nreferentiel:" not in text
    record.write_text(text + f'referentiel:\n  version: "{version}"\n', encoding="utf-8")


def _coded_csv(path: Path, code: str) -> Path:
    rows = [["id", "document", "tag", "content"], ["1", "Entretien A", code, "Un passage."]]
    return _write(path, _csv_bytes(rows, ","))


@pytest.mark.parametrize("on_fictional", [True, False])
def test_interview_codes_resolve_against_the_poles_referentiel_version(
    terrain: ProjectPaths, tmp_path: Path, on_fictional: bool
) -> None:
    from ptce_mono.corpus.excerpts import load_interviews
    from ptce_mono.importers.interviews import import_interviews
    from tests.test_fieldwork import SLUG

    add_fictional_version(terrain)
    if on_fictional:
        set_pole_version(terrain.poles / SLUG, FICTIONAL_VERSION)
    valid, invalid = ("ref-a4", "ref-a3") if on_fictional else ("ref-a3", "ref-a4")
    version = FICTIONAL_VERSION if on_fictional else "2012"
    with pytest.raises(FieldworkError) as caught:
        import_interviews(terrain, _coded_csv(tmp_path / "refuse.csv", invalid), pole=SLUG)
    message = str(caught.value)
    assert f"code « {invalid} » inconnu" in message
    assert f"pôle {SLUG}, référentiel {version}" in message
    assert not load_interviews(terrain.poles / SLUG)
    import_interviews(terrain, _coded_csv(tmp_path / "accepte.csv", valid), pole=SLUG)
    [stored] = load_interviews(terrain.poles / SLUG)
    assert [e.indicators for e in stored.excerpts] == [(valid.removeprefix("ref-"),)]


def test_answers_without_a_version_are_read_against_the_poles_version(tmp_path: Path) -> None:
    from ptce_mono.core.errors import AnswersImportError
    from ptce_mono.corpus.answer_store import load_wave
    from ptce_mono.importers.answers import import_answers
    from tests.participation_helpers import network_project

    project = network_project(tmp_path)
    add_fictional_version(project)
    rows = _kobo_rows()[:2]
    slug, wave = rows[1][rows[0].index("pole")], rows[1][rows[0].index("vague")]
    set_pole_version(project.poles / slug, FICTIONAL_VERSION)
    rows[1][rows[0].index("version")] = ""  # the file names no version
    with pytest.raises(AnswersImportError) as caught:  # a3 is not in the pole's version
        import_answers(project, [_write(tmp_path / "a3.csv", _csv_bytes(rows, ";"))])
    assert f"« a3 » absent du référentiel {FICTIONAL_VERSION}" in str(caught.value)
    rows[0] = [h.replace("objectif_a/a3", "objectif_a/a4") for h in rows[0]]
    import_answers(project, [_write(tmp_path / "a4.csv", _csv_bytes(rows, ";"))])
    stored = load_wave(project.poles / slug, wave)
    assert stored.version == FICTIONAL_VERSION and "a4" in stored.respondents[0].answers


# --- one registry per kind of import: a new format is one module and one line ----------------


class FictionalToolReader:
    """A FICTIONAL QDA tool's export (JSON), registered from this test module only: nothing
    else in the code knows it."""

    name = "outil-fictif"
    label = "export de l'outil fictif (.fictif)"

    def detect(self, source):  # type: ignore[no-untyped-def]
        from ptce_mono.importers.readers import CERTAIN, NOT_MINE

        if source.suffix != ".fictif":
            return NOT_MINE
        return CERTAIN if source.head().startswith(b'{"outil"') else NOT_MINE

    def read(self, source, context):  # type: ignore[no-untyped-def]
        from ptce_mono.importers.segments import Export, Interview, Segment

        data = json.loads(source.path.read_text(encoding="utf-8"))
        segments = tuple(
            Segment(p["document"], tuple(p["codes"]), p["texte"], f"passage {k}", str(k))
            for k, p in enumerate(data["passages"], start=1)
        )
        interviews = {s.document: Interview(s.document, role="élu local") for s in segments}
        return Export(str(source.path), data["outil"], segments, interviews)


def _fictional_export(path: Path) -> Path:
    data = {"outil": "Outil fictif", "passages": [
        {"document": "Entretien fictif", "codes": ["gouvernance"], "texte": "Le conseil décide."},
        {"document": "Entretien fictif", "codes": ["ref-a1"], "texte": "Un lieu identifié."},
    ]}  # fmt: skip
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_format_registered_by_one_line_is_detected_and_imported(
    terrain: ProjectPaths, tmp_path: Path, runner
) -> None:
    from ptce_mono.corpus.excerpts import load_interviews
    from ptce_mono.importers.interview_formats import INTERVIEW_FORMATS
    from tests.conftest import run_cli
    from tests.test_fieldwork import SLUG

    path = _fictional_export(tmp_path / "projet.fictif")
    refused = run_cli(runner, terrain, "import", "interviews", str(path), "--pole", SLUG)
    assert refused.exit_code != 0
    assert "format non reconnu : projet REFI-QDA (.qdpx)" in refused.output
    assert "outil fictif" not in refused.output
    with INTERVIEW_FORMATS.registered(FictionalToolReader()):
        result = run_cli(runner, terrain, "import", "interviews", str(path), "--pole", SLUG)
        assert result.exit_code == 0, result.output
        [stored] = load_interviews(terrain.poles / SLUG)
        assert stored.tool == "Outil fictif" and stored.role == "élu local"
        assert [e.text for e in stored.excerpts] == ["Le conseil décide.", "Un lieu identifié."]
        # named explicitly, the reader reads a file its detection would not claim
        renamed = path.rename(tmp_path / "projet.json")
        again = run_cli(runner, terrain, "import", "interviews", str(renamed), "--pole", SLUG,
                        "--format", "outil-fictif")  # fmt: skip
        assert again.exit_code == 0, again.output
        assert "inchangé (2 extraits)" in again.output
    assert "outil-fictif" not in INTERVIEW_FORMATS.names()


def test_an_explicit_format_overrides_detection_and_an_unknown_one_is_refused(
    terrain: ProjectPaths, tmp_path: Path, runner
) -> None:
    from tests.conftest import run_cli
    from tests.test_fieldwork import SLUG

    rows = [["id", "coded", "codename", "file"], ["1", "Un passage.", "gouvernance", "Entretien"]]
    path = _write(tmp_path / "qualcoder.csv", _csv_bytes(rows, ","))
    forced = run_cli(runner, terrain, "import", "interviews", str(path), "--pole", SLUG,
                     "--format", "taguette")  # fmt: skip
    assert forced.exit_code != 0 and "colonnes manquantes : document, tag, content" in forced.output
    typo = run_cli(runner, terrain, "import", "interviews", str(path), "--pole", SLUG,
                   "--format", "qdxp")  # fmt: skip
    assert typo.exit_code != 0
    assert "format « qdxp » inconnu pour l'import des entretiens" in typo.output
    assert "qdpx" in typo.output.split("inconnu", 1)[1]
    detected = run_cli(runner, terrain, "import", "interviews", str(path), "--pole", SLUG)
    assert detected.exit_code == 0, detected.output


class FictionalSurveyReader:
    """A FICTIONAL survey tool's export (JSON, one respondent per entry), registered here only."""

    name = "enquete-fictive"
    label = "export de l'outil d'enquête fictif (.json)"

    def detect(self, source):  # type: ignore[no-untyped-def]
        from ptce_mono.importers.readers import CERTAIN, NOT_MINE

        return CERTAIN if source.suffix == ".json" else NOT_MINE

    def read(self, source, context):  # type: ignore[no-untyped-def]
        from ptce_mono.importers.submissions import Cell, Submission

        out = []
        for k, entry in enumerate(json.loads(source.path.read_text(encoding="utf-8")), start=1):
            where = Cell(source.path, cell=f"entrée {k}")
            values = {i: (Cell(source.path, column=i, cell=f"entrée {k}"), v)
                      for i, v in entry["reponses"].items()}  # fmt: skip
            out.append(Submission(f"enquete-fictive:{entry['id']}", f"entrée « {entry['id']} »",
                                  where, "enquete-fictive", entry["champs"], values))  # fmt: skip
        return out


def test_a_survey_format_registered_by_one_line_is_imported(tmp_path: Path, runner) -> None:
    from ptce_mono.corpus.answer_store import load_wave
    from ptce_mono.importers.answer_formats import ANSWER_FORMATS
    from tests.conftest import run_cli
    from tests.participation_helpers import SLUGS, network_project

    project = network_project(tmp_path)
    path = tmp_path / "enquete.json"
    fields = {"pole": SLUGS[0], "vague": "2025-06", "categorie": "dirigeant"}
    path.write_text(json.dumps([{"id": "x1", "champs": fields, "reponses": {"a1": 3, "b2": 4}}]),
                    encoding="utf-8")  # fmt: skip
    refused = run_cli(runner, project, "import", "answers", str(path))
    assert refused.exit_code != 0 and "format non reconnu (formats pris en charge" in refused.output
    with ANSWER_FORMATS.registered(FictionalSurveyReader()):
        result = run_cli(runner, project, "import", "answers", str(path))
    assert result.exit_code == 0, result.output
    wave = load_wave(project.poles / SLUGS[0], "2025-06")
    assert [(r.format, r.answers) for r in wave.respondents] == [
        ("enquete-fictive", {"a1": 3, "b2": 4})
    ]


# --- one all-or-nothing writer, under the data lock -------------------------------------------


def test_the_import_writer_refuses_to_write_outside_the_data_lock(tmp_path: Path) -> None:
    from ptce_mono.core.lock import data_lock
    from ptce_mono.importers.importstore import store_import

    data = tmp_path / "data"
    target = data / "poles" / "p" / "entretiens" / "e.yaml"
    with pytest.raises(RuntimeError):
        store_import(data, {target: "a: 1\n"})
    assert not target.exists()
    with data_lock(data):
        assert store_import(data, {target: "a: 1\n"}) == [target]
    assert target.read_text(encoding="utf-8") == "a: 1\n"


IMPORTERS = ("importers/interviews.py", "importers/answers.py", "importers/submissions.py")
WRITERS = {"write_files_atomic", "write_text_atomic", "write_bytes_atomic", "write_text",
           "write_bytes", "move_into_place", "unlink", "mkdir", "touch"}  # fmt: skip
OS_WRITERS = {"replace", "rename", "remove", "unlink", "open", "write"}


@pytest.mark.parametrize("module", IMPORTERS)
def test_importers_write_only_through_the_one_writer(module: str) -> None:
    import ast

    import ptce_mono

    tree = ast.parse((Path(ptce_mono.__file__).parent / module).read_text(encoding="utf-8"))
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = getattr(func, "value", None)
            on_os = isinstance(owner, ast.Name) and owner.id in ("os", "shutil")
            if (
                name in WRITERS
                or (on_os and name in OS_WRITERS)
                or (name == "open" and (len(node.args) > 1 or node.keywords))
            ):
                calls.add(name)
    assert not calls, f"{module} écrit sans passer par store_import : {sorted(calls)}"


@pytest.mark.parametrize("case", ["absent", "abîmé", "tube"])
def test_detection_never_hides_why_a_file_cannot_be_read(tmp_path: Path, case: str) -> None:
    import os

    from ptce_mono.importers.interview_formats import read_export

    path = tmp_path / ("export.csv" if case == "tube" else "export.xlsx")
    if case == "abîmé":
        path.write_bytes(b"PK\x03\x04 tronque")
    elif case == "tube":
        os.mkfifo(path)  # a pipe would block a reader forever: refused before any read
    with pytest.raises(FieldworkError) as caught:
        read_export(path)
    expected = {"absent": "fichier introuvable", "abîmé": "classeur XLSX illisible",
                "tube": "ce n'est pas un fichier ordinaire"}[case]  # fmt: skip
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_a_qdpx_source_not_in_utf8_is_read_by_the_same_policy(tmp_path: Path) -> None:
    from ptce_mono.importers.qdpx import read_qdpx
    from tests.qdpx_builder import INTERVIEWS, write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    path = tmp_path / "latin1.qdpx"
    member = f"Sources/{INTERVIEWS[1].file}"  # the source kept as a file of the archive
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == member:
                data = data.decode("utf-8").encode("latin-1")
            new.writestr(info, data)
    reference, export = read_qdpx(base), read_qdpx(path)
    assert [s.text for s in export.segments] == [s.text for s in reference.segments]
    assert any(s.text.count("é") for s in export.segments)
    assert [n for n in export.notices if "encodage" in n] == [
        f"{path}, « {member} » : fichier qui n'est pas en UTF-8 : encodage Latin-1 (ISO-8859-1) "
        "supposé, converti en UTF-8 à l'import ; vérifiez les lettres accentuées."
    ]


def _every_fixture_export() -> list[Path]:
    from tests.conftest import FIXTURES
    from tests.participation_helpers import QUESTIONNAIRES

    terrain = FIXTURES / "terrain" / "exports"
    answers = FIXTURES / "participation" / "exports"
    return [*sorted(terrain.iterdir()), *sorted(answers.glob("*.*")), QUESTIONNAIRES[0]]


def test_any_format_named_on_any_file_reads_it_or_says_why_in_french(tmp_path: Path) -> None:
    """``--format`` skips detection: a reader given a file of another format must say so in
    French, never fail with a Python error."""
    from ptce_mono.core.errors import PtceError
    from ptce_mono.importers.answer_formats import ANSWER_FORMATS
    from ptce_mono.importers.answers import read_submissions
    from ptce_mono.importers.interview_formats import INTERVIEW_FORMATS, read_export

    files = _every_fixture_export()
    assert {p.suffix for p in files} == {".csv", ".qdpx", ".xlsx"}
    for path in files:
        for name in INTERVIEW_FORMATS.names():
            try:
                read_export(path, format=name)
            except PtceError as exc:
                assert str(path) in str(exc), (name, exc)
        for name in ANSWER_FORMATS.names():
            problems: list[Problem] = []
            try:
                read_submissions(path, problems, format=name)
            except PtceError as exc:
                problems.extend(getattr(exc, "problems", ()))
                assert str(path) in str(exc), (name, exc)
            assert all(p.path == path and str(path) in str(p) for p in problems), (name, problems)


def test_the_coder_codebook_follows_the_poles_referentiel_version(
    terrain: ProjectPaths, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The codes a pole is coded with in Taguette are those its import resolves."""
    import sqlite3

    from ptce_mono.importers import taguette as tg
    from tests.conftest import run_cli
    from tests.test_fieldwork import SLUG
    from tests.test_fieldwork_taguette import TAGUETTE

    if not TAGUETTE.is_file():
        pytest.fail(f"Taguette n'est pas installé ({TAGUETTE}) : lancez « make taguette ».")
    monkeypatch.setenv(tg.BINARY_ENV, str(TAGUETTE))
    add_fictional_version(terrain)
    set_pole_version(terrain.poles / SLUG, FICTIONAL_VERSION)
    result = run_cli(runner, terrain, "coder", SLUG, "--sans-navigateur", "--preparer-seulement")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tg.database_path(terrain)) as db:
        tags = {row[0] for row in db.execute("SELECT path FROM tags")}
    assert "ref-a4" in tags and "ref-a3" not in tags
