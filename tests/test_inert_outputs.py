"""Everything we generate is inert (issue 28): a label that starts like a formula (= + - @, a tab
or a carriage return) stays a text in the XLSX questionnaire, the XLSForm and the Taguette
codebook CSV: openpyxl reads no formula back (LibreOffice Calc is not installed here)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.answer_settings import Choice, load_vocabulary
from ptce_mono.corpus.questionnaire import build_questionnaire
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.importers.workbook import workbook_bytes
from ptce_mono.importers.xlsform import xlsform_bytes

REPO = ProjectPaths.at(Path(__file__).resolve().parents[1])
HOSTILE = ["=1+1", "+33 1 23", "-2+3", "@SUM(1;2)", "\t=3*3", "\r=4*4", '=HYPERLINK("x";"y")']


@pytest.fixture(scope="module")
def questionnaire():
    vocabulary = load_vocabulary(REPO)
    categories = tuple(Choice(f"c{k}", label) for k, label in enumerate(HOSTILE)) + tuple(
        vocabulary.categories
    )
    vocabulary = replace(vocabulary, categories=categories)
    ref = load_referentiel(REPO.referentiels, "2012")
    return build_questionnaire(ref, vocabulary, "pole-fictif-001", "=Pôle fictif", "2025-03")


@pytest.mark.parametrize("kind", ["questionnaire", "xlsform"])
def test_no_generated_cell_is_a_formula(tmp_path: Path, questionnaire, kind: str) -> None:
    from openpyxl import load_workbook

    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes((workbook_bytes if kind == "questionnaire" else xlsform_bytes)(questionnaire))
    book = load_workbook(path, data_only=False)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    for label in HOSTILE:
        assert any(label.strip("\t\r") in t for t in texts), label


def test_the_taguette_codebook_csv_is_inert_and_still_maps_back(tmp_path: Path) -> None:
    from ptce_mono.core.inert import FORMULA_STARTS
    from ptce_mono.corpus.codes import load_code_map
    from ptce_mono.corpus.grid import load_grid
    from ptce_mono.importers.codebook import taguette_codebook

    grid = load_grid(REPO.grid_file)
    ref = load_referentiel(REPO.referentiels, "2012")
    rows = list(csv.reader(io.StringIO(taguette_codebook(grid, ref))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or cell[1:].replace(".", "").isdigit()
    codes = load_code_map(REPO.data, grid, ref)
    for tag, _ in rows[1:]:
        assert codes.resolve(tag) is not None, tag
