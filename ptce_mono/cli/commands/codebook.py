"""``ptce-mono codebook``: the grid and the référentiel as a codebook for QDA tools."""

from __future__ import annotations

from pathlib import Path

import click

from ...corpus.referentiel import DEFAULT_VERSION
from ..base import CONTEXT, State, pass_state

QDC_NAME = "grille-ptce.qdc"
TAGUETTE_NAME = "grille-ptce-taguette.csv"


@click.command(context_settings=CONTEXT)
@click.option(
    "--sortie",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier où écrire les deux fichiers [par défaut : codebook/ à la racine].",
)
@click.option(
    "--referentiel",
    "version",
    default=None,
    help=f"Version du référentiel à inclure [par défaut : {DEFAULT_VERSION}].",
)
@pass_state
def codebook(state: State, out_dir: Path | None, version: str | None) -> None:
    """Écrit la grille d'analyse (sections, questions directrices) et le référentiel
    (objectifs, indicateurs) comme livre de codes : REFI-QDA (.qdc, pour QualCoder, NVivo,
    MAXQDA, ATLAS.ti) et CSV à importer dans Taguette. Les noms de codes sont des identifiants
    stables (« gouvernance », « gouvernance-2 », « ref-f1 ») que « ptce-mono import interviews »
    relit."""
    from ...core.atomic import write_text_atomic
    from ...corpus.grid import load_grid
    from ...corpus.referentiel import load_referentiel
    from ...importers.codebook import qdc_codebook, taguette_codebook

    paths = state.paths
    grid = load_grid(paths.grid_file)
    ref = load_referentiel(paths.referentiels, version or DEFAULT_VERSION)
    folder = out_dir or paths.root / "codebook"
    qdc, csv = folder / QDC_NAME, folder / TAGUETTE_NAME
    write_text_atomic(qdc, qdc_codebook(grid, ref))
    write_text_atomic(csv, taguette_codebook(grid, ref))
    click.echo(f"Livre de codes REFI-QDA : {qdc}")
    click.echo(f"Livre de codes Taguette : {csv}")
