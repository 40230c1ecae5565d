"""Charts of one monograph (matplotlib). Each ``show_*`` builds a figure and displays it with its
caption and alt text; ``build_*`` functions only return the figure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ...core.fr import (
    UNDOCUMENTED,
    format_date,
    format_euros,
    format_number,
    format_percent,
    plural,
)
from ...corpus import schema
from ...corpus.referentiel import Referentiel, principal_objectives
from ..display import show_svg_figure
from .memory import figure_svg_of
from .radar import build_radar
from .style import ACCENT, PALETTE, SECOND, fr_axis, style


def _event_date(event: Mapping[str, Any]) -> str:
    return format_date(event["annee"], event.get("mois"))


def build_timeline(events: Sequence[Mapping[str, Any]]) -> Any:
    """Events on a time axis that spans them (half a year of margin), each label in a column
    on the right, wrapped, joined to its point: no label is ever cut."""
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    style()
    labels = [textwrap.wrap(str(e.get("libelle", "")), 58) or [""] for e in events]
    lines = sum(len(w) for w in labels)
    fig, ax = plt.subplots(figsize=(7.0, 0.7 + 0.2 * lines + 0.12 * len(events)))
    fig.subplots_adjust(left=0.03, right=0.34, top=0.98, bottom=0.7 / fig.get_figheight())
    years = [e["annee"] + ((e.get("mois") or 1) - 1) / 12 for e in events]
    lo, hi = min(years), max(years)
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5, min_n_ticks=1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    # rows sized by their number of lines, top to bottom
    heights = [len(w) + 0.6 for w in labels]
    total = sum(heights)
    ys, y = [], total
    for h in heights:
        ys.append(y - h / 2)
        y -= h
    ax.set_ylim(0, total)
    to_label = blended_transform_factory(ax.transAxes, ax.transData)
    for year, row, wrapped, event in zip(years, ys, labels, events, strict=True):
        ax.plot([year], [row], "o", color=ACCENT, markersize=5, zorder=3)
        ax.annotate(
            f"{_event_date(event)} — " + "\n".join(wrapped), (year, row),
            xytext=(1.04, row), textcoords=to_label, va="center", ha="left", fontsize=8,
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#b8c2cc", "linewidth": 0.6,
                        "shrinkA": 0, "shrinkB": 3},
        )  # fmt: skip
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", color="#e3e7eb", linewidth=0.6)
    ax.set_xlabel("Année")
    return fig


def timeline_alt(events: Sequence[Mapping[str, Any]], of_name: str = "") -> str:
    """What the chronology shows: each event with its date."""
    items = "; ".join(f"{_event_date(e)} : {e.get('libelle', '')}" for e in events)
    first = _event_date(events[0])
    of = "d’" if first[:1] in "aeiouyéèAEIOUYÉ" else "de "
    span = first if len(events) == 1 else f"{of}{first} à {_event_date(events[-1])}"
    who = f" {of_name}" if of_name else ""
    return f"Frise chronologique{who}, {plural(len(events), 'événement')}, {span}. {items}."


def show_timeline(events: Sequence[Mapping[str, Any]], of_name: str) -> None:
    """``of_name`` is the name after « de »: « du Périscope » (``fr.of_name``)."""
    first, last = events[0]["annee"], events[-1]["annee"]
    span = str(first) if first == last else f"{first}–{last}"
    show_svg_figure(
        figure_svg_of(build_timeline, events), "chronologie", f"Chronologie de la coopération ({span})",
        timeline_alt(events, of_name),
    )  # fmt: skip


def composition_counts(structures: Sequence[Mapping[str, Any]]) -> list[tuple[str, Counter[str]]]:
    """Documented families and legal statuses of the members; a dimension with fewer than two
    documented values is left out (nothing is drawn from a single value)."""
    fam = Counter(
        schema.label(schema.FAMILLES_STRUCTURE, s["famille"])
        for s in structures
        if s.get("famille")
    )
    stat = Counter(
        schema.label(schema.STATUTS_JURIDIQUES, s["statut_juridique"])
        for s in structures
        if s.get("statut_juridique")
    )
    # a panel of fewer than 3 bars says less than a sentence (the table lists the structures)
    return [(t, c) for t, c in (("Par famille", fam), ("Par statut juridique", stat))
            if len(c) >= 3]  # fmt: skip


def build_composition(panels: Sequence[tuple[str, Counter[str]]]) -> Any:
    import matplotlib.pyplot as plt

    style()
    fig, axes = plt.subplots(1, len(panels), figsize=(3.5 * len(panels), 2.8), squeeze=False)
    for ax, (title, counts) in zip(axes[0], panels, strict=True):
        labels = sorted(counts, key=lambda k: (-counts[k], k))
        values = [counts[k] for k in labels]
        ax.barh(labels, values, color=PALETTE[: len(labels)] or ACCENT)
        ax.invert_yaxis()
        ax.set_title(title)
        fr_axis(ax, "x")
        ax.xaxis.get_major_locator().set_params(integer=True)
        for i, v in enumerate(values):
            ax.annotate(
                format_number(v), (v, i), xytext=(3, -3), textcoords="offset points", fontsize=8
            )
    fig.tight_layout()
    return fig


def show_composition(structures: Sequence[Mapping[str, Any]]) -> bool:
    """Draw the composition from documented values only; False when there are too few."""
    panels = composition_counts(structures)
    if not panels:
        return False
    n = len(structures)
    parts = [
        f"{title.lower().replace('par ', '')} ({plural(c.total(), 'structure documentée', 'structures documentées')} : "
        + ", ".join(f"{k} {format_number(v)}" for k, v in sorted(c.items(), key=lambda kv: -kv[1]))
        + ")"
        for title, c in panels
    ]
    show_svg_figure(
        figure_svg_of(build_composition, panels), "composition",
        f"Composition du pôle ({plural(n, 'structure membre', 'structures membres')})",
        f"Diagramme en barres des structures membres par {' et par '.join(parts)}.",
    )  # fmt: skip
    return True


def build_evidence(ref: Referentiel, counts: Mapping[str, int]) -> Any:
    import matplotlib.pyplot as plt

    style()
    objectives = list(ref.objectives)
    labels = [f"{o.id}. {o.short_label}" for o in objectives]
    values = [counts.get(o.id, 0) for o in objectives]
    fig, ax = plt.subplots(figsize=(7.0, 0.5 + 0.3 * len(objectives)))
    ax.barh(labels, values, color=ACCENT)
    ax.invert_yaxis()
    fr_axis(ax, "x")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Passages codés (lecture de l'équipe)")
    for i, v in enumerate(values):
        if v:
            ax.annotate(format_number(v), (v, i), xytext=(3, -3), textcoords="offset points",
                        fontsize=8)  # fmt: skip
    fig.tight_layout()
    return fig


def show_evidence(
    ref: Referentiel, counts: Mapping[str, int], of_name: str, passages: int | None = None
) -> None:
    """Evidence coded per principal objective a–i (documented by the research team); a passage
    counts once per objective, and ``passages`` (distinct passages) is given in the caption."""
    total = sum(counts.values()) if passages is None else passages
    described = ", ".join(f"{o.id} {format_number(counts.get(o.id, 0))}" for o in ref.objectives)
    show_svg_figure(
        figure_svg_of(build_evidence, ref, counts), "preuves",
        f"Passages codés par objectif principal du référentiel {ref.version} "
        f"({plural(total, 'passage')}, lecture proposée par l'équipe de recherche)",
        f"Diagramme en barres des passages {of_name} codés par l'équipe de recherche pour chacun "
        f"des {principal_objectives(ref)} du référentiel : {described}.",
    )  # fmt: skip


def build_resources(resources: Sequence[Mapping[str, Any]]) -> tuple[Any, str]:
    import matplotlib.pyplot as plt

    style()
    use_amount = all(r.get("montant") is not None for r in resources)
    key = "montant" if use_amount else "part"
    years = sorted({r["annee"] for r in resources})
    natures = sorted({r["nature"] for r in resources})
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    bottom = [0.0] * len(years)
    for i, nature in enumerate(natures):
        values = [
            sum(
                float(r.get(key) or 0)
                for r in resources
                if r["annee"] == y and r["nature"] == nature
            )
            for y in years
        ]
        ax.bar([str(y) for y in years], values, bottom=bottom, label=schema.label(schema.NATURES_RESSOURCE, nature),
               color=PALETTE[i % len(PALETTE)])  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    fr_axis(ax, "y", percent=not use_amount)
    ax.set_ylabel("Montant (€)" if use_amount else "Part des ressources")
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig, resources_unit(resources)


def resources_unit(resources: Sequence[Mapping[str, Any]]) -> str:
    """What the resources chart shows: amounts when every one is known, else shares."""
    use_amount = all(r.get("montant") is not None for r in resources)
    return "montants en euros" if use_amount else "parts en %"


def _resources_figure(resources: Sequence[Mapping[str, Any]]) -> Any:
    return build_resources(resources)[0]


def show_resources(resources: Sequence[Mapping[str, Any]]) -> None:
    svg = figure_svg_of(_resources_figure, resources)
    unit = resources_unit(resources)
    years = sorted({r["annee"] for r in resources})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    show_svg_figure(
        svg, "ressources", f"Ressources par nature ({span}, {unit})", resources_alt(resources),
    )  # fmt: skip


def resources_alt(resources: Sequence[Mapping[str, Any]]) -> str:
    """Each year's resources by nature, with the value drawn."""
    use_amount = all(r.get("montant") is not None for r in resources)
    parts = []
    for year in sorted({r["annee"] for r in resources}):
        items = [
            f"{schema.label(schema.NATURES_RESSOURCE, r['nature'])} "
            + (format_euros(r.get("montant")) if use_amount else format_percent(r.get("part")))
            for r in sorted(resources, key=lambda r: str(r["nature"]))
            if r["annee"] == year
        ]
        parts.append(f"{year} : {', '.join(items)}")
    what = "montants en euros" if use_amount else "parts des ressources"
    return f"Histogramme empilé des ressources par nature ({what}). {'; '.join(parts)}."


