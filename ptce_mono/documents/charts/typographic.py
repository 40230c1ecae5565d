"""Typographic apostrophes (’) in every text of a matplotlib figure, without drawing it.

Tick labels are computed by formatters at draw time; instead of drawing the figure once to read
them (a draw costs as much as the output itself), each formatter that can write text is made to
write typographic apostrophes. Number formatters never write an apostrophe and are left as they
are. Imports matplotlib: import this module lazily, from code that draws.
"""

from __future__ import annotations

from typing import Any

from matplotlib.category import StrCategoryFormatter
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter


def typographic(text: str) -> str:
    """``'`` → ``’``."""
    return text.replace("'", "’")


class CategoryFormatter(StrCategoryFormatter):
    """The category names of an axis (``ax.barh(labels, …)``), with typographic apostrophes."""

    @staticmethod
    def _text(value: Any) -> str:
        return typographic(StrCategoryFormatter._text(value))


def typographic_formatter(formatter: Formatter) -> Formatter:
    """``formatter`` made to write typographic apostrophes (changed in place, or replaced for
    category axes); returned unchanged when it only writes numbers."""
    if isinstance(formatter, FixedFormatter):
        formatter.seq = [typographic(str(label)) for label in formatter.seq]
    elif isinstance(formatter, FuncFormatter):
        func = formatter.func
        formatter.func = lambda value, pos=None: typographic(str(func(value, pos)))
    elif type(formatter) is StrCategoryFormatter:
        return CategoryFormatter(formatter._units)
    return formatter


def french_apostrophes(fig: Any) -> None:
    """Typographic apostrophes in titles, labels, legends, annotations and tick labels of
    ``fig`` (nothing is drawn)."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for get, set_ in (
                (axis.get_major_formatter, axis.set_major_formatter),
                (axis.get_minor_formatter, axis.set_minor_formatter),
            ):
                formatter = get()
                replacement = typographic_formatter(formatter)
                if replacement is not formatter:
                    set_(replacement)
    for text in fig.findobj(Text):
        value = text.get_text()
        if "'" in value:
            text.set_text(typographic(value))
