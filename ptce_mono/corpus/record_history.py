"""The pole's record as it stood at a date, read from git (when the data are versioned).

Only ``pole.yaml`` and the narratives (``*.md``) at the top of the pole folder are read; the
answers folder is left out."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..core.layout import POLE_FILE

GIT_TIMEOUT = 30


@dataclass(frozen=True)
class Snapshot:
    commit: str
    date: str
    files: dict[str, str]  # file name -> text


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True,
            timeout=GIT_TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def record_at(pole_folder: Path, date: str) -> Snapshot | None:
    """The record at the last commit on or before ``date`` (AAAA-MM-JJ) touching the pole,
    or at its first commit when none is that old; None when the folder is not versioned."""
    top = _git(pole_folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    rel = pole_folder.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    line = _git(pole_folder, "log", "-1", f"--before={date} 23:59:59", "--format=%H %cs", "--",
                ".")  # fmt: skip
    if not line:
        line = _git(pole_folder, "log", "--reverse", "--format=%H %cs", "--", ".")
        line = line.splitlines()[0] if line else ""
    if not line.strip():
        return None
    commit, day = line.split()[:2]
    listing = _git(pole_folder, "ls-tree", "--full-tree", "--name-only", commit, f"{rel}/") or ""
    files = {}
    for path in listing.split():
        name = path.rsplit("/", 1)[-1]
        if name == POLE_FILE or name.endswith(".md"):
            text = _git(pole_folder, "show", f"{commit}:{path}")
            if text is not None:
                files[name] = text
    return Snapshot(commit, day, files)
