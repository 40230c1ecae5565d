"""Notebook hygiene: committed notebooks carry no outputs, no execution counts, no unstable
metadata, and stay in sync with their paired ``py:percent`` text form (``jupytext.toml``).

The text form is what reviewers read in a diff; the ``.ipynb`` is what JupyterLab and
papermill open. ``sync_notebooks`` brings each pair in line (the most recently modified file
wins) and strips the notebook; ``check_notebooks`` reports what is wrong without changing it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.atomic import write_text_atomic
from ..core.errors import NotebookHygieneError

TEXT_FORMAT = "py:percent"
TEXT_SUFFIX = ".py"
PAIRED_FOLDERS = ("templates", "notebooks")

# Metadata that changes at every run or on every machine (nbstripout strips them too).
UNSTABLE_NOTEBOOK_KEYS = ("signature", "widgets", "papermill", "vscode", "toc", "execution")
UNSTABLE_LANGUAGE_INFO_KEYS = (
    "version", "codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter",
    "pygments_lexer",
)  # fmt: skip
UNSTABLE_CELL_KEYS = (
    "collapsed", "scrolled", "execution", "ExecuteTime", "heading_collapsed", "hidden",
    "papermill",
)  # fmt: skip
EXTRA_KEYS = [
    *(f"metadata.{k}" for k in UNSTABLE_NOTEBOOK_KEYS),
    *(f"metadata.language_info.{k}" for k in UNSTABLE_LANGUAGE_INFO_KEYS),
    *(f"cell.metadata.{k}" for k in UNSTABLE_CELL_KEYS),
]


def paired_text_path(notebook: Path) -> Path:
    return notebook.with_suffix(TEXT_SUFFIX)


def project_notebooks(root: Path) -> list[Path]:
    """The paired notebooks of a project: ``templates/*.ipynb`` and ``notebooks/*.ipynb``, plus
    notebooks that exist only as their text form (``*.py`` with a jupytext header)."""
    found: set[Path] = set()
    for folder in PAIRED_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        found |= set(base.glob("*.ipynb"))
        for text in base.glob(f"*{TEXT_SUFFIX}"):
            if _is_jupytext_text(text):
                found.add(text.with_suffix(".ipynb"))
    return sorted(found)


def _is_jupytext_text(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:400]
    except OSError:
        return False
    return "jupytext:" in head and "text_representation" in head


def _notebook_path(path: Path) -> Path:
    return path.with_suffix(".ipynb") if path.suffix == TEXT_SUFFIX else path


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotebookHygieneError(f"{path}: notebook illisible ({exc}).") from exc
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookHygieneError(f"{path}: ce n'est pas un notebook Jupyter (pas de cellules).")
    return data


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def content_problems(nb: dict[str, Any]) -> list[str]:
    """What a committed notebook must not hold (pure; messages without the file name)."""
    problems = []
    outputs = [i for i, c in enumerate(nb["cells"], 1) if c.get("outputs")]
    counts = [i for i, c in enumerate(nb["cells"], 1) if c.get("execution_count") is not None]
    if outputs:
        problems.append(f"sorties enregistrées (cellules {', '.join(map(str, outputs))})")
    if counts:
        problems.append(f"numéros d'exécution enregistrés (cellules {', '.join(map(str, counts))})")
    meta = nb.get("metadata", {})
    unstable = [k for k in UNSTABLE_NOTEBOOK_KEYS if k in meta]
    unstable += [
        f"language_info.{k}"
        for k in UNSTABLE_LANGUAGE_INFO_KEYS
        if k in meta.get("language_info", {})
    ]
    for index, cell in enumerate(nb["cells"], 1):
        unstable += [
            f"cellule {index} : {k}" for k in UNSTABLE_CELL_KEYS if k in cell.get("metadata", {})
        ]
    if unstable:
        problems.append(f"métadonnées instables ({', '.join(unstable)})")
    return problems


def _cell_signature(cell: Any) -> tuple[str, str, str]:
    metadata = {
        k: v
        for k, v in dict(cell.get("metadata", {})).items()
        if k not in UNSTABLE_CELL_KEYS and k not in ("jupyter", "lines_to_next_cell")
    }
    return (
        cell.get("cell_type", ""),
        _source(cell).strip(),
        json.dumps(metadata, sort_keys=True, ensure_ascii=False),
    )


def in_sync(notebook: Path, text: Path) -> bool:
    """Same cells (type, source, metadata) in the notebook and its text form."""
    import jupytext

    nb = jupytext.read(notebook)
    paired = jupytext.read(text, fmt=TEXT_FORMAT)
    return [_cell_signature(c) for c in nb.cells] == [_cell_signature(c) for c in paired.cells]


def check_notebooks(paths: Iterable[Path]) -> list[str]:
    """One French line per problem (``file: problem``); empty when every notebook is clean."""
    problems: list[str] = []
    for given in paths:
        notebook = _notebook_path(Path(given))
        text = paired_text_path(notebook)
        if not notebook.is_file():
            problems.append(
                f"{notebook}: notebook absent (seule la forme texte {text.name} existe)"
            )
            continue
        try:
            nb = _read_json(notebook)
        except NotebookHygieneError as exc:
            problems.append(str(exc))
            continue
        problems += [f"{notebook}: {p}" for p in content_problems(nb)]
        if not text.is_file():
            problems.append(f"{notebook}: forme texte appariée {text.name} absente")
        elif not in_sync(notebook, text):
            problems.append(f"{notebook}: désynchronisé de sa forme texte {text.name}")
    return problems


def strip_notebook(notebook: Path) -> bool:
    """Remove outputs, counts and unstable metadata (cell ids kept); True when changed."""
    import nbformat
    from nbstripout import strip_output

    before = notebook.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    strip_output(nb, keep_output=False, keep_count=False, keep_id=True, extra_keys=EXTRA_KEYS)
    after = nbformat.writes(nb)
    if not after.endswith("\n"):
        after += "\n"
    if after == before:
        return False
    write_text_atomic(notebook, after)
    return True


def _jupytext(args: list[str]) -> None:
    from jupytext.cli import jupytext as jupytext_cli

    try:
        code = jupytext_cli(["--quiet", *args])
    except (Exception, SystemExit) as exc:  # jupytext reports bad text as exceptions
        raise NotebookHygieneError(f"jupytext a échoué sur {args[-1]} : {exc}") from exc
    if code:
        raise NotebookHygieneError(f"jupytext a échoué sur {args[-1]} (code {code}).")


def sync_pair(notebook: Path, prefer: str | None = None) -> list[str]:
    """Bring one notebook and its text form in line, then strip the notebook.

    The source is ``prefer`` ("ipynb" or "texte") when given, else the most recently modified
    file. Returns French lines describing what changed.
    """
    text = paired_text_path(notebook)
    if not notebook.is_file() and not text.is_file():
        raise NotebookHygieneError(f"{notebook}: ni le notebook ni sa forme texte n'existent.")
    if prefer is None:
        if not text.is_file():
            prefer = "ipynb"
        elif not notebook.is_file():
            prefer = "texte"
        else:
            prefer = "texte" if text.stat().st_mtime > notebook.stat().st_mtime else "ipynb"
    changes = []
    if prefer == "texte":
        before = notebook.read_bytes() if notebook.is_file() else b""
        args = ["--to", "ipynb", "-o", str(notebook), str(text)]
        _jupytext(["--update", *args] if notebook.is_file() else args)
        strip_notebook(notebook)
        if notebook.read_bytes() != before:
            changes.append(f"{notebook}: mis à jour depuis {text.name}")
    else:
        if strip_notebook(notebook):
            changes.append(f"{notebook}: sorties et métadonnées instables retirées")
        before = text.read_bytes() if text.is_file() else b""
        _jupytext(["--to", TEXT_FORMAT, "-o", str(text), str(notebook)])
        if text.read_bytes() != before:
            changes.append(f"{text}: mis à jour depuis {notebook.name}")
    return changes


def sync_notebooks(paths: Iterable[Path], prefer: str | None = None) -> list[str]:
    """Synchronise and strip every notebook of ``paths`` (``.ipynb`` or text form)."""
    changes: list[str] = []
    for given in paths:
        changes += sync_pair(_notebook_path(Path(given)), prefer)
    return changes
