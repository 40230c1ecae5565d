"""A cache of checked poles, so that a command on an unchanged corpus does not parse it again.

Each pole folder has a *signature*: the sorted (name, size, modification time) of its files,
read with ``os.scandir`` (no file is opened). When the signature is the one recorded, the pole,
its problems and the digest of its contents are taken from ``.cache/fiches.pickle``; otherwise
the folder is read and checked again. The whole cache is dropped when what a check depends on
changes: grid, référentiels, bibliography, geography, the package's code, or the project root.

The file is written atomically and only by this project's commands; an unreadable or
incompatible cache is ignored (the corpus is then read as if there were none).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.atomic import write_bytes_atomic
from ..core.fingerprint import file_digest, package_digest, tree_digest
from ..core.paths import ProjectPaths

CACHE_FILE = "fiches.pickle"
FORMAT = 2  # 2: a pole carries its interviews, accounts and waves (records.Pole)

Signature = tuple[tuple[str, int, int, int, bool], ...]
RACY_NS = 2_000_000_000  # a file modified this recently may change again within the same tick
# What reading back a pickled cache may raise: absent, truncated, or from another version.
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError,
              ValueError)  # fmt: skip


def folder_signature(folder: Path) -> Signature:
    """Name, size, mtime and link flag of every visible file under ``folder`` (recursive)."""
    entries: list[tuple[str, int, int, int, bool]] = []

    def walk(current: Path, prefix: str) -> None:
        with os.scandir(current) as it:
            for entry in it:
                name = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=True):
                    walk(Path(entry.path), f"{name}/")
                elif not entry.name.startswith("."):
                    st = entry.stat(follow_symlinks=True) if entry.is_file() else None
                    link = entry.is_symlink()
                    entries.append(
                        (name, st.st_size if st else -1, st.st_mtime_ns if st else -1, link)
                    )

    if folder.is_dir():
        walk(folder, "")
    return tuple(sorted(entries))


def context_digest(paths: ProjectPaths) -> str:
    """What every pole's check depends on besides its own folder."""
    return "|".join(
        (
            str(FORMAT),
            str(paths.root.resolve()),
            str(paths.data.resolve()),
            file_digest(paths.grid_file),
            tree_digest(paths.referentiels, "*.yaml"),
            file_digest(paths.bibliography_file),
            file_digest(paths.departements_file),
            package_digest(),
        )
    )


@dataclass
class Entry:
    signature: Signature
    digest: str
    value: Any  # what the caller stores: here (Pole | None, problems)


@dataclass
class PoleCache:
    context: str
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: bool = False

    def get(self, slug: str, signature: Signature) -> Entry | None:
        entry = self.entries.get(slug)
        return entry if entry is not None and entry.signature == signature else None

    def put(self, slug: str, entry: Entry) -> None:
        """Remember a checked folder, unless one of its files is too recent to be trusted
        (timestamps have a coarse tick: a file rewritten within it keeps its mtime)."""
        newest = max((item[2] for item in entry.signature), default=0)
        if newest > time.time_ns() - RACY_NS:
            self.entries.pop(slug, None)
            return
        self.entries[slug] = entry
        self.changed = True

    def keep_only(self, slugs: set[str] | None) -> None:
        """Forget folders that no longer exist (only when the whole corpus was read)."""
        if slugs is None:
            return
        gone = set(self.entries) - slugs
        for slug in gone:
            del self.entries[slug]
        self.changed = self.changed or bool(gone)


def load_cache(paths: ProjectPaths) -> PoleCache:
    context = context_digest(paths)
    path = paths.cache / CACHE_FILE
    try:
        data = path.read_bytes()
        gc.disable()  # many small objects: the collector would run again and again
        try:
            stored = pickle.loads(data)
            gc.freeze()  # long-lived: later collections need not walk them again
        finally:
            gc.enable()
    except UNREADABLE:
        return PoleCache(context)
    if not isinstance(stored, PoleCache) or stored.context != context:
        return PoleCache(context)
    stored.changed = False
    return stored


def save_cache(paths: ProjectPaths, cache: PoleCache) -> None:
    if not cache.changed:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        write_bytes_atomic(paths.cache / CACHE_FILE, pickle.dumps(cache, protocol=5))
    cache.changed = False


def digests(cache: PoleCache) -> Mapping[str, str]:
    return {slug: entry.digest for slug, entry in cache.entries.items()}
