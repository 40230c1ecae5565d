"""Everything we generate is inert: no cell of a generated spreadsheet or CSV runs as a formula.

One rule, :func:`neutralise_cell`, serves the site's CSV downloads and every generated file: a
text cell that starts with ``= + - @``, a tab or a carriage return is a formula to a
spreadsheet. In a CSV it is prefixed with an apostrophe; in an XLSX workbook written by
openpyxl (which turns any text starting with « = » into a live formula) it is stored as a text
cell carrying Excel's own « quote prefix », so the reader sees exactly the text, never a result.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "csv_text", "inert_sheet", "inert_value", "neutralise_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")


def neutralise_cell(value: str) -> str:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``; numbers
    (``-3.5``) and every other cell unchanged."""
    if value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def inert_value(cell: Any) -> None:
    """Make one openpyxl cell inert: a text that looks like a formula stays a text."""
    value = cell.value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True


def inert_sheet(sheet: Any) -> None:
    for row in sheet.iter_rows():
        for cell in row:
            inert_value(cell)


def inert_workbook(book: Any) -> None:
    """Every cell of every sheet of a workbook about to be saved."""
    for sheet in book.worksheets:
        inert_sheet(sheet)


def csv_text(rows: Iterable[Sequence[object]], header: bool = True) -> str:
    """CSV text with every formula-like text cell neutralised (the header row too unless
    ``header`` is False: column names are ours)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for index, row in enumerate(rows):
        cells = ["" if c is None else str(c) for c in row]
        if index > 0 or header:
            cells = [neutralise_cell(c) for c in cells]
        writer.writerow(cells)
    return out.getvalue()
