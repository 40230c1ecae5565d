"""Declared scores of poles as the monographs, the cohort and the transversal analysis take
them: a pole's latest wave of answers (when it has one), else the scores typed in its record.

A pole whose latest wave is below the threshold has no declared profile: it is listed as
excluded (« effectif trop faible ») and never enters a cohort median.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..corpus.answer_settings import Settings
from ..corpus.answer_store import Wave
from ..corpus.records import Pole
from ..corpus.referentiel import Referentiel
from .scores import Stat, WaveScores, cohort_stats, wave_scores


def pole_waves(pole: Pole, ref: Referentiel) -> list[Wave]:
    """The pole's waves answered with ``ref``'s version, oldest first."""
    return [w for w in pole.require_waves() if w.version == ref.version]


def pole_wave_scores(pole: Pole, ref: Referentiel, settings: Settings) -> list[WaveScores]:
    return [wave_scores(w, ref, settings) for w in pole_waves(pole, ref)]


def objective_profile(scores: Mapping[str, float], ref: Referentiel) -> dict[str, float | None]:
    """Mean score of each principal objective over its scored indicators (None if none): the
    profile of the scores typed in a record."""
    profile: dict[str, float | None] = {}
    for objective in ref.objectives:
        values = [scores[i.id] for i in objective.indicators if i.id in scores]
        profile[objective.id] = round(statistics.fmean(values), 4) if values else None
    return profile


def _record_profile(pole: Pole, ref: Referentiel) -> dict[str, float | None] | None:
    if pole.referentiel_version == ref.version and pole.scores:
        return objective_profile(pole.scores, ref)
    return None


def cohort_profiles(
    poles: Iterable[Pole], ref: Referentiel, settings: Settings,
    respondents: dict[str, int] | None = None,
) -> tuple[dict[str, dict[str, float | None]], list[str]]:  # fmt: skip
    """({slug: objective profile} of the poles compared, [slugs below the threshold]);
    ``respondents`` (when given) receives {slug: respondents of the wave compared}."""
    profiles: dict[str, dict[str, float | None]] = {}
    excluded: list[str] = []
    for pole in poles:
        scored = pole_wave_scores(pole, ref, settings)
        if scored:
            latest = scored[-1]
            if latest.sufficient:
                profiles[pole.slug] = latest.profile
                if respondents is not None:
                    respondents[pole.slug] = latest.respondents
            else:
                excluded.append(pole.slug)
        elif (profile := _record_profile(pole, ref)) is not None:
            profiles[pole.slug] = profile
    return profiles, excluded


@dataclass(frozen=True)
class WaveCohort:
    """The cohort at one wave: per objective the distribution of the poles' medians."""

    wave: str
    poles: int
    excluded: int
    objectives: Mapping[str, Stat]
    slugs: tuple[str, ...] = ()  # the poles above the threshold at this wave


def wave_cohorts(poles: Iterable[Pole], ref: Referentiel, settings: Settings) -> list[WaveCohort]:
    """Per wave (dated campaign shared by the poles), the cohort of the poles above threshold."""
    by_wave: dict[str, list[WaveScores]] = {}
    for pole in poles:
        for scored in pole_wave_scores(pole, ref, settings):
            by_wave.setdefault(scored.wave, []).append(scored)
    result = []
    for wave in sorted(by_wave):
        kept = {s.slug: s.profile for s in by_wave[wave] if s.sufficient}
        result.append(
            WaveCohort(wave, len(kept), len(by_wave[wave]) - len(kept), cohort_stats(kept, ref),
                       tuple(sorted(kept)))
        )  # fmt: skip
    return result
