"""Charts of the transversal analysis (matplotlib). Builders return a Figure, never save nor
show it. Every builder accepts empty data and then draws a French « non documenté » notice
instead of failing; numbers use French formats (ptce_mono.core.fr)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ...analysis.aggregate import (
    AnimationShare,
    Distribution,
    IndicatorStat,
    PoleClustering,
    Summary,
)
from ...analysis.coverage import Coverage
from ...core.fr import format_number, format_percent
from ...corpus.geo import load_geojson
from ...corpus.geo import rings as geometry_rings
from ...corpus.referentiel import Referentiel
from .radar import draw_radar
from .style import ACCENT, SECOND, draw_empty, fr_axis, style, titled

GEOJSON = "departements-version-simplifiee.geojson"
# Label size of the pole × section charts: drawn 6.3 inches wide and printed at 88 % of a
# 16.4 cm text width (templates/monographie.typ), 9 points print at about 8 points (>= 7).
PRINT_LABEL = 9
COVERAGE_COLORS = {
    Coverage.DOCUMENTED: "#4f9d69",
    Coverage.PARTIAL: "#e8c15a",
    Coverage.MISSING: "#d9d9d9",
}


# --- map -------------------------------------------------------------------------------------


@cache
def load_outlines(
    path: Path,
) -> tuple[tuple[str, str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """(code, name, rings) of each département of the GeoJSON file (plain JSON parsing)."""
    data = load_geojson(path)
    return tuple(
        (
            str(f.get("properties", {}).get("code", "")),
            str(f.get("properties", {}).get("nom", "")),
            tuple(
                tuple((float(p[0]), float(p[1])) for p in ring)
                for ring in geometry_rings(f.get("geometry") or {})
            ),
        )
        for f in data.get("features", [])
    )


ILE_DE_FRANCE = ("75", "77", "78", "91", "92", "93", "94", "95")
IDF_BOX = (1.4, 3.6, 48.1, 49.25)  # lon min, lon max, lat min, lat max
# Label offsets (points) in the enlarged Île-de-France, so that close départements stay legible.
IDF_OFFSETS = {"75": (0, -13), "93": (0, 9), "92": (-8, 6), "94": (8, -8), "95": (0, 8),
               "78": (-4, -12), "91": (0, -12), "77": (0, -12)}  # fmt: skip


def _draw_departements(ax: Any, outlines: Any, counts: Mapping[str, int], color_of: Any) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    for code, _name, rings in outlines:
        if not rings:
            continue
        path = MplPath.make_compound_path(*(MplPath(ring, closed=True) for ring in rings))
        n = counts.get(code, 0)
        ax.add_patch(PathPatch(path, facecolor=color_of(n), edgecolor="#9a9a9a", linewidth=0.3,
                               gid=f"dep-{code}"))  # fmt: skip


def build_map(counts: Mapping[str, int], geo_dir: Path) -> Any:
    """Choropleth of poles per département with a point per département, a legend (1, 2, 3 or
    more poles) and, beside the map, Île-de-France enlarged so that close poles stay legible."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    from ...corpus.geo import load_departements

    style()
    outlines = load_outlines(geo_dir / GEOJSON)
    departements = load_departements(geo_dir)
    fig = plt.figure(figsize=(7.2, 6.0))
    ax = fig.add_axes((0.0, 0.0, 0.7, 1.0))
    shades = {1: "#9ecae1", 2: "#4292c6", 3: "#08519c"}

    def color_of(n: int) -> str:
        return shades[min(n, 3)] if n else "#f2f2f2"

    _draw_departements(ax, outlines, counts, color_of)
    for code, n in sorted(counts.items()):
        dep = departements.get(code)
        if dep is None or not n or code.startswith("97"):
            continue
        ax.scatter([dep.lon], [dep.lat], s=10 + 8 * n, color=SECOND, edgecolor="white",
                   linewidth=0.6, zorder=3)  # fmt: skip
    ax.set_xlim(-5.3, 9.7)
    ax.set_ylim(41.2, 51.3)
    ax.set_aspect(1 / math.cos(math.radians(46.5)))
    ax.set_axis_off()
    near = {c: n for c, n in counts.items() if c in ILE_DE_FRANCE and n}
    if near:
        x0, x1, y0, y1 = IDF_BOX
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#333333",
                               linewidth=0.8, zorder=4))  # fmt: skip
        inset = fig.add_axes((0.71, 0.52, 0.29, 0.4))
        _draw_departements(inset, outlines, counts, color_of)
        for code, n in sorted(near.items()):
            dep = departements.get(code)
            if dep is None:
                continue
            dx, dy = IDF_OFFSETS.get(code, (0, -12))
            inset.scatter([dep.lon], [dep.lat], s=10 + 8 * n, color=SECOND, edgecolor="white",
                          zorder=3)  # fmt: skip
            inset.annotate(f"{dep.name} : {format_number(n)}", (dep.lon, dep.lat),
                           xytext=(dx, dy), textcoords="offset points", va="center",
                           ha="right" if dx < 0 else ("left" if dx > 0 else "center"),
                           fontsize=8.5, zorder=4)  # fmt: skip
        inset.set_xlim(x0, x1)
        inset.set_ylim(y0, y1)
        inset.set_aspect(1 / math.cos(math.radians(48.7)))
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_title("Île-de-France agrandie", fontsize=9)
    present = sorted({min(n, 3) for n in counts.values() if n})
    labels = {1: "1 pôle", 2: "2 pôles", 3: "3 pôles ou plus"}
    handles = [Patch(facecolor=shades[k], edgecolor="#9a9a9a", label=labels[k]) for k in present]
    handles.append(Patch(facecolor="#f2f2f2", edgecolor="#9a9a9a", label="aucun pôle documenté"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.72, 0.08), fontsize=9,
               frameon=False, title="Pôles par département", title_fontsize=9)  # fmt: skip
    if not counts:
        ax.text(0.5, 0.98, "aucun département documenté (n = 0)", ha="center", va="top",
                transform=ax.transAxes, fontsize=9, color="#555555")  # fmt: skip
    overseas = sum(n for code, n in counts.items() if code.startswith("97"))
    if overseas:
        fig.text(0.72, 0.04, f"Outre-mer : {format_number(overseas)} pôle(s)", fontsize=8)
    return fig


