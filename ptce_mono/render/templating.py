"""The one factory of Jinja2 environments (site pages, restitution sheets, wave comparisons).

Every environment escapes HTML, refuses an undefined name, and passes every printed text
through the project's French typography (:func:`ptce_mono.core.fr.typographic`: typographic
apostrophes, French spacing); safe HTML already made (``Markup``: an embedded document, an SVG,
a word diff) is printed as it is. The filters are the same everywhere: ``nombre`` (French
number), ``num`` (one decimal, « — » when absent), ``typo`` and ``en_lettres`` (a count in
words: « neuf »).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.fr import format_number, number_words, typographic


def finalize(value: Any) -> Any:
    """Every printed text goes through the one French typography filter (already safe HTML is
    left alone)."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return typographic(value)
    return value


def one_decimal(value: float | None) -> str:
    return format_number(value, 1) if value is not None else "—"


FILTERS = {
    "nombre": format_number,
    "num": one_decimal,
    "typo": lambda text: typographic(str(text)),
    "en_lettres": number_words,
}


def french_environment(folder: Path, **options: Any) -> Any:
    """A Jinja2 environment reading the templates of ``folder``, with the French typography;
    ``options`` are further Jinja2 settings (whitespace control)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        finalize=finalize,
        loader=FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=StrictUndefined,
        **options,
    )
    env.filters.update(FILTERS)
    return env
