"""Comparison of two waves of a pole (pure): per objective and per indicator, the median and n
at each wave, and what changed."""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus.referentiel import Referentiel
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
        """Both medians shown (never a small cell) and different."""
        if self.before.median is None or self.after.median is None:
            return False
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


@dataclass(frozen=True)
class WaveLink:
    """How two waves of a pole relate: n at each, respondents identified in both, and whether
    their difference may be called an « évolution »."""

    before: str
    after: str
    n_before: int
    n_after: int
    both: int  # respondent ids present in both waves
    comparable: bool  # both above the threshold with the same categories shown on their own

    @property
    def sentence(self) -> str:
        from ..core.fr import plural

        both = (
            "aucun répondant n'est identifié dans les deux vagues"
            if not self.both
            else f"{plural(self.both, 'répondant')} "
            f"{'a' if self.both < 2 else 'ont'} répondu aux deux vagues"
        )
        return (
            f"Vague {self.before} : {plural(self.n_before, 'répondant')} ; vague {self.after} : "
            f"{plural(self.n_after, 'répondant')} ; {both}."
        )


def wave_link(before: WaveScores, after: WaveScores) -> WaveLink:
    """« évolution » only when both waves are above the threshold and the same categories are
    shown on their own in both (at least one: when no category reaches the threshold, nothing
    tells whether the respondents are alike); otherwise two snapshots side by side."""
    shown = set(before.by_category) - {"_autres"}
    same = bool(shown) and shown == set(after.by_category) - {"_autres"}
    comparable = before.sufficient and after.sufficient and same
    return WaveLink(before.wave, after.wave, before.respondents, after.respondents,
                    len(before.ids & after.ids), comparable)  # fmt: skip
