"""``ptce-mono build``: execute and render the monographs and the transversal analysis."""

from __future__ import annotations

import sys

import click

from ..base import CONTEXT, State, pass_state
from ..output import make_progress, print_report


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("html", "pdf")]
    if unknown:
        raise click.BadParameter(f"format inconnu : {', '.join(unknown)} (formats : html, pdf)")
    return formats


@click.command(context_settings=CONTEXT)
@click.argument("slugs", nargs=-1)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Nombre d'exécutions en parallèle (par défaut : nombre de cœurs).",
)
@click.option("--force", is_flag=True, help="Reconstruit tout, même ce qui est à jour.")
@click.option(
    "--to",
    "formats",
    default="html,pdf",
    show_default=True,
    help="Formats de rendu, séparés par des virgules (html, pdf) ; vide pour ne rien rendre.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "quarto", "embedded"]),
    default="auto",
    show_default=True,
    help="Moteur de rendu : Quarto s'il est installé (auto), ou le moteur embarqué.",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADRESSE",
    default=None,
    help="Exécute le lot sur un cluster Dask distribué (ex. tcp://127.0.0.1:8786).",
)
@click.option(
    "--delai",
    "timeout",
    type=float,
    default=600.0,
    show_default=True,
    help="Durée maximale d'exécution d'une cellule, en secondes.",
)
@click.option(
    "--sans-transversale", is_flag=True, help="Ne reconstruit pas l'analyse transversale."
)
@pass_state
def build(state: State, slugs: tuple[str, ...], jobs: int | None, force: bool, formats: str, engine: str,
          dask_address: str | None, timeout: float, sans_transversale: bool) -> None:  # fmt: skip
    """Exécute le modèle de monographie pour chaque pôle (papermill), produit le HTML et le PDF,
    ainsi que l'analyse transversale et le jeu de données consolidé.

    Incrémental : un pôle dont rien n'a changé n'est pas reconstruit. Un pôle en échec
    n'arrête pas les autres et sa dernière monographie réussie reste en place.
    Code de sortie 1 si au moins un pôle a échoué.
    """
    from ...pipeline.build import run_build

    report = run_build(
        state.paths, slugs or None, force=force, jobs=jobs, dask_address=dask_address,
        formats=parse_formats(formats) if formats else (), engine=engine, timeout=timeout,
        transversal=not sans_transversale, progress=make_progress(),
    )  # fmt: skip
    print_report(report)
    if not report.ok:
        sys.exit(1)
