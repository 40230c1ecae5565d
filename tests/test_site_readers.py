"""The demo site read as a reader would (issue 23): every page at 375 px in headless Chromium
without sideways scrolling, no « — » standing for an absent value, no source key nor working
file name in the text, reading markers kept in the pole sidebar, the genre shown and
filterable, the citation files downloadable."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus
from ptce_mono.corpus.schema import LECTURES

from .conftest import needs_chromium, served
from .french import plain
from .test_demo_texts import reader_text, site_pages, soup_of

pytestmark = pytest.mark.slow

# a vocabulary value printed by its key where its label differs (« inference » for « inférence »)
READING_KEY = re.compile(
    "lecture du projet : (" + "|".join(k for k, v in LECTURES.items() if k != v) + r")\b"
)
WORKING_FILE = re.compile(r"\b[\w-]+\.(ya?ml|txt|ipynb|md)\b|\b\d{3}_[0-9a-f]{16}\b")


def test_no_page_prints_a_dash_for_an_absent_value(demo_built: ProjectPaths) -> None:
    found = {}
    for path in site_pages(demo_built):
        soup = soup_of(path)
        cells = [c.get_text(" ", strip=True) for c in soup.find_all(["td", "dd", "th"])]
        dashes = [c for c in cells if c in ("—", "-", "–")]
        if dashes:
            found[str(path.relative_to(demo_built.site))] = len(dashes)
    assert not found


def test_no_source_key_nor_working_file_name_in_any_page(demo_built: ProjectPaths) -> None:
    corpus = load_corpus(demo_built)
    keys = set(corpus.bibliography) | {d.id for p in corpus.poles for d in p.local_bibliography}
    key_re = re.compile(r"(?<![\w#/-])(" + "|".join(map(re.escape, sorted(keys))) + r")(?![\w-])")
    faults = {}
    for path in site_pages(demo_built):
        text = reader_text(soup_of(path))
        bad = key_re.findall(text) + [m.group(0) for m in WORKING_FILE.finditer(text)]
        bad += [m.group(0) for m in READING_KEY.finditer(plain(text))]
        if bad:
            faults[str(path.relative_to(demo_built.site))] = bad[:5]
    assert not faults


def test_the_sidebar_keeps_the_reading_markers(demo_built: ProjectPaths) -> None:
    soup = soup_of(demo_built.site / "poles" / "dombinnov.html")
    card = soup.find("aside", class_="fiche")
    facts = {dt.get_text(strip=True): plain(dt.find_next_sibling("dd").get_text(" ", strip=True))
             for dt in card.find_all("dt")}  # fmt: skip
    # the record marks the other names and the commune as identifications by the project
    assert "lecture du projet : identification" in facts["Autres noms"]
    assert "lecture du projet" in facts["Commune"]
    assert "Début de la coopération" not in facts  # the sources do not give it: omitted


def test_genre_in_the_list_its_filter_and_the_pole_page(demo_built: ProjectPaths) -> None:
    poles = soup_of(demo_built.site / "poles" / "index.html")
    options = [o.get_text(strip=True) for o in poles.select("#filtre-genre option")]
    # the real poles rest on published documents only; the fictional demonstration pole has
    # fieldwork (interviews, accounts, answers): a monograph
    assert options == ["Tous les documents", "Dossier documentaire", "Monographie"]
    rows = poles.select("#liste-poles tbody tr")
    genres = {r["data-genre"] for r in rows if "pole-fictif-demonstration" not in str(r)}
    assert rows and genres == {"Dossier documentaire"}
    fictional = [r for r in rows if "pole-fictif-demonstration" in str(r)]
    assert len(fictional) == 1 and fictional[0]["data-genre"] == "Monographie"
    page = soup_of(demo_built.site / "poles" / "realis.html")
    assert page.find("p", class_="surtitre").get_text(strip=True) == "Dossier documentaire"
    links = {a["href"] for a in page.select(".document a[href$='.bib'], .document a[href$='.ris']")}
    assert links == {"realis.bib", "realis.ris"}
    for suffix in ("bib", "ris", "csl.json"):
        assert (demo_built.site / "poles" / f"realis.{suffix}").is_file()
    assert (demo_built.site / "analyse-transversale.bib").is_file()
    data = soup_of(demo_built.site / "donnees" / "index.html")
    assert (
        data.find("a", href="CITATION.cff")
        and (demo_built.site / "donnees" / "CITATION.cff").is_file()
    )


@pytest.fixture(scope="module")
def site_url(demo_built: ProjectPaths) -> Iterator[str]:
    with served(demo_built.site) as url:
        yield url


@pytest.mark.browser
@needs_chromium
def test_every_page_of_the_site_fits_375_px(
    browser, demo_built: ProjectPaths, site_url: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    page = context.new_page()
    wide = {}
    try:
        pages = site_pages(demo_built)
        assert len(pages) >= len(load_corpus(demo_built).poles) + 8
        for path in pages:
            relative = path.relative_to(demo_built.site).as_posix()
            page.goto(site_url + relative)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                wide[relative] = overflow
    finally:
        context.close()
    assert not wide
