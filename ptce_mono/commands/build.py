"""``ptce-mono build``: execute and render the monographs, then the transversal analysis."""

from __future__ import annotations

import sys

import click

from ..cli import CONTEXT, State, echo_err, pass_state


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("html", "pdf")]
    if unknown:
        raise click.BadParameter(f"format inconnu : {', '.join(unknown)} (formats : html, pdf)")
    return formats


def print_report(report, verbose_warnings: bool = False) -> None:
    from ..fr import format_number

    for outcome in report.failed:
        where = f" [section {outcome.section}]" if outcome.section else ""
        echo_err(f"Échec : {outcome.stem}{where} : {outcome.message}")
    n = format_number
    click.echo(
        f"Construits : {n(len(report.built))} ; à jour : {n(len(report.up_to_date))} ; "
        f"en échec : {n(len(report.failed))} ; durée : {n(report.elapsed, 1)} s"
    )
    if not report.built and not report.failed:
        click.echo("Rien à reconstruire : tout est à jour.")


def make_progress(total_hint: int | None = None):
    """Progress display: a bar on a terminal, plain lines otherwise."""
    from ..fr import format_number

    interactive = sys.stdout.isatty()

    def show(outcome, done: int, total: int) -> None:
        mark = "ok" if outcome.ok else "ÉCHEC"
        seconds = sum(outcome.timings.values())
        if interactive:
            width = 24
            filled = int(width * done / max(total, 1))
            bar = "█" * filled + "·" * (width - filled)
            click.echo(f"\r[{bar}] {done}/{total} {outcome.stem[:40]:<40} {mark}", nl=done == total)
        else:
            click.echo(f"[{done}/{total}] {outcome.stem} : {mark} ({format_number(seconds, 1)} s)")

    return show


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
    puis l'analyse transversale et le jeu de données consolidé.

    Incrémental : un pôle dont rien n'a changé n'est pas reconstruit. Un pôle en échec
    n'arrête pas les autres et sa dernière monographie réussie reste en place.
    Code de sortie 1 si au moins un pôle a échoué.
    """
    from ..build import run_build

    report = run_build(
        state.paths, slugs or None, force=force, jobs=jobs, dask_address=dask_address,
        formats=parse_formats(formats) if formats else (), engine=engine, timeout=timeout,
        transversal=not sans_transversale, progress=make_progress(),
    )  # fmt: skip
    print_report(report)
    if not report.ok:
        sys.exit(1)
