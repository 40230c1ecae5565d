"""Everything the command line prints: messages, problem lines, build progress and summary.

Only this wing of the package prints; library modules return values or raise typed errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def print_problems(root: Path, problems: list[Any], show_warnings: bool) -> None:
    """One line per problem (``fichier:ligne: champ: message``); warnings only on request."""
    for problem in problems:
        if problem.severity.value == "erreur" or show_warnings:
            echo_err(problem.format(root))


def print_report(report, verbose_warnings: bool = False) -> None:
    from ..fr import format_number

    for outcome in report.failed:
        where = f" [section {outcome.section}]" if outcome.section else ""
        echo_err(f"Échec : {outcome.stem}{where} : {outcome.message}")
    for outcome in report.built:
        for notice in getattr(outcome, "notices", ()):
            echo_err(f"Remarque : {notice}")
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
