"""Atomic writes: a temp file in the same folder, then os.replace. Nothing half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import NotWritableError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file; a system error names the folder (never
    the temp file) in a :class:`NotWritableError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise NotWritableError.from_os(path.parent, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600 files
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NotWritableError.from_os(path.parent, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def move_into_place(tmp: Path, path: Path) -> None:
    """Rename a finished temp file over ``path`` (same file system)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(tmp, path)
        except OSError:
            shutil.move(str(tmp), str(path))
    except OSError as exc:
        raise NotWritableError.from_os(path.parent, exc) from exc
