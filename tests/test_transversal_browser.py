"""The transversal analysis of the demo corpus, rendered to HTML by the real pipeline (papermill,
pandoc) and put on the site, seen in headless Chromium at a 375-pixel phone width: the page never
scrolls sideways; a wide table scrolls inside its own box."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.pipeline.plan import TRANSVERSAL

from .conftest import needs_chromium, served

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def site_url(demo_built: ProjectPaths) -> Iterator[str]:
    with served(demo_built.site) as url:
        yield url


OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_analysis_page_does_not_overflow_at_375_px(phone_page, site_url: str) -> None:
    page = phone_page
    page.goto(site_url + f"{TRANSVERSAL}.html")
    assert page.locator("table").count() > 10
    assert page.evaluate(OVERFLOW) <= 0
    # the completeness table is wider than the phone: it scrolls in its own box
    widths = page.eval_on_selector_all(
        "table", "ts => ts.map(t => [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX])"
    )
    assert any(scroll > client for scroll, client, _ in widths)
    assert all(overflow == "auto" for _, _, overflow in widths)


def test_standalone_html_does_not_overflow_at_375_px(phone_page, demo_built: ProjectPaths) -> None:
    page = phone_page
    page.goto(demo_built.output(TRANSVERSAL, "html").as_uri())
    assert page.evaluate(OVERFLOW) <= 0
    assert page.get_by_text("Enseignements provisoires").first.is_visible()
