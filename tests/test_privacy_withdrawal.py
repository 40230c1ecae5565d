"""The private table is an input of every output it protects (issue 28): a name added to it
makes the monograph stale; when the rebuild fails for a privacy reason, the previous outputs are
withdrawn from ``monographs/`` and the site (never kept as « last good output »); ``status`` says
so; ``site`` never republishes them. Real build (papermill, pandoc), real site (Pagefind).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ptce_mono.core.names import fold
from ptce_mono.core.paths import ProjectPaths
from tests.conftest import run_cli
from tests.test_fieldwork import QDPX, SLUG, make_terrain

pytestmark = pytest.mark.slow

UNLISTED_NAME = "Odile Vernasque"


def _site_text(paths: ProjectPaths) -> str:
    import gzip

    parts = []
    for path in sorted(paths.site.rglob("*")):
        if path.is_file() and path.suffix not in (".png", ".pdf", ".woff", ".woff2", ".wasm"):
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            parts.append(data.decode("utf-8", errors="replace"))
    return fold("\n".join(parts))


def _add_person(paths: ProjectPaths, name: str, role: str) -> None:
    table = paths.data / "prive" / SLUG / "personnes.yaml"
    text = table.read_text(encoding="utf-8")
    text = text.replace("personnes:\n", f"personnes:\n  - nom: {name}\n    role: {role}\n", 1)
    table.write_text(text, encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path, runner) -> ProjectPaths:
    paths = make_terrain(tmp_path / "projet")
    assert run_cli(runner, paths, "import", "interviews", str(QDPX), "--pole", SLUG).exit_code == 0
    for path in (paths.poles / SLUG / "entretiens").glob("*.yaml"):
        blocks = path.read_text(encoding="utf-8").split("\n- id: ")
        kept = [
            b if UNLISTED_NAME in b else b.replace("retenu: false", "retenu: true") for b in blocks
        ]
        path.write_text("\n- id: ".join(kept), encoding="utf-8")
    # A narrative that names someone (decomposed accents, as pasted from macOS).
    narrative = paths.poles / SLUG / "gouvernance.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8")
        + unicodedata.normalize("NFD", "\nÉlodie Brassac anime le conseil depuis 2021.\n"),
        encoding="utf-8",
    )
    result = run_cli(runner, paths, "build", "-j", "1", "--to", "html")
    assert result.exit_code == 0, result.output
    assert run_cli(runner, paths, "site").exit_code == 0
    assert "brassac" in _site_text(paths) and "vallee de la lisse" in _site_text(paths)
    return paths


def _assert_withdrawn(paths: ProjectPaths, runner, name: str) -> None:
    assert not paths.output(SLUG, "html").exists()
    assert not paths.output(SLUG, "ipynb").exists()
    assert not (paths.site / "poles" / f"{SLUG}.html").exists() or fold(name) not in fold(
        (paths.site / "poles" / f"{SLUG}.html").read_text(encoding="utf-8")
    )
    status = run_cli(runner, paths, "status")
    assert "retirée (confidentialité)" in status.output, status.output
    assert f"Retirée : {SLUG} : retirée pour confidentialité" in status.output
    assert "à jour" not in status.output.split("\n", 3)[2]  # the pole's row
    result = run_cli(runner, paths, "site")
    assert result.exit_code == 0, result.output
    site = _site_text(paths)
    for word in fold(name).split():
        assert word not in site, word
    build = run_cli(runner, paths, "build", "-j", "1", "--to", "html")  # again: still withdrawn
    assert build.exit_code == 1 and not paths.output(SLUG, "html").exists()


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("Elodie Brassac", "récit"),  # written decomposed in the narrative, plain in the table
        ("BRASSAC", "récit"),
        ("Filature", "extrait"),  # a word of a retained excerpt becomes a protected name
    ],
)
def test_a_name_added_to_the_private_table_withdraws_the_outputs(
    built: ProjectPaths, runner, name: str, where: str
) -> None:
    before = run_cli(runner, built, "status")
    assert "à jour" in before.output
    _add_person(built, name, "animatrice du conseil")
    stale = run_cli(runner, built, "status")
    assert "table privée des personnes" in stale.output, stale.output  # stale, not « à jour »
    result = run_cli(runner, built, "build", "-j", "1", "--to", "html")
    assert result.exit_code == 1, result.output
    assert "confidentialit" in result.output or "non publiable" in result.output
    _assert_withdrawn(built, runner, name)


def test_site_never_republishes_a_monograph_naming_a_person_added_after_the_build(
    built: ProjectPaths, runner
) -> None:
    _add_person(built, "Élodie Brassac", "animatrice du conseil")
    result = run_cli(runner, built, "site")  # no build in between
    assert result.exit_code == 0, result.output
    assert "brassac" not in _site_text(built)
    assert not built.output(SLUG, "html").exists()
    assert "retirée (confidentialité)" in run_cli(runner, built, "status").output


@pytest.mark.parametrize("cache", ["cache à jour", "sans cache"])
def test_an_unreadable_private_table_withdraws_what_it_protects(
    built: ProjectPaths, runner, cache: str
) -> None:
    """Whether the pole is taken from the cache of checked poles or read again (a file changed
    less than two seconds ago is always read again), a broken table withdraws its outputs: it
    never makes the pole merely « illisible » with its last monograph left in place."""
    from ptce_mono.corpus.pole_cache import CACHE_FILE

    if cache == "cache à jour":  # files older than the racy window, then checked and cached
        import os
        import time

        past = time.time() - 60
        for path in (built.poles / SLUG).rglob("*"):
            os.utime(path, (past, past))
        assert run_cli(runner, built, "validate").exit_code in (0, 1)
        assert (built.cache / CACHE_FILE).is_file()
    table = built.data / "prive" / SLUG / "personnes.yaml"
    table.write_text("personnes: [\n", encoding="utf-8")  # a table being edited, broken
    if cache == "sans cache":
        (built.cache / CACHE_FILE).unlink(missing_ok=True)
    result = run_cli(runner, built, "build", "-j", "1", "--to", "html")
    assert result.exit_code == 1, result.output
    assert "table privée illisible" in result.output
    assert not built.output(SLUG, "html").exists()
    assert "retirée (confidentialité)" in run_cli(runner, built, "status").output