def build_census_map(
    by_region: Mapping[str, int], temoins: Mapping[str, int], geo_dir: Path
) -> Any:
    """Candidates of the 2011 call per 2016 région (each département coloured by its région's
    number of initiatives), with a point per département holding pôles témoins of 2012."""
    import matplotlib.pyplot as plt
    from matplotlib import colormaps
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    from ...corpus.geo import load_departements

    style()
    outlines = load_outlines(geo_dir / GEOJSON)
    departements = load_departements(geo_dir)
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    classes = ((1, 4), (5, 9), (10, 19), (20, None))
    cmap = colormaps["Blues"]
    shades = [cmap(0.2 + 0.2 * i) for i in range(len(classes))]

    def shade(n: int) -> Any:
        for (low, high), color in zip(classes, shades, strict=True):
            if n >= low and (high is None or n <= high):
                return color
        return "#f2f2f2"

    for code, _name, rings in outlines:
        dep = departements.get(code)
        if not rings or dep is None:
            continue
        path = MplPath.make_compound_path(*(MplPath(ring, closed=True) for ring in rings))
        ax.add_patch(PathPatch(path, facecolor=shade(by_region.get(dep.region, 0)),
                               edgecolor="#9a9a9a", linewidth=0.3, gid=f"dep-{code}"))  # fmt: skip
    for code, n in sorted(temoins.items()):
        dep = departements.get(code)
        if dep is None or code.startswith("97"):
            continue
        ax.scatter([dep.lon], [dep.lat], s=26 + 16 * n, color=SECOND, edgecolor="white",
                   linewidth=0.6, zorder=3)  # fmt: skip
    ax.set_xlim(-5.3, 9.7)
    ax.set_ylim(41.2, 51.3)
    ax.set_aspect(1 / math.cos(math.radians(46.5)))
    ax.set_axis_off()
    handles = [
        Patch(facecolor=color, edgecolor="#9a9a9a",
              label=f"{low} à {high} initiatives" if high else f"{low} initiatives et plus")
        for (low, high), color in zip(classes, shades, strict=True)
    ]  # fmt: skip
    handles.append(plt.Line2D([], [], marker="o", linestyle="", color=SECOND,
                              label="pôle(s) témoin(s) de 2012"))  # fmt: skip
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
    if not by_region:
        ax.text(0.5, 0.98, "aucune initiative localisée (n = 0)", ha="center", va="top",
                transform=ax.transAxes, fontsize=9, color="#555555")  # fmt: skip
    return fig


