"""Exclusive locks: on the output folder, so that two builds cannot interleave; on ``data/``,
so that two commands writing data (imports, withdrawals, review rounds) never lose an update.

The lock is the ``filelock`` package's: ``fcntl`` on Linux and macOS, ``msvcrt`` on Windows.
It is released when the build ends, and by the system if the process dies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import DataLockHeldError, LockHeldError, NotWritableError
from .layout import POLES_DIR, PRIVATE_DIR

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


DATA_LOCK_NAME = ".verrou-donnees"
DATA_LOCK_WAIT = 120.0  # seconds an import waits for another one before refusing
_HELD: dict[str, int] = {}  # data locks this process holds (re-entrant within one process)


def _clean_orphans(data_dir: Path) -> None:
    """Temp files of a write killed before its journal existed: nothing was renamed, drop them."""
    for pattern in (f"{POLES_DIR}/*/*/.*.tmp", f"{PRIVATE_DIR}/*/.*.tmp", ".*.tmp"):
        for tmp in data_dir.glob(pattern):
            tmp.unlink(missing_ok=True)


@contextmanager
def data_lock(
    data_dir: Path, wait: float | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[Path]:
    """The one lock of everything that writes to ``data/`` (imports, withdrawals, review rounds).

    A second command waits for the first (``on_wait`` is called once, to say so), then refuses
    in French after ``wait`` seconds. Once held, a multi-file write that a killed process left
    half done is finished (:func:`ptce_mono.core.atomic.recover_journal`) before anything is read.
    Usage: ``with data_lock(paths.data): plan = read(); write(plan)`` — read inside the lock,
    so that no update is lost."""
    from .atomic import recover_journal

    wait = DATA_LOCK_WAIT if wait is None else wait
    path = data_dir / DATA_LOCK_NAME
    key = str(path.absolute())
    if _HELD.get(key):  # already held by this process (a command calling an importer): re-enter
        _HELD[key] += 1
        try:
            yield path
        finally:
            _HELD[key] -= 1
        return
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, timeout=0, is_singleton=False)
        try:
            lock.acquire()
        except Timeout:
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=wait)
    except Timeout as exc:
        raise DataLockHeldError(path, wait) from exc
    except OSError as exc:
        raise NotWritableError.from_os(data_dir, exc) from exc
    _HELD[key] = 1
    try:
        if not recover_journal(data_dir):
            _clean_orphans(data_dir)
        yield path
    finally:
        _HELD.pop(key, None)
        lock.release()


def holds_data_lock(data_dir: Path) -> bool:
    """Whether this process holds the data lock of ``data_dir`` (:func:`data_lock`)."""
    return bool(_HELD.get(str((data_dir / DATA_LOCK_NAME).absolute())))
