"""Fillable XLSX questionnaire of one pole and one wave: a respondent block and one row per
indicator, drop-down lists, the sheet protected except for the answer cells.

A hidden sheet ``meta`` tells ``answers`` which pole, wave and version the file answers.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from ..core.inert import inert_workbook
from ..corpus.questionnaire import Questionnaire

SHEET = "Questionnaire"
LISTS = "listes"
META = "meta"
MARK = "ptce-mono questionnaire du référentiel"
CATEGORY_CELL = "C6"
STRUCTURE_CELL = "C7"
DATE_CELL = "C8"
SCALE_CELL = "A4"  # the scale: the source's wording quoted, the project's explanation
HEADER_ROW = 10
ID_COL, ANSWER_COL = 1, 4  # columns A (indicator id) and D (answer)


def scale_formula(q: Questionnaire) -> str:
    return '"' + ",".join(c.id if c.id.isdigit() else c.label for c in q.scale) + '"'


def workbook_bytes(q: Questionnaire) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws: Any = wb.active
    ws.title = SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF4D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws["A1"] = f"{q.title} — questionnaire"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Pôle : {q.pole_name} — vague {q.wave} — référentiel version {q.version}"
    ws["A3"] = q.instructions
    ws.merge_cells("A3:D3")
    ws["A3"].alignment = wrap
    ws.row_dimensions[3].height = 62
    ws[SCALE_CELL] = q.scale_explanation
    ws.merge_cells("A4:D4")
    ws[SCALE_CELL].alignment = wrap
    ws.row_dimensions[4].height = 110
    ws["A5"] = "Vous"
    ws["A5"].font = bold
    for cell, text in ((CATEGORY_CELL, "Vous répondez en tant que"),
                       (STRUCTURE_CELL, "Type de votre structure"),
                       (DATE_CELL, "Date de la réponse (JJ/MM/AAAA)")):  # fmt: skip
        ws.cell(row=ws[cell].row, column=1, value=text)
        ws[cell].fill = fill
        ws[cell].protection = Protection(locked=False)
    lists = wb.create_sheet(LISTS)
    for row, choice in enumerate(q.vocabulary.categories, start=1):
        lists.cell(row=row, column=1, value=choice.label)
    for row, choice in enumerate(q.vocabulary.structure_types, start=1):
        lists.cell(row=row, column=2, value=choice.label)
    lists.sheet_state = "hidden"
    categories = DataValidation(type="list", allow_blank=True,
                                formula1=f"={LISTS}!$A$1:$A${len(q.vocabulary.categories)}")  # fmt: skip
    structures = DataValidation(type="list", allow_blank=True,
                                formula1=f"={LISTS}!$B$1:$B${len(q.vocabulary.structure_types)}")  # fmt: skip
    date = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    answers = DataValidation(type="list", formula1=scale_formula(q), allow_blank=True)
    offered = [c.id for c in q.scale if c.id.isdigit()]
    answers.error = f"Répondez par {', '.join(offered)} ou « ne sait pas »."
    answers.errorTitle = "Réponse hors de l'échelle"
    for dv in (categories, structures, date, answers):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    categories.add(CATEGORY_CELL)
    structures.add(STRUCTURE_CELL)
    date.add(DATE_CELL)
    ws[DATE_CELL].number_format = "DD/MM/YYYY"
    for col, text in enumerate(("Indicateur", "Objectif", "Libellé", "Réponse"), start=1):
        ws.cell(row=HEADER_ROW, column=col, value=text).font = bold
    row = HEADER_ROW
    for section in q.sections:
        for item in section.items:
            row += 1
            ws.cell(row=row, column=ID_COL, value=item.id)
            ws.cell(row=row, column=2, value=f"{section.id}. {section.label}").alignment = wrap
            ws.cell(row=row, column=3, value=item.text).alignment = wrap
            answer = ws.cell(row=row, column=ANSWER_COL)
            answer.fill = fill
            answer.protection = Protection(locked=False)
            answers.add(answer.coordinate)
    for col, width in zip("ABCD", (11, 34, 60, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True
    meta = wb.create_sheet(META)
    for key, value in (("format", MARK), ("pole", q.slug), ("vague", q.wave),
                       ("version", q.version)):  # fmt: skip
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    inert_workbook(wb)  # a label starting with « = » stays a label, never a formula
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
