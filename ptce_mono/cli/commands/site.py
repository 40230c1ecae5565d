"""``ptce-mono site``: write the static report site into ``site/``."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.option(
    "--sans-recherche",
    "no_search",
    is_flag=True,
    help="N'indexe pas le site pour la recherche en texte intégral (Pagefind).",
)
@pass_state
def site(state: State, no_search: bool) -> None:
    """Écrit le site statique (dossier site/) : accueil et carte, liste des pôles,
    monographies, analyse transversale, méthodologie, données, sources et recherche.

    Les monographies non encore produites sont signalées comme telles ; seules les pages
    qui ont changé sont réécrites. Pour le consulter : ptce-mono serve
    """
    from ...site.build import build_site

    report = build_site(state.paths, search=not no_search)
    click.echo(f"Site écrit dans {state.paths.site} ({report.summary()}).")
    if report.indexed:
        click.echo("Index de recherche mis à jour.")
    click.echo("Pour le consulter : ptce-mono serve")
