"""Cohort data the monographs compare each pole with: median objective profile per version.

The build computes it once (and hashes it into every monograph's cache key); a notebook opened
alone in JupyterLab computes it on the fly.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .records import Pole
from .referentiel import Referentiel


def objective_profile(scores: Mapping[str, float], ref: Referentiel) -> dict[str, float | None]:
    """Mean score of each principal objective over its scored indicators (None if none)."""
    profile: dict[str, float | None] = {}
    for objective in ref.objectives:
        values = [scores[i.id] for i in objective.indicators if i.id in scores]
        profile[objective.id] = round(statistics.fmean(values), 4) if values else None
    return profile


def compute_cohort(poles: Iterable[Pole], ref: Referentiel) -> dict[str, Any]:
    """Median profile of the poles scored with ``ref``'s version, with the base n per objective."""
    profiles = [
        objective_profile(p.scores, ref)
        for p in poles
        if p.referentiel_version == ref.version and p.scores
    ]
    median: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for objective in ref.objectives:
        values = [pr[objective.id] for pr in profiles if pr[objective.id] is not None]
        counts[objective.id] = len(values)
        median[objective.id] = round(statistics.median(values), 4) if values else None
    return {"version": ref.version, "poles": len(profiles), "median": median, "n": counts}


def cohort_text(cohort: Mapping[str, Any]) -> str:
    """The canonical serialisation of a cohort: what the build writes and what its key hashes."""
    return json.dumps(cohort, sort_keys=True, ensure_ascii=False, indent=1)


def cohort_digest(cohort: Mapping[str, Any]) -> str:
    return hashlib.sha256(cohort_text(cohort).encode("utf-8")).hexdigest()


def write_cohort(cohort: Mapping[str, Any], path: Path) -> str:
    """Write the cohort file; return its digest (the cache key's ``cohorte`` input)."""
    from .atomic import write_text_atomic

    write_text_atomic(path, cohort_text(cohort))
    return cohort_digest(cohort)


def read_cohort(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
