"""``ptce-mono import``: bring material in. ``import answers``: answers to the référentiel
questionnaire. (Other helpers add subcommands to this group, e.g. ``import interviews``.)"""

from __future__ import annotations

from pathlib import Path

import click

from ..base import CONTEXT, Group, State, pass_state


@click.group(name="import", cls=Group, context_settings=CONTEXT)
def import_group() -> None:
    """Importe des données dans le corpus (réponses au questionnaire du référentiel…)."""


@import_group.command(name="answers", context_settings=CONTEXT)
@click.argument("fichiers", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--pole", default=None, help="Pôle des réponses, si le fichier ne l'indique pas.")
@click.option("--vague", default=None, help="Vague (AAAA-MM), si le fichier ne l'indique pas.")
@pass_state
def answers(state: State, fichiers: tuple[Path, ...], pole: str | None, vague: str | None) -> None:
    """Importe des réponses au questionnaire du référentiel : questionnaires XLSX remplis,
    export KoboToolbox (CSV ou XLSX, « XML values and headers ») ou export LimeSurvey (CSV).

    Les réponses sont enregistrées par pôle et par vague dans
    data/poles/<pôle>/referentiel/<vague>.yaml, chaque répondant sous un identifiant
    pseudonyme. Au moindre problème, rien n'est enregistré. Réimporter un fichier ne change rien.
    """
    from ...participation.answers import import_answers

    plan = import_answers(state.paths, fichiers, pole, vague)
    for (slug, wave), count in sorted(plan.added.items()):
        total = plan.waves[(slug, wave)].n
        click.echo(f"{slug}, vague {wave} : {count} réponse{'s' if count > 1 else ''} "
                   f"ajoutée{'s' if count > 1 else ''} ({total} en tout)")  # fmt: skip
    if plan.unchanged:
        click.echo(f"{plan.unchanged} réponse{'s' if plan.unchanged > 1 else ''} déjà "
                   f"enregistrée{'s' if plan.unchanged > 1 else ''} : inchangée"
                   f"{'s' if plan.unchanged > 1 else ''}.")  # fmt: skip
    if not plan.added and not plan.unchanged:
        click.echo("Aucune réponse dans ces fichiers.")
