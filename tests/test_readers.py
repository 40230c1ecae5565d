"""One reader contract for every import format (issue 21, item 3): bounded archives, one bounded
tabular reader (one encoding policy, one delimiter rule), a registry of formats that both
importers dispatch through, one all-or-nothing writer, codes resolved against the pole's
référentiel version.

Every file is written by the real library of its format (``csv``, ``openpyxl``, ``zipfile``).
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from pathlib import Path

import pytest

from ptce_mono.errors import FieldworkError
from ptce_mono.limits import MAX_MEMBER_BYTES, MAX_UNCOMPRESSED_BYTES
from ptce_mono.paths import ProjectPaths
from tests.test_fieldwork import make_terrain


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


# --- archives: every member bounded before decompression ---------------------------------------


def test_a_qdpx_member_above_the_cap_is_refused_naming_archive_and_member(tmp_path: Path) -> None:
    from ptce_mono.fieldwork.qdpx import read_qdpx
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
    from ptce_mono.fieldwork.qdpx import read_qdpx
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
    from ptce_mono.fieldwork.formats import read_export

    path = tmp_path / "surlignages.csv"
    path.write_bytes(_csv_bytes(TAGUETTE_ROWS, delimiter))
    export = read_export(path)
    assert [(s.document, s.codes, s.text) for s in export.segments] == [
        ("Entretien A", ("gouvernance",), TAGUETTE_ROWS[1][3]),
        ("Entretien A", ("impacts",), TAGUETTE_ROWS[2][3]),
    ]


def test_the_delimiter_rule_counts_outside_quotes() -> None:
    from ptce_mono.importcheck import delimiter_of

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
    from ptce_mono.participation.answers import read_submissions

    path = tmp_path / "kobo.csv"
    path.write_bytes(_csv_bytes(_kobo_rows(), delimiter))
    problems: list[str] = []
    subs = read_submissions(path, problems)
    assert problems == []
    reference = read_submissions(_write(tmp_path / "ref.csv", _csv_bytes(_kobo_rows(), ";")), [])
    assert [(s.key, dict(s.fields), dict(s.values)) for s in subs] == [
        (s.key, dict(s.fields), {k: (w.replace("ref.csv", "kobo.csv"), v) for k, (w, v) in
                                 s.values.items()}) for s in reference
    ]  # fmt: skip
    assert len(subs) == len(_kobo_rows()) - 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_latin1_answers_csv_is_read_with_a_notice_naming_the_encoding(tmp_path: Path) -> None:
    """Before: the answers importer refused any CSV not in UTF-8, the interviews importer read
    it: one policy now, for both."""
    from ptce_mono.participation.answers import import_answers
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
    from ptce_mono.fieldwork.formats import read_export

    path = _write(tmp_path / "latin.csv", _csv_bytes(TAGUETTE_ROWS, ",", "latin-1"))
    export = read_export(path)
    assert export.segments[0].text == TAGUETTE_ROWS[1][3]
    assert export.notices == (
        f"{path} : fichier qui n'est pas en UTF-8 : encodage Latin-1 (ISO-8859-1) supposé, "
        "converti en UTF-8 à l'import ; vérifiez les lettres accentuées.",
    )


def test_a_huge_answers_workbook_member_is_refused_before_decompression(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from ptce_mono.errors import AnswersImportError
    from ptce_mono.participation.answers import read_submissions

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
    with pytest.raises(AnswersImportError) as caught:
        read_submissions(path, [])
    message = str(caught.value)
    assert str(path) in message and "« xl/media/enorme.bin »" in message
    assert "classeur XLSX" in message and "une fois décompressé" in message
