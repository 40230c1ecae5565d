"""Cohort data the monographs compare each pole with: median objective profile per version.

The build computes it once (and hashes it into every monograph's cache key); a notebook opened
alone in JupyterLab computes it on the fly.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .participation.declared import cohort_profiles
from .participation.scores import cohort_stats
from .participation.settings import Settings
from .records import Pole
from .referentiel import Referentiel


def compute_cohort(
    poles: Iterable[Pole], ref: Referentiel, settings: Settings | None = None
) -> dict[str, Any]:
    """Median profile (and quartiles) of the poles scored with ``ref``'s version, with the base n
    per objective. A pole's declared scores are its latest wave of answers when it has one (left
    out below the threshold of respondents: listed in ``exclus``), else its record's scores."""
    real = [p for p in poles if not p.fictional]  # a demonstration pole is never a PTCE
    profiles, excluded = cohort_profiles(real, ref, settings or Settings())
    stats = cohort_stats(profiles, ref)
    return {
        "version": ref.version,
        "poles": len(profiles),
        "median": {k: s.median for k, s in stats.items()},
        "q1": {k: s.q1 for k, s in stats.items()},
        "q3": {k: s.q3 for k, s in stats.items()},
        "n": {k: s.n for k, s in stats.items()},
        "exclus": sorted(excluded),
    }


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
