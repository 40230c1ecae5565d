"""Bibliography and French typography of issue 23: ordinals in superscript everywhere (HTML and
Typst alike: Unicode modifier letters), the consultation date of a web page, no nested
parentheses in a citation of the demo, « aucun » rather than 0."""

from __future__ import annotations

import json
import subprocess

import pytest

from ptce_mono.core.fr import count_or_none, ordinals, typography
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.bibliography import csl_item
from ptce_mono.corpus.records import Document, load_bibliography
from ptce_mono.render.embedded import pandoc_path

from .conftest import REPO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("XIVes rencontres du RIUESS", "XIVᵉˢ rencontres du RIUESS"),
        ("au 3e séminaire", "au 3ᵉ séminaire"),
        ("le 1er janvier, la 1re fois", "le 1ᵉʳ janvier, la 1ʳᵉ fois"),
        ("le XXe siècle et la Ve République", "le XXᵉ siècle et la Vᵉ République"),
        ("De Gaulle, Le Mans, Me Dupont, ID e1, 1e6, https://x.org/3e", None),
    ],
)
def test_ordinals_in_superscript(text: str, expected: str | None) -> None:
    if expected is not None:
        assert ordinals(text) == expected
    else:  # words, identifiers, numbers and URLs are left as written
        assert "ᵉ" not in typography(text) and "ʳ" not in typography(text)


def test_typography_applies_the_ordinals() -> None:
    assert typography("au 3e séminaire ; fin") == "au 3ᵉ séminaire\u202f; fin"


def test_count_or_none_says_aucun() -> None:
    assert count_or_none(0, "entretien") == "aucun entretien"
    assert count_or_none(0, "réponse", feminine=True) == "aucune réponse"
    assert count_or_none(2, "réponse", feminine=True) == "2 réponses"


def test_a_web_page_prints_its_consultation_date() -> None:
    doc = Document(id="page-2024", title="Page fictive", year=2024,
                   url="https://exemple.invalid/page", accessed="2025-03-12",
                   publisher="XIVes journées fictives")  # fmt: skip
    item = csl_item(doc)
    assert item["accessed"] == {"date-parts": [[2025, 3, 12]]}
    assert item["publisher"] == "XIVᵉˢ journées fictives"


def test_the_entry_prints_url_then_consultation_date(tmp_path) -> None:
    doc = Document(id="page-2024", title="Page fictive", year=2024,
                   url="https://exemple.invalid/page", accessed="2025-03-12")  # fmt: skip
    bib = tmp_path / "bib.json"
    bib.write_text(json.dumps([csl_item(doc)]), encoding="utf-8")
    out = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "plain", "--citeproc", "--wrap=none",
         "--csl", str(REPO / "templates" / "ptce-auteur-date.csl"), "--bibliography", str(bib)],
        input="---\nnocite: '@*'\nlang: fr-FR\n---\n", capture_output=True, text=True, check=True,
    )  # fmt: skip
    text = " ".join(out.stdout.split())
    assert "https://exemple.invalid/page (consulté le 12 mars 2025)" in text


def test_no_demo_citation_nests_parentheses() -> None:
    """A citation prints « (Auteur, année, passage) »: an author carrying its own parentheses
    would nest them."""
    for doc in load_bibliography(ProjectPaths.at(REPO)).values():
        assert "(" not in doc.author, doc.id


def test_a_reading_is_printed_by_its_label_never_its_key() -> None:
    from ptce_mono.analysis.typology import cell

    assert cell(("a",), {"a": "A"}, "inference") == "A (lecture du projet : inférence)"


def test_non_documente_agrees_with_what_it_qualifies() -> None:
    from ptce_mono.core.fr import is_undocumented, undocumented
    from ptce_mono.documents.monograph import _structure_cells, animation_share

    assert undocumented(feminine=True, plural=True) == "non documentées"
    assert all(is_undocumented(undocumented(f, p)) for f in (0, 1) for p in (0, 1))
    # « la famille », « l'insertion par l'activité économique », « la part de l'animation »
    assert _structure_cells({"nom": "X"}) == [
        "X",
        "non documenté",
        "non documentée",
        "non documentée",
    ]
    assert animation_share({"etp": 3}) == "non documentée"
