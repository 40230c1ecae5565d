"""Interview dates as QDA tools write them, read as dates (pure).

REFI-QDA exporters write ``xs:dateTime`` values (« 2026-02-05T00:00:00Z »), Taguette and
QualCoder cells hold whatever the researcher typed (« 05/02/2026 », « 5 février 2026 »), and an
Excel cell comes back as a ``datetime``. All become ISO dates (« 2026-02-05 », or « 2026-02 »
when only the month is known), the form stored in ``entretiens/`` and printed in French.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..core.fr import MONTHS, format_date

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?"  # date
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"  # time
    r"(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$",  # zone
    re.IGNORECASE,
)
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+\d{1,2}[:h]\d{2}.*)?$"
)  # French order; a two-digit year is of this century (« 05/02/26 »)
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{4})$")


def _plain(text: str) -> str:
    """Lower case without accents: « Février » → « fevrier »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MONTH_NUMBERS = {_plain(name): n for n, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({"fevr": 2, "janv": 1, "avr": 4, "juil": 7, "sept": 9, "oct": 10})
_MONTH_NUMBERS.update({"nov": 11, "dec": 12, "aout": 8})
_WORDS = re.compile(r"^(?:(?:le\s+)?(\d{1,2})(?:er)?\s+)?([a-z]+)\.?\s+(\d{4})$")


def _checked(year: int, month: int, day: int | None) -> tuple[int, int, int | None] | None:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def parse_date(value: object) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a date as tools and people write it; None if not a date."""
    if isinstance(value, dt.datetime):
        return value.year, value.month, value.day
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    found = _ISO.match(text)
    if found:
        year, month, day = found.groups()
        return _checked(int(year), int(month), int(day) if day else None)
    found = _YEAR_FIRST.match(text)
    if found:
        return _checked(int(found[1]), int(found[2]), int(found[3]))
    found = _DAY_FIRST.match(text)
    if found:
        year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
        return _checked(year, int(found[2]), int(found[1]))
    found = _MONTH_YEAR.match(text)
    if found:
        return _checked(int(found[2]), int(found[1]), None)
    found = _WORDS.match(_plain(text))
    if found and found[2] in _MONTH_NUMBERS:
        day = int(found[1]) if found[1] else None
        return _checked(int(found[3]), _MONTH_NUMBERS[found[2]], day)
    return None


def iso_date(value: object) -> str | None:
    """« 2026-02-05T00:00:00Z », « 05/02/2026 » → « 2026-02-05 »; None if not a date."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    year, month, day = parsed
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def french_date(value: object) -> str:
    """« 2026-02-05T00:00:00Z » → « 5 février 2026 »; what is not a date is shown as written."""
    parsed = parse_date(value)
    if parsed is None:
        return " ".join(str(value or "").split())
    year, month, day = parsed
    if day == 1:  # « 1er février », never « 1 février »
        return "1er" + format_date(year, month, day)[1:]
    return format_date(year, month, day)
