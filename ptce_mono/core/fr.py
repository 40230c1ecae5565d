"""French number, percent and date formats, and French typography. Pure functions."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

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
# Left as written: URLs, link targets, code, {…} attributes, and pandoc citations (whose
# passage is typeset when the citation is made, see bibliography.escape_passage: a space put
# before an escaped « \; » would end the citation).
_PROTECTED = re.compile(
    r"(https?://[^\s)>\]]+|\]\([^)]*\)|`[^`]*`|\{[^}]*\}|\[@(?:\\.|[^\]\\])*\])"
)
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0]?(:)(?=\s|$)")
_GUILLEMETS_OPEN = re.compile(r"«[ \u00a0]?")
_GUILLEMETS_CLOSE = re.compile(r"[ \u00a0]?»")


# French ordinals: « XIVes » → « XIVᵉˢ », « 3e » → « 3ᵉ », « 1er » → « 1ᵉʳ », « 2de » stays.
# Roman numerals of I, V and X only: « De », « Le », « Me » are words, never ordinals.
_ORDINAL = re.compile(r"\b(\d+|[IVX]+)(es|e|er|re|res|ème|èmes)\b")
_SUPERSCRIPT = {
    "e": "ᵉ",
    "es": "ᵉˢ",
    "er": "ᵉʳ",
    "re": "ʳᵉ",
    "res": "ʳᵉˢ",
    "ème": "ᵉ",
    "èmes": "ᵉˢ",
}


def ordinals(text: str) -> str:
    """Ordinal suffixes in superscript (Unicode modifier letters: HTML and Typst alike)."""
    return _ORDINAL.sub(lambda m: m.group(1) + _SUPERSCRIPT[m.group(2)], text)


def typography(text: str) -> str:
    """French spacing: narrow no-break space before ; ! ?, no-break space before : and in « »."""
    if not text:
        return text
    return _outside_protected(text, _typography)


_HELD = re.compile("\ue000(\\d+)\ue001")


def _outside_protected(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the text with its protected spans held aside (each stands as one
    private-use mark, so that the text around it keeps its context: « [@clé] ; suite »)."""
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return f"\ue000{len(held) - 1}\ue001"

    changed = change(_PROTECTED.sub(hold, text))
    return _HELD.sub(lambda m: held[int(m.group(1))], changed)


def _typography(text: str) -> str:
    text = ordinals(text)
    text = _BEFORE_PUNCT.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _GUILLEMETS_OPEN.sub("«" + NBSP, text)
    text = _GUILLEMETS_CLOSE.sub(NBSP + "»", text)
    return text


def agree(count: float, singular: str, plural_form: str | None = None) -> str:
    """The word agreeing with ``count``: singular for 0, 1 and anything below 2 (French rule)."""
    if abs(count) < 2:
        return singular
    if plural_form:
        return plural_form
    invariable = singular.endswith(("s", "x", "z")) or singular.isupper()  # « ETP » stays
    return singular if invariable else singular + "s"


def agree_plural_unit(count: float, unit: str) -> str:
    """A unit given in the plural (« pôles localisés », « structures »), agreeing with ``count``:
    below 2 each word loses its final s (« 1 pôle localisé »)."""
    if abs(count) >= 2:
        return unit
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 2 else w for w in unit.split(" "))


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """« 1 structure », « 3 structures », « 1,5 ETP »: the number and its agreeing word."""
    decimals = 0 if float(count).is_integer() else 1
    return f"{format_number(count, decimals)} {agree(count, singular, plural_form)}"


def undocumented(feminine: bool = False, plural: bool = False) -> str:
    """« non documenté » agreeing with what it qualifies: « non documentée », « non documentés »…"""
    return UNDOCUMENTED + ("e" if feminine else "") + ("s" if plural else "")


def is_undocumented(text: str) -> bool:
    """True for « non documenté » in any of its agreements."""
    return text in {undocumented(f, p) for f in (False, True) for p in (False, True)}


def count_or_none(
    count: float, singular: str, plural_form: str | None = None, feminine: bool = False
) -> str:
    """Like :func:`plural`, but 0 reads « aucun entretien », « aucune réponse » (never « 0 »)."""
    if count == 0:
        return f"{'aucune' if feminine else 'aucun'} {singular}"
    return plural(count, singular, plural_form)


