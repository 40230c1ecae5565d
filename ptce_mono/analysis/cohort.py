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

from ..corpus.answer_settings import Settings
from ..corpus.records import Pole
from ..corpus.referentiel import Referentiel
from .declared import cohort_profiles
from .scores import cohort_stats


def compute_cohort(
    poles: Iterable[Pole], ref: Referentiel, settings: Settings | None = None
) -> dict[str, Any]:
    """Median profile (and quartiles) of the poles scored with ``ref``'s version, with the base n
    per objective. A pole's declared scores are its latest wave of answers when it has one (left
    out below the threshold of respondents: listed in ``exclus``), else its record's scores.

    ``profils`` and ``repondants`` per pole let each monograph take its own pole out of the
    comparison (:func:`ptce_mono.analysis.group.comparison_group`)."""
    respondents: dict[str, int] = {}
    real = [p for p in poles if not p.fictional]  # a demonstration pole is never a PTCE
    profiles, excluded = cohort_profiles(real, ref, settings or Settings(), respondents)
    stats = cohort_stats(profiles, ref)
    return {
        "version": ref.version,
        "poles": len(profiles),
        "median": {k: s.median for k, s in stats.items()},
        "q1": {k: s.q1 for k, s in stats.items()},
        "q3": {k: s.q3 for k, s in stats.items()},
        "n": {k: s.n for k, s in stats.items()},
        "exclus": sorted(excluded),
        "profils": {slug: profiles[slug] for slug in sorted(profiles)},
        "repondants": {slug: respondents[slug] for slug in sorted(respondents)},
    }


def cohort_text(cohort: Mapping[str, Any]) -> str:
    """The canonical serialisation of a cohort: what the build writes and what its key hashes."""
    return json.dumps(cohort, sort_keys=True, ensure_ascii=False, indent=1)


def cohort_digest(cohort: Mapping[str, Any]) -> str:
    return hashlib.sha256(cohort_text(cohort).encode("utf-8")).hexdigest()


def write_cohort(cohort: Mapping[str, Any], path: Path) -> str:
    """Write the cohort file; return its digest (the cache key's ``cohorte`` input)."""
    from ..core.atomic import write_text_atomic

    write_text_atomic(path, cohort_text(cohort))
    return cohort_digest(cohort)


def read_cohort(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def changed_poles(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str] | None:
    """Poles whose place in the cohort changed between two cohorts (profile or respondents,
    added or removed); None when ``old`` cannot tell (absent, or written before per-pole
    profiles were kept)."""
    if old is None or "profils" not in old:
        return None
    slugs = set(old.get("profils") or {}) | set(new.get("profils") or {})
    slugs |= set(old.get("exclus") or []) | set(new.get("exclus") or [])
    return sorted(
        s
        for s in slugs
        if (old.get("profils") or {}).get(s) != (new.get("profils") or {}).get(s)
        or (old.get("repondants") or {}).get(s) != (new.get("repondants") or {}).get(s)
        or (s in (old.get("exclus") or [])) != (s in (new.get("exclus") or []))
    )


def cohort_change_notes(
    previous: Mapping[str, Mapping[str, Any] | None], current: Mapping[str, Mapping[str, Any]],
    stale: int, answered: Iterable[str] = (),
) -> list[str]:  # fmt: skip
    """Why monographs are stale because the cohort changed, for the build's summary:
    « cohorte modifiée : réponses de smac-07 »."""
    notes = []
    with_answers = set(answered)
    for version, cohort in sorted(current.items()):
        old = previous.get(version)
        if old is None or cohort_digest(old) == cohort_digest(cohort):
            continue
        slugs = changed_poles(old, cohort)
        what = (
            "cohorte modifiée"
            if not slugs
            else "cohorte modifiée : "
            + ", ".join(f"{'réponses' if s in with_answers else 'scores'} de {s}" for s in slugs)
        )
        if stale:
            what += f" (référentiel {version} ; monographies comparées à la cohorte à refaire)"
        notes.append(what)
    return notes


def read_previous_cohort(path: Path) -> dict[str, Any] | None:
    try:
        return read_cohort(path) if path.is_file() else None
    except (OSError, ValueError):
        return None
