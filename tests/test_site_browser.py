"""The site in headless Chromium (Playwright), served by ptce_mono.site.serve on a loopback port.

Screenshots go to test-artifacts/site/ (git-ignored) for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.site.build import build_site
from tests.test_site import write_dataset, write_monographs

from .conftest import checked_page, needs_chromium, served

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "site"
WORD = "zéphyrocoopération"  # fictional word, present in one narrative only
SLUG = "vallons-fictifs"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import make_project

    project: ProjectPaths = make_project(tmp_path_factory.mktemp("site") / "projet")
    narrative = project.poles / SLUG / "origine.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + f"\nUne {WORD} singulière est née ici.\n",
        encoding="utf-8",
    )
    write_monographs(project, [SLUG, "bassin-imaginaire"])
    write_dataset(project)
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "data" / "recensement", project.data / "recensement")
    build_site(project)
    with served(project.site) as url:
        yield url


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_shows_the_map(page, site_url: str) -> None:
    page.goto(site_url)
    svg = page.locator("svg.carte")
    svg.wait_for(state="visible")
    assert page.locator("svg.carte path").count() == 96
    box = page.locator("svg.carte path").first.bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1
    assert page.locator("svg.carte circle").count() == 4
    assert page.locator("svg.carte circle").first.is_visible()
    shot(page, "accueil")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "lien-evitement"


def test_filter_by_region_narrows_rows(page, site_url: str) -> None:
    page.goto(site_url + "poles/index.html")
    rows = page.locator("#liste-poles tbody tr")
    assert rows.count() == 4
    assert page.locator("#filtres").is_visible()
    count = page.locator("#compte")
    assert count.inner_text().startswith("4 pôles affichés")
    page.select_option("#filtre-region", "Occitanie")
    visible = page.locator("#liste-poles tbody tr:visible")
    assert visible.count() == 1
    assert "Occitanie" in visible.first.inner_text()
    assert count.inner_text().startswith("1 pôle affiché sur 4")
    shot(page, "poles-filtre-region")
    page.select_option("#filtre-region", "")
    assert page.locator("#liste-poles tbody tr:visible").count() == 4
    # Keyboard only: focus the status filter and choose an option with the arrow keys.
    page.focus("#filtre-statut")
    page.keyboard.press("ArrowDown")
    assert page.locator("#filtre-statut").input_value() == "temoin"
    shown = page.locator("#liste-poles tbody tr:visible").count()
    assert 0 < shown < 4
    assert count.inner_text().startswith(f"{shown} pôle")


def test_search_finds_the_pole(page, site_url: str) -> None:
    page.goto(site_url + "recherche.html")
    search = page.locator(".pagefind-ui__search-input")
    search.wait_for(state="visible")
    search.fill(WORD)
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(state="visible", timeout=15000)
    assert page.locator("li.pagefind-ui__result").count() == 1  # one page
    # the passage of the narrative where the word is, not a list of the page's headings
    excerpt = page.locator(".pagefind-ui__result-excerpt").first
    excerpt.wait_for(state="visible", timeout=15000)
    assert "singulière est née ici" in excerpt.inner_text()
    assert page.locator(".pagefind-ui__result-nested").count() == 0
    for href in results.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert f"/poles/{SLUG}" in href, href
    shot(page, "recherche")
    results.first.click()
    page.wait_for_load_state()
    assert SLUG in page.url


def test_monograph_page_and_pdf(page, site_url: str) -> None:
    page.goto(site_url + f"poles/{SLUG}.html")
    assert page.locator("h1").inner_text() == "Pôle fictif des Vallons"
    assert page.locator(".document h2").first.is_visible()
    link = page.locator("a[href$='.pdf']").first
    href = link.get_attribute("href")
    assert href == f"../pdf/{SLUG}.pdf"
    response = page.request.get(site_url + f"pdf/{SLUG}.pdf")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    shot(page, "monographie")
    page.goto(site_url + "poles/plateau-essai.html")
    assert page.get_by_text("Monographie non encore produite").first.is_visible()
    shot(page, "monographie-absente")


def test_other_pages_render(page, site_url: str) -> None:
    for name in ("methodologie", "sources", "analyse-transversale"):
        response = page.goto(site_url + f"{name}.html")
        assert response is not None and response.status == 200
        shot(page, name)
    page.goto(site_url + "donnees/index.html")
    assert page.locator("a[href='poles.csv']").is_visible()
    shot(page, "donnees")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url)
    shot(page, "accueil-mobile")
    page.goto(site_url + "poles/index.html")
    shot(page, "poles-mobile")


def test_census_page_map_and_filters(page, site_url: str) -> None:
    """The « Recensement 2011 » page: the 112 initiatives of Annex 2, the map of candidates by
    région with the two pôles témoins of the fictional corpus, the § 2.2 counts side by side,
    and filters by région, by text and by link to a pole."""
    page.goto(site_url + "recensement.html")
    assert page.locator("h1").inner_text().startswith("Recensement 2011")
    rows = page.locator("#liste-recensement tbody tr")
    assert rows.count() == 112
    count = page.locator("#compte-recensement")
    assert count.inner_text() == "112 initiatives affichées sur 112."
    svg = page.locator("#carte-recensement svg.carte")
    svg.wait_for(state="visible")
    # Île-de-France (8 départements, 40 initiatives) and Auvergne-Rhône-Alpes (12, 26).
    assert page.locator("#carte-recensement path.recensement-4").count() == 20
    fill = page.locator("#carte-recensement path.recensement-4").first.evaluate(
        "el => getComputedStyle(el).fill"
    )
    assert fill == "rgb(47, 119, 168)"
    circles = page.locator("#carte-recensement circle.pole")
    assert circles.count() == 2  # scene-fictive and vallons-fictifs are pôles témoins
    assert circles.first.is_visible()
    idf = page.locator("#comparaison tr", has_text="Île-de-France")
    assert "40" in idf.inner_text() and "53" in idf.inner_text()
    assert "non citée" in page.locator("#comparaison tr", has_text="Centre").inner_text()
    shot(page, "recensement")

    page.select_option("#filtre-recensement-region", "Bretagne")
    visible = page.locator("#liste-recensement tbody tr:visible")
    assert visible.count() == 5
    assert all("Bretagne" in text for text in visible.all_inner_texts())
    assert count.inner_text() == "5 initiatives affichées sur 112."
    page.fill("#filtre-recensement-texte", "CRESS")
    assert visible.count() == 1 and "CRESS Bretagne" in visible.first.inner_text()
    assert count.inner_text() == "1 initiative affichée sur 112."
    shot(page, "recensement-filtre")
    page.click("#filtres-recensement button[type=reset]")
    page.wait_for_function(
        "document.getElementById('compte-recensement').textContent.startsWith('112')"
    )
    page.select_option("#filtre-recensement-region", "national")
    assert visible.count() == 5
    # No census initiative is linked to a pole of the fictional corpus.
    page.select_option("#filtre-recensement-region", "")
    page.select_option("#filtre-recensement-pole", "oui")
    assert visible.count() == 0
    assert "Aucune initiative ne correspond" in count.inner_text()
    # A person's name given as carrier is not reproduced.
    page.select_option("#filtre-recensement-pole", "")
    assert page.locator("#liste-recensement", has_text="nom de personne non reproduit").count()


def _site_pages(page, site_url: str) -> list[str]:
    """Every HTML page reachable from the home page (same site, no PDF, no data file)."""
    seen: list[str] = []
    todo = [site_url]
    while todo:
        url = todo.pop(0).split("#")[0].split("?")[0]
        if url in seen:
            continue
        seen.append(url)
        page.goto(url)
        hrefs = page.eval_on_selector_all(
            "a[href]",
            "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)",
        )
        for href in hrefs:
            href = href.split("#")[0].split("?")[0]
            if href.startswith(site_url) and href.endswith(".html") and href not in seen:
                todo.append(href)
    return seen


def test_no_horizontal_overflow_at_375_px(page, site_url: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    pages = _site_pages(page, site_url)
    assert len(pages) >= 10
    wide = {}
    for url in pages:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[url] = width
    assert wide == {}, wide
    page.goto(site_url + f"poles/{SLUG}.html")
    shot(page, "monographie-375")
    # the narrative comes before the side data, and the identity is shown once
    narrative = page.locator("article.monographie").bounding_box()
    card = page.locator("aside.fiche").bounding_box()
    assert narrative is not None and card is not None and narrative["y"] < card["y"]
    assert page.get_by_text("Fiche d’identité", exact=True).count() == 1
    assert page.locator("h1").count() == 1


def test_filters_live_in_the_url(page, site_url: str) -> None:
    page.goto(site_url + "poles/index.html?region=Occitanie")
    assert page.locator("#filtre-region").input_value() == "Occitanie"
    assert page.locator("#liste-poles tbody tr:visible").count() == 1
    page.select_option("#filtre-statut", "temoin")
    assert "region=Occitanie" in page.url and "statut=temoin" in page.url
    shared = page.url
    page.goto(site_url + "poles/index.html")
    assert page.locator("#liste-poles tbody tr:visible").count() == 4
    page.goto(shared)  # a shared link restores both filters
    assert page.locator("#filtre-region").input_value() == "Occitanie"
    assert page.locator("#filtre-statut").input_value() == "temoin"
    page.click("button[type=reset]")
    page.wait_for_url("**/poles/index.html")  # the reset clears the address too
    page.goto(site_url + "poles/index.html?region=R%C3%A9gion-inconnue")
    assert page.locator("#filtre-region").input_value() == ""
    assert page.locator("#liste-poles tbody tr:visible").count() == 4


def test_favicon(page, site_url: str) -> None:
    page.goto(site_url)
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(site_url + href)
    assert response.status == 200 and b"<svg" in response.body()


def test_a_script_error_fails_every_browser_test(browser) -> None:
    """The shared page fixtures (desktop and phone) fail a test whose page throws."""
    for size in ((1280, 900), (375, 812)):
        with pytest.raises(AssertionError, match="boum"), checked_page(browser, *size) as page:
            page.set_content("<p>texte</p><script>throw new Error('boum')</script>")
