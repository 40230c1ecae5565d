"""Coded segments exported as tables: Taguette's highlights (CSV, XLSX) and QualCoder's
coded-text CSV. Encodings: UTF-8, UTF-8 with a BOM, Latin-1 (detected and reported)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import FieldworkError
from .qdpx import CONSENT_VARIABLES, DATE_VARIABLES, ROLE_VARIABLES, _interview_fields
from .segments import Export, Interview, Segment

TAGUETTE_COLUMNS = ("id", "document", "tag", "content")
QUALCODER_COLUMNS = ("coded", "codename")


def decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """Text of a CSV file and the French notices about its encoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), [
            f"{path} : marque d'ordre des octets (BOM) UTF-8 en tête du fichier, ignorée."
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        return raw.decode("latin-1"), [
            f"{path} : fichier encodé en Latin-1 (ISO-8859-1) et non en UTF-8 ; "
            "converti en UTF-8 à l'import."
        ]


def _rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the record, cells) for every record, header included."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FieldworkError(path, f"CSV mal formé ({exc})", f"ligne {line}") from exc


def _header(cells: Sequence[object]) -> list[str]:
    return [str(c or "").strip().lower() for c in cells]


def _check_columns(path: Path, header: list[str], wanted: Sequence[str], where: str) -> None:
    missing = [c for c in wanted if c not in header]
    if missing:
        raise FieldworkError(
            path,
            f"colonne{'s' if len(missing) > 1 else ''} manquante{'s' if len(missing) > 1 else ''} : "
            + ", ".join(missing)
            + f" (colonnes attendues : {', '.join(wanted)})",
            where,
        )


def _taguette(
    path: Path,
    rows: list[tuple[int, list[str]]],
    header: list[str],
    where0: str,
    notices: list[str],
    tool: str,
) -> Export:
    col = {name: header.index(name) for name in TAGUETTE_COLUMNS}
    order: list[str] = []
    found: dict[str, tuple[str, list[str], str, str]] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"{where0}ligne {line}"
        if len(cells) < len(header):
            raise FieldworkError(path, f"{len(cells)} cellules au lieu de {len(header)}", where)
        hl_id, document = cells[col["id"]].strip(), cells[col["document"]].strip()
        tag, content = cells[col["tag"]].strip(), cells[col["content"]]
        if not document:
            raise FieldworkError(path, "document vide", where)
        key = f"{document}\0{hl_id or line}"
        if key not in found:
            order.append(key)
            found[key] = (document, [], content, where)
        if tag:
            found[key][1].append(tag)
    segments, uncoded = [], []
    for key in order:
        document, tags, content, where = found[key]
        if not tags:
            uncoded.append(where)
            continue
        segments.append(Segment(document, tuple(tags), content.strip(), where, key.split("\0")[1]))
    interviews = {s.document: Interview(s.document) for s in segments}
    return Export(str(path), tool, tuple(segments), interviews, tuple(uncoded), tuple(notices))


def _qualcoder(
    path: Path, rows: list[tuple[int, list[str]]], header: list[str], notices: list[str]
) -> Export:
    doc_col = next((header.index(c) for c in ("filename", "file") if c in header), None)
    if doc_col is None:
        _check_columns(path, header, ("file",), "ligne 1")
    assert doc_col is not None
    coded, codename = header.index("coded"), header.index("codename")
    ident = header.index("id") if "id" in header else None
    case_col = header.index("case") if "case" in header else None
    variables = {
        h.split("_", 1)[1].lower(): i
        for i, h in enumerate(header)
        if h.startswith(("casevar_", "filevar_"))
    }
    found: dict[tuple[str, str], Segment] = {}  # one passage coded twice = one segment
    uncoded: list[str] = []
    interviews: dict[str, Interview] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"ligne {line}"
        if len(cells) < len(header):
            raise FieldworkError(path, f"{len(cells)} cellules au lieu de {len(header)}", where)
        document, code = cells[doc_col].strip(), cells[codename].strip()
        if not code:
            uncoded.append(where)
            continue
        text = cells[coded].strip()
        key = cells[ident].strip() if ident is not None else str(line)
        previous = found.get((document, text))
        if previous is None:
            found[(document, text)] = Segment(document, (code,), text, where, key)
        elif code not in previous.codes:
            found[(document, text)] = Segment(
                document, (*previous.codes, code), text, previous.where, previous.key
            )
        values = {name: cells[i].strip() for name, i in variables.items()}
        role, date, consent = _interview_fields(values)
        case = cells[case_col].strip() if case_col is not None else ""
        if document not in interviews or role:
            interviews[document] = Interview(document, case, role, date, consent)
    segments = list(found.values())
    return Export(
        str(path), "QualCoder", tuple(segments), interviews, tuple(uncoded), tuple(notices)
    )


def read_csv(path: Path) -> Export:
    """A Taguette highlights CSV or a QualCoder coded-text CSV, told apart by their columns."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise FieldworkError(path, "fichier introuvable") from exc
    text, notices = decode(path, raw)
    rows = list(_rows(path, text))
    if not rows:
        raise FieldworkError(path, "fichier vide : une ligne d'en-tête est attendue", "ligne 1")
    header = _header(rows[0][1])
    if all(c in header for c in QUALCODER_COLUMNS):
        return _qualcoder(path, rows[1:], header, notices)
    _check_columns(path, header, TAGUETTE_COLUMNS, "ligne 1")
    return _taguette(path, rows[1:], header, "", notices, "Taguette")


def read_xlsx(path: Path) -> Export:
    """Taguette's highlights export as an Excel workbook (first sheet)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise FieldworkError(path, "fichier introuvable") from exc
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FieldworkError(path, "classeur XLSX illisible (fichier tronqué ou corrompu)") from exc
    try:
        sheet = book.worksheets[0]
        prefix = f"feuille « {sheet.title} », "
        rows = [
            (index, ["" if v is None else str(v) for v in values])
            for index, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    if not rows:
        raise FieldworkError(
            path, "feuille vide : une ligne d'en-tête est attendue", f"{prefix}ligne 1"
        )
    header = _header(rows[0][1])
    while header and not header[-1]:
        header.pop()
    _check_columns(path, header, TAGUETTE_COLUMNS, f"{prefix}ligne 1")
    return _taguette(path, rows[1:], header, prefix, [], "Taguette")


__all__ = ["CONSENT_VARIABLES", "DATE_VARIABLES", "ROLE_VARIABLES", "read_csv", "read_xlsx"]
