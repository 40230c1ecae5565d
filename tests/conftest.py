"""Shared fixtures: a throw-away copy of the project with the fictional test corpus, the demo
corpus built whole (once per session), a site server and headless Chromium.

Committed fixture files are never mutated: every test works in ``tmp_path``.
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from ptce_mono.core.paths import ProjectPaths

# A run started in the background (``make test &``, some CI runners) inherits Ctrl-C ignored,
# and so would every command the tests start: the tests that stop a command with Ctrl-C would
# then wait for ever. Ctrl-C is delivered to them as a terminal delivers it.
signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(dest: Path, corpus: Path | None = None) -> ProjectPaths:
    """Copy templates, notebooks and reference data of the repo into ``dest``, with the
    pole folders of ``corpus`` (default: the fictional test corpus)."""
    dest.mkdir(parents=True, exist_ok=True)
    for folder in ("templates", "notebooks"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, dest / folder, dirs_exist_ok=True)
    if (REPO / "jupytext.toml").is_file():
        shutil.copy2(REPO / "jupytext.toml", dest / "jupytext.toml")
    data = dest / "data"
    data.mkdir(exist_ok=True)
    for item in ("grille.yaml", "bibliographie.yaml", "projet.yaml"):
        if (REPO / "data" / item).is_file():
            shutil.copy2(REPO / "data" / item, data / item)
    for folder in ("referentiels", "geo", "participation"):
        shutil.copytree(REPO / "data" / folder, data / folder, dirs_exist_ok=True)
    source = corpus or FIXTURES / "corpus"
    if (source / "bibliographie.yaml").is_file():
        shutil.copy2(source / "bibliographie.yaml", data / "bibliographie.yaml")
    shutil.copytree(source / "poles" if (source / "poles").is_dir() else source, data / "poles")
    return ProjectPaths.at(dest)


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A project root in tmp_path holding the fictional test corpus."""
    return make_project(tmp_path / "projet")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cli(runner: CliRunner, project: ProjectPaths, *args: str):
    """Invoke ``ptce-mono --racine <project> ARGS`` and return the click Result."""
    from ptce_mono.cli import cli

    return runner.invoke(cli, ["--racine", str(project.root), *args], catch_exceptions=False)


# --- the demo corpus built whole, and a browser to look at it ------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
NO_CHROMIUM = "Chromium est absent (/usr/bin/chromium) : les tests dans le navigateur sont ignorés."
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=NO_CHROMIUM)


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """The demo corpus (``data/``) built whole, once per test session, by the real pipeline
    (papermill, kernel, pandoc): every monograph and the transversal analysis in HTML, then the
    site (its search index left out). Tests only read it."""
    from ptce_mono.site.build import build_site

    paths = make_project(tmp_path_factory.mktemp("demo-complete") / "projet", REPO / "data")
    for folder in ("publications", "recensement"):
        shutil.copytree(REPO / "data" / folder, paths.data / folder)
    result = run_cli(CliRunner(), paths, "build", "--to", "html")
    assert result.exit_code == 0, result.output
    build_site(paths, search=False)
    return paths


@contextmanager
def served(root: Path) -> Iterator[str]:
    """``root`` served over HTTP on a free loopback port; yields the site's address."""
    from ptce_mono.site.serve import start_server, stop_server

    server, thread = start_server(root, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop_server(server, thread)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium (Playwright), shared by the browser tests of the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def checked_page(browser: object, width: int = 1280, height: int = 900) -> Iterator[object]:
    """A page in a fresh browser context (French locale); the test fails when a script of the
    page throws (``pageerror``): every Chromium test checks that the site's JavaScript runs."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, locale="fr-FR"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A desktop-sized page (1280 × 900) with the JavaScript-error check."""
    with checked_page(browser) as opened:
        yield opened


@pytest.fixture
def phone_page(browser: object) -> Iterator[object]:
    """A phone-sized page (375 × 812) with the JavaScript-error check."""
    with checked_page(browser, 375, 812) as opened:
        yield opened
