"""Coded segments exported as tables: Taguette's highlights (CSV, XLSX) and QualCoder's
coded-text CSV. Encodings: UTF-8, UTF-8 with a BOM, Latin-1 (detected and reported)."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import DataFileError, FieldworkError
from ..importcheck import (
    check_cell_length,
    check_spreadsheet,
    clean_text,
    csv_records,
    delimiter_of,
    swallowed_record,
)
from ..limits import MAX_CSV_BYTES, excerpt, read_bounded_bytes
from ..problems import Problem
from .qdpx import CONSENT_VARIABLES, DATE_VARIABLES, ROLE_VARIABLES, _interview_fields
from .segments import Export, Interview, Segment, refused

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
        pass
    if any(0x80 <= b <= 0x9F for b in raw):  # Windows-1252 (’ « … » of Word), not Latin-1
        try:
            return raw.decode("cp1252"), [
                f"{path} : fichier encodé en Windows-1252 et non en UTF-8 ; "
                "converti en UTF-8 à l'import."
            ]
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1"), [
        f"{path} : fichier encodé en Latin-1 (ISO-8859-1) et non en UTF-8 ; "
        "converti en UTF-8 à l'import."
    ]


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


def _check_width(path: Path, cells: list[str], header: list[str], where: str) -> None:
    """As many cells as the header: fewer, or more non-empty ones, means a broken record."""
    if len(cells) < len(header) or any(c.strip() for c in cells[len(header) :]):
        raise FieldworkError(
            path,
            f"{len(cells)} cellules au lieu de {len(header)} (guillemet ou séparateur en trop ?)",
            where,
        )


def _check_swallowed(
    path: Path, text: str, header: list[str], known: set[str], column: int, where: str,
    delimiter: str,
) -> None:  # fmt: skip
    inner = swallowed_record(text, delimiter, len(header), known, column) if delimiter else None
    if inner is not None:
        raise FieldworkError(
            path,
            "guillemet non fermé probable : la cellule contient une ligne qui ressemble à un "
            f"enregistrement du fichier (« {excerpt(inner)} ») ; vérifiez les guillemets "
            "de la ligne précédente",
            where,
        )


def _taguette(
    path: Path,
    rows: list[tuple[int, list[str]]],
    header: list[str],
    where0: str,
    notices: list[str],
    tool: str,
    delimiter: str = "",
) -> Export:
    col = {name: header.index(name) for name in TAGUETTE_COLUMNS}
    order: list[str] = []
    found: dict[str, tuple[str, list[str], str, str]] = {}
    known = {c[col["document"]].strip() for _, c in rows if len(c) > col["document"]}
    problems: list[Problem] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"{where0}ligne {line}"
        try:  # a bad row is one problem; the following rows are still read
            _check_width(path, cells, header, where)
            hl_id = clean_text(path, cells[col["id"]], where, notices).strip()
            document = clean_text(path, cells[col["document"]], where, notices).strip()
            tag = clean_text(path, cells[col["tag"]], where, notices).strip()
            content = clean_text(path, cells[col["content"]], where, notices)
            _check_swallowed(path, content, header, known, col["document"], where, delimiter)
            if not document:
                raise FieldworkError(path, "document vide", where)
        except FieldworkError as exc:
            problems += exc.problems
            continue
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
    export = Export(str(path), tool, tuple(segments), interviews, tuple(uncoded), tuple(notices))
    return refuse_rows(export, problems)


def _qualcoder(
    path: Path,
    rows: list[tuple[int, list[str]]],
    header: list[str],
    notices: list[str],
    delimiter: str = "",
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
    known = {c[doc_col].strip() for _, c in rows if len(c) > doc_col}
    uncoded: list[str] = []
    interviews: dict[str, Interview] = {}
    problems: list[Problem] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"ligne {line}"
        try:  # a bad row is one problem; the following rows are still read
            _check_width(path, cells, header, where)
            cells = [clean_text(path, c, where, notices) for c in cells]
            document, code = cells[doc_col].strip(), cells[codename].strip()
            text = cells[coded].strip()
            if code:
                _check_swallowed(path, text, header, known, doc_col, where, delimiter)
        except FieldworkError as exc:
            problems += exc.problems
            continue
        if not code:
            uncoded.append(where)
            continue
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
    export = Export(
        str(path), "QualCoder", tuple(segments), interviews, tuple(uncoded), tuple(notices)
    )
    return refuse_rows(export, problems)


def read_csv(path: Path) -> Export:
    """A Taguette highlights CSV or a QualCoder coded-text CSV, told apart by their columns."""
    try:
        raw = read_bounded_bytes(path, MAX_CSV_BYTES, "export CSV")
    except FieldworkError:
        raise
    except DataFileError as exc:
        raise FieldworkError(path, exc.detail) from exc
    text, notices = decode(path, raw)
    rows = csv_records(path, text)
    if not rows:
        raise FieldworkError(path, "fichier vide : une ligne d'en-tête est attendue", "ligne 1")
    header = _header(rows[0][1])
    delimiter = delimiter_of(text)
    if all(c in header for c in QUALCODER_COLUMNS):
        return _qualcoder(path, rows[1:], header, notices, delimiter)
    _check_columns(path, header, TAGUETTE_COLUMNS, "ligne 1")
    return _taguette(path, rows[1:], header, "", notices, "Taguette", delimiter)


def read_xlsx(path: Path) -> Export:
    """Taguette's highlights export as an Excel workbook (first sheet)."""
    from openpyxl import load_workbook

    check_spreadsheet(path)
    try:  # formulas as written (data_only=False): a computed cell is refused, never emptied
        book = load_workbook(path, read_only=True, data_only=False)
    except FileNotFoundError as exc:
        raise FieldworkError(path, "fichier introuvable") from exc
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FieldworkError(path, "classeur XLSX illisible (fichier tronqué ou corrompu)") from exc
    notices: list[str] = []
    problems: list[Problem] = []
    try:
        sheet = book.worksheets[0]
        prefix = f"feuille « {sheet.title} », "
        rows = [
            (index, [_cell_or_problem(path, cell, prefix, problems) for cell in cells])
            for index, cells in enumerate(sheet.iter_rows(), start=1)
        ]
        others = [ws.title for ws in book.worksheets[1:] if _has_values(ws)]
    except Exception as exc:  # openpyxl on a malformed sheet
        raise FieldworkError(path, "classeur XLSX illisible (feuille mal formée)") from exc
    finally:
        book.close()
    if others:
        notices.append(
            f"{path} : seule la première feuille (« {sheet.title} ») est lue ; "
            f"feuille{'s' if len(others) > 1 else ''} ignorée{'s' if len(others) > 1 else ''} : "
            + ", ".join(f"« {t} »" for t in others)
            + "."
        )
    if not rows:
        raise FieldworkError(
            path, "feuille vide : une ligne d'en-tête est attendue", f"{prefix}ligne 1"
        )
    if problems and problems[0].line == 1:  # a computed or oversized header cell
        raise FieldworkError.collected(problems)
    header = _header(rows[0][1])
    while header and not header[-1]:
        header.pop()
    _check_columns(path, header, TAGUETTE_COLUMNS, f"{prefix}ligne 1")
    bad = {p.line for p in problems}
    try:
        export = _taguette(path, [r for r in rows[1:] if r[0] not in bad], header, prefix,
                           notices, "Taguette")  # fmt: skip
    except FieldworkError as exc:
        problems += exc.problems
        export = exc.export
    if problems:  # every bad cell and row, in the order of the sheet
        problems.sort(key=lambda p: p.line or 0)
        raise refused(problems, export)
    assert export is not None
    return export


def _cell_or_problem(path: Path, cell: Any, prefix: str, problems: list[Problem]) -> str:
    """The text of one cell, or "" with its problem added to ``problems``."""
    try:
        return spreadsheet_cell(path, cell, prefix)
    except FieldworkError as exc:
        problems += exc.problems
        return ""


def refuse_rows(export: Export, problems: list[Problem]) -> Export:
    """``export`` when every row could be read; else the error naming every bad row."""
    if problems:
        raise refused(problems, export)
    return export


def _has_values(sheet: Any) -> bool:
    return any(v is not None and str(v).strip() for row in sheet.iter_rows(values_only=True)
               for v in row)  # fmt: skip


def spreadsheet_cell(path: Path, cell: Any, prefix: str) -> str:
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
    return str(value)


__all__ = ["CONSENT_VARIABLES", "DATE_VARIABLES", "ROLE_VARIABLES", "read_csv", "read_xlsx"]
