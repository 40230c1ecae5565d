"""``ptce-mono relecture``: the monograph of a pole as a DOCX and an ODT for its actors to
comment, and the record of what was sent."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option("--delai", "timeout", type=float, default=600.0, show_default=True,
              help="Délai d'exécution de la monographie, en secondes.")  # fmt: skip
@pass_state
def relecture(state: State, slug: str, timeout: float) -> None:
    """Écrit la monographie d'un pôle en DOCX et en ODT pour sa relecture par les acteurs du
    pôle (commentaires et suivi des modifications dans Word, LibreOffice ou OnlyOffice), avec une
    première page qui explique comment faire. L'envoi est enregistré dans
    data/poles/<pôle>/relectures/<date>.yaml (date, version, empreinte de chaque section) ;
    les retours s'importent avec « ptce-mono import relecture FICHIER --pole SLUG »."""
    from ...core.lock import data_lock
    from ...pipeline.review_export import send_for_review
    from .imports import _waiting

    # the round's file is chosen and written under the lock of everything that writes data/
    with data_lock(state.paths.data, on_wait=_waiting):
        sending = send_for_review(state.paths, slug, timeout=timeout)
    root = state.paths.root
    for path in (sending.docx, sending.odt):
        click.echo(f"écrit : {path.relative_to(root) if path.is_relative_to(root) else path}")
    review = sending.round
    where = (
        review.path.relative_to(root)
        if review.path and review.path.is_relative_to(root)
        else review.path
    )
    if sending.new_round:
        click.echo(f"envoi enregistré : {where} (version {review.sent.version}).")
    else:
        click.echo(f"version {review.sent.version} déjà envoyée le {review.sent.date} : "
                   f"relecture inchangée ({where}).")  # fmt: skip
    click.echo("Envoyez le fichier DOCX (ou ODT) aux membres du pôle ; à son retour : "
               f"ptce-mono import relecture FICHIER --pole {slug}")  # fmt: skip
