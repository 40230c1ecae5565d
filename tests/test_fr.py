"""French formats and typography."""

import re

import pytest

from ptce_mono.core import fr
from ptce_mono.core.fr import NBSP, NNBSP, format_euros, format_number, format_percent, typography


def test_numbers_use_french_separators() -> None:
    assert format_number(1234.5, 1) == f"1{NNBSP}234,5"
    assert format_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert format_number(None) == "—"
    assert format_number(float("nan")) == "—"


def test_percent_and_euros() -> None:
    assert format_percent(12) == f"12{NNBSP}%"
    assert format_percent(12.345, 1) == f"12,3{NNBSP}%"
    assert format_euros(1500) == f"1{NNBSP}500{NBSP}€"


def test_typography_spaces_before_double_punctuation() -> None:
    assert typography("Pourquoi ? Parce que ; voilà : « oui » !") == (
        f"Pourquoi{NNBSP}? Parce que{NNBSP}; voilà{NBSP}: «{NBSP}oui{NBSP}»{NNBSP}!"
    )


def test_typography_leaves_urls_and_entities_alone() -> None:
    assert typography("https://exemple.org/a?b=1") == "https://exemple.org/a?b=1"
    assert typography("&lt;script&gt;") == "&lt;script&gt;"


# --- names with their article, and agreement -------------------------------------------------

NAMES = [
    # (name, article, after « de », after « à », as object)
    ("Le Périscope", "le", "du Périscope", "au Périscope", "le Périscope"),
    ("Le Périscope", None, "du Périscope", "au Périscope", "le Périscope"),
    ("Les Écosolies", "les", "des Écosolies", "aux Écosolies", "les Écosolies"),
    ("La Coursive Boutaric", "la", "de la Coursive Boutaric", "à la Coursive Boutaric", "la Coursive Boutaric"),
    ("L'Atelier fictif", None, "de l'Atelier fictif", "à l'Atelier fictif", "l'Atelier fictif"),
    ("Écopôle – Les Ateliers", "l'", "de l'Écopôle – Les Ateliers", "à l'Écopôle – Les Ateliers", "l'Écopôle – Les Ateliers"),
    ("Pôle Sud Archer", "le", "du Pôle Sud Archer", "au Pôle Sud Archer", "le Pôle Sud Archer"),
    ("Alpen", None, "d'Alpen", "à Alpen", "Alpen"),
    ("Eclis", None, "d'Eclis", "à Eclis", "Eclis"),
    ("Paris Mix", None, "de Paris Mix", "à Paris Mix", "Paris Mix"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "article", "of", "to", "obj"), NAMES)
def test_names_take_their_article(name, article, of, to, obj) -> None:
    assert fr.of_name(name, article) == of
    assert fr.to_name(name, article) == to
    assert fr.with_article(name, article) == obj
    assert not re.search(r"\bde (Le|La|Les|L')\b|\bde [AEIOUYÉÈÊ]", fr.of_name(name, article))


def test_agreement_with_the_number() -> None:
    assert fr.plural(0, "structure") == "0 structure"
    assert fr.plural(1, "structure") == "1 structure"
    assert fr.plural(2, "structure") == "2 structures"
    assert fr.plural(1.5, "ETP") == "1,5 ETP"
    assert fr.plural(3, "ETP") == "3 ETP"
    assert fr.plural(2, "pôle témoin", "pôles témoins") == "2 pôles témoins"
    assert fr.plural(4, "cas") == "4 cas"
    assert fr.agree(1, "documentée") == "documentée" and fr.agree(5, "documentée") == "documentées"


def test_the_french_checks_of_generated_texts_find_what_reads_wrong() -> None:
    """tests/french.py, used on every monograph, the analysis and the site: it finds each kind
    of fault, and leaves alone what is right, verbatim or part of a name."""
    from tests.french import french_faults

    names = ["Le Périscope", "Les Ecosolies – Pôle de Coopération", "Alpen (Alpes Energie)",
             "Scène(s) de Musiques Actuelles de l'Ardèche (SMAC 07)", "Paris Mix"]  # fmt: skip
    wrong = [
        "Fiche d'identité de Le Périscope", "Fiche d’identité de Les Ecosolies – Pôle de Coopération",
        "Fiche d'identité de Alpen (Alpes Energie)", "5 pôles noté(s)", "n = 1 pôles",
        "0 sur 1 structures documentées", "sur 2 pôle témoin", "1 initiatives",
    ]  # fmt: skip
    for text in wrong:
        assert french_faults(text, names), text
    right = (
        "Fiche d'identité du Périscope, des Ecosolies – Pôle de Coopération, d'Alpen (Alpes "
        "Energie), de Scène(s) de Musiques Actuelles de l’Ardèche (SMAC 07) et de Paris Mix ; "
        "« de Le verbatim » ; n = 1 pôle ; 2 pôles ; 1 structure documentée ; 21 pôles."
    )
    assert french_faults(right, names) == []
