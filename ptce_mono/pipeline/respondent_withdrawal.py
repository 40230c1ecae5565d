"""Withdrawing one respondent's answers (a right the respondents have).

``ptce-mono import answers --retirer ID --pole SLUG --vague V`` removes the respondent from the
wave file, logs the withdrawal in it (date and count, no name), deletes the sheets computed
from the pole's answers (restitution, comparisons of waves), then the command rebuilds what
depended on them (monographs — the cohort changed —, transversal analysis, data package,
restitutions, and the site when there is one).

``ID`` is the stored pseudonymous id (``r-8c12cb492b``) or what the person running the campaign
can find from the respondent's request: the submission's ``_uuid`` in a KoboToolbox export, the
response id of a LimeSurvey export, or the filled XLSX questionnaire file itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import PtceError, UnknownWaveError
from ..core.layout import POLE_FILE
from ..core.paths import ProjectPaths, is_safe_slug
from ..corpus.answer_store import Wave, load_wave, wave_names, wave_path, write_wave
from ..documents.comparison import FOLDER as COMPARISONS
from ..documents.restitution import restitution_paths
from ..importers.answers import respondent_id

COMPARISON_NAME = re.compile(r"^\d{4}-\d{2}(-\d{2})?-\d{4}-\d{2}(-\d{2})?\.html$")


@dataclass(frozen=True)
class Withdrawal:
    slug: str
    wave: str
    respondent: str  # the stored id
    remaining: int
    removed_files: tuple[Path, ...]


def candidate_ids(value: str, slug: str, wave: str) -> list[str]:
    """Stored ids ``value`` may stand for (the id itself, a Kobo ``_uuid``, a LimeSurvey id,
    a filled XLSX questionnaire)."""
    text = value.strip()
    ids = [text] if text.startswith("r-") else []
    ids += [respondent_id(f"kobo:{text}"), respondent_id(f"limesurvey:{slug}:{wave}:{text}")]
    path = Path(text)
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        ids.append(respondent_id("xlsx:" + hashlib.sha256(path.read_bytes()).hexdigest()))
    return ids


def withdraw(paths: ProjectPaths, value: str, slug: str, wave: str) -> Withdrawal:
    """Remove one respondent from a stored wave and delete the sheets computed from it."""
    if not is_safe_slug(slug) or not (paths.poles / slug / POLE_FILE).is_file():
        raise PtceError(f"pôle inconnu « {slug} » (aucun dossier {paths.poles / slug})")
    folder = paths.poles / slug
    names = wave_names(folder)
    if wave not in names:
        raise UnknownWaveError(slug, wave, names)
    stored = load_wave(folder, wave)
    wanted = candidate_ids(value, slug, wave)
    found = next((r for r in stored.respondents if r.id in wanted), None)
    if found is None:
        raise PtceError(
            f"aucun répondant « {value} » dans {wave_path(folder, wave)} : indiquez l'identifiant "
            "enregistré (r-…), le « _uuid » de l'export KoboToolbox, l'identifiant de réponse "
            "LimeSurvey ou le fichier du questionnaire XLSX rempli ; rien n'a été modifié."
        )
    kept = tuple(r for r in stored.respondents if r.id != found.id)
    write_wave(folder, Wave(slug, wave, stored.version, kept, stored.journal).logged("retrait", 1))
    removed = [p for p in restitution_paths(paths.monographs, slug) if p.is_file()]
    removed += sorted(p for p in (paths.monographs / COMPARISONS).glob(f"{slug}-*.html")
                      if COMPARISON_NAME.match(p.name.removeprefix(f"{slug}-")))  # fmt: skip
    for path in removed:
        path.unlink(missing_ok=True)
    return Withdrawal(slug, wave, found.id, len(kept), tuple(removed))
