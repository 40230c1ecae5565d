"""``ptce-mono serve``: serve the static site on localhost until Ctrl-C."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port d'écoute (0 : un port libre au hasard).")  # fmt: skip
@click.option("--hote", "host", default="127.0.0.1", show_default=True,
              help="Adresse d'écoute (127.0.0.1 : cet ordinateur seulement).")  # fmt: skip
@pass_state
def serve(state: State, port: int, host: str) -> None:
    """Sert le site statique (dossier site/) en local pour le consulter dans un navigateur.

    Ctrl-C arrête le serveur.
    """
    from ...site.serve import site_url, start_server, stop_server

    server, thread = start_server(state.paths.site, host, port)
    actual = server.server_address[1]
    click.echo(f"Site servi sur {site_url(host, actual)} (dossier {state.paths.site}).")
    click.echo("Ctrl-C pour arrêter le serveur.")
    try:
        while thread.is_alive():
            thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop_server(server, thread)
        click.echo("Serveur arrêté.")
