"""Ctrl-C and kernel deaths (issue 28): the user reads French only — « Interrompu. » or a French
failure — never an English traceback such as asyncio's « Kernel died ». Real builds, real
kernels, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ptce_mono.core.paths import ProjectPaths

PTCE_MONO = str(Path(sys.executable).parent / "ptce-mono")
ENGLISH = ("Traceback", "Kernel died", "Task exception", "Error", "Exception", "asyncio")


def _start(project: ProjectPaths, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PTCE_MONO, "--racine", str(project.root), "build", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip


def _wait_started(project: ProjectPaths, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not any(project.monographs.glob(".tmp-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    assert any(project.monographs.glob(".tmp-*")), "la construction n'a pas commencé"


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def _kernels_of(pid: int) -> list[int]:
    """The ipykernel processes descending from the build's process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            if b"ipykernel" not in cmdline:
                continue
            ancestor = int(entry.name)
            while ancestor > 1 and ancestor != pid:
                ancestor = _parent(ancestor)
        except (OSError, ValueError, IndexError):
            continue
        if ancestor == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("delay", [0.2, 0.8, 1.5, 2.5, 4.0])
def test_ctrl_c_prints_only_interrompu(project: ProjectPaths, delay: float) -> None:
    """SIGINT to the build's process group at several moments of the execution."""
    process = _start(project, "--to", "", "-j", "2")
    try:
        _wait_started(project, process)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    if process.returncode == 0:  # finished before the signal: nothing to check
        return
    assert process.returncode == 130, (stdout, stderr)
    assert stderr.strip().endswith("Interrompu."), stderr
    for word in ENGLISH:
        assert word not in stderr and word not in stdout, (word, stderr)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_killed_kernel_is_a_french_failure(project: ProjectPaths) -> None:
    process = _start(project, "--to", "", "-j", "1", "--sans-transversale")
    try:
        _wait_started(project, process)
        deadline = time.monotonic() + 60
        kernels: list[int] = []
        while not kernels and time.monotonic() < deadline:
            kernels = _kernels_of(process.pid)
            time.sleep(0.05)
        assert kernels, "aucun noyau trouvé"
        for pid in kernels:
            os.kill(pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    for word in ENGLISH:
        assert word not in stderr and word not in stdout, (word, stderr)
    if process.returncode != 0:
        assert "le noyau Python s'est arrêté" in stderr or "Échec" in stderr, stderr


LATE_CTRL_C = """
import os, signal, sys, time
from ptce_mono.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C once the command has said how it ended
time.sleep(0.2)
sys.exit(code)
"""


def test_a_ctrl_c_after_the_end_does_not_kill_a_finished_command(project: ProjectPaths) -> None:
    """The race seen in CI: a build that has printed its summary was killed by the signal
    (code -2) because Python's shutdown gives Ctrl-C back to the system's default."""
    done = subprocess.run(
        [sys.executable, "-c", LATE_CTRL_C, "--racine", str(project.root), "status"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr
