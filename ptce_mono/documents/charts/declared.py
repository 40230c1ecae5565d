"""Figures of the declared scores (matplotlib): evolution between waves with n at each wave,
and a pole's profile against the cohort (medians and interquartile ranges)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ...analysis.scores import Stat
from ...core.fr import agree_plural_unit, format_number, plural
from ...corpus.referentiel import Referentiel
from .style import ACCENT, PALETTE, SECOND, style


def build_evolution(
    ref: Referentiel, series: Sequence[tuple[str, int, Mapping[str, Stat]]], unit: str
) -> Any:
    """One line per wave over the principal objectives: (wave, n, {objective: Stat}).
    The legend gives n at each wave (``unit``: « répondants » or « pôles »)."""
    import matplotlib.pyplot as plt

    style()
    objectives = ref.objectives
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    x = list(range(len(objectives)))
    for k, (wave, n, stats) in enumerate(series):
        values = [stats[o.id].median if o.id in stats else None for o in objectives]
        xs = [i for i, v in zip(x, values, strict=True) if v is not None]
        ys = [v for v in values if v is not None]
        color = PALETTE[k % len(PALETTE)]
        ax.plot(xs, ys, marker="o", color=color, linewidth=1.3,
                label=f"vague {wave} (n = {format_number(n)} {agree_plural_unit(n, unit)})")  # fmt: skip
    ax.set_xticks(x)
    ax.set_xticklabels([o.id for o in objectives])
    ax.set_xlabel("Objectif principal du référentiel")
    ax.set_ylim(ref.scale.minimum - 0.2, ref.scale.maximum + 0.2)
    ax.set_yticks(list(range(ref.scale.minimum, ref.scale.maximum + 1)))
    ax.set_ylabel("Médiane déclarée")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def build_profile(
    ref: Referentiel, pole: Mapping[str, Stat], cohort: Mapping[str, Any], respondents: int
) -> Any:
    """Per objective: the pole's median and interquartile range among its respondents, and the
    cohort's median and interquartile range among the poles above the threshold."""
    import matplotlib.pyplot as plt

    style()
    objectives = list(ref.objectives)
    fig, ax = plt.subplots(figsize=(7.0, 0.7 + 0.5 * len(objectives)))
    n_poles = int(cohort.get("poles", 0) or 0)
    comparable = bool(cohort.get("comparable", n_poles > 0))
    for i, objective in enumerate(objectives):
        q1 = (cohort.get("q1") or {}).get(objective.id)
        q3 = (cohort.get("q3") or {}).get(objective.id)
        median = (cohort.get("median") or {}).get(objective.id)
        if q1 is not None and q3 is not None:
            ax.plot([q1, q3], [i + 0.15, i + 0.15], color=SECOND, linewidth=5, alpha=0.35,
                    solid_capstyle="butt")  # fmt: skip
        if median is not None:
            ax.plot([median], [i + 0.15], marker="D", color=SECOND, markersize=5)
        stat = pole.get(objective.id)
        if stat is not None and stat.median is not None:
            ax.plot([stat.q1, stat.q3], [i - 0.15, i - 0.15], color=ACCENT, linewidth=2)
            ax.plot([stat.median], [i - 0.15], marker="o", color=ACCENT, markersize=6)
    ax.plot([], [], marker="o", color=ACCENT, label="ce pôle : médiane et écart interquartile "
            f"({plural(respondents, 'répondant')})")  # fmt: skip
    if comparable:
        ax.plot([], [], marker="D", color=SECOND, label="autres pôles : médiane et écart "
                f"interquartile ({plural(n_poles, 'pôle')})")  # fmt: skip
    ax.set_yticks(range(len(objectives)))
    # full labels, wrapped, never cut
    ax.set_yticklabels([textwrap.fill(f"{o.id}. {o.short_label}", 34) for o in objectives],
                       fontsize=8)  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlim(ref.scale.minimum - 0.2, ref.scale.maximum + 0.2)
    ax.set_xticks(list(range(ref.scale.minimum, ref.scale.maximum + 1)))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.4, 1.0), ncol=1)
    fig.tight_layout()
    return fig
