"""The Quarto engine: ``quarto render <nb.ipynb> --to html|typst --no-execute``.

Used when Quarto (>= 1.4, the first version with Typst output) is on PATH. The executed
notebook is copied with the project's _quarto.yml and style.css into a private folder (a
throw-away Quarto project), rendered there, and the results handed back for the atomic move.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from ..core.atomic import move_into_place
from ..core.errors import ToolFailedError, UnknownFormatError
from ..core.tools import Version, check_version, find_tool, run_tool, tool_version

MINIMUM = (1, 4)
HINT = "https://quarto.org/docs/get-started/ ; ou utilisez --engine embedded"
QUARTO_FORMATS = {"html": "html", "pdf": "typst"}
PROJECT_FILES = ("_quarto.yml", "style.css")


def check_quarto(path: str | None = None) -> tuple[Path, Version]:
    """Path and version of Quarto; ToolMissingError (one French sentence) if absent or too old."""
    binary = find_tool("quarto", HINT, path)
    version = tool_version(binary)
    check_version("Quarto", version, MINIMUM, HINT)
    return binary, version


def quarto_argv(
    quarto: Path | str, notebook: Path | str, fmt: str, output_dir: Path | str,
    metadata: dict[str, str] | None = None,
) -> list[str]:  # fmt: skip
    """The command line rendering ``notebook`` to ``fmt`` ("html" or "pdf") without executing it."""
    if fmt not in QUARTO_FORMATS:
        raise UnknownFormatError(fmt)
    argv = [
        str(quarto), "render", str(notebook), "--to", QUARTO_FORMATS[fmt], "--no-execute",
        "--output-dir", str(output_dir),
    ]  # fmt: skip
    for key, value in (metadata or {}).items():
        argv += ["--metadata", f"{key}:{value}"]
    return argv


def render_quarto(
    ipynb: Path, work: Path, stem: str, formats: Sequence[str], templates: Path, timeout: float
) -> dict[str, Path]:
    """Render with Quarto into ``work``; return {format: produced file}."""
    quarto, _ = check_quarto()
    project = work / "projet"
    project.mkdir()
    notebook = project / f"{stem}.ipynb"
    shutil.copyfile(ipynb, notebook)
    for name in PROJECT_FILES:
        if (templates / name).is_file():
            shutil.copyfile(templates / name, project / name)
    out = work / "sortie"
    produced: dict[str, Path] = {}
    for fmt in formats:
        argv = quarto_argv(quarto, notebook.name, fmt, out, {"lang": "fr"})
        run_tool(argv, name="quarto", timeout=timeout, cwd=project)
        result = out / f"{stem}.{fmt}"
        if not result.is_file():
            raise ToolFailedError("quarto", f"le fichier {result.name} n'a pas été produit")
        target = work / f"{stem}.{fmt}"
        move_into_place(result, target)
        produced[fmt] = target
    return produced
