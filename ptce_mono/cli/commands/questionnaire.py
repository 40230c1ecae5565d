"""``ptce-mono questionnaire``: the référentiel questionnaires of a wave (XLSForm, XLSX, PDF)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..base import CONTEXT, State, pass_state
from ..output import echo_err


@click.command(context_settings=CONTEXT)
@click.argument("slugs", nargs=-1)
@click.option("--vague", required=True, help="Vague (campagne datée) : AAAA-MM ou AAAA-MM-JJ.")
@click.option("--sortie", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier de sortie (par défaut : <racine>/questionnaires).")  # fmt: skip
@click.option("--formats", default="xlsform,xlsx,pdf", show_default=True,
              help="Formats, séparés par des virgules : xlsform, xlsx, pdf.")  # fmt: skip
@pass_state
def questionnaire(
    state: State, slugs: tuple[str, ...], vague: str, sortie: Path | None, formats: str
) -> None:
    """Écrit les questionnaires du référentiel pour une vague, pour les pôles nommés (ou tous) :
    un XLSForm pour KoboToolbox ou ODK, un classeur XLSX à remplir et un PDF à imprimer.

    Les indicateurs sans libellé lisible dans la source y figurent comme tels.
    """
    from ...documents.questionnaires import FORMATS, write_questionnaires

    wanted = tuple(dict.fromkeys(f.strip() for f in formats.split(",") if f.strip()))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise click.BadParameter(
            f"format inconnu : {', '.join(unknown) or '(vide)'} (formats possibles : "
            f"{', '.join(FORMATS)})"
        )
    dest = sortie or state.paths.root / "questionnaires"
    result = write_questionnaires(state.paths, vague, dest, slugs or None, wanted)
    written = result.files
    for path in written:
        click.echo(f"écrit : {path}")
    click.echo(f"{len(written)} fichier{'s' if len(written) > 1 else ''} dans {dest / vague}.")
    for slug, message in result.failed.items():
        echo_err(f"Échec : {slug} : {message}")
    if result.failed:
        sys.exit(1)
