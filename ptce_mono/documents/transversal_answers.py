"""The declared scores across the poles, wave by wave, in the transversal analysis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..analysis.declared import WaveCohort, wave_cohorts
from ..core.fr import format_number, plural
from ..corpus.answer_labels import DECLARED
from ..corpus.answer_settings import Settings
from ..corpus.records import Pole
from ..corpus.referentiel import Referentiel, principal_objectives
from .display import escape_markdown_html, show_figure, show_markdown, show_rows


def comparable_waves(cohorts: Sequence[WaveCohort]) -> bool:
    """An « évolution » across waves only when the same poles are above the threshold at every
    wave (at least two waves); otherwise the waves are snapshots side by side."""
    kept = [c for c in cohorts if c.poles]
    return len(kept) >= 2 and len({c.slugs for c in kept}) == 1


def show_waves(poles: Iterable[Pole], ref: Referentiel, settings: Settings) -> None:
    from .charts.declared import build_evolution

    cohorts = wave_cohorts(poles, ref, settings)
    kept = [c for c in cohorts if c.poles]
    same = comparable_waves(cohorts)
    show_markdown(
        "### Évolution des scores déclarés par les membres, vague par vague"
        if same
        else "### Scores déclarés par les membres, vague par vague"
    )
    if not cohorts:
        show_markdown(
            "*Aucun pôle n'a encore de réponses au questionnaire du référentiel : pas "
            "d'évolution à montrer.*"
        )
        return
    bases = " ; ".join(f"vague {c.wave} : {plural(c.poles, 'pôle')}" for c in cohorts)
    show_markdown(
        f"Médiane, par objectif principal, des profils « {DECLARED} » des pôles ayant au moins "
        f"{plural(settings.minimum, 'répondant')} à la vague ({bases})."
        + "".join(
            f" À la vague {c.wave}, {plural(c.excluded, 'pôle')} sous ce seuil "
            f"(effectif trop faible) {'en sont exclus' if c.excluded > 1 else 'en est exclu'}."
            for c in cohorts
            if c.excluded
        )
    )
    if len(kept) >= 2 and not same:
        show_markdown(
            "Les pôles au-dessus du seuil ne sont pas les mêmes d'une vague à l'autre : les vagues "
            "sont montrées côte à côte, comme des photographies, et leurs écarts ne se lisent pas "
            "comme une évolution."
        )
    if same:
        show_figure(
            build_evolution(ref, [(c.wave, c.poles, c.objectives) for c in kept], "pôles"),
            "evolution-vagues",
            f"Médiane des pôles par objectif à chaque vague ({bases})",
            "Courbes des médianes déclarées par les membres sur les "
            f"{principal_objectives(ref, principal=False)}, une par "
            "vague, avec le nombre de pôles au-dessus du seuil à chaque vague.",
        )  # fmt: skip
    show_rows(
        ["Objectif", *[f"Vague {c.wave} ({plural(c.poles, 'pôle')})" for c in cohorts]],
        [
            [f"{o.id}. {escape_markdown_html(o.short_label)}"]
            + [
                f"{format_number(c.objectives[o.id].median, 1)} (n = {c.objectives[o.id].n})"
                if c.objectives[o.id].n
                else "—"
                for c in cohorts
            ]
            for o in ref.objectives
        ],
        "evolution-vagues",
        f"Médiane des profils déclarés par objectif et par vague ({bases})",
    )
