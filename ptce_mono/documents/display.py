"""Notebook outputs in the form every renderer understands (the output contract).

- Markdown: ``text/markdown`` (+ ``text/plain``).
- Figures: ``image/svg+xml`` (vector, for HTML and PDF) + ``text/plain`` (the alt text), metadata
  ``{"ptce": {"kind": "figure", ...}}``.
- Bibliography: CSL-JSON (``application/vnd.citationstyles.csl+json``), metadata
  ``{"ptce": {"kind": "bibliography"}}``; the renderer runs citeproc on it.
- Document metadata: ``text/plain`` empty, metadata ``{"ptce": {"kind": "document", "surtitre":
  ..., "citation": {...}}}``; never printed (see ``citation.document_citation``).
- Tables: ``text/markdown`` pipe table + ``text/html`` + ``text/plain``, metadata ``{"ptce": {"kind": "table"}}``.

Pipe tables matter: renderers that only get HTML flatten tables to text (quarto-cli#12298).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from ..corpus.records import strip_comments
from .charts.svg import figure_svg

_ESCAPE_PIPE = re.compile(r"\|")
CSL_MIME = "application/vnd.citationstyles.csl+json"


def escape_markdown_html(text: str) -> str:
    """Make any raw HTML in untrusted Markdown show as text (``<`` becomes ``&lt;``), and any
    ``@`` ordinary text (a fact never cites: ``@mot`` must not become a pandoc citation).
    Narratives, which may cite, go through :func:`ptce_mono.corpus.narrative.narrative_markdown`."""
    from ..corpus.narrative import escape_citations

    return escape_citations(strip_comments(text).replace("<", "&lt;"), lambda _key: False)


def _streams_idle() -> bool:
    """True when neither stdout nor stderr holds text not yet sent (ipykernel's streams); any
    other stream, or a doubt, counts as not idle."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        buffers = getattr(stream, "_buffers", None)
        lock = getattr(stream, "_buffer_lock", None)
        if buffers is None or lock is None or getattr(stream, "_flush_pending", True):
            return False
        with lock:
            if any(buffer.tell() for buffer in buffers.values()):
                return False
    return True


def _flush_only_what_was_written(publisher: Any) -> None:
    """Before each display, ipykernel flushes stdout and stderr so that printed text comes
    before the display: each flush waits for a round trip through the kernel's I/O thread,
    twice per output even when nothing was printed (some 45 outputs per monograph). The
    publisher of this kernel now flushes only when some text is waiting, which keeps the
    same order of outputs."""
    flush = getattr(publisher, "_flush_streams", None)
    if flush is None or getattr(flush, "ptce_only_written", False):
        return

    def flush_if_written() -> None:
        if not _streams_idle():
            flush()

    flush_if_written.ptce_only_written = True  # type: ignore[attr-defined]
    publisher._flush_streams = flush_if_written


def _publish(data: dict[str, Any], meta: dict[str, Any] | None = None) -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import publish_display_data

    if InteractiveShell.initialized():
        _flush_only_what_was_written(InteractiveShell.instance().display_pub)
    publish_display_data(data=data, metadata={"ptce": meta} if meta else {})


def show_document(meta: dict[str, Any]) -> None:
    """Document-level metadata (genre, citation): nothing shown, read by the renderer (the
    overline) and by the build (the citation files). JSON-safe values only."""
    _publish({"text/plain": ""}, {"kind": "document", **meta})


def show_markdown(text: str) -> None:
    """Show trusted Markdown built by ptce_mono (untrusted parts must be escaped first)."""
    _publish({"text/markdown": text, "text/plain": text}, {"kind": "markdown"})


def show_figure(fig: Any, id: str, caption: str, alt: str) -> None:
    """Show a matplotlib figure (vector) with its caption and alt text, then close it."""
    import matplotlib.pyplot as plt

    svg = figure_svg(fig)
    plt.close(fig)
    show_svg_figure(svg, id, caption, alt)


def show_svg_figure(svg: str, id: str, caption: str, alt: str) -> None:
    """Show a figure already written as SVG (:func:`figure_svg`), with its caption and alt text."""
    caption, alt = caption.replace("'", "’"), alt.replace("'", "’")
    _publish(
        {"image/svg+xml": svg, "text/plain": alt},
        {"kind": "figure", "id": f"fig-{id}", "caption": caption, "alt": alt},
    )


def show_bibliography(items: Sequence[dict[str, Any]]) -> None:
    """The bibliography of the document: CSL-JSON entries, all listed (cited in the text or by
    a fact), formatted by pandoc's citeproc where this output stands."""
    _publish({CSL_MIME: list(items), "text/plain": "Bibliographie"}, {"kind": "bibliography"})


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text == "nan":
        text = "—"
    text = text.replace("\n", " ").replace("<", "&lt;")
    return _ESCAPE_PIPE.sub(r"\\|", text)


def pipe_table(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], align: Sequence[str] = ()
) -> str:
    """A pandoc pipe table; ``align`` holds 'l' or 'r' per column."""
    header = "| " + " | ".join(_cell(c) for c in columns) + " |"
    marks = []
    for index, _ in enumerate(columns):
        a = align[index] if index < len(align) else "l"
        marks.append("---:" if a == "r" else ":---")
    lines = [header, "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def html_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f'<table class="ptce-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    id: str,
    caption: str,
    align: Sequence[str] = (),
) -> None:
    """Show a table given as columns and rows of already formatted values."""
    markdown = pipe_table(columns, rows, align)
    plain = "\n".join(["\t".join(map(str, columns))] + ["\t".join(map(str, r)) for r in rows])
    _publish(
        {"text/markdown": markdown, "text/html": html_table(columns, rows), "text/plain": plain},
        {"kind": "table", "id": f"tbl-{id}", "caption": caption},
    )


def show_table(df: Any, id: str, caption: str, index: bool = False) -> None:
    """Show a pandas DataFrame (values formatted beforehand) as a captioned table."""
    frame = df.reset_index() if index else df
    align = [
        "r" if str(t).startswith(("int", "float", "Int", "Float")) else "l" for t in frame.dtypes
    ]
    rows = [list(r) for r in frame.itertuples(index=False, name=None)]
    show_rows([str(c) for c in frame.columns], rows, id, caption, align)
