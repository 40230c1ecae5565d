"""The radar of the nine principal objectives, shared by the monographs and the transversal analysis."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ...analysis.aggregate import low_base_note
from ...corpus.referentiel import Referentiel
from .style import ACCENT, SECOND, style


def draw_radar(
    ax: Any,
    ref: Referentiel,
    profile: Mapping[str, float | None],
    cohort: Mapping[str, Any],
    labels: bool = True,
) -> None:
    objectives = ref.objectives
    angles = [2 * math.pi * i / len(objectives) for i in range(len(objectives))]
    closed = [*angles, angles[0]]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    median = cohort.get("median", {}) or {}
    n = int(cohort.get("poles", 0) or 0)
    note = low_base_note(n)
    series = (
        ([median.get(o.id) for o in objectives], SECOND,
         f"médiane des {'autres ' if cohort.get('pole') else ''}pôles "
         f"(n = {n}{' ; ' + note if note else ''})"),
        ([profile.get(o.id) for o in objectives], ACCENT, "ce pôle"),
    )  # fmt: skip
    drawn = False
    for values, color, label in series:
        if all(v is None for v in values):
            continue
        drawn = True
        points = [v if v is not None else ref.scale.minimum for v in values]
        ax.plot(closed, [*points, points[0]], color=color, linewidth=1.4, label=label)
        ax.fill(closed, [*points, points[0]], color=color, alpha=0.12)
    ax.set_xticks(angles)
    if labels:
        ax.set_xticklabels([f"{o.id}. {o.short_label}"[:28] for o in objectives], fontsize=7)
    else:
        ax.set_xticklabels([o.id for o in objectives], fontsize=7)
    ax.set_ylim(0, ref.scale.maximum)
    ax.set_yticks(list(range(ref.scale.minimum, ref.scale.maximum + 1)))
    ax.tick_params(axis="y", labelsize=6)
    if not drawn:
        ax.text(0.5, 0.5, "non noté", ha="center", va="center", transform=ax.transAxes,
                fontsize=8, color="#555555")  # fmt: skip


def build_radar(
    ref: Referentiel, profile: Mapping[str, float | None], cohort: Mapping[str, Any]
) -> Any:
    """Radar of the 9 principal objectives: one pole's profile against the cohort median.
    ``cohort`` has the form of ``cohort.compute_cohort`` ({"median": {...}, "poles": n})."""
    import matplotlib.pyplot as plt

    style()
    fig = plt.figure(figsize=(5.6, 4.6))
    ax = fig.add_subplot(projection="polar")
    draw_radar(ax, ref, profile, cohort)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, frameon=False, loc="upper right", bbox_to_anchor=(1.35, 1.12))
    return fig
