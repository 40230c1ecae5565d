"""``ptce-mono lab``: open JupyterLab at the project root."""

from __future__ import annotations

import sys

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port du serveur (par défaut : 8888, ou le suivant s'il est pris).")  # fmt: skip
@click.option("--sans-navigateur", "no_browser", is_flag=True,
              help="N'ouvre pas le navigateur ; affiche l'adresse à ouvrir.")  # fmt: skip
@pass_state
def lab(state: State, port: int | None, no_browser: bool) -> None:
    """Ouvre JupyterLab à la racine du projet, avec le noyau « python3 » de cet
    environnement (où ptce_mono est importable).

    Sans affichage graphique, le navigateur n'est pas ouvert : copiez l'adresse affichée.
    Ctrl-C (deux fois) arrête le serveur.
    """
    from ...pipeline.lab import (
        check_jupyterlab,
        ensure_kernel,
        has_display,
        lab_command,
        lab_environment,
        run_lab,
    )

    root = state.paths.root
    check_jupyterlab()
    env = lab_environment(root)
    note = ensure_kernel(env)
    if note:
        click.echo(note)
    open_browser = not no_browser and has_display()
    click.echo(f"JupyterLab démarre à la racine du projet : {root}")
    if not open_browser:
        click.echo(
            "Ouvrez dans votre navigateur l'adresse « http://127.0.0.1:… » affichée ci-dessous."
        )
    code = run_lab(lab_command(root, port, open_browser), root, env)
    if code not in (0, 130):
        click.echo(f"JupyterLab s'est arrêté avec le code {code}.", err=True)
        sys.exit(1)
