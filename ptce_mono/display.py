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
import io
import re
from collections.abc import Sequence
from typing import Any

from .records import strip_comments

_ESCAPE_PIPE = re.compile(r"\|")
CSL_MIME = "application/vnd.citationstyles.csl+json"


def escape_markdown_html(text: str) -> str:
    """Make any raw HTML in untrusted Markdown show as text (``<`` becomes ``&lt;``), and any
    ``@`` ordinary text (a fact never cites: ``@mot`` must not become a pandoc citation).
    Narratives, which may cite, go through :func:`ptce_mono.narrative.narrative_markdown`."""
    from .narrative import escape_citations

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


FIGURE_PAD_INCHES = 0.05  # white margin around what is drawn
_SVG_SIZE = re.compile(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"')
_FIGURE_PATCH = re.compile(r'(<g id="patch_1">\s*<path d=")[^"]*(")')


def figure_svg(fig: Any) -> str:
    """SVG of a matplotlib figure, byte-identical between builds: text drawn as paths in the
    body's typeface (no font needed to show it), fixed ids (``svg.hashsalt``), no date.

    The SVG shows what is drawn and a small margin (as ``bbox_inches="tight"`` would), in one
    drawing: the figure is drawn once on its own canvas, its extent measured by the renderer
    that drew it (text sizes are then known), and the SVG's view box set to that extent, with
    the white background stretched to it. ``bbox_inches="tight"`` draws twice, once to measure."""
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    from .charts.typographic import french_apostrophes

    french_apostrophes(fig)
    extent: list[Any] = []
    draw = fig.draw

    def draw_and_measure(renderer: Any) -> None:
        draw(renderer)
        extent.append(fig.get_tightbbox(renderer))  # inches, while the figure is at 72 dpi

    buffer = io.StringIO()
    own = fig.__dict__.get("draw")  # a draw method set on this figure itself, if any
    fig.draw = draw_and_measure
    # ``fig.tight_layout()`` leaves a placeholder engine that lays nothing out, but savefig
    # draws once more before the real drawing for any engine: the placeholder is set aside
    engine = fig.get_layout_engine()
    placeholder = isinstance(engine, PlaceHolderLayoutEngine)
    try:
        if placeholder:
            fig.set_layout_engine(None)
        with matplotlib.rc_context({"svg.hashsalt": "ptce-mono", "svg.fonttype": "path"}):
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        if own is None:
            del fig.draw
        else:
            fig.draw = own
        if placeholder:
            fig.set_layout_engine(engine)
    svg = buffer.getvalue()
    if not extent:
        return svg
    box = extent[-1].padded(FIGURE_PAD_INCHES)  # the last drawing is the one written
    height = fig.get_size_inches()[1]
    x, y = 72 * box.x0, 72 * (height - box.y1)
    w, h = 72 * box.width, 72 * box.height
    size = f'width="{_n(w)}pt" height="{_n(h)}pt" viewBox="{_n(x)} {_n(y)} {_n(w)} {_n(h)}"'
    svg = _SVG_SIZE.sub(size, svg, count=1)
    rect = (
        f"M {_n(x)} {_n(y + h)} L {_n(x + w)} {_n(y + h)} L {_n(x + w)} {_n(y)} L {_n(x)} {_n(y)} z"
    )
    return _FIGURE_PATCH.sub(lambda m: m.group(1) + rect + m.group(2), svg, count=1)


def _n(value: float) -> str:
    """A coordinate as matplotlib's SVG writes them (6 decimals, no trailing zeros)."""
    text = f"{value:f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


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
