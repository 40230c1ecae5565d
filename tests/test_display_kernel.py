"""Outputs published by ``ptce_mono.documents.display`` in a real kernel keep their order with printed
text: the streams are flushed before a display only when text is waiting."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from ptce_mono.pipeline.execute import Task, run_task, shutdown_kernel

pytestmark = pytest.mark.slow

CELLS = [
    "from ptce_mono.documents.display import show_markdown",
    "show_markdown('un')\nprint('deux')\nshow_markdown('trois')\n"
    "import sys\nsys.stderr.write('quatre\\n')\nshow_markdown('cinq')\nshow_markdown('six')\n"
    "print('sept', end='')\nprint(' huit')\nshow_markdown('neuf')",
]


def test_printed_text_and_displays_keep_their_order(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    path = tmp_path / "ordre.ipynb"
    nbformat.write(nb, path)
    shutdown_kernel()
    try:
        outcome = run_task(Task(stem="ordre", notebook=str(path), parameters={},
                                out_dir=str(tmp_path / "sortie"), meta={}, formats=(),
                                timeout=120, cwd=str(tmp_path)))  # fmt: skip
    finally:
        shutdown_kernel()
    assert outcome.ok, outcome.message
    executed = json.loads((tmp_path / "sortie" / "ordre.ipynb").read_text(encoding="utf-8"))
    seen = []
    for output in executed["cells"][1]["outputs"]:
        text = output.get("text") or output.get("data", {}).get("text/markdown", "")
        seen.append((output["output_type"], "".join(text).strip()))
    assert seen == [
        ("display_data", "un"), ("stream", "deux"), ("display_data", "trois"),
        ("stream", "quatre"), ("display_data", "cinq"), ("display_data", "six"),
        ("stream", "sept huit"), ("display_data", "neuf"),
    ]  # fmt: skip
