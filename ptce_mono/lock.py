"""An exclusive lock on the output folder, so that two builds cannot interleave.

The lock is the ``filelock`` package's: ``fcntl`` on Linux and macOS, ``msvcrt`` on Windows.
It is released when the build ends, and by the system if the process dies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import LockHeldError, NotWritableError

LOCK_NAME = ".verrou-construction"


@contextmanager
def build_lock(folder: Path) -> Iterator[Path]:
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, timeout=0, is_singleton=False)
        lock.acquire()
    except Timeout as exc:
        raise LockHeldError(path) from exc
    except OSError as exc:  # an output folder where we may not write: say so, in French
        raise NotWritableError.from_os(folder, exc) from exc
    try:
        yield path
    finally:
        lock.release()
