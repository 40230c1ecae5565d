"""The build's kernels start without JupyterLab's debugger (debugpy), otherwise as
ipykernel_launcher starts them."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from ptce_mono.pipeline.execute import LAUNCHER, Task, run_task, shutdown_kernel, without_debugger


def test_only_the_ipykernel_launcher_is_replaced() -> None:
    argv = ["/py", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert without_debugger(argv) == ["/py", "-Xfrozen_modules=off", "-c", LAUNCHER, "-f",
                                      "{connection_file}"]  # fmt: skip
    own = ["/py", "-m", "mon_noyau", "-f", "{connection_file}"]
    assert without_debugger(own) == own


@pytest.mark.slow
def test_a_build_kernel_runs_without_debugpy_in_the_notebook_folder(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, sys\nprint(sys.modules.get('debugpy') is None, os.getcwd(), '' in sys.path)"
    )]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    path = tmp_path / "noyau.ipynb"
    nbformat.write(nb, path)
    shutdown_kernel()
    try:
        outcome = run_task(Task(stem="noyau", notebook=str(path), parameters={},
                                out_dir=str(tmp_path / "sortie"), meta={}, formats=(),
                                timeout=120, cwd=str(tmp_path)))  # fmt: skip
    finally:
        shutdown_kernel()
    assert outcome.ok, outcome.message
    executed = json.loads((tmp_path / "sortie" / "noyau.ipynb").read_text(encoding="utf-8"))
    text = "".join(executed["cells"][0]["outputs"][0]["text"]).strip()
    assert text == f"True {tmp_path} True"
