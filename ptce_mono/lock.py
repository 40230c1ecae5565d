"""An exclusive lock on the output folder, so that two builds cannot interleave.

The lock is the ``filelock`` package's: ``fcntl`` on Linux and macOS, ``msvcrt`` on Windows.
It is released when the build ends, and by the system if the process dies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import LockHeldError

LOCK_NAME = ".verrou-construction"


@contextmanager
def build_lock(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    lock = FileLock(path, timeout=0, is_singleton=False)
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockHeldError(path) from exc
    try:
        yield path
    finally:
        lock.release()
