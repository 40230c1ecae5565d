"""``ptce-mono notebooks``: check or synchronise the paired notebooks of the project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..base import CONTEXT, State, pass_state
from ..output import echo_err


@click.command(context_settings=CONTEXT)
@click.argument("fichiers", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--verifier/--synchroniser",
    "check",
    default=True,
    help="Vérifie seulement (par défaut), ou synchronise : met chaque notebook et sa forme "
    "texte .py en accord (le plus récent l'emporte) et retire sorties et métadonnées instables.",
)
@pass_state
def notebooks(state: State, fichiers: tuple[Path, ...], check: bool) -> None:
    """Hygiène des notebooks appariés (templates/ et notebooks/, ou FICHIERS) : ni sorties,
    ni numéros d'exécution, ni métadonnées instables, et forme texte .py à jour.

    Code de sortie 1 si --verifier trouve un problème.
    """
    from ...pipeline.hygiene import check_notebooks, project_notebooks, sync_notebooks

    paths = list(fichiers) or project_notebooks(state.paths.root)
    if not paths:
        click.echo("Aucun notebook apparié dans templates/ ni notebooks/.")
        return
    if check:
        problems = check_notebooks(paths)
        for problem in problems:
            echo_err(problem)
        if problems:
            echo_err("Pour corriger : ptce-mono notebooks --synchroniser")
            sys.exit(1)
        click.echo(f"{len(paths)} notebook{'s' if len(paths) > 1 else ''} en ordre.")
        return
    changes = sync_notebooks(paths)
    for change in changes:
        click.echo(change)
    click.echo("Tout est déjà synchronisé." if not changes else "Synchronisation terminée.")
