"""The one SVG writer of every figure (monographs, transversal analysis, restitution sheets).

Byte-identical between runs and processes: fixed ids (``svg.hashsalt``), no date, no creator;
text drawn as paths in the body's typeface (no font needed to show it); typographic apostrophes
(’) in every text of the figure (:mod:`ptce_mono.charts.typographic`). Imports matplotlib lazily.
"""

from __future__ import annotations

import io
import re
from typing import Any

HASH_SALT = "ptce-mono"


def figure_svg(fig: Any) -> str:
    """SVG of a matplotlib figure, byte-identical between builds: text drawn as paths in the
    body's typeface (no font needed to show it), fixed ids (``svg.hashsalt``), no date."""
    import matplotlib

    from .typographic import french_apostrophes

    french_apostrophes(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": HASH_SALT, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05,
                    metadata={"Date": None, "Creator": None})  # fmt: skip
    return buffer.getvalue().decode("utf-8")


_PROLOGUE = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?")


def inline_svg(svg: str) -> str:
    """``svg`` to stand inside an HTML page: without its XML declaration and DOCTYPE (which
    HTML does not allow there)."""
    return _PROLOGUE.sub("", svg, count=1)
