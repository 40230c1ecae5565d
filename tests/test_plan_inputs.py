"""Every input family of ``data/`` (and of the templates) is an input of the plan: editing it
makes exactly the outputs that show it stale, for ``status`` and for ``build`` alike.

The project under test holds every family at once: the fictional corpus, the census, the
published figures, the participation settings, a codes map and the bibliography. It is built
once (notebooks only) and copied for each edit. A guard builds it again with every Python
process auditing its file reads (``tests/read_audit/sitecustomize.py``): each file read under
``data/`` must change the plan's inputs when edited, and every top-level entry of the real
``data/`` must be declared in :data:`ptce_mono.pipeline.plan.DATA_INPUTS` or
:data:`ptce_mono.pipeline.plan.NOT_OUTPUT_INPUTS`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.core.fingerprint import read_manifest
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.pipeline.build import run_build
from ptce_mono.pipeline.plan import DATA_INPUTS, NOT_OUTPUT_INPUTS, TRANSVERSAL, current_inputs
from ptce_mono.pipeline.status import BuildState, build_state, outputs_present
from tests.conftest import REPO, run_cli
from tests.plan_families import EVERYTHING, FAMILIES, UNDECLARED_FAMILIES, full_project

pytestmark = pytest.mark.slow

AUDIT = Path(__file__).resolve().parent / "read_audit"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    paths = full_project(tmp_path_factory.mktemp("familles") / "projet")
    report = run_build(paths, formats=(), jobs=2)
    assert report.ok, [o.message for o in report.failed]
    assert {o.stem for o in report.built} == EVERYTHING
    return paths


@pytest.fixture
def copy(built: ProjectPaths, tmp_path: Path) -> ProjectPaths:
    shutil.copytree(built.root, tmp_path / "projet")
    return ProjectPaths.at(tmp_path / "projet")


def stale_by_status(paths: ProjectPaths) -> dict[str, tuple[str, ...]]:
    """Stem → reasons, for every output ``status`` does not call « à jour »."""
    report = validate_corpus(paths)
    assert not report.errors, [p.format() for p in report.errors]
    current = current_inputs(paths, corpus_from_report(paths, report)).by_stem
    stale = {}
    for stem, inputs in current.items():
        manifest = read_manifest(paths.monographs, stem)
        state, reasons = build_state(manifest, inputs, outputs_present(manifest, paths.monographs))
        if state is not BuildState.UP_TO_DATE:
            stale[stem] = reasons
    return stale


def rebuilt_by_build(paths: ProjectPaths) -> set[str]:
    report = run_build(paths, formats=(), jobs=2)
    assert report.ok, [o.message for o in report.failed]
    return {o.stem for o in report.built}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_makes_exactly_its_outputs_stale(copy: ProjectPaths, family: str) -> None:
    edit, expected, reason = FAMILIES[family]
    assert stale_by_status(copy) == {}
    edit(copy)
    stale = stale_by_status(copy)
    assert set(stale) == expected
    pole_reason = "fiches des pôles" if family == "pole" else reason
    assert all(
        (pole_reason if stem == TRANSVERSAL else reason) in reasons
        for stem, reasons in stale.items()
    ), stale
    assert rebuilt_by_build(copy) == expected
    assert stale_by_status(copy) == {}


def test_status_names_the_census_as_what_made_the_transversal_stale(copy: ProjectPaths) -> None:
    runner = CliRunner()
    before = run_cli(runner, copy, "status")
    assert before.exit_code == 0, before.output
    assert "Analyse transversale : à jour" in before.output
    FAMILIES["recensement"][0](copy)
    after = run_cli(runner, copy, "status")
    assert (
        "Analyse transversale : périmée (changé : recensement 2011 (data/recensement))"
        in after.output
    )
    assert "périmée" not in after.output.replace("Analyse transversale : périmée", "")


def test_every_top_level_entry_of_data_is_declared() -> None:
    entries = {p.name for p in (REPO / "data").iterdir() if not p.name.startswith(".")}
    declared = set(DATA_INPUTS) | set(NOT_OUTPUT_INPUTS) | UNDECLARED_FAMILIES
    assert entries - declared == set()
    assert not set(DATA_INPUTS) & set(NOT_OUTPUT_INPUTS)


def _audited_build(paths: ProjectPaths, log: Path) -> set[Path]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(AUDIT), str(REPO)]),
        "PTCE_AUDIT_LOG": str(log),
        "PTCE_AUDIT_DATA": str(paths.data),
    }
    argv = [sys.executable, "-m", "ptce_mono", "--racine", str(paths.root), "build"]
    done = subprocess.run(
        [*argv, "--to", "html", "-j", "2"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert log.is_file(), "aucune lecture enregistrée : le contrôle des lectures n'a pas tourné"
    return {Path(line) for line in log.read_text(encoding="utf-8").splitlines() if line}


def test_every_file_an_output_reads_under_data_is_an_input(tmp_path: Path) -> None:
    """Each file read under data/ during a real build (main process, workers, kernels) changes
    the inputs of at least one output when its bytes change; no entry is read undeclared."""
    paths = full_project(tmp_path / "projet")
    data = paths.data.resolve()
    reads = _audited_build(paths, tmp_path / "lectures.txt")
    families = {p.relative_to(data).parts[0] for p in reads}
    # the kernels did read the census, the publications and the pole folders
    assert {"recensement", "publications", "poles", "participation"} <= families
    assert families - UNDECLARED_FAMILIES <= set(DATA_INPUTS), families
    report = validate_corpus(paths)
    corpus = corpus_from_report(paths, report)
    before = current_inputs(paths, corpus).by_stem
    undeclared = []
    for path in sorted(reads):
        if path.relative_to(data).parts[0] in UNDECLARED_FAMILIES or not path.is_file():
            continue
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        try:
            if current_inputs(paths, corpus).by_stem == before:
                undeclared.append(path.relative_to(data).as_posix())
        finally:
            path.write_bytes(original)
    assert undeclared == []
