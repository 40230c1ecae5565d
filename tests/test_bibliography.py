"""The scholarly apparatus: CSL-JSON entries and pandoc citations (pure functions), and the real
pandoc citeproc run with the project's CSL style."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ptce_mono.core.fr import typography
from ptce_mono.corpus.bibliography import (
    csl_item,
    csl_name,
    escape_stray_at,
    hal_id,
    narrative_citations,
    pandoc_citation,
)
from ptce_mono.corpus.records import Document
from ptce_mono.render import default_templates
from ptce_mono.render.embedded import CSL_STYLE, pandoc_path

# Fictional documents (invented titles and names).
ARTICLE = Document(
    id="autrice-2015", title="Essai fictif sur les coopérations", author="Fictive, Camille",
    year=2015, publisher="Colloque imaginaire ; HAL halshs-00000001", file="004_secret.txt",
)  # fmt: skip
REPORT = Document(id="collectif-2013", title="Plan fictif", author="Collectif fictif et al.",
                  year=2013, file="002_secret.txt")  # fmt: skip
KNOWN = {"autrice-2015", "collectif-2013"}


def test_names_person_and_institution():
    assert csl_name("Fictive, Camille") == {"family": "Fictive", "given": "Camille"}
    assert csl_name("Collectif fictif et al.") == {"literal": "Collectif fictif et al."}
    assert csl_name("Mouvement fictif (MF)") == {"literal": "Mouvement fictif (MF)"}


def test_csl_item_has_no_file_name_and_links_hal():
    item = csl_item(ARTICLE)
    assert "secret" not in json.dumps(item)
    assert item["author"] == [{"family": "Fictive", "given": "Camille"}]
    assert item["issued"] == {"date-parts": [[2015]]}
    assert hal_id(ARTICLE) == "halshs-00000001"
    assert item["URL"] == "https://hal.science/halshs-00000001"
    assert "URL" not in csl_item(REPORT)
    assert ARTICLE.short == "Fictive, 2015" and "secret" not in ARTICLE.full
    for url in ("javascript:alert(1)", "data:text/html,x", "exemple.org/x"):
        trap = Document(id="piege", title="Piège fictif", url=url)
        assert "URL" not in csl_item(trap), url  # citeproc would link it (as https://…)


def test_narrative_citations():
    text = (
        "Selon [@autrice-2015, § II.2 ; annexe] et [@collectif-2013], mais [@inconnu-2000, p. 3]. "
        "Écrire à @pseudo ou nom@domaine, voir https://example.org/@compte et `@code`."
    )
    out = narrative_citations(text, KNOWN)
    assert r"[@autrice-2015, § II.2 \; annexe]" in out
    assert "[@collectif-2013]" in out
    assert "(inconnu-2000, p. 3)" in out and "[@inconnu" not in out
    assert r"\@pseudo" in out and "nom@domaine" in out
    assert "https://example.org/@compte" in out and "`@code`" in out
    assert escape_stray_at("(@mot)") == r"(\@mot)"
    assert pandoc_citation("collectif-2013", "axe 3 [note]") == r"[@collectif-2013, axe 3 \[note\]]"


def test_citeproc_with_the_project_style(tmp_path: Path):
    """The real pandoc: French author-date citations, linked; passages as written."""
    (tmp_path / "bib.json").write_text(json.dumps([csl_item(ARTICLE), csl_item(REPORT)]))
    text = "Texte [@autrice-2015, § II.2] et [@collectif-2013, annexe 1]. Puis "
    text += "[@autrice-2015, § I ; titre d'abord l'annexe] ; fin."
    # the typography of the text around never breaks a citation (a space before « \; » would)
    md = typography(narrative_citations(text, KNOWN))
    (tmp_path / "t.md").write_text(md + "\n\n::: {#refs}\n:::\n", encoding="utf-8")
    argv = [pandoc_path(), "t.md", "--citeproc", "--bibliography", "bib.json", "--csl",
            str(default_templates() / CSL_STYLE), "-M", "lang=fr-FR", "-M", "link-citations=true",
            "-t", "plain", "--wrap=none"]  # fmt: skip
    out = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert "§\u00a0II.2" in out  # the locator never breaks from its label
    out = " ".join(out.split())
    assert "Texte (Fictive, 2015, § II.2) et (Collectif fictif et al., 2013, annexe 1)." in out
    assert "Puis (Fictive, 2015, § I ; titre d’abord l’annexe) ; fin." in out
    assert "Fictive, Camille (2015). Essai fictif sur les coopérations." in out
    assert "Collectif fictif et al. (2013). Plan fictif." in out
    assert "https://hal.science/halshs-00000001" in out and "secret" not in out


def test_citeproc_output_goes_through_the_filter(tmp_path: Path):
    """The real render: citeproc runs before the project's filter, so that HAL identifiers are
    linked in the text and in the bibliography alike, and French spacing reaches the entries
    (a HAL identifier once sent the filter into an endless loop)."""
    from bs4 import BeautifulSoup

    from ptce_mono.render.embedded import render_html

    bib = tmp_path / "bibliographie.json"
    bib.write_text(json.dumps([csl_item(ARTICLE)]), encoding="utf-8")
    md = tmp_path / "doc.md"
    md.write_text("Voir HAL halshs-00000002 et [@autrice-2015, § I].\n\n::: {#refs}\n:::\n")
    out = tmp_path / "doc.html"
    render_html(md, out, {"title": "Essai fictif"}, default_templates(), 60.0, bib)
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("a", href="https://hal.science/halshs-00000002").get_text() == (
        "halshs-00000002"
    )
    citation = soup.find("span", class_="citation")
    assert citation.find("a")["href"] == "#ref-autrice-2015"
    entry = soup.find(id="ref-autrice-2015")
    assert (
        entry.find("a", string="halshs-00000001")["href"] == "https://hal.science/halshs-00000001"
    )
    assert "Colloque imaginaire\u202f; HAL" in entry.get_text()


def test_pdf_keeps_apostrophes_in_citations_and_text(tmp_path: Path):
    """The real PDF (pandoc → Typst): an apostrophe is never turned into a quotation mark,
    whether in a cited passage or in a quotation: after a verbatim « Domb 'Innov », Typst's
    French quotes once printed « Domb “Innov » and, further on, « d”enclavement »."""
    from pypdf import PdfReader

    from ptce_mono.render.embedded import render_pdf

    bib = tmp_path / "bibliographie.json"
    bib.write_text(json.dumps([csl_item(ARTICLE)]), encoding="utf-8")
    md = tmp_path / "doc.md"
    text = typography(
        narrative_citations(
            "« Pôle (Mont 'Fictif) et Val d'Ombre » [@autrice-2015, § I, « Situation d'enclavement "
            "à l'écart »].",
            KNOWN,
        )
    )
    md.write_text(text + "\n\n::: {#refs}\n:::\n", encoding="utf-8")
    out = tmp_path / "doc.pdf"
    render_pdf(md, out, {"title": "Essai fictif"}, default_templates(), 120.0, bib)
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    for expected in ("’Fictif", "Val d’Ombre", "d’enclavement", "l’écart", "(Fictive, 2015"):
        assert expected in words, (expected, words[:300])
    assert "”" not in words and "“" not in words


def test_document_without_author_is_cited_by_its_short_title(tmp_path: Path):
    """A page with no known author is cited by its short title (« titre_court »), not by its
    whole title; its entry keeps the whole title."""
    page = Document.from_raw({"id": "page-fictive-2024", "annee": 2024,
                              "titre": "Pôles fictifs — un long titre de page web imaginaire",
                              "titre_court": "Pôles fictifs"})  # fmt: skip
    item = csl_item(page)
    assert item["title-short"] == "Pôles fictifs" and "author" not in item
    assert page.short == "Pôles fictifs, 2024"
    (tmp_path / "bib.json").write_text(json.dumps([item]))
    (tmp_path / "t.md").write_text(
        "Voir [@page-fictive-2024].\n\n::: {#refs}\n:::\n", encoding="utf-8"
    )
    argv = [pandoc_path(), "t.md", "--citeproc", "--bibliography", "bib.json", "--csl",
            str(default_templates() / CSL_STYLE), "-M", "lang=fr-FR", "-t", "plain", "--wrap=none"]  # fmt: skip
    out = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    out = " ".join(out.split())
    assert "Voir (Pôles fictifs, 2024)." in out
    assert "un long titre de page web imaginaire" in out  # the entry, in full
