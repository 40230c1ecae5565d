"""Comparison of two waves of a pole (pure): per objective and per indicator, the median and n
at each wave, and what changed."""

from __future__ import annotations

from dataclasses import dataclass

from ..referentiel import Referentiel
from .scores import Stat, WaveScores


@dataclass(frozen=True)
class Change:
    id: str
    label: str
    before: Stat
    after: Stat

    @property
    def delta(self) -> float | None:
        if self.before.median is None or self.after.median is None:
            return None
        return round(self.after.median - self.before.median, 4)

    @property
    def changed(self) -> bool:
        return self.before.median != self.after.median


@dataclass(frozen=True)
class WaveComparison:
    slug: str
    before: WaveScores
    after: WaveScores
    objectives: tuple[Change, ...]
    indicators: tuple[Change, ...]

    @property
    def changed_indicators(self) -> tuple[Change, ...]:
        return tuple(c for c in self.indicators if c.changed)

    @property
    def changed_objectives(self) -> tuple[Change, ...]:
        return tuple(c for c in self.objectives if c.changed)


def compare_waves(before: WaveScores, after: WaveScores, ref: Referentiel) -> WaveComparison:
    objectives = tuple(
        Change(o.id, o.short_label, before.objectives[o.id], after.objectives[o.id])
        for o in ref.objectives
    )
    indicators = tuple(
        Change(i.id, i.display, before.indicators[i.id], after.indicators[i.id])
        for i in ref.indicators
    )
    return WaveComparison(after.slug, before, after, objectives, indicators)
