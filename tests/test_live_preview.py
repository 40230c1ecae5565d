"""``ptce-mono preview SLUG --suivre``: a real process follows the saves of a copy of the
fictional project; the served page changes, shows a broken record's problem (file and line)
above the last good preview, recovers, and Ctrl-C ends it in French."""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.pipeline.live import is_relevant, watched_roots
from ptce_mono.site.live import page

from .conftest import needs_chromium

SLUG = "scene-fictive"
BIN = Path(sys.executable).parent
WAIT = 240.0  # a generous bound for a loaded machine: never a measure of speed


def get_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def get(url: str) -> str:
    return get_bytes(url).decode("utf-8")


def state(url: str) -> dict:
    return json.loads(get(url + "etat.json"))


def until(condition: Callable[[], object], what: str, timeout: float = WAIT) -> object:
    """Poll an observable state until ``condition`` holds (never a fixed sleep as a check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"jamais observé : {what}")


class Follower:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url


@pytest.fixture
def follower(project: ProjectPaths) -> Iterator[Follower]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    process = subprocess.Popen(
        [str(BIN / "ptce-mono"), "--racine", str(project.root), "preview", SLUG, "--suivre",
         "--sans-navigateur"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "Aperçu en direct de « scene-fictive » : http://127.0.0.1:" in line, line
        url = line[line.index("http://") :].strip()
        yield Follower(process, url)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def built(url: str, after: int = 0) -> dict | None:
    """The state once an HTML newer than version ``after`` is out and no problem is shown."""
    current = state(url)
    return current if current["version"] > after and current["apercu"] and not current[
        "problemes"] else None  # fmt: skip


@pytest.mark.slow
def test_follow_reloads_on_save_shows_problems_and_stops_in_french(
    project: ProjectPaths, follower: Follower
) -> None:
    url = follower.url
    first = until(lambda: built(url), "le premier aperçu")
    served = get(url)
    published = project.monographs / f"{SLUG}.html"
    # the served copy reloads itself; the published HTML is the build's, untouched
    assert 'new EventSource("/evenements")' in served
    assert "EventSource" not in published.read_text(encoding="utf-8")
    assert "Scène coopérative fictive" in served

    # A saved narrative reaches the served page, HTML first, then the PDF.
    narrative = project.poles / SLUG / "finalites.md"
    sentence = "Une phrase écrite pendant l'aperçu en direct."
    narrative.write_text(narrative.read_text(encoding="utf-8") + f"\n{sentence}\n", "utf-8")
    until(lambda: sentence.replace("'", "’") in get(url) or sentence in get(url),
          "le récit enregistré dans la page servie")  # fmt: skip
    assert sentence.replace("'", "’") in published.read_text(encoding="utf-8") or sentence in (
        published.read_text(encoding="utf-8")
    )
    until(lambda: state(url)["pdf"] == "à jour", "le PDF refait")
    manifest = json.loads((project.monographs / f"{SLUG}.manifest.json").read_text("utf-8"))
    assert manifest["status"] == "ok" and set(manifest["outputs"]) == {"ipynb", "html", "pdf"}
    assert get_bytes(url + f"{SLUG}.pdf").startswith(b"%PDF")

    # A broken record: its problem (file and line, in French) above the last good preview.
    record = project.poles / SLUG / "pole.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("  commune: Rennes\n", "  commune: [Rennes\n"), "utf-8")
    broken = until(lambda: state(url)["problemes"], "le problème de la fiche cassée")
    assert any(re.match(rf"data/poles/{SLUG}/pole.yaml:\d+: YAML mal formé", p) for p in broken)
    # a wrong value: the problem names its line and field
    line = good.splitlines().index("  code_postal: '35000'") + 1
    record.write_text(good.replace("code_postal: '35000'", "code_postal: '1'"), "utf-8")
    where = f"data/poles/{SLUG}/pole.yaml:{line}: identite.code_postal:"
    until(lambda: any(where in p for p in state(url)["problemes"]), "le champ en erreur")
    shown = get(url)
    assert 'id="ptce-apercu-probleme"' in shown
    assert html.escape(where) in shown
    assert "ne peut pas être prévisualisée" in shown
    assert shown.index("ptce-apercu-probleme") < shown.index(sentence.replace("'", "’"))
    assert "ptce-apercu-probleme" not in published.read_text(encoding="utf-8")

    # Fixed: the problem goes, the preview stays.
    record.write_text(good, encoding="utf-8")
    until(lambda: not state(url)["problemes"], "la fiche réparée")
    assert "ptce-apercu-probleme" not in get(url)
    assert first["version"] < state(url)["version"]

    # Ctrl-C: a French line, no traceback, exit 0.
    follower.process.send_signal(signal.SIGINT)
    out, err = follower.process.communicate(timeout=120)
    assert follower.process.returncode == 0, err
    assert "Aperçu arrêté." in out
    assert "Traceback" not in out + err
    assert "Enregistré : data/poles/scene-fictive/finalites.md" in out
    assert not list(project.monographs.glob(".tmp-*"))


@pytest.mark.slow
@needs_chromium
def test_the_open_page_reloads_by_itself(project: ProjectPaths, follower: Follower, browser):
    url = follower.url
    until(lambda: built(url), "le premier aperçu")
    page_ = browser.new_page()
    try:
        page_.goto(url)
        # the page may reload by itself meanwhile (the first PDF done): mark the document it
        # shows once it is loaded, again if a reload came between the two
        for _ in range(50):
            page_.wait_for_load_state()
            try:
                page_.evaluate("window.ptceMarque = 'avant'")
                break
            except PlaywrightError:
                continue
        narrative = project.poles / SLUG / "origine.md"
        sentence = "Rechargée sans rien toucher."
        text = narrative.read_text(encoding="utf-8") if narrative.is_file() else ""
        narrative.write_text(text + f"\n{sentence}\n", encoding="utf-8")
        # the saved text, in a new document (the script of the old one is gone): polled across
        # reloads, never evaluated once in a page that may be navigating
        page_.wait_for_function(
            "text => document.body.innerText.includes(text) && window.ptceMarque === undefined",
            arg=sentence, timeout=WAIT * 1000,
        )  # fmt: skip
    finally:
        page_.close()


def test_watched_inputs_are_the_poles_and_the_shared_ones(project: ProjectPaths) -> None:
    roots = watched_roots(project, SLUG)
    assert project.pole_dir(SLUG) in roots and project.templates in roots
    relevant = [
        project.pole_dir(SLUG) / "finalites.md",
        project.pole_dir(SLUG) / "pole.yaml",
        project.grid_file,
        project.bibliography_file,
        project.referentiels / "2012.yaml",
        project.data / "participation" / "categories.yaml",
        project.template_notebook,
        project.templates / "style.css",
    ]
    ignored = [
        project.pole_dir("plateau-essai") / "finalites.md",
        project.data / "geo" / "departements.csv",
        project.data / "prive" / "personnes.yaml",
        project.templates / "site" / "page.html",
        project.monographs / f"{SLUG}.html",
        project.pole_dir(SLUG) / ".finalites.md.swp",
        project.templates / ".ipynb_checkpoints" / "monographie-checkpoint.ipynb",
    ]
    assert all(is_relevant(project, SLUG, p) for p in relevant)
    assert not any(is_relevant(project, SLUG, p) for p in ignored)


def test_the_served_page_escapes_a_problem_and_injects_only_once() -> None:
    from ptce_mono.pipeline.live import Snapshot

    snap = Snapshot(3, b"<html><body class='x'><main>M</main></body></html>",
                    ("data/poles/x/pole.yaml:2: <script>alert(1)</script>",), "10:00:00", "", "")  # fmt: skip
    shown = page(snap, "x").decode()
    assert "<script>alert(1)</script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert shown.count("EventSource") == 1 and "seen = 3" in shown
    assert shown.index("ptce-apercu-probleme") < shown.index("<main>")
    assert "(10:00:00)" in shown


def test_a_broken_record_at_start_keeps_the_last_published_monograph(project: ProjectPaths):
    """Started on a broken record, the preview shows its problem above the monograph already
    published (the last good output), not an empty page; no kernel is started for it."""
    from ptce_mono.pipeline.live import LivePreview

    project.monographs.mkdir(parents=True, exist_ok=True)
    published = project.monographs / f"{SLUG}.html"
    published.write_text("<html><body><main>Version publiée.</main></body></html>", "utf-8")
    record = project.poles / SLUG / "pole.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("commune: Rennes", "commune: [R"),
                      encoding="utf-8")  # fmt: skip
    preview = LivePreview(project, SLUG, ("html",))
    try:
        done = preview.update()
    finally:
        preview.close()
    assert done.result == "invalid"
    shown = page(preview.state.snapshot(), SLUG).decode()
    assert f"data/poles/{SLUG}/pole.yaml:" in shown and "YAML mal formé" in shown
    assert shown.index("ptce-apercu-probleme") < shown.index("Version publiée.")
    assert "Aucun aperçu n'a encore réussi" not in shown
    assert published.read_text(encoding="utf-8").count("ptce-apercu") == 0


def _figures(html_bytes: bytes) -> dict[str, bytes]:
    """The image of each figure of a monograph's HTML, by figure id."""
    text = html_bytes.decode("utf-8")
    found = re.findall(r'<figure id="(fig-[a-z-]+)">\s*<img [^>]*src="([^"]+)"', text)
    return {ident: src.encode() for ident, src in found}


