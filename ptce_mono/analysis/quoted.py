"""Fields against the pole's own quoted sources. Pure functions.

A passage quoted in a narrative may give a number the record does not hold, or a bigger one
(« une vingtaine de structures » beside one listed structure, « une centaine d'emplois » beside
no job figure), and a dated event may come before the start of the cooperation or stand alone
when that start is empty. :func:`field_conflicts` finds them for ``validate --avertissements``
(file and line of both sides); the record answers with an approximate value
(``valeurs_approchees``: the value, its qualifier, the words and who says them), shown as the
project's reading by :func:`approximate_text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.fr import format_number, plural
from ..corpus.records import Pole, blank_comments
from .evidence import quotes_of

# « une vingtaine de » → (20, « environ »)
APPROXIMATE = {"dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
               "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
               "millier": 1000}  # fmt: skip
WORDS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
         "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
         "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100}  # fmt: skip
# the noun a number counts -> the field it stands beside
NOUNS = {"structure": "structures", "emploi": "emplois_crees"}
_NUMBER = re.compile(
    r"(?:\b(?:une?|des|plusieurs)\s+(?P<approx>" + "|".join(APPROXIMATE) + r")s?\s+d(?:e\s+|['’])"
    r"|(?P<digits>\b\d{1,3}(?:[\s\u00a0\u202f]\d{3})*)\s+"
    r"|\b(?P<word>" + "|".join(WORDS) + r")\s+)"
    r"(?P<noun>structures?|emplois?)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


@dataclass(frozen=True)
class QuotedNumber:
    value: int
    qualifier: str  # « environ » for « une vingtaine », « » for an exact figure
    field: str  # APPROXIMATE_FIELDS key
    words: str  # as printed


def quoted_numbers(text: str) -> list[QuotedNumber]:
    """Counts of structures or jobs given by the « … » passages of ``text``."""
    out = []
    for quote in quotes_of(text):
        for match in _NUMBER.finditer(quote):
            noun = NOUNS[match.group("noun").lower().rstrip("s")]
            if match.group("approx"):
                value, qualifier = APPROXIMATE[match.group("approx").lower()], "environ"
            elif match.group("digits"):
                value, qualifier = int(re.sub(r"\D", "", match.group("digits"))), ""
            else:
                value, qualifier = WORDS[match.group("word").lower()], ""
            out.append(QuotedNumber(value, qualifier, noun, match.group(0)))
    return out


def approximations(pole: Pole) -> dict[str, Mapping[str, Any]]:
    """Field -> the pole's approximate value for it (``valeurs_approchees``), the first one."""
    out: dict[str, Mapping[str, Any]] = {}
    for item in pole.list_of("valeurs_approchees"):
        out.setdefault(str(item.get("champ")), item)
    return out


def approximate_text(item: Mapping[str, Any]) -> str:
    """« environ 100 en cinq ans (« une centaine d'emplois », selon le directeur de la structure
    porteuse ; lecture du projet) »: the value with its qualifier, the words and who says them."""
    value = item.get("valeur")
    number = format_number(value) if isinstance(value, int | float) else str(value)
    qualifier = str(item.get("qualificatif") or "").strip()
    text = f"{qualifier} {number}".strip()
    if item.get("periode"):
        text += f" {item['periode']}"
    who = f", selon {item['locuteur']}" if item.get("locuteur") else ""
    return f"{text} (« {item.get('texte', '')} »{who} ; lecture du projet)"


def recorded(pole: Pole, field: str) -> tuple[int | None, str]:
    """What the record holds for ``field`` (a number or None) and the dotted path to name."""
    if field == "structures":
        listed = len(pole.list_of("structures"))
        return (listed or None), "structures"
    if field == "emplois_crees":
        values = [e.get("emplois_crees") for e in pole.list_of("emploi")]
        numbers = [v for v in values if isinstance(v, int)]
        return (sum(numbers) if numbers else None), "emploi"
    value = pole.get("identite.annee_debut_cooperation")
    return (value if isinstance(value, int) else None), "identite.annee_debut_cooperation"


Conflict = tuple[Path, int | None, str, str]  # file, line, field, French message


def _where(pole: Pole, dotted: str) -> str:
    if pole.get(dotted) in (None, "", [], {}):
        return f"{pole.path.name}, champ « {dotted} » absent"
    line = pole.line_of(dotted)
    return f"{pole.path.name}:{line}" if line else pole.path.name


