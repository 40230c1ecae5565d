"""Writing the site: every path through ``safe_child``, atomic, and only when content changed."""

from __future__ import annotations

import filecmp
from dataclasses import dataclass, field
from pathlib import Path

from ..core.atomic import copy_file_atomic, write_bytes_atomic
from ..core.errors import UnsafeSlugError
from ..core.paths import safe_child


@dataclass
class SiteWriter:
    """Writes under ``root``; counts written and unchanged files; remembers what it produced."""

    root: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    produced: set[Path] = field(default_factory=set)

    def target(self, relative: str) -> Path:
        """``root/relative``, refused if it leaves ``root`` (``..``, absolute paths, links)."""
        parts = relative.split("/")
        if any(part in ("", ".", "..") or "\\" in part for part in parts):
            raise UnsafeSlugError(relative)
        return safe_child(self.root, *parts)

    def _record(self, path: Path, relative: str, changed: bool) -> None:
        self.produced.add(path)
        (self.written if changed else self.unchanged).append(relative)

    def write_bytes(self, relative: str, data: bytes) -> bool:
        path = self.target(relative)
        same = path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
        if not same:
            write_bytes_atomic(path, data)
        self._record(path, relative, not same)
        return not same

    def write_text(self, relative: str, text: str) -> bool:
        return self.write_bytes(relative, text.encode("utf-8"))

    def copy_file(self, source: Path, relative: str) -> bool:
        """Copy ``source`` unless the target already holds the same bytes."""
        path = self.target(relative)
        same = path.is_file() and filecmp.cmp(source, path, shallow=False)
        if not same:
            copy_file_atomic(source, path)
        self._record(path, relative, not same)
        return not same

    def prune(self, folders: tuple[str, ...], top_suffixes: tuple[str, ...] = (".html",)) -> int:
        """Delete files of a previous run that this run did not produce: in ``folders``
        (recursively) and, at the top of ``root``, files ending with ``top_suffixes``."""
        removed = 0
        candidates: list[Path] = []
        for folder in folders:
            base = self.target(folder)
            if base.is_dir():
                candidates += [p for p in base.rglob("*") if p.is_file()]
        if self.root.is_dir():
            candidates += [p for p in self.root.iterdir() if p.is_file() and
                           p.name.endswith(top_suffixes)]  # fmt: skip
        for path in candidates:
            if path.resolve() not in self.produced:
                path.unlink()
                removed += 1
        return removed
