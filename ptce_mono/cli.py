"""The ``ptce-mono`` command line: French help, French messages, one error boundary.

Heavy modules are imported inside each command so that ``ptce-mono --help`` stays instant.
"""

from __future__ import annotations

import logging
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import PtceError
from .paths import ProjectPaths

HEADINGS = {"Options": "Options", "Commands": "Commandes", "Arguments": "Arguments"}


class FrenchFormatter(click.HelpFormatter):
    """Help pages in French (click's own words are English)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[OPTIONS]"), prefix="Utilisation : ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        french = [
            (
                term,
                text.replace("[default: ", "[par défaut : ").replace("[required]", "[obligatoire]"),
            )
            for term, text in rows
        ]
        super().write_dl(french, col_max, col_spacing)


class FrenchContext(click.Context):
    formatter_class = FrenchFormatter


def _french_help_option(self: click.Command, ctx: click.Context) -> click.Option | None:
    option = click.Command.get_help_option(self, ctx)
    if option is not None:
        option.help = "Affiche cette aide et quitte."
    return option


class Command(click.Command):
    context_class = FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _french_help_option(self, ctx)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LOG_FILE = "ptce-mono-erreur.log"


class State:
    """Options shared by every command."""

    def __init__(self, root: Path | None, data: Path | None, debug: bool) -> None:
        self.debug = debug
        base = ProjectPaths.discover(root) if root is None else ProjectPaths.at(root)
        self.paths = ProjectPaths.at(base.root, data=data) if data else base


pass_state = click.make_pass_decorator(State)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


class Group(click.Group):
    """Click group with the single error boundary of the program."""

    context_class = FrenchContext
    command_class = Command

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Commands defined in other modules get the French help too."""
        cmd.context_class = FrenchContext
        cmd.get_help_option = types.MethodType(_french_help_option, cmd)  # type: ignore[method-assign]
        super().add_command(cmd, name)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PtceError as exc:
            echo_err(f"Erreur : {exc}")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo_err("Interrompu.")
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # the boundary: never a traceback for the user
            state = ctx.find_object(State)
            log = Path(state.paths.root if state else Path.cwd()) / ".cache" / LOG_FILE
            try:
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text(traceback.format_exc(), encoding="utf-8")
            except OSError:
                pass
            if state is not None and state.debug:
                raise
            echo_err(
                f"Erreur inattendue ({type(exc).__name__} : {exc}). Le détail technique est dans {log} ; "
                "relancez avec --debug pour l'afficher."
            )
            ctx.exit(1)


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(
    __version__, "--version", message="ptce-mono %(version)s", help="Affiche la version et quitte."
)
@click.option(
    "--racine",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier du projet (par défaut : détecté depuis le dossier courant).",
)
@click.option(
    "--donnees",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier des données (par défaut : <racine>/data).",
)
@click.option("--debug", is_flag=True, help="Affiche le détail technique des erreurs inattendues.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, data: Path | None, debug: bool) -> None:
    """Atelier de monographies des pôles territoriaux de coopération économique (PTCE).

    Des fiches de pôles (data/poles/) aux monographies HTML et PDF, à l'analyse
    transversale et au site publié.
    """
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="%(message)s")
    ctx.obj = State(root, data, debug)


def print_problems(state: State, problems: list[Any], show_warnings: bool) -> None:
    for problem in problems:
        if problem.severity.value == "erreur" or show_warnings:
            echo_err(problem.format(state.paths.root))


@cli.command(context_settings=CONTEXT)
@click.argument("slugs", nargs=-1)
@click.option("--avertissements/--sans-avertissements", "warnings", default=False,
              help="Affiche aussi les avertissements (faits sans source, parts incomplètes).")  # fmt: skip
@pass_state
def validate(state: State, slugs: tuple[str, ...], warnings: bool) -> None:
    """Vérifie les fiches des pôles (tous, ou ceux nommés) et signale chaque problème.

    Chaque problème tient sur une ligne : fichier:ligne: champ: message.
    Code de sortie 1 s'il y a au moins une erreur.
    """
    from .summary import corpus_summary, format_summary
    from .validate import validate_corpus

    report = validate_corpus(state.paths, slugs or None)
    print_problems(state, list(report.problems), warnings)
    click.echo(format_summary(corpus_summary(state.paths, report)))
    if report.errors:
        n = len(report.errors)
        echo_err(f"{n} erreur{'s' if n > 1 else ''} : corrigez les fiches indiquées ci-dessus.")
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Nombre d'exécutions en parallèle (par défaut : nombre de cœurs).")  # fmt: skip
@pass_state
def demo(state: State, jobs: int | None) -> None:
    """Tâche principale : valider le corpus, construire monographies et analyse transversale
    (HTML et PDF), puis publier le site."""
    from .build import run_build
    from .commands.build import make_progress, print_report
    from .summary import corpus_summary, format_summary
    from .validate import validate_corpus

    click.echo("1. Validation des fiches")
    report = validate_corpus(state.paths)
    print_problems(state, list(report.problems), show_warnings=False)
    click.echo(format_summary(corpus_summary(state.paths, report)))
    click.echo("2. Construction des monographies et de l'analyse transversale")
    build_report = run_build(state.paths, jobs=jobs, progress=make_progress())
    print_report(build_report)
    failed = bool(report.errors) or not build_report.ok
    click.echo("3. Publication du site")
    from .site import build_site

    site_report = build_site(state.paths)
    click.echo(f"Site écrit dans {state.paths.site} ({site_report.summary()}).")
    click.echo("Pour le consulter : ptce-mono serve")
    if failed:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="ptce-mono")


# Commands that live in their own modules (ptce_mono/commands/*.py), registered here.
# Each module defines one click command and imports heavy modules inside the function.
# --- registered commands (add one line per command) ---
from .commands.build import build  # noqa: E402

cli.add_command(build)

from .commands.render import render  # noqa: E402

cli.add_command(render)

from .commands.new import new  # noqa: E402

cli.add_command(new)

from .commands.status import status  # noqa: E402

cli.add_command(status)

from .commands.preview import preview  # noqa: E402

cli.add_command(preview)

from .commands.lab import lab  # noqa: E402

cli.add_command(lab)

from .commands.notebooks import notebooks  # noqa: E402

cli.add_command(notebooks)

from .commands.site import site  # noqa: E402

cli.add_command(site)

from .commands.serve import serve  # noqa: E402

cli.add_command(serve)
