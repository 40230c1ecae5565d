"""``ptce-mono compare``: what changed for a pole between two waves."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


def _num(value: float | None) -> str:
    from ...core.fr import format_number

    return format_number(value, 1) if value is not None else "—"


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option("--vagues", nargs=2, required=True, metavar="A B",
              help="Les deux vagues à comparer (AAAA-MM).")  # fmt: skip
@pass_state
def compare(state: State, slug: str, vagues: tuple[str, str]) -> None:
    """Affiche et écrit ce qui a changé pour un pôle entre deux vagues : scores déclarés par
    objectif et par indicateur, et, si la fiche est versionnée dans git, les faits et les
    récits (différence mot à mot de chaque section, en HTML).
    """
    from ...analysis.waves import wave_link
    from ...documents.comparison import compare_record, write_comparison

    first, second = vagues
    comparison = compare_record(state.paths, slug, first, second)
    s = comparison.scores
    click.echo(f"{comparison.pole_name} : vague {first} (n = {s.before.respondents}) → "
               f"vague {second} (n = {s.after.respondents})")  # fmt: skip
    link = wave_link(s.before, s.after)
    click.echo(link.sentence)
    if not link.comparable:
        click.echo("Les deux vagues sont deux photographies (effectif trop faible ou catégories "
                   "détaillées différentes) : leurs écarts ne se lisent pas comme une évolution.")  # fmt: skip
    click.echo("Objectifs dont la médiane a changé :")
    for ch in s.changed_objectives or ():
        click.echo(f"  {ch.id}. {ch.label} : {_num(ch.before.median)} (n = {ch.before.n}) → "
                   f"{_num(ch.after.median)} (n = {ch.after.n})")  # fmt: skip
    if not s.changed_objectives:
        click.echo("  aucun")
    click.echo(f"Indicateurs dont la médiane a changé ({len(s.changed_indicators)}) :")
    for ch in s.changed_indicators:
        click.echo(f"  {ch.id} : {_num(ch.before.median)} → {_num(ch.after.median)}")
    if not comparison.versioned:
        click.echo("Fiche non versionnée dans git : seuls les scores sont comparés.")
    else:
        click.echo(f"Sections de la fiche modifiées ({len(comparison.sections)}) :")
        for sec in comparison.sections:
            click.echo(f"  {sec.title} : {sec.words} mots changés")
    out = write_comparison(state.paths, comparison, first, second)
    click.echo(f"écrit : {out}")
