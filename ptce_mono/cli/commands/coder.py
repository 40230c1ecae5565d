"""``ptce-mono coder``: code a pole's interviews in Taguette, in one command."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import click

from ..base import CONTEXT, State, pass_state


def pole_title(state: State, slug: str) -> str:
    """The pole's name (``identite.nom``), checked to exist; unknown slugs get suggestions."""
    from ...corpus.grid import load_grid
    from ...corpus.records import load_pole, select_folders

    (folder,) = select_folders(state.paths, [slug])
    return load_pole(folder, load_grid(state.paths.grid_file), state.paths).name


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.argument("transcriptions", nargs=-1,
                type=click.Path(dir_okay=False, path_type=Path))  # fmt: skip
@click.option(
    "--sans-navigateur",
    "no_browser",
    is_flag=True,
    help="N'ouvre pas Taguette dans le navigateur ; affiche seulement son adresse "
    "(aussi avec la variable PTCE_SANS_NAVIGATEUR=1).",
)
@click.option(
    "--preparer-seulement",
    "prepare_only",
    is_flag=True,
    help="Prépare le projet (livre de codes, transcriptions) puis arrête Taguette.",
)
@click.option("--port", type=click.IntRange(1024, 65535), default=None,
              help="Port local de Taguette [par défaut : un port libre].")  # fmt: skip
@pass_state
def coder(
    state: State,
    slug: str,
    transcriptions: tuple[Path, ...],
    no_browser: bool,
    prepare_only: bool,
    port: int | None,
) -> None:
    """Ouvre le codage des entretiens d'un pôle dans Taguette, sur cet ordinateur seulement
    (127.0.0.1) : crée ou reprend le projet du pôle, y charge le livre de codes de la grille
    et du référentiel, convertit les transcriptions (.docx, .odt, .txt, .md, .html) avec pandoc
    et les y dépose, puis ouvre le navigateur. Ctrl-C arrête Taguette. Ensuite :
    « ptce-mono import interviews --depuis-taguette --pole SLUG ». Taguette s'installe avec
    « make taguette » ; sa base (data/prive/taguette/) reste hors de git."""
    import webbrowser

    from ...corpus.grid import load_grid
    from ...corpus.referentiel import load_referentiel, pole_version
    from ...importers import taguette as tg

    paths = state.paths
    title = pole_title(state, slug)
    html = {path: tg.transcript_html(path) for path in transcriptions}  # fails before starting
    grid = load_grid(paths.grid_file)
    # the pole's own version: the codes it is coded with are those its import resolves
    ref = load_referentiel(paths.referentiels, pole_version(paths.pole_dir(slug)))
    server = tg.start_server(paths, port)
    try:
        client = tg.Client(server)
        project, created = tg.ensure_project(client, slug, title)
        added = tg.ensure_codebook(client, project, grid, ref, tg.home_codes(paths.data))
        shown = tg.project_name(title, slug)
        click.echo(f"Projet Taguette « {shown} » {'créé' if created else 'repris'} ; "
                   f"livre de codes : {added} code{'s' if added > 1 else ''} "
                   f"ajouté{'s' if added > 1 else ''}.")  # fmt: skip
        for path in html:
            name, uploaded = tg.upload(client, project, path)
            state_word = "déposée" if uploaded else "déjà dans le projet, laissée telle quelle"
            click.echo(f"Transcription « {name} » ({path.name}) : {state_word}.")
        if prepare_only:
            return
        url = f"{server.base}/project/{project}"
        # once Taguette is announced, Ctrl-C is how a coding session ends (not an interruption),
        # even while the next lines are printed
        with contextlib.suppress(KeyboardInterrupt):
            click.echo(f"Taguette tourne sur {server.base} (cet ordinateur seulement).")
            if no_browser or os.environ.get(tg.NO_BROWSER_ENV):
                click.echo(f"Ouvrez {server.login_url} puis le projet : {url}")
            else:
                webbrowser.open(server.login_url)
            click.echo(
                "Codez les passages, puis arrêtez Taguette (Ctrl-C) et lancez "
                f"« ptce-mono import interviews --depuis-taguette --pole {slug} »."
            )
            server.process.wait()
    finally:
        server.stop()
        click.echo("Taguette arrêté.")
