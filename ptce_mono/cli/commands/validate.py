"""``ptce-mono validate``: check the pole records and print one line per problem."""

from __future__ import annotations

import sys

import click

from ..base import CONTEXT, State, pass_state
from ..output import echo_err, print_open_remarks, print_problems


@click.command(context_settings=CONTEXT)
@click.argument("slugs", nargs=-1)
@click.option("--avertissements/--sans-avertissements", "warnings", default=False,
              help="Affiche aussi les avertissements (faits sans source, parts incomplètes).")  # fmt: skip
@pass_state
def validate(state: State, slugs: tuple[str, ...], warnings: bool) -> None:
    """Vérifie les fiches des pôles (tous, ou ceux nommés) et signale chaque problème.

    Chaque problème tient sur une ligne : fichier:ligne: champ: message.
    Code de sortie 1 s'il y a au moins une erreur.
    """
    from ...checks.validate import validate_corpus
    from ...pipeline.summary import corpus_summary, format_summary

    report = validate_corpus(state.paths, slugs or None)
    print_problems(state.paths.root, list(report.problems), warnings)
    print_open_remarks(state.paths.root, [p.folder for p in report.poles])
    click.echo(format_summary(corpus_summary(state.paths, report)))
    if report.errors:
        n = len(report.errors)
        echo_err(f"{n} erreur{'s' if n > 1 else ''} : corrigez les fiches indiquées ci-dessus.")
        sys.exit(1)
