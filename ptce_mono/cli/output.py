"""Everything the command line prints: messages, problem lines, build progress and summary.

Only this wing of the package prints; library modules return values or raise typed errors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.problems import Problem, render_problem, render_report

if TYPE_CHECKING:
    from ..core.errors import ProblemsError


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def print_problems(root: Path, problems: Iterable[Problem], show_warnings: bool) -> None:
    """One line per problem (``fichier:ligne: champ: message``, the one rendering of
    :func:`~ptce_mono.core.problems.render_problem`); warnings only on request."""
    for problem in problems:
        if problem.is_error or show_warnings:
            echo_err(render_problem(problem, root))


def print_refusal(root: Path, error: ProblemsError) -> None:
    """A refusal carrying problems (an import, the census…): « Erreur : » and what was
    refused, then the problems one line each, as ``validate`` prints them."""
    problems = error.problems
    if len(problems) == 1 and not error.intro:
        echo_err(f"Erreur : {render_problem(problems[0], root)}")
        return
    echo_err(f"Erreur : {render_report(problems, error.intro, root).splitlines()[0]}")
    print_problems(root, problems, show_warnings=True)


def print_open_remarks(root: Path, folders: list[Path]) -> None:
    """The remarks of the poles' review rounds that the team has not answered yet."""
    from ..checks.review import open_remarks

    found = [remark for folder in folders for remark in open_remarks(folder)]
    if not found:
        return
    n = len(found)
    click.echo(f"{n} remarque{'s' if n > 1 else ''} de relecture sans réponse de l'équipe "
               "(statut et reponse à renseigner) :")  # fmt: skip
    for problem in found:
        click.echo("  " + render_problem(problem, root).replace(" avertissement : ", " "))


def print_report(report, verbose_warnings: bool = False) -> None:
    from ..core.fr import format_number

    for outcome in report.failed:
        where = f" [section {outcome.section}]" if outcome.section else ""
        echo_err(f"Échec : {outcome.stem}{where} : {outcome.message}")
    for outcome in report.built:
        for notice in getattr(outcome, "notices", ()):
            echo_err(f"Remarque : {notice}")
    n = format_number
    for note in getattr(report, "notes", []):
        click.echo(f"Pourquoi : {note}")
    click.echo(
        f"Construits : {n(len(report.built))} ; à jour : {n(len(report.up_to_date))} ; "
        f"en échec : {n(len(report.failed))} ; durée : {n(report.elapsed, 1)} s"
    )
    sheets = getattr(report, "restitutions", [])
    current = getattr(report, "restitutions_up_to_date", [])
    if sheets or current:
        written = "écrite" if len(sheets) < 2 else "écrites"
        click.echo(
            f"Fiches de restitution : {n(len(sheets))} {written} ; à jour : {n(len(current))}"
        )
    if not report.built and not report.failed and not sheets:
        click.echo("Rien à reconstruire : tout est à jour.")


def make_progress(total_hint: int | None = None):
    """Progress display: a bar on a terminal, plain lines otherwise."""
    from ..core.fr import format_number

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
