"""``ptce-mono restitution``: the two-page restitution sheet of a pole (HTML and PDF)."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option("--vague", default=None, help="Vague restituée (par défaut : la plus récente).")
@pass_state
def restitution(state: State, slug: str, vague: str | None) -> None:
    """Écrit la fiche de restitution d'un pôle pour ses membres (deux pages, HTML et PDF) :
    profil par objectif comparé à la cohorte, divergences entre catégories de répondants,
    changements depuis la vague précédente et questions pour la discussion collective.
    """
    from ...participation.restitution import build_restitution

    html, pdf = build_restitution(state.paths, slug, vague)
    click.echo(f"écrit : {html}")
    click.echo(f"écrit : {pdf}")
