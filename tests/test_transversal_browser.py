"""The transversal analysis of the demo corpus, rendered to HTML by the real pipeline (papermill,
pandoc) and put on the site, seen in headless Chromium at a 375-pixel phone width: the page never
scrolls sideways; a wide table scrolls inside its own box."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from ptce_mono.build import resolve_engine_name, transversal_task
from ptce_mono.execute import run_task
from ptce_mono.paths import ProjectPaths
from ptce_mono.plan import TRANSVERSAL, current_inputs
from ptce_mono.site.build import build_site
from ptce_mono.site.serve import start_server, stop_server
from ptce_mono.typology import PUBLICATIONS_DIR
from ptce_mono.validate import corpus_from_report, validate_corpus

from .conftest import REPO, make_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip

if not os.path.exists(CHROMIUM):
    pytest.skip(
        "Chromium est absent (/usr/bin/chromium) : les tests dans le navigateur sont ignorés.",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    paths = make_project(tmp_path_factory.mktemp("demo") / "projet", REPO / "data")
    shutil.copytree(REPO / "data" / PUBLICATIONS_DIR, paths.data / PUBLICATIONS_DIR)
    corpus = corpus_from_report(paths, validate_corpus(paths))
    task, _key, _inputs = transversal_task(
        paths, current_inputs(paths, corpus), ("html",), resolve_engine_name("auto"), 600.0
    )
    outcome = run_task(task)
    assert outcome.ok, outcome.message
    build_site(paths)
    return paths


@pytest.fixture(scope="module")
def site_url(project: ProjectPaths) -> Iterator[str]:
    server, thread = start_server(project.site, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop_server(server, thread)


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
        try:
            yield context.new_page()
        finally:
            browser.close()


OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_analysis_page_does_not_overflow_at_375_px(page, site_url: str) -> None:
    page.goto(site_url + f"{TRANSVERSAL}.html")
    assert page.locator("table").count() > 10
    assert page.evaluate(OVERFLOW) <= 0
    # the completeness table is wider than the phone: it scrolls in its own box
    widths = page.eval_on_selector_all(
        "table", "ts => ts.map(t => [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX])"
    )
    assert any(scroll > client for scroll, client, _ in widths)
    assert all(overflow == "auto" for _, _, overflow in widths)


def test_standalone_html_does_not_overflow_at_375_px(page, project: ProjectPaths) -> None:
    page.goto(project.output(TRANSVERSAL, "html").as_uri())
    assert page.evaluate(OVERFLOW) <= 0
    assert page.get_by_text("Enseignements provisoires").first.is_visible()
