"""The declared scores in a monograph: profile against the cohort with n, scores by objective
and indicator, divergences between categories, evolution between waves. Called by
``ptce_mono.monograph.show_referentiel`` when the pole has answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..display import escape_markdown_html, show_figure, show_markdown, show_rows
from ..fr import format_number, plural
from ..records import Pole
from ..referentiel import Referentiel
from . import DECLARED, DOCUMENTED
from .declared import pole_wave_scores
from .scores import LOW_BASE, Stat, WaveScores
from .settings import Settings, Vocabulary


def fmt(value: float | None) -> str:
    return format_number(value, 1) if value is not None else "—"


def iqr(stat: Stat) -> str:
    return f"{fmt(stat.q1)} – {fmt(stat.q3)}" if stat.n else "—"


def low_base_sentence(scores: WaveScores) -> str:
    return (
        f"**{LOW_BASE.capitalize()}** : {plural(scores.respondents, 'répondant')} à la vague "
        f"{scores.wave}, pour un minimum de {scores.minimum}. Les scores de ce pôle ne sont pas "
        "affichés et il est laissé hors de la médiane de la cohorte."
    )


def divergence_lines(scores: WaveScores, ref: Referentiel, vocabulary: Vocabulary) -> list[str]:
    labels = {o.id: o.short_label for o in ref.objectives}
    lines = []
    for d in scores.divergences:
        high, low = scores.by_category[d.high][d.objective], scores.by_category[d.low][d.objective]
        lines.append(
            f"- objectif {d.objective} ({escape_markdown_html(labels[d.objective])}) : "
            f"{escape_markdown_html(vocabulary.category_label(d.high))} {fmt(d.high_median)} "
            f"(n = {high.n}) contre {escape_markdown_html(vocabulary.category_label(d.low))} "
            f"{fmt(d.low_median)} (n = {low.n}), écart de {fmt(d.gap)} point"
        )
    return lines


def evolution_rows(ref: Referentiel, waves: Sequence[WaveScores]) -> list[list[str]]:
    return [
        [f"{o.id}. {escape_markdown_html(o.short_label)}"]
        + [
            f"{fmt(w.objectives[o.id].median)} (n = {w.objectives[o.id].n})"
            if w.sufficient
            else LOW_BASE
            for w in waves
        ]
        for o in ref.objectives
    ]


def show_evolution(ref: Referentiel, waves: Sequence[WaveScores], name: str) -> None:
    from .charts import build_evolution

    kept = [w for w in waves if w.sufficient]
    if len(kept) >= 2:
        first, last = kept[0], kept[-1]
        show_figure(
            build_evolution(ref, [(w.wave, w.respondents, w.objectives) for w in kept], "répondants"),
            "evolution-vagues",
            f"Évolution des scores déclarés par objectif, de la vague {first.wave} "
            f"(n = {first.respondents}) à la vague {last.wave} (n = {last.respondents})",
            f"Courbes des médianes déclarées par les membres de {name} sur les neuf objectifs, "
            f"une par vague, avec l'effectif de répondants de chaque vague.",
        )  # fmt: skip
    show_rows(
        ["Objectif", *[f"Vague {w.wave} (n = {w.respondents})" for w in waves]],
        evolution_rows(ref, waves), "evolution-vagues",
        "Médiane déclarée par objectif à chaque vague (n = répondants ayant noté l'objectif)",
    )  # fmt: skip


def show_declared(
    pole: Pole, ref: Referentiel, cohort: Mapping[str, Any], settings: Settings,
    vocabulary: Vocabulary,
) -> bool:  # fmt: skip
    """Show the declared scores of ``pole``; False when it has no answers for this version."""
    from ..charts.radar import build_radar

    waves = pole_wave_scores(pole, ref, settings)
    if not waves:
        return False
    latest = waves[-1]
    show_markdown(
        f"### Scores déclarés par les membres (vague {latest.wave}, "
        f"{plural(latest.respondents, 'répondant')})\n\n"
        f"*Source : « {DECLARED} » (questionnaire du référentiel) : les perceptions des membres, "
        f"distinctes des éléments « {DOCUMENTED} ».*"
    )
    if not latest.sufficient:
        show_markdown(low_base_sentence(latest))
    else:
        n_poles = int(cohort.get("poles", 0) or 0)
        show_figure(
            build_radar(ref, latest.profile, cohort), "radar",
            f"Profil {DECLARED} (vague {latest.wave}, n = {latest.respondents} répondants) "
            f"comparé à la médiane des pôles (n = {plural(n_poles, 'pôle')} au-dessus du seuil)",
            "Diagramme en radar des médianes déclarées par les membres sur les neuf objectifs "
            "principaux, superposé à la médiane des pôles de la cohorte.",
        )  # fmt: skip
        median = cohort.get("median") or {}
        counts = cohort.get("n") or {}
        show_rows(
            ["Objectif", "Médiane du pôle", "Écart interquartile", "n répondants",
             "Médiane des pôles (n)"],
            [
                [f"{o.id}. {escape_markdown_html(o.short_label)}",
                 fmt(latest.objectives[o.id].median), iqr(latest.objectives[o.id]),
                 str(latest.objectives[o.id].n),
                 f"{fmt(median.get(o.id))} ({counts.get(o.id, 0)})"]
                for o in ref.objectives
            ],
            "scores-declares", f"Scores déclarés par les membres, par objectif principal (vague {latest.wave})",
            align="lrrrr",
        )  # fmt: skip
        lines = divergence_lines(latest, ref, vocabulary)
        if lines:
            show_markdown(
                "**Divergences marquées entre catégories de répondants** (écart d'au moins "
                f"{fmt(settings.divergence)} point entre médianes, catégories d'au moins "
                f"{settings.category_minimum} répondants) :\n\n" + "\n".join(lines)
            )
        show_rows(
            ["Indicateur", "Libellé", "Médiane", "n"],
            [
                [i.id, escape_markdown_html(i.display), fmt(latest.indicators[i.id].median),
                 str(latest.indicators[i.id].n)]
                for i in ref.indicators
            ],
            "indicateurs", f"Scores déclarés par les membres, par indicateur (vague {latest.wave})", align="llrr",
        )  # fmt: skip
    if len(waves) >= 2:
        show_evolution(ref, waves, pole.name)
    return True
