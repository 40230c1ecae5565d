"""The one writer of everything an import stores (excerpts, answer waves…): all or nothing,
under the data lock.

Every importer hands the whole set of files it changes (and those it removes) to
:func:`store_import` once everything is read and checked: the files are written through
:func:`ptce_mono.core.atomic.write_files_atomic` (temp files, a journal, then the renames), so a
failure or a kill leaves the data as it was, or the next command finishes the write. Writing
outside the data lock is a programming error (another command could interleave its write).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ..core.atomic import write_files_atomic
from ..core.lock import holds_data_lock


def store_import(
    data_dir: Path, files: Mapping[Path, bytes | str], remove: Iterable[Path] = ()
) -> list[Path]:
    """Write ``files`` and remove ``remove``, all or nothing; returns the paths written."""
    if not holds_data_lock(data_dir):
        raise RuntimeError(f"an import writes only under the data lock of {data_dir}")
    return write_files_atomic(files, data_dir, remove=remove)
