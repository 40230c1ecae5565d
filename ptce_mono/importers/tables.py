"""The one bounded reader of the tables importers read: CSV and XLSX exports of QDA and survey
tools, for both ``import interviews`` and ``import answers``.

- Bounds: a CSV is refused past :data:`~ptce_mono.core.limits.MAX_CSV_BYTES` before it is read; an
  XLSX workbook is checked as an archive (members, sizes, ratios) before openpyxl opens it; a
  cell at Excel's limit is refused, never silently cut.
- One encoding policy (:func:`decode`): UTF-8, with or without its byte-order mark; otherwise
  one of :data:`FALLBACK_ENCODINGS` is assumed and a French notice says which.
- One delimiter rule (:func:`~ptce_mono.importers.importcheck.delimiter_of`): the separator that occurs
  most in the header line outside quotes, among ``,``, ``;`` and tabulation.
- Cells are text (:func:`cell_text`); a formula cell is a located problem (its value is not in
  the file).

What a format makes of the rows (which columns, how many cells) is the format's job.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError, FieldworkError
from ..core.limits import MAX_CSV_BYTES, excerpt, read_bounded_bytes
from ..core.problems import Problem
from .importcheck import check_cell_length, check_spreadsheet, csv_records, delimiter_of

CSV_SUFFIXES = (".csv", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# Tried in this order when a file is not UTF-8: Windows-1252 first (the ’ « … » of Word sit in
# 0x80–0x9F, which Latin-1 reads as control characters), then Latin-1, which reads any byte.
FALLBACK_ENCODINGS = (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO-8859-1)"))


@dataclass(frozen=True)
class Table:
    """The rows of a CSV file or of a workbook's first sheet, every cell as text."""

    path: Path
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line or row number, cells)
    delimiter: str = ""  # CSV only
    sheet: str = ""  # XLSX: the sheet read
    other_sheets: tuple[str, ...] = ()  # XLSX: other sheets holding values (not read)
    notices: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        """« feuille « Titre », » before a row number in a workbook, nothing in a CSV."""
        return f"feuille « {self.sheet} », " if self.sheet else ""

    def where(self, line: int) -> str:
        return f"{self.prefix}ligne {line}"

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0][1] if self.rows else ()


def decode(path: Path, raw: bytes, member: str = "") -> tuple[str, list[str]]:
    """Text of a CSV or text file (or of the archive ``member``) and the French notices about
    its encoding: the one policy of every text an import reads."""
    name = f"{path}, « {excerpt(member)} »" if member else str(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), [
                f"{name} : marque d'ordre des octets (BOM) UTF-8 en tête du fichier, ignorée."
            ]
        except UnicodeDecodeError:
            raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    for codec, encoding in FALLBACK_ENCODINGS:
        if codec == "cp1252" and not any(0x80 <= b <= 0x9F for b in raw):
            continue  # no Windows-1252 punctuation: Latin-1 reads it the same, say so
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        return text, [
            f"{name} : fichier qui n'est pas en UTF-8 : encodage {encoding} supposé, converti en "
            "UTF-8 à l'import ; vérifiez les lettres accentuées."
        ]
    raise AssertionError("Latin-1 reads every byte")  # pragma: no cover


def read_csv_table(path: Path, kind: str = "export CSV") -> Table:
    """Every record of a CSV file, bounded, decoded by the one policy and read strictly (an
    unclosed quote or a NUL is a located problem, never rows swallowed into one cell)."""
    try:
        raw = read_bounded_bytes(path, MAX_CSV_BYTES, kind)
    except DataFileError as exc:
        raise FieldworkError(path, exc.detail) from exc
    text, notices = decode(path, raw)
    delimiter = delimiter_of(text)
    rows = csv_records(path, text, delimiter=delimiter)
    return Table(
        path, tuple((line, tuple(cells)) for line, cells in rows), delimiter, notices=tuple(notices)
    )


def cell_text(value: Any) -> str:
    """A cell as its reader saw it: an integer without « .0 », a date as AAAA-MM-JJ."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def sheet_cell(path: Path, cell: Any, prefix: str) -> str:
    """The text of one cell; a formula is a located problem (openpyxl would give its source or
    nothing, never what the reader of the sheet saw)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    coordinate = getattr(cell, "coordinate", "")
    where = f"{prefix}ligne {getattr(cell, 'row', '?')}" + (
        f", cellule {coordinate}" if coordinate else ""
    )
    if getattr(cell, "data_type", "") == "f":
        raise FieldworkError(
            path,
            f"cellule calculée par une formule (« {excerpt(value)} ») : sa valeur n'est pas "
            "enregistrée dans le fichier ; remplacez les formules par leurs valeurs (copier, "
            "collage spécial « valeurs ») puis réimportez",
            where,
        )
    check_cell_length(path, value, where)
    return cell_text(value)


def read_xlsx_table(path: Path, problems: list[Problem] | None = None) -> Table:
    """The first sheet of a workbook, checked as an archive before openpyxl opens it. A bad
    cell raises its located problem, or, with ``problems``, is listed there and read as empty
    (so that every bad cell of the sheet is said at once)."""
    from openpyxl import load_workbook

    check_spreadsheet(path)
    try:  # formulas as written (data_only=False): a computed cell is refused, never emptied
        book = load_workbook(path, read_only=True, data_only=False)
    except FileNotFoundError as exc:
        raise FieldworkError(path, "fichier introuvable") from exc
    except Exception as exc:  # zipfile, XML or openpyxl errors: the file is not a workbook
        raise FieldworkError(path, "classeur XLSX illisible (fichier tronqué ou corrompu)") from exc
    try:
        if not book.worksheets:
            raise FieldworkError(path, "classeur XLSX sans feuille")
        sheet = book.worksheets[0]
        prefix = f"feuille « {sheet.title} », "
        rows = []
        for index, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                try:
                    values.append(sheet_cell(path, cell, prefix))
                except FieldworkError as exc:
                    if problems is None:
                        raise
                    problems.extend(exc.problems)
                    values.append("")
            rows.append((index, tuple(values)))
        others = tuple(ws.title for ws in book.worksheets[1:] if _has_values(ws))
    except FieldworkError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FieldworkError(path, "classeur XLSX illisible (feuille mal formée)") from exc
    finally:
        book.close()
    return Table(path, tuple(rows), sheet=sheet.title, other_sheets=others)


def _has_values(sheet: Any) -> bool:
    return any(v is not None and str(v).strip() for row in sheet.iter_rows(values_only=True)
               for v in row)  # fmt: skip


def read_table(path: Path, problems: list[Problem] | None = None) -> Table:
    """A CSV file or the first sheet of a workbook, by the file's extension."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx_table(path, problems)
    return read_csv_table(path)
