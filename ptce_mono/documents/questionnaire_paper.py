"""Printable PDF of a questionnaire (Typst, ``templates/questionnaire.typ``), for workshops on
paper. The data go to Typst as a JSON file: nothing from a record becomes markup."""

from __future__ import annotations

from pathlib import Path

from ..corpus.questionnaire import Questionnaire
from ..render.sheet import SHEET_TIMEOUT, compile_sheet

TEMPLATE = "questionnaire.typ"


def paper_data(q: Questionnaire) -> dict[str, object]:
    numbers = [c for c in q.scale if c.id.isdigit()]
    return {
        "title": f"{q.title} — questionnaire",
        "subtitle": f"Pôle « {q.pole_name} » — vague {q.wave} — référentiel version {q.version}",
        "footer": f"Questionnaire {q.form_id}",
        "instructions": q.instructions,
        "categories": [c.label for c in q.vocabulary.categories],
        "structures": [c.label for c in q.vocabulary.structure_types],
        "scale": [c.id if c.id.isdigit() else c.label for c in q.scale],
        "scale_note": " ; ".join(c.label for c in numbers if not c.label.isdigit())
        + " ; cochez une case par ligne.",
        "scale_explanation": q.scale_explanation,
        "sections": [
            {
                "id": s.id,
                "label": s.label,
                "items": [
                    {"id": i.id, "text": i.text, "readable": i.label is not None} for i in s.items
                ],
            }
            for s in q.sections
        ],
    }


def paper_pdf(
    q: Questionnaire, templates: Path, out: Path, timeout: float = SHEET_TIMEOUT
) -> bytes:
    """The printable PDF, by the project's one guarded Typst compiler (time limit, PDF/UA-1)."""
    return compile_sheet(templates / TEMPLATE, paper_data(q), "questionnaire.json", out,
                         timeout=timeout)  # fmt: skip
