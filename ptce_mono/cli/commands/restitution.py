"""``ptce-mono restitution``: the two-page restitution sheet of a pole (HTML and PDF)."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option("--vague", default=None, help="Vague restituée (par défaut : la plus récente).")
@click.option("--force", is_flag=True, help="Réécrit la fiche même si elle est à jour.")
@pass_state
def restitution(state: State, slug: str, vague: str | None, force: bool) -> None:
    """Écrit la fiche de restitution d'un pôle pour ses membres (deux pages, HTML et PDF) :
    profil par objectif comparé à la cohorte, divergences entre catégories de répondants,
    changements depuis la vague précédente et questions pour la discussion collective.

    C'est la construction de cette seule sortie : une fiche à jour (mêmes réponses, même
    cohorte, mêmes gabarits) n'est pas réécrite, sauf avec --force. « ptce-mono build »
    construit celles de tous les pôles qui ont des réponses.
    """
    from ...pipeline.sheets import restitute

    written, html, pdf = restitute(state.paths, slug, vague, force)
    verb = "écrit" if written else "à jour"
    click.echo(f"{verb} : {html}")
    click.echo(f"{verb} : {pdf}")
