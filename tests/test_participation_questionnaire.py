"""Questionnaires from the référentiel: XLSForm through pyxform, fillable XLSX, paper PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.answer_settings import load_vocabulary
from ptce_mono.corpus.questionnaire import UNREADABLE, build_questionnaire
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.documents.questionnaire_paper import paper_pdf
from ptce_mono.importers.workbook import ANSWER_COL, HEADER_ROW, workbook_bytes
from ptce_mono.importers.xlsform import xlsform_bytes

REPO = ProjectPaths.at(Path(__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def questionnaire():
    ref = load_referentiel(REPO.referentiels, "2012")
    return build_questionnaire(
        ref, load_vocabulary(REPO), "pole-fictif-001", "Pôle fictif", "2025-03"
    )


def test_xlsform_converts_with_pyxform(tmp_path: Path, questionnaire) -> None:
    from pyxform.xls2xform import convert

    form = tmp_path / "formulaire.xlsx"
    form.write_bytes(xlsform_bytes(questionnaire))
    result = convert(xlsform=str(form))
    assert result.warnings == []
    xform = result.xform
    for item in questionnaire.items:
        assert f"/{item.id}" in xform  # one question per indicator
    assert "salarié·e d'une structure membre" in xform
    assert "ne sait pas" in xform
    assert "'pole-fictif-001'" in xform and "'2025-03'" in xform
    # the unlabelled indicators appear as such, never with an invented wording
    assert xform.count(UNREADABLE) == 9


def test_xlsx_questionnaire_lists_and_protection(tmp_path: Path, questionnaire) -> None:
    path = tmp_path / "q.xlsx"
    path.write_bytes(workbook_bytes(questionnaire))
    wb = load_workbook(path)
    ws = wb["Questionnaire"]
    assert ws.protection.sheet is True
    ids = [ws.cell(row=r, column=1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert ids == [i.id for i in questionnaire.items]
    scale = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"
             and dv.formula1.startswith('"')]  # fmt: skip
    assert len(scale) == 1
    assert scale[0].formula1 == '"1,2,3,4,ne sait pas"'
    covered = {str(c) for c in scale[0].sqref.ranges}
    assert any(f"D{HEADER_ROW + 1}" in c for c in covered)
    first_answer = ws.cell(row=HEADER_ROW + 1, column=ANSWER_COL)
    assert first_answer.protection.locked is False
    assert ws.cell(row=HEADER_ROW + 1, column=3).protection.locked is True
    lists = wb["listes"]
    assert [c.value for c in lists["A"]][:2] == ["salarié·e d'une structure membre", "bénévole"]
    b3 = ws.cell(row=HEADER_ROW + 6, column=3).value
    assert ws.cell(row=HEADER_ROW + 6, column=1).value == "b3" and UNREADABLE in b3


def test_paper_pdf_holds_every_indicator(tmp_path: Path, questionnaire) -> None:
    out = tmp_path / "q.pdf"
    out.write_bytes(paper_pdf(questionnaire, REPO.templates, out))
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for item in questionnaire.items:
        assert item.id in text.split(), item.id
    assert "ne sait" in text and "Pôle fictif" in text