@pytest.mark.slow
def test_kept_figures_are_drawn_again_when_their_data_changes(project: ProjectPaths, monkeypatch):
    """The live preview's kernel keeps the figures whose data did not change: a narrative saved
    gives the same figures, byte for byte; an event renamed in the record gives a new
    chronology, and only that figure changes."""
    from ptce_mono.documents.charts.memory import ENV_VAR
    from ptce_mono.pipeline.live import LivePreview

    monkeypatch.delenv(ENV_VAR, raising=False)
    record = project.poles / SLUG / "pole.yaml"
    third = (
        "evenements:\n- annee: 2010\n  libelle: Premier chantier commun\n"
        "  source: rapport-fictif-2016\n  passage: p. 38\n"
    )  # three events: a chronology
    record.write_text(record.read_text(encoding="utf-8").replace("evenements:\n", third),
                      encoding="utf-8")  # fmt: skip
    preview = LivePreview(project, SLUG, ("html",))
    try:
        assert os.environ.get(ENV_VAR) == "1"  # the kernel it starts keeps figures
        assert preview.update().result == "built"
        first = _figures(preview.state.snapshot().html or b"")
        assert "fig-chronologie" in first and len(first) >= 2
        narrative = project.poles / SLUG / "finalites.md"
        narrative.write_text(narrative.read_text(encoding="utf-8") + "\nUne phrase.\n", "utf-8")
        assert preview.update().result == "built"
        assert _figures(preview.state.snapshot().html or b"") == first
        text = record.read_text(encoding="utf-8")
        record.write_text(text.replace("Installation dans un lieu partagé",
                                       "Installation dans un autre lieu"), encoding="utf-8")  # fmt: skip
        assert preview.update().result == "built"
        after = _figures(preview.state.snapshot().html or b"")
        assert after["fig-chronologie"] != first["fig-chronologie"]
        assert {k: v for k, v in after.items() if k != "fig-chronologie"} == {
            k: v for k, v in first.items() if k != "fig-chronologie"
        }
    finally:
        preview.close()
    assert ENV_VAR not in os.environ  # given back as it was
