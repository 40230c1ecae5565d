"""The declared scores in a monograph: profile against the cohort with n, scores by objective
and indicator, divergences between categories, evolution between waves. Called by
``ptce_mono.documents.monograph.show_referentiel`` when the pole has answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..analysis.cells import SMALL, group_label
from ..analysis.declared import pole_wave_scores
from ..analysis.group import group_phrase, no_comparison_sentence
from ..analysis.scores import LOW_BASE, Stat, WaveScores
from ..analysis.waves import wave_link
from ..core.fr import format_number, plural
from ..corpus.answer_labels import DECLARED, DOCUMENTED
from ..corpus.answer_settings import Settings, Vocabulary
from ..corpus.records import Pole
from ..corpus.referentiel import Referentiel, principal_objectives
from ..corpus.scale import scale_note
from .display import escape_markdown_html, show_figure, show_markdown, show_rows


def fmt(value: float | None) -> str:
    """A score with one decimal; an absent value is left empty, never « — »."""
    return format_number(value, 1) if value is not None else ""


def iqr(stat: Stat) -> str:
    return f"{fmt(stat.q1)} – {fmt(stat.q3)}" if stat.median is not None else ""


def cell(stat: Stat) -> str:
    """A group's median with n, or « effectif trop faible » when it is not shown."""
    if stat.median is None:
        return SMALL if stat.n else "aucune réponse"
    return f"{fmt(stat.median)} (n = {stat.n})"


def categories_note(scores: WaveScores) -> str:
    """What the breakdown by category shows and why some categories are not detailed."""
    text = (
        f"Seules les catégories d'au moins {scores.category_threshold} répondants ont un "
        "résultat propre ; les plus petites sont regroupées dans un groupe *autres catégories* quand ce "
        "regroupement atteint ce seuil, sinon elles ne sont pas détaillées (les membres d'un "
        "pôle se connaissent : un résultat sur une ou deux personnes dirait qui a répondu quoi)."
    )
    if not scores.by_category:
        text += " Ici, aucune répartition par catégorie ne respecte ce seuil."
    return text


def show_categories(scores: WaveScores, ref: Referentiel, vocabulary: Vocabulary) -> None:
    groups = list(scores.by_category)
    show_markdown("**Par catégorie de répondants.** " + categories_note(scores))
    if not groups:
        return
    show_rows(
        ["Objectif", *[f"{escape_markdown_html(group_label(g, vocabulary))} "
                       f"(n = {scores.category_counts[g]})" for g in groups]],
        [[f"{o.id}. {escape_markdown_html(o.short_label)}",
          *[cell(scores.by_category[g][o.id]) for g in groups]] for o in ref.objectives],
        "categories", f"Médiane déclarée par objectif et par catégorie (vague {scores.wave})",
    )  # fmt: skip


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
            f"{escape_markdown_html(group_label(d.high, vocabulary))} {fmt(d.high_median)} "
            f"(n = {high.n}) contre {escape_markdown_html(group_label(d.low, vocabulary))} "
            f"{fmt(d.low_median)} (n = {low.n}), écart de {fmt(d.gap)} point"
        )
    return lines


def evolution_rows(ref: Referentiel, waves: Sequence[WaveScores]) -> list[list[str]]:
    return [
        [f"{o.id}. {escape_markdown_html(o.short_label)}"]
        + [cell(w.objectives[o.id]) if w.sufficient else LOW_BASE for w in waves]
        for o in ref.objectives
    ]


def show_evolution(ref: Referentiel, waves: Sequence[WaveScores], name: str) -> None:
    """The last two waves: an « évolution » only when :func:`wave_link` allows it, otherwise
    two snapshots side by side; n of each wave and of the respondents of both, always."""
    from .charts.declared import build_evolution

    first, last = waves[-2], waves[-1]
    link = wave_link(first, last)
    if link.comparable:
        show_markdown(f"### Évolution depuis la vague {first.wave}\n\n{link.sentence}")
        show_figure(
            build_evolution(ref, [(w.wave, w.respondents, w.objectives) for w in (first, last)],
                            "répondants"),
            "evolution-vagues",
            f"Évolution des scores déclarés par objectif, de la vague {first.wave} "
            f"(n = {first.respondents}) à la vague {last.wave} (n = {last.respondents})",
            f"Courbes des médianes déclarées par les membres de {name} sur les "
            f"{principal_objectives(ref, principal=False)}, "
            f"une par vague, avec l'effectif de répondants de chaque vague.",
        )  # fmt: skip
    else:
        show_markdown(
            f"### Deux vagues côte à côte\n\n{link.sentence} Les deux vagues sont deux "
            "photographies : " + ("l'une a un effectif trop faible"
            if not (first.sufficient and last.sufficient)
            else "les catégories de répondants détaillées n'y sont pas les mêmes")
            + ", leurs répondants diffèrent, et l'écart entre elles ne se lit pas comme une "
            "évolution."
        )  # fmt: skip
    show_rows(
        ["Objectif", *[f"Vague {w.wave} (n = {w.respondents})" for w in (first, last)]],
        evolution_rows(ref, (first, last)), "evolution-vagues",
        "Médiane déclarée par objectif à chaque vague (n = répondants ayant noté l'objectif)",
    )  # fmt: skip


def show_declared(
    pole: Pole, ref: Referentiel, cohort: Mapping[str, Any], settings: Settings,
    vocabulary: Vocabulary,
) -> bool:  # fmt: skip
    """Show the declared scores of ``pole``; False when it has no answers for this version."""
    from .charts.radar import build_radar

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
        comparable = bool(cohort.get("comparable"))
        show_markdown(scale_note(ref))
        if comparable:
            caption = (
                f"Profil {DECLARED} (vague {latest.wave}, "
                f"{plural(latest.respondents, 'répondant')}) comparé à la médiane des "
                f"{group_phrase(cohort)}"
            )
        else:
            caption = f"Profil {DECLARED} (vague {latest.wave}, " \
                f"{plural(latest.respondents, 'répondant')})"  # fmt: skip
            show_markdown(no_comparison_sentence(cohort))
        show_figure(
            build_radar(ref, latest.profile, cohort), "radar", caption,
            "Diagramme en radar des médianes déclarées par les membres sur les "
            f"{principal_objectives(ref)}" + (", superposé à la médiane des autres pôles." if comparable else "."),
        )  # fmt: skip
        median = cohort.get("median") or {}
        counts = cohort.get("n") or {}
        head = ["Objectif", "Médiane du pôle", "Écart interquartile", "n répondants"]
        show_rows(
            head + (["Médiane des autres pôles (n)"] if comparable else []),
            [
                [f"{o.id}. {escape_markdown_html(o.short_label)}",
                 fmt(latest.objectives[o.id].median), iqr(latest.objectives[o.id]),
                 str(latest.objectives[o.id].n)]
                + ([f"{fmt(median.get(o.id))} ({counts.get(o.id, 0)})"] if comparable else [])
                for o in ref.objectives
            ],
            "scores-declares", f"Scores déclarés par les membres, par objectif principal (vague {latest.wave})",
            align="lrrrr" if comparable else "lrrr",
        )  # fmt: skip
        show_categories(latest, ref, vocabulary)
        lines = divergence_lines(latest, ref, vocabulary)
        if lines:
            show_markdown(
                "**Divergences marquées entre catégories de répondants** (écart d'au moins "
                f"{fmt(settings.divergence)} point entre médianes, catégories d'au moins "
                f"{settings.category_threshold} répondants) :\n\n" + "\n".join(lines)
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
