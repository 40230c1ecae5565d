"""Write the questionnaires of a wave for some poles (or all): XLSForm, fillable XLSX, paper PDF.

Files go to ``<dest>/<vague>/<pôle>.xlsform.xlsx``, ``<pôle>.xlsx`` and ``<pôle>.pdf``, each
written atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.atomic import write_bytes_atomic
from ..core.errors import PtceError, UnknownReferentielError
from ..core.paths import ProjectPaths, check_slug
from ..corpus.answer_settings import load_vocabulary
from ..corpus.grid import load_grid
from ..corpus.questionnaire import build_questionnaire, check_wave
from ..corpus.records import load_pole, select_folders
from ..corpus.referentiel import load_all_referentiels
from ..importers.workbook import workbook_bytes
from ..importers.xlsform import xlsform_bytes
from .questionnaire_paper import paper_pdf

FORMATS = ("xlsform", "xlsx", "pdf")
SUFFIXES = {"xlsform": ".xlsform.xlsx", "xlsx": ".xlsx", "pdf": ".pdf"}


@dataclass
class Written:
    """The files written, and the poles whose questionnaires could not be made (slug → French
    error naming that pole's own file): one pole never stops the others."""

    files: list[Path] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def write_questionnaires(
    paths: ProjectPaths, wave: str, dest: Path, slugs: Iterable[str] | None = None,
    formats: Sequence[str] = FORMATS, version: str | None = None,
) -> Written:  # fmt: skip
    """Questionnaires of ``wave`` for ``slugs`` (all poles when None). Each pole's record is
    read on its own: an unreadable record fails that pole's questionnaires only."""
    check_wave(wave)
    folders = select_folders(paths, list(slugs) if slugs else None)
    grid = load_grid(paths.grid_file)
    referentiels = load_all_referentiels(paths.referentiels)
    vocabulary = load_vocabulary(paths)
    result = Written()
    for folder in folders:
        try:
            check_slug(folder.name)
            pole = load_pole(folder, grid, paths)
            wanted = version or pole.referentiel_version_or_default
            if wanted not in referentiels:
                raise UnknownReferentielError(wanted, sorted(referentiels))
            q = build_questionnaire(referentiels[wanted], vocabulary, pole.slug, pole.name, wave)
            made = {}
            for fmt in formats:
                out = dest / wave / f"{pole.slug}{SUFFIXES[fmt]}"
                if fmt == "xlsform":
                    made[out] = xlsform_bytes(q)
                elif fmt == "xlsx":
                    made[out] = workbook_bytes(q)
                else:
                    made[out] = paper_pdf(q, paths.templates, out)
        except PtceError as exc:
            result.failed[folder.name] = str(exc)
            continue
        for out, data in made.items():  # all made first: a failure leaves the previous ones
            write_bytes_atomic(out, data)
            result.files.append(out)
    return result