def field_conflicts(pole: Pole) -> list[Conflict]:
    """Numbers and dates of the pole's own quoted passages and chronology that contradict or
    exceed its fields, each naming both sides (file:line); none where the record holds an
    approximate value for the field."""
    out: list[Conflict] = []
    approx = approximations(pole)
    for narrative in pole.narratives.values():
        if narrative.is_empty:
            continue
        body = blank_comments(narrative.doc.body)
        for offset, paragraph in enumerate(body.split("\n")):
            for number in quoted_numbers(paragraph):
                if number.field in approx:
                    continue
                held, dotted = recorded(pole, number.field)
                if held is not None and held >= number.value:
                    continue
                line = narrative.doc.body_line + offset
                holds = (
                    f"la fiche n'en donne aucun ({_where(pole, dotted)})"
                    if held is None
                    else f"la fiche en donne {format_number(held)} ({_where(pole, dotted)})"
                )
                out.append((narrative.path, line, dotted,
                            f"le passage cité « {number.words} » dit plus que la fiche : {holds} ; "
                            "notez la valeur approchée dans valeurs_approchees (valeur, "
                            "qualificatif, mots de la source, qui le dit) ou complétez le champ"))  # fmt: skip
    events = [
        (i, e) for i, e in enumerate(pole.list_of("evenements")) if isinstance(e.get("annee"), int)
    ]
    start, _ = recorded(pole, "annee_debut_cooperation")
    if events and "annee_debut_cooperation" not in approx:
        index, first = min(events, key=lambda x: (x[1]["annee"], x[1].get("mois") or 0))
        at = f"evenements.{index}"
        if start is None:
            out.append((pole.path, pole.line_of(at), "identite.annee_debut_cooperation",
                        f"la chronologie commence en {first['annee']} ({_where(pole, at)}) mais le "
                        "début de la coopération est vide : notez-le, ou une valeur approchée "
                        "(au plus tard), pour que la fiche ne dise pas moins que ses sources"))  # fmt: skip
        elif first["annee"] < start:
            out.append((pole.path, pole.line_of(at), "identite.annee_debut_cooperation",
                        f"un événement de {first['annee']} ({_where(pole, at)}) précède le début "
                        f"de la coopération, {start} ({_where(pole, 'identite.annee_debut_cooperation')})"))  # fmt: skip
    return out


def first_event(pole: Pole) -> str | None:
    """« octobre 2012 »: the earliest dated event of the chronology, for a start left empty."""
    from ..core.fr import format_date

    events = [e for e in pole.list_of("evenements") if isinstance(e.get("annee"), int)]
    if not events:
        return None
    first = min(events, key=lambda e: (e["annee"], e.get("mois") or 0))
    month = first.get("mois")
    return format_date(first["annee"], month if isinstance(month, int) else None)


def jobs_readings(poles: list[Pole]) -> list[tuple[Pole, Mapping[str, Any]]]:
    """Poles with no job figure but an approximate value of jobs created, read in a source."""
    return [
        (p, approximations(p)["emplois_crees"])
        for p in poles
        if "emplois_crees" in approximations(p) and recorded(p, "emplois_crees")[0] is None
    ]


def jobs_readings_text(readings: list[tuple[Pole, Mapping[str, Any]]], n: int) -> str:
    """The transversal's sentence on jobs known only by an approximate value (with its n)."""
    items = "; ".join(f"{p.name} : {approximate_text(item)}" for p, item in readings)
    return (
        f"{plural(len(readings), 'pôle')} sur {format_number(n)} "
        f"{'sont documentés' if len(readings) > 1 else 'est documenté'} pour les emplois créés "
        f"par une valeur approchée citée, non par un nombre de la fiche : {items}."
    )


def members_value(pole: Pole) -> str | int | None:
    """The member count: the structures listed, or the approximate value a quoted source gives
    (« environ 20 (« une vingtaine de structures » … ; lecture du projet) »), never a smaller
    number beside it."""
    listed = len(pole.list_of("structures"))
    approx = approximations(pole).get("structures")
    if approx is None:
        return listed or None
    named = f" ; {plural(listed, 'nommée', 'nommées')} dans la fiche" if listed else ""
    return approximate_text(approx) + named


def start_value(pole: Pole) -> str | int | None:
    """The start of the cooperation: the year, an approximate value read in a source, or, when
    empty, « au plus tard » the first dated event of the chronology, marked as the project's
    reading (never a bare dash beside a dated chronology)."""
    year = pole.get("identite.annee_debut_cooperation")
    if year is not None:
        return year
    approx = approximations(pole).get("annee_debut_cooperation")
    if approx is not None:
        return approximate_text(approx)
    first = first_event(pole)
    if first is None:
        return None
    return f"au plus tard {first} (premier événement daté de la chronologie ; lecture du projet)"
