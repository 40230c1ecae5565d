"""Printable PDF of a questionnaire (Typst, ``templates/questionnaire.typ``), for workshops on
paper. The data go to Typst as a JSON file: nothing from a record becomes markup."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..errors import ToolFailedError
from .questionnaire import Questionnaire

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


def compile_typst(
    template: Path, data: dict[str, object], data_name: str, out: Path,
    files: dict[str, bytes] | None = None,
) -> bytes:  # fmt: skip
    """Compile ``template`` with ``data`` written beside it as ``data_name`` (and ``files``);
    return the PDF."""
    import typst

    with tempfile.TemporaryDirectory(prefix="ptce-typst-") as tmp:
        folder = Path(tmp)
        shutil.copy2(template, folder / template.name)
        (folder / data_name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        for extra, content in (files or {}).items():
            (folder / extra).write_bytes(content)
        try:
            return typst.compile(str(folder / template.name), root=str(folder), font_paths=[])
        except Exception as exc:  # typst raises its own error type carrying the diagnostics
            raise ToolFailedError(
                "typst", f"la compilation de {out.name} a échoué", str(exc)
            ) from exc


def paper_pdf(q: Questionnaire, templates: Path, out: Path) -> bytes:
    return compile_typst(templates / TEMPLATE, paper_data(q), "questionnaire.json", out)
