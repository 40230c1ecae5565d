"""Every generated text of the demo corpus (issue #12), built whole once by the real pipeline
(tests.conftest.demo_built): each monograph and the transversal analysis in HTML, and every page
of the site. French that agrees; every in-text citation linked to an entry of the bibliography
printed in the same document, in one form for a source whatever the document; the same entry
on the site's sources page; no internal file name of a source anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus
from ptce_mono.pipeline.plan import TRANSVERSAL

from .conftest import REPO
from .french import french_faults, plain

pytestmark = pytest.mark.slow

SEED_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\b")


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def documents(paths: ProjectPaths) -> list[Path]:
    """The standalone HTML of every monograph and of the transversal analysis."""
    return sorted(paths.monographs.glob("*.html"))


def site_pages(paths: ProjectPaths) -> list[Path]:
    return sorted(paths.site.rglob("*.html"))


def reader_text(soup: BeautifulSoup) -> str:
    """What a reader sees or hears: the text, alt texts, titles and labels."""
    for tag in soup.find_all(["script", "style", "svg"]):
        tag.decompose()
    for tag in soup.find_all(["code", "pre"]):
        tag.replace_with(" CODE ")  # a file or command name, not French
    extra = [str(t.get(a, "")) for a in ("alt", "title", "aria-label") for t in soup.find_all()]
    return soup.get_text(" ") + " " + " ".join(extra)


def test_the_demo_is_built_whole(demo_built: ProjectPaths) -> None:
    corpus = load_corpus(demo_built)
    assert len(documents(demo_built)) == len(corpus.poles) + 1
    assert demo_built.output(TRANSVERSAL, "html").is_file()
    assert len(site_pages(demo_built)) >= len(corpus.poles) + 8


def test_french_agrees_in_every_generated_text(demo_built: ProjectPaths) -> None:
    names = [p.name for p in load_corpus(demo_built).poles]
    faults = {}
    for path in documents(demo_built) + site_pages(demo_built):
        found = french_faults(reader_text(soup_of(path)), names)
        if found:
            faults[str(path.relative_to(demo_built.root))] = found[:5]
    assert not faults, faults


def test_every_citation_links_to_an_entry_of_the_same_document(demo_built: ProjectPaths) -> None:
    """In a monograph, the transversal analysis and each site page that embeds one, every
    in-text citation is a link to an entry of the bibliography printed in the same page; no
    citation is left as pandoc source (« [@id] »)."""
    pages = documents(demo_built) + sorted((demo_built.site / "poles").glob("*.html"))
    pages.append(demo_built.site / f"{TRANSVERSAL}.html")
    total = 0
    for path in pages:
        soup = soup_of(path)
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        citations = soup.select("span.citation")
        for citation in citations:
            links = citation.find_all("a", href=True)
            assert links, (path.name, citation.get_text())
            for link in links:
                target = link["href"].removeprefix("#")
                assert link["href"].startswith("#ref-") and target in ids, (path.name, link)
                assert "csl-entry" in soup.find(id=target).get("class", []), (path.name, target)
        total += len(citations)
        text = soup.get_text(" ")
        assert "[@" not in text and "\\@" not in text, path.name
    assert total > 300


def _short_forms(soup: BeautifulSoup) -> dict[str, set[str]]:
    """key -> the author-date forms its in-text citations take (« Podlewski, 2014 »)."""
    forms: dict[str, set[str]] = {}
    for citation in soup.select("span.citation"):
        for link in citation.find_all("a", href=True):
            key = link["href"].split("#ref-")[-1].split("#source-")[-1]
            text = plain(citation.get_text()).lstrip("(")
            match = re.match(r"(.+?\b(?:19|20)\d\d)\b", text)
            if match:
                forms.setdefault(key, set()).add(match.group(1))
    return forms


def test_a_source_is_cited_and_listed_in_one_form_everywhere(demo_built: ProjectPaths) -> None:
    """The same source reads the same in monographs, transversal analysis and site: one
    author-date form in the text, and one entry, identical on the site's sources page."""
    forms: dict[str, set[str]] = {}
    entries: dict[str, set[str]] = {}
    for path in documents(demo_built):
        soup = soup_of(path)
        for key, found in _short_forms(soup).items():
            forms.setdefault(key, set()).update(found)
        for entry in soup.select("div.csl-entry"):
            entries.setdefault(entry["id"].removeprefix("ref-"), set()).add(plain(entry.get_text()))
    for page in ("index.html", "recensement.html"):
        for key, found in _short_forms(soup_of(demo_built.site / page)).items():
            forms.setdefault(key, set()).update(f.replace(" (", ", ") for f in found)
    assert {"labo-ess-2013", "podlewski-2014", "ash-2017"} <= set(forms)
    for key, found in forms.items():
        assert len(found) == 1, (key, found)
    sources = soup_of(demo_built.site / "sources.html")
    for key, texts in entries.items():
        assert len(texts) == 1, (key, texts)
        # a pole's own document is listed under « source-<pôle>-<clé> »
        entry = sources.find(id=f"source-{key}") or sources.find(
            id=re.compile(rf"^source-[a-z0-9-]+-{re.escape(key)}$")
        )
        listed = entry.find(class_="source-titre")
        assert plain(listed.get_text()) == next(iter(texts)), key
    assert "Podlewski (2014)" in plain(soup_of(demo_built.site / "index.html").get_text())


