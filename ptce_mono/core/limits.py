"""Bounds on everything the project reads: file sizes, YAML aliases, nesting and node counts.

A data file is written by a person; none comes near these limits. They exist so that a careless
or hostile file (a « billion laughs » YAML, a multi-gigabyte text) is refused in a fraction of a
second with a French message naming the file and the limit, instead of exhausting the machine.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError

MAX_YAML_BYTES = 1024 * 1024  # pole.yaml, grid, référentiels, bibliography, front matter
MAX_MARKDOWN_BYTES = 1024 * 1024  # one narrative
MAX_CSV_BYTES = 20 * 1024 * 1024  # reference tables and imported exports
MAX_YAML_ALIASES = 20  # a record needs none; a few are tolerated
MAX_YAML_DEPTH = 32  # nesting of mappings and lists
MAX_YAML_NODES = 200_000  # values once aliases are expanded

# --- one set of limits for what importers write and what validate and build read -----------
# An importer refuses, before writing anything, what the readers would refuse; the readers
# accept every file an importer may write (``WRITTEN_LIMITS``). Legitimate large volumes fit:
# 20 000 coded passages in one export, 5 000 respondents in one wave.
MAX_CODED_PASSAGES = 50_000  # per import of a QDA export
MAX_WAVE_RESPONDENTS = 10_000  # per pole and wave
MAX_CELL_CHARS = 32_767  # one spreadsheet or CSV cell (Excel's own limit)
MAX_MEMBER_BYTES = 100 * 1024 * 1024  # one archive member (QDPX, XLSX, DOCX) once decompressed
MAX_MEMBER_RATIO = 200  # decompressed / compressed size of one member (text reaches ~10–30)
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # an archive as a file (a QDPX may hold audio)
MAX_ARCHIVE_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # all members of one archive once decompressed
EXCERPT_CHARS = 40  # at most this many characters of a bad value are quoted in a message


@dataclass(frozen=True)
class YamlLimits:
    max_bytes: int
    max_nodes: int


RECORD_LIMITS = YamlLimits(MAX_YAML_BYTES, MAX_YAML_NODES)  # files written by a person
WRITTEN_LIMITS = YamlLimits(96 * 1024 * 1024, 4_000_000)  # files written by an importer


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable excerpt of a bad value for a message (« Lorem ipsum… (12 345 car.) »)."""
    text = str(value)
    shown = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text[:limit])
    if len(text) <= limit:
        return shown
    return f"{shown}… ({len(text):,} caractères)".replace(",", "\u202f")


def format_size(n: int) -> str:
    """A size for a French reader: « 1 Mio », « 512 Kio », « 300 octets »."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} Mio"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} Mio".replace(".", ",")
    if n >= 1024:
        return f"{n // 1024} Kio"
    return f"{n} octets"


def read_bounded_bytes(path: Path, limit: int, kind: str = "fichier") -> bytes:
    """The bytes of the regular file ``path``, refused when larger than ``limit``.

    Devices, pipes and folders are refused before any read (a FIFO would block forever)."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise DataFileError(path, "fichier introuvable") from exc
    except OSError as exc:
        raise DataFileError(path, f"lecture impossible ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(path, "ce n'est pas un fichier ordinaire (dossier, périphérique ?)")
    if info.st_size > limit:
        raise DataFileError(path, _too_large(kind, info.st_size, limit))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise DataFileError(path, f"lecture impossible ({exc.strerror or exc})") from exc
    if len(data) > limit:  # grew meanwhile
        raise DataFileError(path, _too_large(kind, len(data), limit))
    return data


def read_bounded_text(path: Path, limit: int, kind: str = "fichier") -> str:
    """UTF-8 text of ``path`` (a leading byte-order mark is dropped), bounded by ``limit``."""
    data = read_bounded_bytes(path, limit, kind)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            path,
            f"le fichier n'est pas encodé en UTF-8 (octet illisible à la position {exc.start})",
        ) from exc


def _too_large(kind: str, size: int, limit: int) -> str:
    return (
        f"{kind} trop volumineux ({format_size(size)} ; limite : {format_size(limit)}) : "
        "ce n'est sans doute pas le bon fichier"
    )