def build_employment(employment: Sequence[Mapping[str, Any]]) -> Any:
    import matplotlib.pyplot as plt

    style()
    years = [str(e["annee"]) for e in employment]
    etp = [float(e.get("etp") or 0) for e in employment]
    anim = [float(e.get("etp_animation") or 0) for e in employment]
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.bar(years, etp, color=ACCENT, label="ETP")
    ax.bar(years, anim, color=SECOND, label="dont animation et coordination")
    for i, (total, a) in enumerate(zip(etp, anim, strict=True)):
        if total:
            ax.annotate(format_percent(100 * a / total), (i, total), xytext=(0, 3), textcoords="offset points",
                        ha="center", fontsize=8)  # fmt: skip
    fr_axis(ax, "y", 1)
    ax.set_ylabel("Équivalents temps plein")
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


def show_employment(employment: Sequence[Mapping[str, Any]]) -> None:
    show_svg_figure(
        figure_svg_of(build_employment, employment), "emploi", "Emploi en équivalents temps plein et part de l'animation",
        employment_alt(employment),
    )  # fmt: skip


def employment_alt(employment: Sequence[Mapping[str, Any]]) -> str:
    """Each year's full-time equivalents and the share of coordination."""
    parts = []
    for e in employment:
        text = f"{e['annee']} : {format_number(e.get('etp'), 1, UNDOCUMENTED)} ETP"
        if e.get("etp") and e.get("etp_animation") is not None:
            share = format_percent(100 * float(e["etp_animation"]) / float(e["etp"]))
            text += f", dont {format_number(e['etp_animation'], 1)} d’animation ({share})"
        parts.append(text)
    return f"Histogramme des équivalents temps plein par année. {'; '.join(parts)}."


