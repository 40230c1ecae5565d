"""Coded segments exported as tables: Taguette's highlights (CSV, XLSX) and QualCoder's
coded-text CSV, read by the one bounded tabular reader (:mod:`ptce_mono.importers.tables`: size limits,
encoding policy with its notice, delimiter rule)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..core.errors import FieldworkError
from ..core.limits import excerpt
from ..core.problems import Problem
from .importcheck import clean_text, swallowed_record
from .qdpx import CONSENT_VARIABLES, DATE_VARIABLES, ROLE_VARIABLES, _interview_fields
from .readers import CERTAIN, FALLBACK, NOT_MINE, Source
from .segments import Export, ExportOptions, Interview, Segment, refused
from .tables import XLSX_SUFFIXES, Table, decode, read_csv_table, read_xlsx_table
from .tables import sheet_cell as spreadsheet_cell

TAGUETTE_COLUMNS = ("id", "document", "tag", "content")
QUALCODER_COLUMNS = ("coded", "codename")


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


def header_of(table: Table) -> list[str]:
    """The header of a table, lower-cased, trailing empty cells dropped."""
    header = _header(table.header)
    while header and not header[-1]:
        header.pop()
    return header


def is_qualcoder(table: Table) -> bool:
    return all(c in header_of(table) for c in QUALCODER_COLUMNS)


def qualcoder_export(table: Table) -> Export:
    """QualCoder's coded-text CSV, already read as a table."""
    if not table.rows:
        raise FieldworkError(
            table.path, "fichier vide : une ligne d'en-tête est attendue", "ligne 1"
        )
    notices = list(table.notices)
    header = _header(table.header)
    _check_columns(table.path, header, QUALCODER_COLUMNS, table.where(1))
    rows = [(line, list(cells)) for line, cells in table.rows[1:]]
    return _qualcoder(table.path, rows, header, notices, table.delimiter)


def taguette_export(table: Table) -> Export:
    """Taguette's highlights (CSV or first sheet of a workbook), already read as a table."""
    if not table.rows:
        kind = "feuille vide" if table.sheet else "fichier vide"
        raise FieldworkError(
            table.path, f"{kind} : une ligne d'en-tête est attendue", table.where(1)
        )
    notices = list(table.notices)
    if table.other_sheets:
        many = len(table.other_sheets) > 1
        notices.append(
            f"{table.path} : seule la première feuille (« {table.sheet} ») est lue ; "
            f"feuille{'s' if many else ''} ignorée{'s' if many else ''} : "
            + ", ".join(f"« {t} »" for t in table.other_sheets)
            + "."
        )
    header = header_of(table) if table.sheet else _header(table.header)
    _check_columns(table.path, header, TAGUETTE_COLUMNS, table.where(1))
    rows = [(line, list(cells)) for line, cells in table.rows[1:]]
    return _taguette(table.path, rows, header, table.prefix, notices, "Taguette", table.delimiter)


def read_csv(path: Path) -> Export:
    """A Taguette highlights CSV or a QualCoder coded-text CSV, told apart by their columns."""
    table = read_csv_table(path)
    return qualcoder_export(table) if is_qualcoder(table) else taguette_export(table)


def read_xlsx(path: Path) -> Export:
    """Taguette's highlights export as an Excel workbook (first sheet)."""
    problems: list[Problem] = []  # every bad cell, then every bad row, at once
    return sheet_export(read_xlsx_table(path, problems), problems)


def sheet_export(table: Table, cell_problems: Sequence[Problem]) -> Export:
    """Taguette's highlights read from a workbook's sheet whose bad cells (``cell_problems``,
    read as empty) are reported with every bad row, at once."""
    problems = list(cell_problems)
    if problems and problems[0].line == 1:  # a computed or oversized header cell
        raise FieldworkError.collected(problems)
    bad = {p.line for p in problems}
    table = dataclasses.replace(table, rows=tuple(r for r in table.rows if r[0] not in bad))
    try:
        export: Export | None = taguette_export(table)
    except FieldworkError as exc:
        problems += exc.problems
        export = exc.export
    if problems:  # every bad cell and row, in the order of the sheet
        problems.sort(key=lambda p: p.line or 0)
        raise refused(problems, export)
    assert export is not None
    return export


def refuse_rows(export: Export, problems: list[Problem]) -> Export:
    """``export`` when every row could be read; else the error naming every bad row."""
    if problems:
        raise refused(problems, export)
    return export


class QualCoderReader:
    """QualCoder's coded-text CSV (columns ``coded`` and ``codename``)."""

    name = "qualcoder-csv"
    label = "texte codé QualCoder (.csv)"

    def detect(self, source: Source) -> float:
        if source.is_table and source.suffix not in XLSX_SUFFIXES:
            return CERTAIN if all(c in source.header() for c in QUALCODER_COLUMNS) else NOT_MINE
        return NOT_MINE

    def read(self, source: Source, context: ExportOptions) -> Export:
        return qualcoder_export(source.table())


class TaguetteReader:
    """Taguette's highlights export (columns ``id``, ``document``, ``tag``, ``content``)."""

    name = "taguette"
    label = "surlignages Taguette (.csv, .xlsx)"

    def detect(self, source: Source) -> float:
        if not source.is_table:
            return NOT_MINE
        if all(c in source.header() for c in TAGUETTE_COLUMNS):
            return CERTAIN
        return FALLBACK if source.suffix in (".csv", *XLSX_SUFFIXES) else NOT_MINE

    def read(self, source: Source, context: ExportOptions) -> Export:
        if source.suffix in XLSX_SUFFIXES:  # every bad cell of the sheet with every bad row
            return sheet_export(source.table(), source.problems or ())
        return taguette_export(source.table())


QUALCODER_READER = QualCoderReader()
TAGUETTE_READER = TaguetteReader()


__all__ = [
    "CONSENT_VARIABLES",
    "DATE_VARIABLES",
    "ROLE_VARIABLES",
    "decode",
    "read_csv",
    "read_xlsx",
    "spreadsheet_cell",
]
