"""Declared scores of a pole for one wave, computed from its respondents (pure functions).

- Per indicator: the respondents' answers (« ne sait pas » and blanks left out).
- Per principal objective: each respondent's mean over the objective's indicators they
  scored, then the median over respondents (so that one respondent weighs one).
- Spread: quartiles (interquartile range) and extremes; n is always given.
- Per stakeholder category: the same per objective, for each category.
- Small cells: only the groups of :func:`ptce_mono.analysis.cells.publishable_groups` have
  results of their own (``seuil_categorie``), and a cell over fewer respondents than its
  threshold has no median (pole level: ``Settings.minimum``; category level: the category
  threshold).
- **Divergence marquée** (the rule): on an objective, two categories shown on their own (never
  the pool « autres catégories ») that each have at least ``Settings.category_minimum``
  respondents scoring it, and whose medians differ by at least
  ``Settings.divergence`` points of the scale (1 by default).
- Below ``Settings.minimum`` respondents in the wave (3 by default) the pole has no score:
  « effectif trop faible », and it is left out of every cohort comparison.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..corpus.answer_settings import Settings
from ..corpus.answer_store import Respondent, Wave
from ..corpus.referentiel import Referentiel

LOW_BASE = "effectif trop faible"


@dataclass(frozen=True)
class Stat:
    """Distribution of values: n, median, quartiles, extremes (None when n = 0)."""

    n: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    minimum: float | None = None
    maximum: float | None = None


def describe(values: Iterable[float]) -> Stat:
    data = sorted(float(v) for v in values)
    if not data:
        return Stat(0)
    if len(data) == 1:
        q1 = q3 = data[0]
    else:
        q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Stat(
        n=len(data), median=round(statistics.median(data), 4), q1=round(q1, 4),
        q3=round(q3, 4), minimum=data[0], maximum=data[-1],
    )  # fmt: skip


@dataclass(frozen=True)
class Divergence:
    objective: str
    high: str  # category id with the highest median
    high_median: float
    low: str
    low_median: float

    @property
    def gap(self) -> float:
        return round(self.high_median - self.low_median, 4)


@dataclass(frozen=True)
class WaveScores:
    """A pole's declared scores for one wave (« déclaré par les membres »)."""

    slug: str
    wave: str
    version: str
    respondents: int
    minimum: int
    indicators: Mapping[str, Stat] = field(default_factory=dict)
    objectives: Mapping[str, Stat] = field(default_factory=dict)
    category_counts: Mapping[str, int] = field(default_factory=dict)
    by_category: Mapping[str, Mapping[str, Stat]] = field(default_factory=dict)
    divergences: tuple[Divergence, ...] = ()
    dont_know: Mapping[str, int] = field(default_factory=dict)  # « ne sait pas » per indicator
    pooled: tuple[str, ...] = ()  # categories under the threshold (inside « autres catégories »)
    category_threshold: int = 3
    ids: frozenset[str] = frozenset()  # respondent ids (to count who answered two waves)

    @property
    def sufficient(self) -> bool:
        return self.respondents >= self.minimum

    @property
    def profile(self) -> dict[str, float | None]:
        """Median per objective; empty when the wave is below the threshold."""
        if not self.sufficient:
            return {}
        return {k: s.median for k, s in self.objectives.items()}

    @property
    def status(self) -> str:
        return "" if self.sufficient else LOW_BASE


def respondent_objectives(respondent: Respondent, ref: Referentiel) -> dict[str, float]:
    """One respondent's mean score per objective, over the indicators they scored."""
    result = {}
    for objective in ref.objectives:
        values = [
            v for i in objective.indicators if (v := respondent.answers.get(i.id)) is not None
        ]
        if values:
            result[objective.id] = statistics.fmean(values)
    return result


def objective_stats(respondents: Sequence[Respondent], ref: Referentiel) -> dict[str, Stat]:
    means = [respondent_objectives(r, ref) for r in respondents]
    return {o.id: describe(m[o.id] for m in means if o.id in m) for o in ref.objectives}


def divergences(
    by_category: Mapping[str, Mapping[str, Stat]], ref: Referentiel, settings: Settings
) -> tuple[Divergence, ...]:
    found = []
    for objective in ref.objectives:
        medians = [
            (stats[objective.id].median, category)
            for category, stats in sorted(by_category.items())
            if stats[objective.id].n >= settings.category_minimum
            and stats[objective.id].median is not None
        ]
        if len(medians) < 2:
            continue
        low, high = min(medians), max(medians)
        if high[0] - low[0] >= settings.divergence:  # type: ignore[operator]
            found.append(Divergence(objective.id, high[1], high[0], low[1], low[0]))  # type: ignore[arg-type]
    return tuple(found)


def masked(stat: Stat, threshold: int) -> Stat:
    """``stat`` without its values when fewer than ``threshold`` respondents gave them."""
    return stat if stat.n >= threshold else Stat(stat.n)


def wave_scores(wave: Wave, ref: Referentiel, settings: Settings) -> WaveScores:
    """The scores that may be shown: small groups and small cells are left out at the source
    (:mod:`ptce_mono.analysis.cells`), so no caller can show them by mistake."""
    from .cells import OTHERS, publishable_groups

    respondents = wave.respondents
    sufficient = len(respondents) >= settings.minimum
    threshold = settings.category_threshold
    indicators = {
        i.id: masked(
            describe(v for r in respondents if (v := r.answers.get(i.id)) is not None),
            settings.minimum,
        )
        for i in ref.indicators
    }
    all_counts: dict[str, int] = {}
    for r in respondents:
        all_counts[r.category] = all_counts.get(r.category, 0) + 1
    groups = publishable_groups(all_counts, threshold) if sufficient else None
    members = (
        {c: [r for r in respondents if r.category == c] for c in groups.shown} if groups else {}
    )
    if groups and groups.pool_shown:
        members[OTHERS] = [r for r in respondents if r.category in groups.pooled]
    by_category = {
        c: {k: masked(s, threshold) for k, s in objective_stats(rs, ref).items()}
        for c, rs in members.items()
    }
    counts = {c: len(rs) for c, rs in members.items()}
    shown = {c: by_category[c] for c in (groups.shown if groups else ())}
    return WaveScores(
        slug=wave.slug, wave=wave.wave, version=wave.version, respondents=len(respondents),
        minimum=settings.minimum, indicators=indicators,
        objectives={k: masked(s, settings.minimum)
                    for k, s in objective_stats(respondents, ref).items()},
        category_counts=counts, by_category=by_category,
        divergences=divergences(shown, ref, settings) if sufficient else (),
        pooled=tuple(sorted(set(all_counts) - set(groups.shown))) if groups else (),
        category_threshold=threshold, ids=frozenset(r.id for r in respondents),
        dont_know={
            i.id: sum(1 for r in respondents if i.id in r.answers and r.answers[i.id] is None)
            for i in ref.indicators
        },
    )  # fmt: skip


def cohort_stats(
    profiles: Mapping[str, Mapping[str, float | None]], ref: Referentiel
) -> dict[str, Stat]:
    """Per objective, the distribution of the poles' profiles (median, IQR, n poles)."""
    return {
        o.id: describe(v for p in profiles.values() if (v := p.get(o.id)) is not None)
        for o in ref.objectives
    }