def show_radar(
    ref: Referentiel, profile: Mapping[str, float | None], cohort: Mapping[str, Any]
) -> None:
    n = cohort.get("poles", 0)
    note = "" if n >= 3 else f" ; effectif trop faible pour la médiane (n = {n})"
    compared = f"comparé à la médiane des pôles{note}"
    if "comparable" in cohort:  # the pole's comparison group: the other poles only
        from ...analysis.group import group_phrase

        compared = (f"comparé à la médiane des {group_phrase(cohort)}" if cohort["comparable"]
                    else f"sans comparaison (moins de 3 autres pôles au-dessus du seuil : {n})")  # fmt: skip
    show_svg_figure(
        figure_svg_of(build_radar, ref, profile, cohort), "radar",
        f"Profil du pôle sur les {principal_objectives(ref, digits=True)}, {compared}",
        radar_alt(ref, profile, cohort),
    )  # fmt: skip


def radar_alt(
    ref: Referentiel, profile: Mapping[str, float | None], cohort: Mapping[str, Any]
) -> str:
    """The score drawn on each principal objective, and the cohort median beside it."""
    median = cohort.get("median", {}) or {}
    n = int(cohort.get("poles", 0) or 0)
    items = []
    for o in ref.objectives:
        value = format_number(profile.get(o.id), 1, "non noté")
        text = f"{o.id}. {o.short_label} {value}"
        if median.get(o.id) is not None:
            text += f" (médiane {format_number(median[o.id], 1)})"
        items.append(text)
    return (
        f"Diagramme en radar des scores moyens du pôle sur les {principal_objectives(ref)} "
        f"(échelle {ref.scale.minimum} à {ref.scale.maximum}), comparés à la médiane de "
        f"{plural(n, 'pôle')} : {'; '.join(items)}."
    )
