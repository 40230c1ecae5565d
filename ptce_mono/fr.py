"""French number, percent and date formats, and French typography. Pure functions."""

from __future__ import annotations

import math
import re

UNDOCUMENTED = "non documenté"  # the one label of a value the sources do not give

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, used before ; ! ? and as thousands separator

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, decimals: int = 0, missing: str = "—") -> str:
    """1234.5 -> '1 234,5' (narrow no-break space between thousands, comma for decimals)."""
    if _is_missing(value):
        return missing
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    return text.replace(",", NNBSP).replace(".", ",")


def format_percent(value: float | None, decimals: int = 0, missing: str = "—") -> str:
    """12.0 -> '12 %' (value already in percent)."""
    if _is_missing(value):
        return missing
    return f"{format_number(value, decimals)}{NNBSP}%"


def format_euros(value: float | None, missing: str = "—") -> str:
    if _is_missing(value):
        return missing
    return f"{format_number(value)}{NBSP}€"


def format_date(year: int, month: int | None = None, day: int | None = None) -> str:
    if month and day:
        return f"{day}{NBSP}{MONTHS[month - 1]} {year}"
    if month:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


_BEFORE_PUNCT = re.compile(
    r"(?<!&lt)(?<!&gt)(?<!&amp)(?<!&quot)(?<=\S)[ \u00a0]?([;!?])(?=\s|$|[»)\]*_\"'])"
)
_PROTECTED = re.compile(r"(https?://[^\s)>\]]+|\]\([^)]*\)|`[^`]*`|\{[^}]*\})")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0]?(:)(?=\s|$)")
_GUILLEMETS_OPEN = re.compile(r"«[ \u00a0]?")
_GUILLEMETS_CLOSE = re.compile(r"[ \u00a0]?»")


def typography(text: str) -> str:
    """French spacing: narrow no-break space before ; ! ?, no-break space before : and in « »."""
    if not text:
        return text
    parts = _PROTECTED.split(text)
    return "".join(p if i % 2 else _typography(p) for i, p in enumerate(parts))


def _typography(text: str) -> str:
    text = _BEFORE_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _GUILLEMETS_OPEN.sub("«" + NBSP, text)
    text = _GUILLEMETS_CLOSE.sub(NBSP + "»", text)
    return text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{format_number(count)} {word}"
