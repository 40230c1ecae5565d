"""Atomic writes: a temp file in the same folder, then os.replace. Nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import NotWritableError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file; a system error names the folder (never
    the temp file) in a :class:`NotWritableError`."""
    tmp = _staged_write(path, data)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NotWritableError.from_os(path.parent, exc) from exc


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


def copy_file_atomic(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` through a temp file beside it; a system error (reading the
    source included) names the folder of ``path`` in a :class:`NotWritableError`."""
    with _temp_beside(path) as (fd, tmp):
        os.close(fd)
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600 files
        os.replace(tmp, path)


def staged_folder(dest: Path) -> Path:
    """A new empty temp folder beside ``dest`` (``.<name>.<random>.tmp``), to fill and then
    publish with :func:`replace_folder` or :func:`publish_new_folder`; the caller removes it
    on failure."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    except OSError as exc:
        raise NotWritableError.from_os(dest.parent, exc) from exc


def replace_folder(tmp: Path, dest: Path) -> None:
    """Swap the finished folder ``tmp`` in for ``dest``: the old ``dest`` is moved aside, ``tmp``
    renamed over it, then the old one removed. A reader sees the old folder or the new one,
    never a mix. An OSError is left to the caller (who removes ``tmp`` and names the folder)."""
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
    os.replace(tmp, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish_new_folder(tmp: Path, dest: Path) -> None:
    """Rename the finished folder ``tmp`` to ``dest``, which must not exist yet (a folder created
    meanwhile by someone else is never replaced: the rename fails)."""
    try:
        os.rename(tmp, dest)
    except OSError as exc:
        raise NotWritableError.from_os(dest.parent, exc) from exc


JOURNAL_NAME = ".ecriture-en-cours.json"


@contextmanager
def _temp_beside(path: Path) -> Iterator[tuple[int, str]]:
    """A new temp file beside ``path`` (its open descriptor and its name), removed when the
    block fails; a system error names the folder of ``path`` (never the temp file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise NotWritableError.from_os(path.parent, exc) from exc
    try:
        yield fd, tmp
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise NotWritableError.from_os(path.parent, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _staged_write(path: Path, data: bytes, sync: bool = False) -> str:
    """A finished temp file beside ``path`` (flushed to disk with ``sync``); on any failure
    (full disk included) it is removed and the error names the folder."""
    with _temp_beside(path) as (fd, tmp):
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600 files
    return tmp


def write_files_atomic(
    files: Mapping[Path, bytes | str], journal_dir: Path, remove: Iterable[Path] = ()
) -> list[Path]:
    """Write every file of ``files`` and remove every file of ``remove``, or change nothing.

    Files whose content is already the same are left alone; returns the paths written. Every
    new content goes to a temp file first; when all are written, a journal in ``journal_dir``
    lists the renames, then they are made and the journal removed. A process killed during the
    renames leaves the journal: :func:`recover_journal` (run when the data lock is taken)
    finishes them, so a reader never sees some files updated and others not for long, and the
    next command completes the write. A failure before the journal removes every temp file.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                if path.is_file() and path.read_bytes() == data:
                    continue
            except OSError:
                pass
            staged.append((_staged_write(path, data, sync=True), path))
        gone = [p for p in remove if p.exists() and p not in files]
        if not staged and not gone:
            return []
        journal = journal_dir / JOURNAL_NAME
        plan = {
            "renommer": [[tmp, str(path)] for tmp, path in staged],
            "supprimer": [str(p) for p in gone],
        }
        write_bytes_atomic(journal, json.dumps(plan, ensure_ascii=False).encode("utf-8"))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    _apply(plan)
    journal.unlink(missing_ok=True)
    return [path for _, path in staged]


def _apply(plan: Mapping[str, Any]) -> None:
    for tmp, target in plan.get("renommer", []):
        if Path(tmp).exists():
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise NotWritableError.from_os(Path(target).parent, exc) from exc
    for target in plan.get("supprimer", []):
        Path(target).unlink(missing_ok=True)


def recover_journal(journal_dir: Path) -> bool:
    """Finish a multi-file write that a killed process left half done; True when one was."""
    journal = journal_dir / JOURNAL_NAME
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):  # the journal itself was never finished: nothing was renamed
        journal.unlink(missing_ok=True)
        return False
    if isinstance(plan, dict):
        _apply(plan)
    journal.unlink(missing_ok=True)
    return True