# --- names and their article ---------------------------------------------------------------------

ARTICLES = ("le", "la", "les", "l'")
_VOWELS = "aeiouyàâäéèêëîïôöùûüœæ"
_LEADING_ARTICLE = re.compile(r"^(les|le|la)\s+|^(l['’])\s*", re.IGNORECASE)


def normalise_article(article: str | None) -> str | None:
    if article is None:
        return None
    value = article.strip().lower().replace("’", "'")
    return value if value in ARTICLES else None


def split_article(name: str, article: str | None = None) -> tuple[str | None, str]:
    """(article, rest of the name): « Le Périscope » -> ('le', 'Périscope').

    The record's ``identite.article`` wins; without it, a leading « Le », « La », « Les » or
    « L' » of the name is taken as its article. A name without article gives (None, name).
    """
    name = name.strip()
    given = normalise_article(article)
    match = _LEADING_ARTICLE.match(name)
    if match:
        found = (match.group(1) or "l'").lower()
        if given is None or given == found:
            return found, name[match.end() :]
    return given, name


def starts_with_vowel(word: str) -> bool:
    """True when elision applies before ``word`` (vowel or mute h is not guessed: h is a consonant)."""
    return bool(word) and word[0].lower() in _VOWELS


def of_name(name: str, article: str | None = None) -> str:
    """« du Périscope », « de la Coursive », « des Écosolies », « de l'Atelier », « d'Alpen », « de Paris Mix ».

    Apostrophes are straight, as in the rest of the generated text (typography is applied later).
    """
    art, rest = split_article(name, article)
    if art == "le":
        return f"du {rest}"
    if art == "les":
        return f"des {rest}"
    if art == "la":
        return f"de la {rest}"
    if art == "l'":
        return f"de l'{rest}"
    if starts_with_vowel(rest):
        return f"d'{rest}"
    return f"de {rest}"


def to_name(name: str, article: str | None = None) -> str:
    """« au Périscope », « aux Écosolies », « à la Coursive », « à l'Atelier », « à Alpen »."""
    art, rest = split_article(name, article)
    if art == "le":
        return f"au {rest}"
    if art == "les":
        return f"aux {rest}"
    if art == "la":
        return f"à la {rest}"
    if art == "l'":
        return f"à l'{rest}"
    return f"à {rest}"


def with_article(name: str, article: str | None = None, capital: bool = False) -> str:
    """The name as subject or object: « le Périscope » (or « Le Périscope »), « Alpen »."""
    art, rest = split_article(name, article)
    if art is None:
        return rest
    word = "l'" if art == "l'" else f"{art} "
    if capital:
        word = word[0].upper() + word[1:]
    return f"{word}{rest}"


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def typographic(text: str) -> str:
    """All text a reader sees (site pages, captions): typographic apostrophes (l’ESS) and the
    French spacing of :func:`typography`. URLs, code and ``{…}`` spans are left as written."""
    if not text:
        return text
    return _outside_protected(text, lambda t: _typography(_APOSTROPHE.sub("’", t)))


_UNITS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def number_words(count: int) -> str:
    """A whole number from 0 to 99 in French words (traditional spelling: « vingt et un »,
    « soixante-dix », « quatre-vingts », « quatre-vingt-onze »); others in digits."""
    if not 0 <= count <= 99:
        return format_number(count)
    if count <= 16:
        return _UNITS[count]
    if count < 20:
        return "dix-" + _UNITS[count - 10]
    tens, unit = divmod(count, 10)
    if tens in (7, 9):  # soixante-dix…, quatre-vingt-dix…: counted on from 60 and 80
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = count - (60 if tens == 7 else 80)
        joint = " et " if rest == 11 and tens == 7 else "-"
        return f"{base}{joint}{number_words(rest)}"
    base = "quatre-vingt" if tens == 8 else _TENS[tens]
    if unit == 0:
        return base + ("s" if tens == 8 else "")
    joint = " et " if unit == 1 and tens != 8 else "-"
    return f"{base}{joint}{_UNITS[unit]}"


def words(count: int, singular: str, plural_form: str | None = None) -> str:
    """« neuf objectifs », « un indicateur »: the number in words and its agreeing word."""
    return f"{number_words(count)} {agree(count, singular, plural_form)}"
