"""Write the questionnaires of a wave for some poles (or all): XLSForm, fillable XLSX, paper PDF.

Files go to ``<dest>/<vague>/<pôle>.xlsform.xlsx``, ``<pôle>.xlsx`` and ``<pôle>.pdf``, each
written atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..atomic import write_bytes_atomic
from ..paths import ProjectPaths
from ..records import load_corpus
from .paper import paper_pdf
from .questionnaire import build_questionnaire, check_wave
from .settings import load_vocabulary
from .workbook import workbook_bytes
from .xlsform import xlsform_bytes

FORMATS = ("xlsform", "xlsx", "pdf")
SUFFIXES = {"xlsform": ".xlsform.xlsx", "xlsx": ".xlsx", "pdf": ".pdf"}


def write_questionnaires(
    paths: ProjectPaths, wave: str, dest: Path, slugs: Iterable[str] | None = None,
    formats: Sequence[str] = FORMATS, version: str | None = None,
) -> list[Path]:  # fmt: skip
    """Questionnaires of ``wave`` for ``slugs`` (all poles when None); return the files."""
    check_wave(wave)
    corpus = load_corpus(paths, list(slugs) if slugs else None)
    vocabulary = load_vocabulary(paths)
    written = []
    for pole in corpus.poles:
        wanted = version or pole.referentiel_version_or_default
        from ..errors import UnknownReferentielError

        if wanted not in corpus.referentiels:
            raise UnknownReferentielError(wanted, sorted(corpus.referentiels))
        q = build_questionnaire(corpus.referentiels[wanted], vocabulary, pole.slug, pole.name, wave)
        folder = dest / wave
        for fmt in formats:
            out = folder / f"{pole.slug}{SUFFIXES[fmt]}"
            if fmt == "xlsform":
                data = xlsform_bytes(q)
            elif fmt == "xlsx":
                data = workbook_bytes(q)
            else:
                data = paper_pdf(q, paths.templates, out)
            write_bytes_atomic(out, data)
            written.append(out)
    return written
