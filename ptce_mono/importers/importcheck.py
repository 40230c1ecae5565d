"""What every importer checks before trusting an export: bounded archives, CSV records read
strictly, control characters, oversized or computed cells.

Archives (QDPX, XLSX, DOCX) are checked from their central directory before anything is
decompressed: number of members, declared size and compression ratio of each, and their total
declared size; a member is then
read in chunks, never past its limit. CSV files are read with a strict parser whose errors are
said in French with their line. Messages quote at most a short excerpt of a bad value.
Every problem raises :class:`~ptce_mono.core.errors.FieldworkError` (file, place, French message);
the answers importer turns it into one of its listed problems.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import FieldworkError
from ..core.limits import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_MEMBERS,
    MAX_CELL_CHARS,
    MAX_MEMBER_BYTES,
    MAX_MEMBER_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    excerpt,
    format_size,
)

CHUNK = 1 << 16
RATIO_FLOOR = 1024 * 1024  # below this decompressed size, any ratio is harmless
# Line and paragraph separators written by word processors: harmless, read as a line break.
SOFT_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters (NUL, escape, C1 controls of a mis-decoded file): refused.
CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


# --- archives -------------------------------------------------------------------------------


def open_archive(path: Path, kind: str) -> zipfile.ZipFile:
    """The ZIP archive ``path`` with every member's declared size and ratio checked."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise FieldworkError(path, "fichier introuvable") from exc
    except OSError as exc:
        raise FieldworkError(path, f"{kind} illisible ({exc.strerror or exc})") from exc
    if size > MAX_ARCHIVE_BYTES:
        raise FieldworkError(
            path,
            f"{kind} trop volumineux ({format_size(size)} ; limite : "
            f"{format_size(MAX_ARCHIVE_BYTES)})",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise FieldworkError(path, f"{kind} illisible (fichier ZIP tronqué ou corrompu)") from exc
    try:
        check_members(path, archive, kind)
    except BaseException:
        archive.close()
        raise
    return archive


def check_members(path: Path, archive: zipfile.ZipFile, kind: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise FieldworkError(
            path, f"{kind} : {len(infos)} fichiers dans l'archive (limite : {MAX_ARCHIVE_MEMBERS})"
        )
    total = 0
    for info in infos:
        check_member(path, info, kind)
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FieldworkError(
                path,
                f"{kind} : ses membres feraient plus de {format_size(MAX_UNCOMPRESSED_BYTES)} "
                f"une fois décompressés (limite atteinte au membre « {excerpt(info.filename)} ») "
                ": archive piégée ou corrompue, refusée sans la décompresser",
            )


def check_member(
    path: Path, info: zipfile.ZipInfo, kind: str, limit: int = MAX_MEMBER_BYTES
) -> None:
    """Refuse a member whose declared size or compression ratio is out of bounds (before
    decompressing it: zipfile never yields more than the declared size)."""
    name = excerpt(info.filename)
    if info.file_size > limit:
        raise FieldworkError(
            path,
            f"{kind} : le membre « {name} » ferait {format_size(info.file_size)} une fois "
            f"décompressé (limite : {format_size(limit)})",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR and ratio > MAX_MEMBER_RATIO:
        raise FieldworkError(
            path,
            f"{kind} : le membre « {name} » est compressé {ratio:.0f} fois (limite : "
            f"{MAX_MEMBER_RATIO}) : archive piégée ou corrompue, refusée sans la décompresser",
        )


def read_member(
    path: Path, archive: zipfile.ZipFile, member: str, kind: str, limit: int = MAX_MEMBER_BYTES
) -> bytes:
    """The bytes of one member, read in chunks and never past ``limit``."""
    info = archive.getinfo(member)
    check_member(path, info, kind, limit)
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while chunk := handle.read(CHUNK):
                out += chunk
                if len(out) > limit:
                    raise FieldworkError(
                        path,
                        f"{kind} : le membre « {excerpt(member)} » dépasse "
                        f"{format_size(limit)} une fois décompressé",
                    )
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise FieldworkError(
            path,
            f"{kind} : le membre « {excerpt(member)} » est illisible (archive tronquée ou "
            "corrompue)",
        ) from exc
    return bytes(out)


def check_cell_length(path: Path, value: object, where: str) -> None:
    """openpyxl cuts a cell at Excel's limit without a word: a cell that reaches it is refused."""
    text = str(value)
    if len(text) >= MAX_CELL_CHARS:
        raise FieldworkError(
            path,
            f"cellule d'au moins {MAX_CELL_CHARS} caractères, la limite d'Excel : son texte "
            f"est sans doute tronqué (« {excerpt(text)} ») ; découpez le passage",
            where,
        )


def check_spreadsheet(path: Path) -> None:
    """An XLSX workbook checked as an archive before openpyxl opens it."""
    with open_archive(path, "classeur XLSX"):
        pass


# --- text -----------------------------------------------------------------------------------


def clean_text(path: Path, text: str, where: str, notices: list[str] | None = None) -> str:
    """``text`` with soft breaks read as line breaks (a located notice says so); a NUL or any
    other control character, or a value past the cell limit, is a located problem."""
    if len(text) > MAX_CELL_CHARS:
        raise FieldworkError(
            path,
            f"valeur de {len(text)} caractères (limite : {MAX_CELL_CHARS}) : « {excerpt(text)} »",
            where,
        )
    bad = CONTROLS.search(text)
    if bad:
        raise FieldworkError(
            path,
            f"caractère de contrôle U+{ord(bad.group()):04X} à la position {bad.start() + 1} "
            f"(« {excerpt(text[max(0, bad.start() - 15) : bad.start() + 15])} ») : fichier "
            "corrompu ou mal encodé ; corrigez l'export",
            where,
        )
    if SOFT_BREAKS.search(text):
        if notices is not None:
            notices.append(
                f"{path}, {where} : saut de ligne ou de page de traitement de texte lu comme "
                "un retour à la ligne."
            )
        text = SOFT_BREAKS.sub("\n", text)
    return text


# --- CSV ------------------------------------------------------------------------------------

_CSV_FR = (
    ("unexpected end of data", "fin du fichier dans une cellule entre guillemets : guillemet non fermé"),
    ("expected after", "caractère inattendu après un guillemet fermant : guillemet non fermé ou non doublé"),
    ("line contains NUL", "caractère NUL dans la ligne : fichier corrompu ou binaire"),
    ("field larger than field limit", f"cellule de plus de {MAX_CELL_CHARS} caractères"),
    ("new-line character seen in unquoted field", "retour à la ligne dans une cellule sans guillemets"),
)  # fmt: skip


def csv_error_fr(exc: csv.Error) -> str:
    text = str(exc)
    for english, french in _CSV_FR:
        if english in text:
            return french
    return "CSV mal formé"


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


DELIMITERS = (",", ";", "\t")  # comma first: it wins a tie
HEADER_SCAN = 64 * 1024  # characters looked at for the header line


def delimiter_of(text: str) -> str:
    """The one delimiter rule of every CSV read: the separator that occurs most often in the
    header line outside quotes (``,``, ``;`` or tabulation), a comma when none does."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text[:HEADER_SCAN]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equal counts


def csv_records(
    path: Path, text: str, where_prefix: str = "", delimiter: str | None = None
) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every record, read strictly; a malformed file is a located
    French problem, never rows silently swallowed into one cell."""
    delimiter = delimiter or delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    line = 1
    with _field_limit(MAX_CELL_CHARS + 1):
        try:
            for row in reader:
                out.append((line, row))
                line = reader.line_num + 1
        except csv.Error as exc:
            raise FieldworkError(
                path, f"CSV mal formé ({csv_error_fr(exc)})", f"{where_prefix}ligne {line}"
            ) from exc
    return out


def swallowed_record(
    cell: str, delimiter: str, width: int, known: set[str], column: int
) -> str | None:
    """A line inside a multi-line cell that reads as a whole record of the file (as many cells
    as the header, naming a document of the file in ``column``): the sign of an unclosed quote
    that swallowed the following rows. Returns that line, or None."""
    if "\n" not in cell:
        return None
    for inner in cell.splitlines()[1:]:
        try:
            cells = next(csv.reader([inner], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(cells) >= width and column < len(cells) and cells[column].strip() in known:
            return inner
    return None
