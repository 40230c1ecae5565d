"""French that reads right, checked in any generated text (issue #12): a pole's name takes its
article after « de » (« du Périscope », never « de Le Périscope ») and elides before a vowel
(« d'Alpen »), no « (s) », and a number agrees with its noun (« 1 pôle », « 2 pôles »)."""

from __future__ import annotations

import re
from collections.abc import Iterable

QUOTED = re.compile(r"«[^«»]*(?:«[^«»]*»[^«»]*)*»")  # verbatim from a source: not ours to fix
ARTICLE_AFTER_DE = re.compile(r"\bde (?:Le|La|Les)\b|\bde L'")
DE_BEFORE_VOWEL = re.compile(r"\bde [AEIOUYÀÂÉÈÊÎÏÔÛaeiouyàâéèêîïôû]\w")
NUMBER_DISAGREEMENT = re.compile(
    r"\b(?:n = )?[01] (structures|pôles|événements|passages|sections|emplois|documentées|"
    r"partielles|initiatives|fiches|figures|tableaux|valeurs|catégories)\b"
    r"|\b(?:[2-9]|[1-9]\d+) (structure|pôle|événement|passage|section|documentée|partielle|"
    r"initiative|fiche|figure|tableau|valeur|catégorie)\b(?![s\w])"
)


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 60) : match.end() + 30]


def french_faults(text: str, names: Iterable[str] = ()) -> list[str]:
    """What reads wrong in ``text``, each with some context. Text between « » is verbatim
    from a source and is not read. A pole's name counts by its first word (the article or the
    vowel that « de » must agree with); the rest of it (« Scène(s) de Musiques… ») is a name,
    not our French."""
    text = QUOTED.sub("« … »", plain(text).replace("’", "'"))
    for name in sorted({n.replace("’", "'").strip() for n in names}, key=len, reverse=True):
        article = re.match(r"(?:Les|Le|La)\b ?|L'", name)
        text = text.replace(name, (article.group(0) if article else name[0]) + "NOM")
    faults = [f"« de » + article : {_around(text, m)}" for m in ARTICLE_AFTER_DE.finditer(text)]
    faults += [f"« de » + voyelle : {_around(text, m)}" for m in DE_BEFORE_VOWEL.finditer(text)]
    faults += [f"« (s) » : {_around(text, m)}" for m in re.finditer(r"\(s\)", text)]
    faults += [f"accord : {_around(text, m)}" for m in NUMBER_DISAGREEMENT.finditer(text)]
    return faults
