"""Shared fixtures: a throw-away copy of the project with the fictional test corpus.

Committed fixture files are never mutated: every test works in ``tmp_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ptce_mono.paths import ProjectPaths

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
    for item in ("grille.yaml", "bibliographie.yaml"):
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