def test_urls_and_hal_identifiers_are_linked(demo_built: ProjectPaths) -> None:
    for path in [demo_built.output(TRANSVERSAL, "html"), demo_built.site / "sources.html"]:
        soup = soup_of(path)
        hrefs = {a["href"] for a in soup.find_all("a", href=True)}
        assert "https://hal.science/halshs-01142474" in hrefs, path.name
        assert "https://shs.hal.science/halshs-01142474" in hrefs, path.name


def test_no_internal_file_name_of_a_source_in_any_output(demo_built: ProjectPaths) -> None:
    """Neither the working copy a source was read from (``fichier`` of the bibliography) nor
    any seed file name appears in a monograph, the analysis, the site or the data package."""
    corpus = load_corpus(demo_built)
    files = {d.file for d in corpus.bibliography.values() if d.file}
    assert files  # the demo bibliography names them: the check can fail
    seeds = REPO.parent / "shared" / "seeds"
    if seeds.is_dir():
        files |= {p.name for p in seeds.iterdir()}
    names = {f for f in files} | {Path(f).stem for f in files}
    checked = 0
    for folder in (demo_built.monographs, demo_built.site):
        for path in folder.rglob("*"):
            if not path.is_file() or path.suffix not in (".html", ".json", ".csv", ".svg", ".md"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found = [n for n in names if n in text] + SEED_NAME.findall(text)
            assert not found, (str(path.relative_to(demo_built.root)), found)
            checked += 1
    assert checked > 50


def test_findings_follow_the_evidence(demo_built: ProjectPaths) -> None:
    """Issue 22 on the whole demo: the census map's legend counts the poles it plots; no
    claim a source does not make; a member count or a start never shown smaller than the
    pole's own quoted sources; jobs known by an approximate value counted and said."""
    census = soup_of(demo_built.site / "recensement.html")
    plotted = len(census.select("#carte-recensement circle.pole"))
    legend = plain(census.select_one(".pastille-pole").parent.get_text())
    assert f"({plotted} sur 21" in legend and "sans département documenté" in legend
    assert "premier recensement" not in plain(census.get_text())
    assert "Annexe 2 et pôles témoins (lecture du projet)" in plain(census.get_text())
    dombinnov = plain(soup_of(demo_built.site / "poles" / "dombinnov.html").get_text())
    assert "environ 20 (« une vingtaine de structures »" in dombinnov
    periscope = plain(soup_of(demo_built.site / "poles" / "le-periscope.html").get_text())
    assert "au plus tard octobre 2012 (premier événement daté de la chronologie" in periscope
    transversal = plain(soup_of(demo_built.output(TRANSVERSAL, "html")).get_text())
    assert "Emplois créés : non documenté (n = 0" not in transversal
    assert "Domb'Innov : environ 100 en cinq ans" in transversal.replace("’", "'")
    assert "Lecture du projet : l'annexe 2 paraît ne pas compter les pôles témoins" in (
        transversal.replace("’", "'")
    )
