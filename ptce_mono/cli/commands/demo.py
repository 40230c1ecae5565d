"""``ptce-mono demo``: the main job of ``make demo`` (validate, build, publish the site)."""

from __future__ import annotations

import sys

import click

from ..base import CONTEXT, State, pass_state
from ..output import make_progress, print_problems, print_report


@click.command(context_settings=CONTEXT)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Nombre d'exécutions en parallèle (par défaut : nombre de cœurs).")  # fmt: skip
@pass_state
def demo(state: State, jobs: int | None) -> None:
    """Tâche principale : valider le corpus, construire monographies et analyse transversale
    (HTML et PDF), puis publier le site."""
    from ...checks.validate import validate_corpus
    from ...pipeline.build import run_build
    from ...pipeline.summary import corpus_summary, format_summary

    click.echo("1. Validation des fiches")
    report = validate_corpus(state.paths)
    print_problems(state.paths.root, list(report.problems), show_warnings=False)
    click.echo(format_summary(corpus_summary(state.paths, report)))
    click.echo("2. Construction des monographies et de l'analyse transversale")
    build_report = run_build(state.paths, jobs=jobs, progress=make_progress(), validation=report)
    print_report(build_report)
    failed = bool(report.errors) or not build_report.ok
    click.echo("3. Publication du site")
    from ...site.build import build_site

    site_report = build_site(state.paths)
    click.echo(f"Site écrit dans {state.paths.site} ({site_report.summary()}).")
    click.echo("Pour le consulter : ptce-mono serve")
    if failed:
        sys.exit(1)
