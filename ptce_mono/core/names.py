"""Names compared as people write them: one normalisation for every match of a person's name.

A name typed on macOS or pasted from a word processor may come decomposed (« e » + combining
acute accent instead of « é »), with another case, a typographic apostrophe or a non-breaking
space. :func:`fold` gives the form every comparison uses: Unicode NFC, accents removed, case
folded, apostrophes and hyphens unified. :func:`find` and :func:`substitute` search the folded
text and map each match back to the characters of the original, so a replacement keeps the rest
of the text exactly as it was written.

The private table, the pseudonymisation of imports, the flags of the French model, ``validate``
and the scans of built outputs all go through this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

_SAME = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u00ad": "",
}  # fmt: skip


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    char = _SAME.get(char, char)
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """The comparison form of ``text``: NFC, no accents, case folded (« MAËLLE » → « maelle »)."""
    if text.isascii():
        return text.lower().replace("`", "'")
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


@lru_cache(maxsize=4096)
def _folded_length(name: str) -> int:
    return len(fold(name))


def same_name(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def _folded_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """The folded text and, for each of its characters, the start and end index in ``text``."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(text):
        # a base character and its combining marks are folded together (NFC per cluster)
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        folded = fold(text[i:j])
        for c in folded:
            out.append(c)
            starts.append(i)
            ends.append(j)
        i = j
    return "".join(out), starts, ends


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str] | None:
    words = fold(name).split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")


def find(text: str, name: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (indexes of the original) where ``name`` is written, in any form."""
    pattern = _pattern(name)
    if pattern is None:
        return []
    folded, starts, ends = _folded_with_map(text)
    return [(starts[m.start()], ends[m.end() - 1]) for m in pattern.finditer(folded) if m.end()]


def contains(text: str, name: str) -> bool:
    pattern = _pattern(name)
    return pattern is not None and pattern.search(fold(text)) is not None


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names of ``names`` written in ``text`` (word boundaries, any case, accents, form)."""
    folded = fold(text)
    found = []
    for name in names:
        pattern = _pattern(name)
        if pattern is not None and pattern.search(folded):
            found.append(name)
    return found


def substitute(text: str, names: Iterable[tuple[str, str | Callable[[str], str]]]) -> str:
    """``text`` with each (name, replacement) applied, longest names first; the rest unchanged."""
    pairs = sorted(names, key=lambda pair: _folded_length(pair[0]), reverse=True)
    folded = fold(text)
    pairs = [(n, r) for n, r in pairs if (p := _pattern(n)) is not None and p.search(folded)]
    for name, replacement in pairs:
        spans = find(text, name)
        for start, end in reversed(spans):
            new = replacement(text[start:end]) if callable(replacement) else replacement
            text = text[:start] + new + text[end:]
    return text


def unique(names: Iterable[str]) -> list[str]:
    """``names`` without the repeats of a name written another way (the first form is kept)."""
    seen: set[str] = set()
    out = []
    for name in names:
        key = " ".join(fold(name).split())
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out
