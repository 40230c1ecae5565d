"""Shared look of every chart: palette, matplotlib state, French axes, titles with n."""

from __future__ import annotations

from functools import cache
from typing import Any

from ... import PACKAGE_DIR
from ...analysis.aggregate import low_base_note
from ...core.fr import agree_plural_unit, format_number, format_percent

ACCENT = "#1f5f8b"
SECOND = "#e07a2f"
PALETTE = ["#1f5f8b", "#e07a2f", "#4f9d69", "#b5475b", "#7a5fa6", "#c9a227", "#5b7083"]
EMPTY = "non documenté (n = 0)"
# The PDF body's typeface (templates/monographie.typ), shipped with its licence (OFL 1.1).
FONTS_DIR = PACKAGE_DIR.parent / "templates" / "fonts"
BODY_FONT = "Libertinus Serif"


@cache
def body_font() -> str:
    """Register the body's typeface with matplotlib once; its family, or DejaVu Sans if absent."""
    from matplotlib import font_manager

    files = sorted(FONTS_DIR.glob("*.otf")) if FONTS_DIR.is_dir() else []
    for path in files:
        font_manager.fontManager.addfont(str(path))
    return BODY_FONT if files else "DejaVu Sans"


def style() -> None:
    """Reset matplotlib to a known state: same figure whatever ran before (warm kernels)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "font.family": body_font(),
            "svg.hashsalt": "ptce-mono",
            "svg.fonttype": "path",
        }
    )


def fr_axis(ax: Any, axis: str = "y", decimals: int = 0, percent: bool = False) -> None:
    """French number (or percent) format on one axis of ``ax``."""
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _: Any) -> str:
        return format_percent(value, decimals) if percent else format_number(value, decimals)

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(fmt))


def draw_empty(ax: Any, message: str = EMPTY) -> None:
    """An axis with nothing to draw: a centred sentence instead."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#555555",
            transform=ax.transAxes)  # fmt: skip


def titled(text: str, n: int, unit: str = "pôles") -> str:
    """A chart title that carries its base n (and the low-base note)."""
    note = low_base_note(n)
    return f"{text} (n = {format_number(n)} {agree_plural_unit(n, unit)}{' ; ' + note if note else ''})"
