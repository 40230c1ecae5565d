"""What every command shares: French help, the options' state and the single error boundary."""

from __future__ import annotations

import traceback
import types
from pathlib import Path
from typing import Any

import click

from ..errors import PtceError
from ..paths import ProjectPaths
from .output import echo_err

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
