"""The grid sections the monograph template shows, read from its cells without running it.

Each cell of ``templates/monographie.ipynb`` names its part of the document in its metadata
``ptce.section``; a grid section is shown by a cell calling ``show_section(ctx, "<id>")``. A
grid section without such a cell would be left out of every monograph without a word, so
:func:`template_issues` lists every section of the grid that no cell shows, every cell naming a
section the grid does not have, and every cell whose metadata disagrees with what it shows.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataFileError

SHOW_SECTION = "show_section"
# The parts of the template that are not grid sections (metadata ``ptce.section``).
FIXED_PARTS = (
    "chargement", "titre", "comment", "identite", "referentiel", "etat-documentation",
    "sources", "citer", "provenance",
)  # fmt: skip


@dataclass(frozen=True)
class TemplateCell:
    number: int  # 1-based position among the notebook's cells
    section: str | None  # metadata ``ptce.section``
    shown: tuple[str, ...]  # the section ids passed to ``show_section`` as literals


@dataclass(frozen=True)
class CellIssue:
    cell: int | None  # None: the issue is about the template as a whole
    message: str


def _shown_sections(source: str) -> tuple[str, ...]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: the cell is not ours to judge here
        return ()
    shown = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        arg = node.args[1]
        if name == SHOW_SECTION and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            shown.append(arg.value)
    return tuple(shown)


def read_template_cells(path: Path) -> tuple[TemplateCell, ...]:
    """The code cells of the notebook ``path`` with their section and what they show."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, f"modèle de notebook illisible ({type(exc).__name__})") from exc
    out = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        meta = (cell.get("metadata") or {}).get("ptce") or {}
        section = meta.get("section") if isinstance(meta, dict) else None
        out.append(TemplateCell(number, str(section) if section else None,
                                _shown_sections(source)))  # fmt: skip
    return tuple(out)


def template_issues(cells: Iterable[TemplateCell], section_ids: tuple[str, ...]) -> list[CellIssue]:
    """Every disagreement between the template's cells and the grid's sections."""
    known = ", ".join(section_ids)
    issues: list[CellIssue] = []
    shown_by: dict[str, list[int]] = {}
    for cell in cells:
        # a cell of a grid section may compose it from smaller calls: its metadata says which
        grid_part = (cell.section,) if cell.section in section_ids else ()
        for section in cell.shown or grid_part:
            if section not in section_ids:
                message = f"la cellule montre la section « {section} », absente de la grille "
                issues.append(CellIssue(cell.number, message + f"d'analyse (sections : {known})"))
            else:
                shown_by.setdefault(section, []).append(cell.number)
            if cell.shown and cell.section != section:
                message = f"la cellule montre la section « {section} » mais sa métadonnée "
                issues.append(
                    CellIssue(cell.number, message + f"ptce.section vaut « {cell.section or ''} »")
                )
        unknown = cell.section not in (*section_ids, *FIXED_PARTS)
        if cell.section and unknown and not cell.shown:
            message = (
                f"métadonnée ptce.section « {cell.section} » inconnue : ni une section de la "
                f"grille d'analyse ({known}), ni une partie fixe du modèle ({', '.join(FIXED_PARTS)})"
            )
            issues.append(CellIssue(cell.number, message))
    for section in section_ids:
        numbers = shown_by.get(section, [])
        if not numbers:
            message = (
                f"la section « {section} » de la grille d'analyse n'a pas de cellule dans le "
                "modèle : elle manquerait à toutes les monographies ; ajoutez une cellule "
                f'm.{SHOW_SECTION}(ctx, "{section}") de métadonnée ptce.section « {section} »'
            )
            issues.append(CellIssue(None, message))
        elif len(numbers) > 1:
            message = f"la section « {section} » est montrée par plusieurs cellules"
            issues.append(CellIssue(numbers[1], f"{message} ({', '.join(map(str, numbers))})"))
    return issues
