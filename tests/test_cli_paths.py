"""Paths of the real ``ptce-mono`` command that only a process shows: usage errors (exit 2),
Ctrl-C (exit 130), ``--debug`` and ``build --dask`` on a LocalCluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from ptce_mono.core.lock import build_lock
from ptce_mono.core.paths import ProjectPaths

PTCE_MONO = str(Path(sys.executable).parent / "ptce-mono")


def ptce(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PTCE_MONO, "--racine", str(root), *args], capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("args", "usage", "words"),
    [
        (
            ("build", "--jobs", "0"),
            "Utilisation : ptce-mono build",
            "Erreur : valeur invalide « 0 » pour --jobs",
        ),
        (
            ("build", "--engine", "latex"),
            "Utilisation : ptce-mono build",
            "Erreur : valeur invalide « latex » pour --engine",
        ),
        (
            ("commande-inconnue",),
            "Utilisation : ptce-mono [OPTIONS] COMMAND",
            "Erreur : commande inconnue « commande-inconnue »",
        ),
    ],
)
def test_usage_errors_exit_with_code_2(project: ProjectPaths, args, usage, words) -> None:
    result = ptce(project.root, *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(words), result.stderr  # the error first, in French
    assert lines[1].startswith(usage), result.stderr  # then how to call the command
    assert "Traceback" not in result.stderr
    assert not project.monographs.exists()  # nothing was started


BOOM = """
import sys
import ptce_mono.pipeline.build
def boom(*args, **kwargs):
    raise ValueError("panne interne simulée")
ptce_mono.pipeline.build.run_build = boom
from ptce_mono.cli import main
main(sys.argv[1:])
"""


def test_unexpected_error_is_one_french_line_and_debug_shows_the_traceback(project) -> None:
    """An error the program does not expect (here a ValueError inside ``run_build``) ends the
    command with a French sentence and its log; ``--debug`` shows the traceback itself."""
    command = [sys.executable, "-c", BOOM, "--racine", str(project.root)]
    quiet = subprocess.run([*command, "build"], capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 1
    log = project.root / ".cache" / "ptce-mono-erreur.log"
    assert quiet.stderr.strip() == (
        f"Erreur inattendue (ValueError). Le détail technique est dans "
        f"{log} ; relancez avec --debug pour l'afficher."
    )
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "ValueError: panne interne simulée" in log.read_text(encoding="utf-8")
    loud = subprocess.run([*command, "--debug", "build"], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert loud.returncode == 1
    assert loud.stderr.startswith("Traceback (most recent call last):"), loud.stderr
    assert 'File "<string>", line 5, in boom' in loud.stderr
    assert "ptce_mono/cli/commands/build.py" in loud.stderr
    assert loud.stderr.rstrip().endswith("ValueError: panne interne simulée")
    assert "Erreur inattendue" not in loud.stderr


def block_every_monograph(project: ProjectPaths, marker: Path) -> None:
    """A last cell in the project's template that says it runs (``marker``), then waits for
    ever: the build is surely inside a task, and cannot finish, when the test interrupts it."""
    template = project.template_notebook
    nb = nbformat.read(template, as_version=4)
    source = (
        "import pathlib, time\n"
        f"pathlib.Path({str(marker)!r}).touch()\n"
        "while True:\n"
        "    time.sleep(0.05)\n"
    )
    nb.cells.append(nbformat.v4.new_code_cell(source, id="attente-du-test"))
    nbformat.write(nb, template)


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("jobs", ["2", "1"])
def test_ctrl_c_stops_a_real_build_with_code_130(
    project: ProjectPaths, tmp_path: Path, jobs: str
) -> None:
    """SIGINT to the build's process group, as a terminal's Ctrl-C sends it, once a kernel has
    reached the template's last cell (an observable state, not a delay)."""
    marker = tmp_path / "une-monographie-tourne"
    block_every_monograph(project, marker)
    process = subprocess.Popen(
        [PTCE_MONO, "--racine", str(project.root), "build", "--to", "", "-j", jobs],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 240
        while not marker.exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        assert marker.exists(), "aucune monographie n'a atteint la dernière cellule"
        assert process.poll() is None  # the build cannot end by itself: it is still running
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    assert process.returncode == 130, (stdout, stderr)
    assert stderr.strip().endswith("Interrompu."), stderr
    assert "Traceback" not in stderr
    # nothing half-written was moved into place: no monograph could finish (the transversal
    # analysis runs beside them, unblocked, and may have ended before the Ctrl-C)
    finished = [p for p in project.monographs.glob("*.ipynb") if p.stem != "analyse-transversale"]
    assert finished == []
    with build_lock(project.monographs):  # the lock was released
        pass


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_build_on_a_dask_cluster_given_on_the_command_line(project: ProjectPaths) -> None:
    distributed = pytest.importorskip("distributed")
    slug = "plateau-essai"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        result = ptce(project.root, "build", slug, "--to", "", "--dask", cluster.scheduler_address)
        ran_on_cluster = set(cluster.scheduler.task_prefixes)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"[1/1] {slug} : ok" in result.stdout
    assert "Construits : 1 ; à jour : 0 ; en échec : 0" in result.stdout
    assert f"ptce-{slug}" in ran_on_cluster, ran_on_cluster  # the task's key on the scheduler
    notebook = (project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8")
    assert "Pôle d'essai du Plateau" in notebook
