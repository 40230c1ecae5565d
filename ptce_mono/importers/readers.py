"""One contract for every import format, and one registry per kind of import.

A *reader* knows one format (a REFI-QDA project, Taguette's highlights, a KoboToolbox export…):
:meth:`Reader.detect` says how sure it is that a file is in its format, :meth:`Reader.read`
reads it. A :class:`Registry` holds the readers of one kind of import (interviews, answers):
the command names a format (``--format``) or the registry picks the reader most sure of the
file. Both look at the file through one :class:`Source`, which reads the file once (bounded,
through :mod:`ptce_mono.importers.tables` and :mod:`ptce_mono.importers.importcheck`) whatever the number of
readers that look at it.

Adding a format is one module (a class with ``name``, ``label``, ``detect`` and ``read``) and
one ``register`` line in the registry of its kind (``fieldwork/formats.py``,
``participation/formats.py``).
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from ..core.errors import PtceError
from ..core.limits import excerpt
from ..core.problems import Problem
from ..core.suggest import did_you_mean
from .importcheck import open_archive
from .tables import CSV_SUFFIXES, XLSX_SUFFIXES, Table, read_csv_table, read_xlsx_table

# How sure a reader is that a file is in its format.
CERTAIN = 1.0  # a signature of the format was found (a member, the columns it always has)
FALLBACK = 0.1  # only the extension matches: read it anyway, its reader says what is missing
NOT_MINE = 0.0

# How an archive is named in a message about its bounds, by extension.
ARCHIVE_KINDS = {".qdpx": "archive QDPX", ".xlsx": "classeur XLSX", ".xlsm": "classeur XLSX"}

R = TypeVar("R")
C = TypeVar("C")
R_co = TypeVar("R_co", covariant=True)
C_contra = TypeVar("C_contra", contravariant=True)
T = TypeVar("T")


class Source:
    """A file offered to the readers. What detection needs (first bytes, archive members, the
    table of a CSV or workbook) is read once, bounded, and shared with the reader that reads it.

    ``problems``, when given, collects the bad cells of a workbook (read as empty) instead of
    stopping at the first; reading errors otherwise raise a located :class:`PtceError`."""

    def __init__(self, path: Path, problems: list[Problem] | None = None) -> None:
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        self.problems = problems
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """``make()`` computed once for this file (a format's own parsed form)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[no-any-return]

    def head(self) -> bytes:
        """The first bytes of the file (empty when it cannot be read)."""

        def read() -> bytes:
            try:  # a pipe or a device is never opened here (it could block): its reader refuses it
                if not stat.S_ISREG(self.path.stat().st_mode):
                    return b""
                with self.path.open("rb") as handle:
                    return handle.read(8)
            except OSError:
                return b""

        return self.memo("head", read)

    @property
    def is_zip(self) -> bool:
        return self.head().startswith(b"PK\x03\x04")

    @property
    def is_table(self) -> bool:
        """A CSV or a workbook, by its extension (a damaged workbook is said so when read)."""
        if self.suffix in XLSX_SUFFIXES:
            return True
        return self.suffix in CSV_SUFFIXES and not self.is_zip

    def members(self) -> frozenset[str]:
        """Lower-cased names of the members of a ZIP file, its bounds checked first."""

        def read() -> frozenset[str]:
            kind = ARCHIVE_KINDS.get(self.suffix, "archive ZIP")
            with open_archive(self.path, kind) as archive:
                return frozenset(n.lower() for n in archive.namelist())

        return self.memo("members", read) if self.is_zip else frozenset()

    def table(self) -> Table:
        """The file as a table (CSV, or first sheet of a workbook), read once."""

        def read() -> Table:
            if self.suffix in XLSX_SUFFIXES:
                return read_xlsx_table(self.path, self.problems)
            return read_csv_table(self.path)

        return self.memo("table", read)

    def header(self) -> tuple[str, ...]:
        """The first row of the table, lower-cased and stripped; empty if not a table."""
        if not self.is_table:
            return ()
        return tuple(c.strip().lower() for c in self.table().header)


class Reader(Protocol[R_co, C_contra]):
    """One import format. ``name`` is what ``--format`` takes; ``label`` says the format in
    French in messages (« projet REFI-QDA (.qdpx) »)."""

    name: str
    label: str

    def detect(self, source: Source) -> float:
        """How sure the reader is that ``source`` is in its format: :data:`CERTAIN`,
        :data:`FALLBACK` (only the extension matches) or :data:`NOT_MINE`."""
        ...

    def read(self, source: Source, context: C_contra) -> R_co:
        """The parsed file; a problem is said in French, naming the file and the place."""
        ...


class UnknownFormatError(PtceError):
    """A ``--format`` that no reader of this kind of import has."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        hint = did_you_mean(name, known)
        super().__init__(
            f"format « {excerpt(name)} » inconnu pour {kind} (formats : {', '.join(known)})"
            + (f" ; {hint}" if hint else "")
            + "."
        )


class Registry(Generic[R, C]):
    """The readers of one kind of import, in the order they were registered (the first of two
    equally sure readers wins)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # « l'import des entretiens »
        self._readers: dict[str, Reader[R, C]] = {}

    def register(self, reader: Reader[R, C]) -> Reader[R, C]:
        if reader.name in self._readers:
            raise ValueError(f"format already registered: {reader.name}")
        self._readers[reader.name] = reader
        return reader

    def unregister(self, name: str) -> None:
        self._readers.pop(name, None)

    @contextmanager
    def registered(self, reader: Reader[R, C]) -> Iterator[Reader[R, C]]:
        """``reader`` registered for the time of a ``with`` block (tests, plug-ins)."""
        self.register(reader)
        try:
            yield reader
        finally:
            self.unregister(reader.name)

    @property
    def readers(self) -> tuple[Reader[R, C], ...]:
        return tuple(self._readers.values())

    def names(self) -> list[str]:
        return list(self._readers)

    def get(self, name: str) -> Reader[R, C]:
        reader = self._readers.get(name.strip().lower())
        if reader is None:
            raise UnknownFormatError(self.kind, name, self.names())
        return reader

    def labels(self) -> str:
        """« a, b ou c »: the formats this registry reads, for a message."""
        labels = [r.label for r in self.readers]
        return ", ".join(labels[:-1]) + " ou " + labels[-1] if len(labels) > 1 else "".join(labels)

    def detect(self, source: Source) -> Reader[R, C] | None:
        """The reader most sure of ``source``, or None when none recognises it."""
        best: tuple[float, Reader[R, C]] | None = None
        for reader in self.readers:
            score = reader.detect(source)
            if score > NOT_MINE and (best is None or score > best[0]):
                best = (score, reader)
        return best[1] if best else None

    def choose(self, source: Source, name: str | None = None) -> Reader[R, C] | None:
        """The reader ``name`` (``--format``) when given, else the one detection picks."""
        return self.get(name) if name else self.detect(source)
