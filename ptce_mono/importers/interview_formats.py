"""The formats ``import interviews`` reads: one registry of readers (:mod:`ptce_mono.importers.readers`).

A new format (a MAXQDA or ATLAS.ti table, an NVivo export…) is one module with a reader and one
``register`` line below; ``--format`` then takes its name and detection considers it.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import FieldworkError
from . import qdpx, tabular
from .readers import Registry, Source
from .segments import Export, ExportOptions

INTERVIEW_FORMATS: Registry[Export, ExportOptions] = Registry("l'import des entretiens")
INTERVIEW_FORMATS.register(qdpx.READER)
INTERVIEW_FORMATS.register(tabular.QUALCODER_READER)
INTERVIEW_FORMATS.register(tabular.TAGUETTE_READER)


def read_export(path: Path, end: str = "auto", format: str | None = None) -> Export:
    """The export ``path`` read by the reader ``format`` (``--format``), else by the reader
    that recognises it; a file no reader knows is refused, listing the formats read."""
    if not path.exists():
        raise FieldworkError(path, "fichier introuvable")
    source = Source(path, problems=[])  # a workbook's bad cells, all of them
    reader = INTERVIEW_FORMATS.choose(source, format)
    if reader is None:
        raise FieldworkError(path, f"format non reconnu : {INTERVIEW_FORMATS.labels()} attendu")
    return reader.read(source, ExportOptions(end))
