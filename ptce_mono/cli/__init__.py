"""The ``ptce-mono`` command line: the group, its shared options and the registered commands.

Each command lives in ``cli/commands/<name>.py`` and imports heavy modules inside its function,
so that ``ptce-mono --help`` stays instant. Only this wing of the package imports click or prints.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .. import __version__
from .base import CONTEXT, Group, State, say_interrupted
from .commands import COMMANDS


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
    # the kernel client's own English lines: the build says it in French (see execute.py)
    logging.getLogger("ptce_mono.noyau").setLevel(logging.DEBUG if debug else logging.CRITICAL)
    ctx.obj = State(root, data, debug)


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """The ``ptce-mono`` program. Once the command has ended and said how, a late Ctrl-C is
    ignored: Python's shutdown resets Ctrl-C to the system's default, which would otherwise
    kill a finished build by the signal (code -2) in its last milliseconds."""
    import faulthandler
    import signal

    from ..core.startup import skip_unused_imports

    skip_unused_imports()
    # A command that seems stuck tells where it stands: ``kill -USR1 PID`` prints the stack of
    # each of its threads on its error output (it goes on running).
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    try:
        cli.main(args=argv, prog_name="ptce-mono")
    except KeyboardInterrupt:  # arrived between the command's own boundary and its exit
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        say_interrupted()
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
