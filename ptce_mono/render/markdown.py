"""Executed notebook → pandoc Markdown and figure files (the notebook side of rendering).

Walks the cells of the output contract (ptce_mono.documents.display): cells tagged ``remove-cell``,
``parameters`` or ``injected-parameters`` are dropped, code is never emitted, ``remove-output``
drops outputs. Markdown outputs are kept as is, figures are written as SVG (or PNG) files with
caption and alt text, tables are pandoc pipe tables with a caption, the bibliography (CSL-JSON) is
written next to the Markdown and replaced by pandoc's ``#refs`` block. Streams and plain-text reprs are dropped;
an ``error`` output means the notebook failed and nothing is rendered.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import NotebookFailedError

REMOVE_CELL = frozenset({"remove-cell", "remove_cell", "parameters", "injected-parameters"})
REMOVE_OUTPUT = frozenset({"remove-output", "remove_output"})
CSL_MIME = "application/vnd.citationstyles.csl+json"
BIBLIOGRAPHY_FILE = "bibliographie.json"
_CITATION = re.compile(r"(\[@[A-Za-z0-9_][A-Za-z0-9_.:-]*(?:,(?:\\.|[^\]\\<])*)?\])")
_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class MarkdownDoc:
    """The Markdown body, the figure files written next to it and the ``ptce`` metadata."""

    text: str
    figures: list[Path] = field(default_factory=list)
    tables: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    bibliography: Path | None = None  # CSL-JSON file, when the notebook showed a bibliography


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _attr(value: str) -> str:
    """A value safe inside a double-quoted pandoc attribute."""
    return " ".join(value.replace("\\", "").replace('"', "'").split())


def _ident(value: Any, prefix: str) -> str:
    ident = _ID_RE.sub("-", str(value or "")).strip("-")
    if not ident:
        return ""
    return ident if ident.startswith(prefix) else f"{prefix}{ident}"


def _inline(value: str) -> str:
    """Caption text on one line; brackets that would close the Markdown construct escaped,
    except those of a pandoc citation ``[@id, passage]`` (balanced, citeproc formats it)."""
    text = " ".join(value.split())
    parts = _CITATION.split(text)
    return "".join(
        p if i % 2 else p.replace("[", r"\[").replace("]", r"\]").replace("<", "&lt;")
        for i, p in enumerate(parts)
    )


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def error_message(nb: Any) -> str | None:
    """``Name : value`` of the first error output of ``nb``, or None."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") == "error":
                name = output.get("ename") or "Erreur"
                value = str(output.get("evalue") or "").strip()
                return f"{name} : {value}" if value else name
    return None


def notebook_to_markdown(nb: Any, figures_dir: Path) -> MarkdownDoc:
    """Build the Markdown of a monograph from its executed notebook ``nb`` (nbformat v4)."""
    failed = error_message(nb)
    if failed:
        raise NotebookFailedError(failed)
    figures_dir.mkdir(parents=True, exist_ok=True)
    doc = MarkdownDoc(text="", meta=dict(nb.get("metadata", {}).get("ptce", {}) or {}))
    blocks: list[str] = []
    for cell in nb.get("cells", []):
        tags = _tags(cell)
        if tags & REMOVE_CELL:
            continue
        if cell.get("cell_type") == "markdown":
            blocks.append(_text(cell.get("source", "")))
            continue
        if cell.get("cell_type") != "code" or tags & REMOVE_OUTPUT:
            continue  # raw cells are not part of the document; code input is never shown
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue  # streams (print, warnings) are not part of the document
            block = _output_block(output, figures_dir, doc)
            if block.strip():
                blocks.append(block.strip("\n"))
    doc.text = "\n\n".join(blocks) + "\n"
    return doc


def _output_block(output: Any, figures_dir: Path, doc: MarkdownDoc) -> str:
    data = output.get("data", {}) or {}
    meta = (output.get("metadata", {}) or {}).get("ptce", {}) or {}
    kind = meta.get("kind")
    if kind == "document":  # genre and citation: metadata of the whole document, never printed
        if isinstance(meta.get("surtitre"), str):
            doc.meta["surtitre"] = meta["surtitre"]
        return ""
    if kind == "bibliography" and CSL_MIME in data:
        return _bibliography(data[CSL_MIME], figures_dir, doc)
    if "image/svg+xml" in data or "image/png" in data:
        return _figure(data, meta, figures_dir, doc)
    if "text/markdown" in data:
        text = _text(data["text/markdown"])
        if kind == "table":
            doc.tables += 1
            caption = _inline(str(meta.get("caption") or ""))
            ident = _ident(meta.get("id"), "tbl-")
            attr = f" {{#{ident}}}" if ident else ""
            if caption or attr:
                text = f"{text.rstrip()}\n\n: {caption or 'Tableau'}{attr}"
        return text
    return ""  # text/plain or HTML only: never part of the document (no flattened table)


def _bibliography(items: Any, folder: Path, doc: MarkdownDoc) -> str:
    """Write the CSL-JSON entries once; the bibliography is printed where this output stands."""
    if isinstance(items, str):
        items = json.loads(items)
    if not isinstance(items, list) or doc.bibliography is not None:
        return ""
    doc.bibliography = folder / BIBLIOGRAPHY_FILE
    doc.bibliography.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    return "::: {#refs}\n:::"


def _figure(data: dict[str, Any], meta: dict[str, Any], figures_dir: Path, doc: MarkdownDoc) -> str:
    index = len(doc.figures) + 1
    if "image/svg+xml" in data:
        path = figures_dir / f"figure-{index}.svg"
        path.write_text(_text(data["image/svg+xml"]), encoding="utf-8")
    else:
        path = figures_dir / f"figure-{index}.png"
        try:
            path.write_bytes(base64.b64decode(_text(data["image/png"]), validate=False))
        except (binascii.Error, ValueError) as exc:
            raise NotebookFailedError(f"image de la figure {index} illisible ({exc})") from exc
    doc.figures.append(path)
    plain = _text(data.get("text/plain", "")).strip()
    if plain.startswith("<") and plain.endswith(">"):  # a repr such as <Figure size 640x480>
        plain = ""
    alt = _attr(str(meta.get("alt") or plain or meta.get("caption") or f"Figure {index}"))
    caption = _inline(str(meta.get("caption") or alt))  # a figure always has a caption
    ident = _ident(meta.get("id"), "fig-")
    attrs = (f"#{ident} " if ident else "") + f'fig-alt="{alt}"'
    return f"![{caption}]({path.name}){{{attrs}}}"
