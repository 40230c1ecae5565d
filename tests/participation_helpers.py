"""Shared set-up of the participation tests: a project holding the FICTIONAL network."""

from __future__ import annotations

from pathlib import Path

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.importers.fictional_corpus import write_fictional_corpus

from .conftest import FIXTURES, make_project

EXPORTS = FIXTURES / "participation" / "exports"
SLUGS = [f"pole-fictif-{k:03d}" for k in range(1, 5)]
QUESTIONNAIRES = sorted((EXPORTS / "questionnaires").glob("*.xlsx"))


def network_project(tmp_path: Path) -> ProjectPaths:
    """A project with the four fictional poles of the participation fixture, no answers yet."""
    write_fictional_corpus(tmp_path / "gen", 4, seed=16, scores=False)
    return make_project(tmp_path / "projet", tmp_path / "gen")
