"""The revenue mix of a pole over the years (matplotlib), drawn only from two years on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...corpus.accounts import PRODUCT_KINDS
from .style import PALETTE, fr_axis, style

MIN_YEARS = 2


def build_revenue_mix(rows: Sequence[Mapping[str, float]]) -> Any | None:
    """Stacked bars of products by kind for each year; None with fewer than two years."""
    if len(rows) < MIN_YEARS:
        return None
    import matplotlib.pyplot as plt

    style()
    years = [str(int(r["annee"])) for r in rows]
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    bottom = [0.0] * len(rows)
    for i, (kind, label) in enumerate(PRODUCT_KINDS.items()):
        values = [float(r.get(kind, 0.0)) for r in rows]
        if not any(values):
            continue
        ax.bar(years, values, bottom=bottom, label=label, color=PALETTE[i % len(PALETTE)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    fr_axis(ax, "y")
    ax.set_ylabel("Produits (€)")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig
