"""« Vouliez-vous dire … ? »: the nearest known names to a mistyped one (pure, difflib)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from .layout import pole_file

CUTOFF = 0.6
MARGIN = 0.1  # runners-up kept within this ratio of the best match


def nearest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` known names closest to ``word``, best first (case and spaces ignored)."""
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(" ".join(str(name).split()).lower(), str(name))
    key = " ".join(word.split()).lower()
    found = difflib.get_close_matches(key, list(by_key), n=n, cutoff=CUTOFF)
    if not found:
        return []
    # only the close runners-up: « `origine-2` », not « `origine-2`, `origine-1` ou `impacts` »
    best = difflib.SequenceMatcher(None, key, found[0]).ratio()
    close = [k for k in found if difflib.SequenceMatcher(None, key, k).ratio() >= best - MARGIN]
    return [by_key[k] for k in close if by_key[k] != word]


def did_you_mean(word: str, known: Iterable[str], n: int = 3) -> str:
    """« vouliez-vous dire `origine-2` ? » (or « `a`, `b` ou `c` »); empty when nothing is near."""
    found = nearest(word, known, n)
    if not found:
        return ""
    listed = [f"`{name}`" for name in found]
    choice = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " ou " + listed[-1]
    return f"vouliez-vous dire {choice} ?"


def pole_slugs(poles_dir: Path) -> list[str]:
    """The slugs of the poles folder (folders holding a pole.yaml); empty when unreadable."""
    try:
        return sorted(
            p.name
            for p in poles_dir.iterdir()
            if not p.name.startswith(".") and pole_file(p).is_file()
        )
    except OSError:
        return []


def unknown_pole(slug: str, poles_dir: Path) -> str:
    """« pôle inconnu « x » : aucun dossier …/x ; vouliez-vous dire `y` ? »."""
    hint = did_you_mean(slug, pole_slugs(poles_dir))
    return f"pôle inconnu « {slug} » : aucun dossier {poles_dir / slug}" + (
        f" ; {hint}" if hint else "."
    )