# --- distributions ---------------------------------------------------------------------------


def build_distribution(dist: Distribution, title: str, percent: bool = True) -> Any:
    """Horizontal bars of a distribution (percent of its base, or counts)."""
    import matplotlib.pyplot as plt

    style()
    height = 1.2 + 0.3 * max(len(dist.items), 2)
    fig, ax = plt.subplots(figsize=(7.0, height))
    ax.set_title(titled(title, dist.n, dist.unit), loc="left")
    if not dist.items:
        draw_empty(ax)
        return fig
    labels = [s.label for s in dist.items]
    values = [(s.percent or 0.0) if percent else s.count for s in dist.items]
    ax.barh(labels, values, color=ACCENT)
    ax.invert_yaxis()
    for i, (share, v) in enumerate(zip(dist.items, values, strict=True)):
        text = (
            f"{format_percent(v)} ({format_number(share.count)})" if percent else format_number(v)
        )
        ax.annotate(text, (v, i), xytext=(3, -3), textcoords="offset points", fontsize=8)
    if percent:
        ax.set_xlim(0, 115)
        fr_axis(ax, "x", percent=True)
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)
        fr_axis(ax, "x")
    fig.tight_layout()
    return fig


def build_animation(rows: Sequence[AnimationShare], summary: Summary) -> Any:
    """Share of FTE on animation per pole (latest year), with the median as a line."""
    import matplotlib.pyplot as plt

    style()
    fig, ax = plt.subplots(figsize=(7.0, 1.2 + 0.3 * max(len(rows), 2)))
    ax.set_title(titled("Part des ETP consacrée à l'animation", summary.n), loc="left")
    if not rows:
        draw_empty(ax)
        return fig
    ordered = sorted(rows, key=lambda r: (-r.percent, r.name))
    ax.barh([f"{r.name} ({r.year})" for r in ordered], [r.percent for r in ordered], color=ACCENT)
    ax.invert_yaxis()
    for i, r in enumerate(ordered):
        ax.annotate(format_percent(r.percent, 1), (r.percent, i), xytext=(3, -3),
                    textcoords="offset points", fontsize=8)  # fmt: skip
    if summary.median is not None:
        ax.axvline(summary.median, color=SECOND, linestyle="--", linewidth=1)
        ax.annotate(f"médiane {format_percent(summary.median, 1)}", (summary.median, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(3, -10),
                    textcoords="offset points", fontsize=8, color=SECOND)  # fmt: skip
    fr_axis(ax, "x", percent=True)
    fig.tight_layout()
    return fig


# --- référentiel -----------------------------------------------------------------------------


def build_indicator_means(stats: Sequence[IndicatorStat], ref: Referentiel) -> Any:
    """Mean score of each scored indicator (ranked), with its min–max range."""
    import matplotlib.pyplot as plt

    style()
    scored = [s for s in stats if s.mean is not None]
    n = max((s.summary.n for s in scored), default=0)
    fig, ax = plt.subplots(figsize=(7.0, 1.4 + 0.22 * max(len(scored), 3)))
    ax.set_title(titled("Score moyen par indicateur", n), loc="left")
    if not scored:
        draw_empty(ax, "aucun pôle noté (n = 0)")
        return fig
    labels = [f"{s.id}. {s.label[:55]}" for s in scored]
    means = [s.mean or 0.0 for s in scored]
    low = [m - (s.summary.minimum or m) for s, m in zip(scored, means, strict=True)]
    high = [(s.summary.maximum or m) - m for s, m in zip(scored, means, strict=True)]
    ax.barh(labels, means, xerr=[low, high], color=ACCENT, ecolor="#777777", capsize=2)
    ax.invert_yaxis()
    ax.set_xlim(0, ref.scale.maximum + 0.3)
    ax.tick_params(axis="y", labelsize=7)
    fr_axis(ax, "x", decimals=1)
    ax.set_xlabel(
        f"score moyen (échelle {ref.scale.minimum} à {ref.scale.maximum}) ; barres : min–max"
    )
    fig.tight_layout()
    return fig


def build_objective_profile(summaries: Mapping[str, Summary], ref: Referentiel) -> Any:
    """Mean score of each principal objective across poles, with its min–max range."""
    import matplotlib.pyplot as plt

    style()
    n = max((s.n for s in summaries.values()), default=0)
    fig, ax = plt.subplots(figsize=(7.0, 3.4))
    ax.set_title(titled("Profil moyen par objectif principal", n), loc="left")
    objectives = [o for o in ref.objectives if summaries.get(o.id) and summaries[o.id].n]
    if not objectives:
        draw_empty(ax, "aucun pôle noté (n = 0)")
        return fig
    labels = [f"{o.id}. {o.short_label}" for o in objectives]
    means = [summaries[o.id].mean or 0.0 for o in objectives]
    low = [m - (summaries[o.id].minimum or m) for o, m in zip(objectives, means, strict=True)]
    high = [(summaries[o.id].maximum or m) - m for o, m in zip(objectives, means, strict=True)]
    ax.barh(labels, means, xerr=[low, high], color=ACCENT, ecolor="#777777", capsize=2)
    ax.invert_yaxis()
    ax.set_xlim(0, ref.scale.maximum + 0.3)
    fr_axis(ax, "x", decimals=1)
    fig.tight_layout()
    return fig


def build_small_multiples(
    ref: Referentiel,
    poles: Sequence[tuple[str, Mapping[str, float | None]]],
    cohort: Mapping[str, Any],
    columns: int = 3,
    groups: Sequence[Mapping[str, Any]] | None = None,
) -> Any:
    """One small radar per pole (name, profile) against the cohort median, or against its own
    comparison group (``groups``, aligned with ``poles``: the other poles only)."""
    import matplotlib.pyplot as plt

    style()
    if not poles:
        fig, ax = plt.subplots(figsize=(7.0, 1.6))
        draw_empty(ax, "aucun pôle noté : pas de profil à comparer (n = 0)")
        return fig
    cols = min(columns, len(poles))
    rows = math.ceil(len(poles) / cols)
    fig = plt.figure(figsize=(2.5 * cols + 0.6, 2.7 * rows + 0.5))
    for i, (name, profile) in enumerate(poles):
        ax = fig.add_subplot(rows, cols, i + 1, projection="polar")
        draw_radar(ax, ref, profile, groups[i] if groups else cohort, labels=False)
        ax.set_title(name if len(name) <= 32 else name[:31] + "…", fontsize=8, pad=12)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    if groups:  # one legend entry per kind of line (each panel has its own n of other poles)
        pairs = {"ce pôle": None, "médiane des autres pôles": None}
        for ax in fig.axes:
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                key = "ce pôle" if label == "ce pôle" else "médiane des autres pôles"
                pairs[key] = pairs[key] or handle
        labels = [k for k, h in pairs.items() if h is not None]
        handles = [pairs[k] for k in labels]
    if handles:
        fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


# --- typology --------------------------------------------------------------------------------


def build_dendrogram(clustering: PoleClustering, names: Mapping[str, str]) -> Any:
    """Dendrogram of the exploratory clustering, one line per pole with its full name."""
    import matplotlib.pyplot as plt
    from scipy.cluster.hierarchy import dendrogram

    style()
    fig, ax = plt.subplots(figsize=(6.3, 1.0 + 0.24 * max(len(clustering.slugs), 3)))
    if not clustering.ok or clustering.linkage is None:
        draw_empty(ax, f"pas de classification (n = {clustering.n})")
        return fig
    dendrogram(clustering.linkage, labels=[names.get(s, s) for s in clustering.slugs], ax=ax,
               orientation="left", color_threshold=None, above_threshold_color=ACCENT)  # fmt: skip
    ax.tick_params(axis="y", labelsize=PRINT_LABEL)
    ax.set_title(f"Classification exploratoire (n = {clustering.n} pôles)", loc="left")
    ax.set_xlabel("part des variables qui diffèrent entre groupes (0 à 1)")
    fr_axis(ax, "x", decimals=1)
    fig.tight_layout()
    return fig


# --- completeness ----------------------------------------------------------------------------


def build_coverage_heatmap(
    matrix: Mapping[str, Mapping[str, Coverage]],
    section_labels: Mapping[str, str],
    pole_names: Mapping[str, str],
) -> Any:
    """Poles (rows, full names) × grid sections (columns): documentée / partielle / non
    documentée. Drawn 6.3 inches wide, the print width, so that 8-point labels stay 8 points."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    style()
    sections = list(matrix)
    slugs = sorted({s for row in matrix.values() for s in row},
                   key=lambda s: pole_names.get(s, s).lower())  # fmt: skip
    fig, ax = plt.subplots(figsize=(6.3, 1.6 + 0.24 * max(len(slugs), 3)))
    if not slugs or not sections:
        draw_empty(ax, "aucun pôle (n = 0)")
        return fig
    order = [Coverage.MISSING, Coverage.PARTIAL, Coverage.DOCUMENTED]
    grid = [[order.index(matrix[sec][s]) for sec in sections] for s in slugs]
    cmap = ListedColormap([COVERAGE_COLORS[c] for c in order])
    ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto")
    ax.set_yticks(range(len(slugs)))
    ax.set_yticklabels([pole_names.get(s, s) for s in slugs], fontsize=PRINT_LABEL)
    ax.set_xticks(range(len(sections)))
    ax.set_xticklabels([section_labels.get(s, s) for s in sections], rotation=90,
                       ha="center", va="bottom", fontsize=PRINT_LABEL)  # fmt: skip
    ax.xaxis.tick_top()
    ax.set_xticks([x - 0.5 for x in range(1, len(sections))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(slugs))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.legend(handles=[Patch(color=COVERAGE_COLORS[c], label=c.value) for c in reversed(order)],
              loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, fontsize=8,
              frameon=False)  # fmt: skip
    fig.tight_layout()
    return fig


def build_evidence_heatmap(
    matrix: Mapping[str, Mapping[str, int]], ref: Referentiel, pole_names: Mapping[str, str]
) -> Any:
    """Coded poles (rows, full names) × principal objectives (columns): pieces of evidence."""
    import matplotlib.pyplot as plt

    style()
    slugs = sorted(matrix, key=lambda s: pole_names.get(s, s).lower())
    objectives = list(ref.objectives)
    fig, ax = plt.subplots(figsize=(6.3, 1.2 + 0.26 * max(len(slugs), 3)))
    if not slugs:
        draw_empty(ax, "aucun passage codé (n = 0)")
        return fig
    values = [[matrix[s].get(o.id, 0) for o in objectives] for s in slugs]
    top = max([v for row in values for v in row] + [1])
    ax.imshow(values, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, format_number(v), ha="center", va="center", fontsize=8,
                        color="white" if v > top / 2 else "#222222")  # fmt: skip
    ax.set_yticks(range(len(slugs)))
    ax.set_yticklabels([pole_names.get(s, s) for s in slugs], fontsize=PRINT_LABEL)
    ax.set_xticks(range(len(objectives)))
    ax.set_xticklabels([o.id for o in objectives], fontsize=PRINT_LABEL)  # named in the caption
    ax.xaxis.tick_top()
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.tight_layout()
    return fig
