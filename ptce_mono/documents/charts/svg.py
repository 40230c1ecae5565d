"""The one SVG writer of every figure (monographs, transversal analysis, restitution sheets).

Byte-identical between runs and processes: fixed ids (``svg.hashsalt``), no date, no creator;
text drawn as paths in the body's typeface (no font needed to show it); typographic apostrophes
(’) in every text of the figure (:mod:`ptce_mono.documents.charts.typographic`). Imports matplotlib lazily.
"""

from __future__ import annotations

import io
import re
from typing import Any

HASH_SALT = "ptce-mono"


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

    from .typographic import french_apostrophes

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
        with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, "svg.fonttype": "path"}):
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


_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?")


def inline_svg(svg: str) -> str:
    """``svg`` to stand inside an HTML page: without its XML declaration and DOCTYPE (which
    HTML does not allow there)."""
    return _PROLOGUE.sub("", svg, count=1)
