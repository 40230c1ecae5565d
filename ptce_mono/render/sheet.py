"""Typst documents made of a template and JSON data (restitution sheets, paper questionnaires),
compiled by the project's one guarded Typst compiler (:func:`ptce_mono.render.embedded.
compile_typst`): a child process stopped after a time limit, PDF/UA-1, the creation date of
the day (same bytes for two builds of a day), French errors.

The data go to Typst as a JSON file written beside the template: nothing from a record becomes
markup. A character that no font of the template can draw is replaced in the data by its code
point, « (U+1F600) », as in the monographs: the document never fails for a missing glyph.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import ToolFailedError

SHEET_TIMEOUT = 120.0  # seconds for one sheet (a two-page PDF takes well under one)


def _replace_glyphs(value: Any, missing: list[str]) -> Any:
    """``value`` with every text of ``missing`` replaced by its code point, in every string."""
    from .embedded import _cluster, glyph_placeholder

    if isinstance(value, str):
        for text in missing:
            value = _cluster(text).sub(lambda m: glyph_placeholder(m.group()), value)
        return value
    if isinstance(value, list):
        return [_replace_glyphs(v, missing) for v in value]
    if isinstance(value, dict):
        return {k: _replace_glyphs(v, missing) for k, v in value.items()}
    return value


def _missing_glyphs(exc: ToolFailedError) -> list[str]:
    from .embedded import _ESCAPE, MISSING_GLYPH

    found = MISSING_GLYPH.findall(exc.stderr_tail or "")
    found = [_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), t) for t in found]
    return ["".join(c for c in t if ord(c) > 0x7F) for t in found if any(ord(c) > 0x7F for c in t)]


def compile_sheet(
    template: Path, data: Mapping[str, Any], data_name: str, out: Path,
    files: Mapping[str, bytes] | None = None, timeout: float = SHEET_TIMEOUT,
) -> bytes:  # fmt: skip
    """The PDF of ``template`` with ``data`` (written beside it as ``data_name``) and ``files``;
    ``out`` only names the document in an error. Nothing is written outside a temporary
    folder: the caller puts the bytes in place (atomically)."""
    from .embedded import MAX_GLYPH_ROUNDS, compile_typst

    if not template.is_file():
        raise ToolFailedError("typst", f"gabarit introuvable : {template}")
    payload: Any = dict(data)
    replaced: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ptce-typst-") as tmp:
        folder = Path(tmp)
        shutil.copy2(template, folder / template.name)
        for extra, content in (files or {}).items():
            (folder / extra).write_bytes(content)
        pdf = folder / "document.pdf"
        for _ in range(MAX_GLYPH_ROUNDS):
            (folder / data_name).write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
            try:
                compile_typst(folder / template.name, pdf, folder, timeout, template.parent)
                return pdf.read_bytes()
            except ToolFailedError as exc:
                missing = [m for m in _missing_glyphs(exc) if m not in replaced]
                if not missing:
                    raise ToolFailedError(
                        "typst", f"la compilation de {out.name} a échoué : {exc.reason}",
                        exc.stderr_tail,
                    ) from exc  # fmt: skip
                replaced += missing
                payload = _replace_glyphs(payload, missing)
    raise ToolFailedError(
        "typst", f"{out.name} : trop de caractères qu'aucune police du PDF ne sait dessiner"
    )
