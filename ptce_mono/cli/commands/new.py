"""``ptce-mono new``: create the folder of a new pole."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option("--nom", required=True, help="Nom du pôle, tel qu'il s'écrit (entre guillemets).")
@click.option("--commune", default="", help="Commune du siège du pôle.")
@click.option("--code-postal", "code_postal", default="", help="Code postal (5 chiffres).")
@click.option(
    "--departement",
    default="",
    help="Code INSEE du département (01, 2A, 974…) ; déduit du code postal s'il manque.",
)
@pass_state
def new(
    state: State, slug: str, nom: str, commune: str, code_postal: str, departement: str
) -> None:
    """Crée la fiche d'un nouveau pôle : data/poles/SLUG/, avec pole.yaml commenté et un
    récit par section de la grille, où les questions directrices figurent en commentaires
    (jamais publiés).

    SLUG est l'identifiant du pôle : minuscules sans accent, chiffres et tirets
    (ex. « pole-du-val-fictif »).
    """
    from ...core.lock import data_lock
    from ...importers.scaffold import NewPole, create_pole

    with data_lock(state.paths.data):  # the one lock of every write to data/
        folder = create_pole(
            state.paths,
            NewPole(slug=slug, nom=nom, commune=commune, code_postal=code_postal,
                    departement=departement),
        )  # fmt: skip
    try:
        shown = folder.relative_to(state.paths.root)
    except ValueError:
        shown = folder
    click.echo(f"Pôle créé : {shown}/")
    from ...corpus.identity import create_identity

    identity = create_identity(state.paths.data)
    if identity is not None:
        click.echo(
            "Identité du projet créée : data/projet.yaml — indiquez l'équipe, l'institution, la "
            "licence et l'adresse du site : chaque document les cite dans « Comment ce document "
            "a été fait » et « Pour citer »."
        )
    click.echo(f"Renseignez {shown}/pole.yaml et les récits, puis : ptce-mono validate {slug}")
