"""The French typography of the monographs' pandoc filter (templates/monographie.lua), run by the
real pandoc on small Markdown texts: every rule applies wherever its character stands, and the
shortcut that leaves a list of words without any of these characters changes nothing."""

from __future__ import annotations

import subprocess

import pytest

from ptce_mono.render import default_templates
from ptce_mono.render.embedded import FILTER, PANDOC_FROM, pandoc_path

NBSP, NNBSP = "\u00a0", "\u202f"


def typeset(markdown: str) -> str:
    """The HTML fragment pandoc writes for ``markdown`` through the monographs' filter."""
    lua = default_templates() / FILTER
    done = subprocess.run(
        [pandoc_path(), "-f", PANDOC_FROM, "-t", "html5", "--lua-filter", str(lua)],
        input=markdown, capture_output=True, text=True, encoding="utf-8", check=True,
    )  # fmt: skip
    return done.stdout


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Vraiment !", f"Vraiment{NNBSP}!"),
        ("Vraiment!", f"Vraiment{NNBSP}!"),
        ("Quoi ?", f"Quoi{NNBSP}?"),
        ("Un ; deux", f"Un{NNBSP}; deux"),
        ("Note : oui", f"Note{NBSP}: oui"),
        ("Note: oui", f"Note{NBSP}: oui"),
        ("Il dit « oui » ici", f"Il dit «{NBSP}oui{NBSP}» ici"),
        ("Voir le § 3", f"Voir le §{NBSP}3"),
        ("fin de citation » puis", f"citation{NBSP}» puis"),
        ("début de citation « puis", f"citation «{NBSP}puis"),
        # the only character of a rule inside an emphasis, a link, a table cell, a heading
        ("Un *vraiment !* deux", f"<em>vraiment{NNBSP}!</em>"),
        ("Le [site ?](https://example.org) est là", f"site{NNBSP}?</a>"),
        ("| A |\n|---|\n| Oui ! |\n", f"Oui{NNBSP}!"),
        ("## Pourquoi ?", f"Pourquoi{NNBSP}?"),
    ],
)
def test_each_rule_applies_where_its_character_stands(markdown: str, expected: str) -> None:
    assert expected in typeset(markdown)


@pytest.mark.parametrize(
    "markdown",
    [
        "Une phrase sans ponctuation haute",
        "Adresse https://example.org/a?b=c;d et repère x@y!",
        "| Commune | Lille |\n|---|---|\n| Code | 59000 |\n",
        "Dix heures 10:30 et 3:2",
    ],
)
def test_text_without_a_rule_to_apply_is_unchanged(markdown: str) -> None:
    html = typeset(markdown)
    assert NBSP not in html and NNBSP not in html
