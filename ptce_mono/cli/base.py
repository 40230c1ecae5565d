"""What every command shares: French help, the options' state and the single error boundary."""

from __future__ import annotations

import os
import re
import sys
import traceback
import types
from pathlib import Path
from typing import Any, NoReturn

import click
from click import exceptions as ce

from ..core.errors import ProblemsError, PtceError, os_reason
from ..core.paths import ProjectPaths
from .output import echo_err, print_refusal

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

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:  # fmt: skip
        """Click's own main, but every message it would print in English is said in French:
        usage errors, unknown commands and options, missing or invalid values, interruption;
        a closed pipe (``ptce-mono status | head``) ends quietly."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ce.UsageError as exc:
            _show_usage_error(exc)
        except ce.ClickException as exc:
            echo_err(f"Erreur : {_french_click_message(exc)}")
            sys.exit(exc.exit_code)
        except (ce.Abort, KeyboardInterrupt):
            say_interrupted()
            sys.exit(130)
        except BrokenPipeError:
            _quiet_after_closed_pipe()
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        state = ctx.find_object(State)
        if state is None or not state.debug:
            quiet_libraries()
        try:
            return super().invoke(ctx)
        except ProblemsError as exc:  # every problem, as validate prints them
            state = ctx.find_object(State)
            print_refusal(state.paths.root if state else Path.cwd(), exc)
            ctx.exit(exc.exit_code)
        except PtceError as exc:
            echo_err(f"Erreur : {exc}")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            say_interrupted()
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:
            raise  # the reader of our output went away: main ends quietly
        except OSError as exc:
            if exc.errno == 32:  # EPIPE raised as a plain OSError
                raise BrokenPipeError(*exc.args) from exc
            state = ctx.find_object(State)
            if state is not None and state.debug:
                raise
            echo_err(f"Erreur : {_os_sentence(exc)}")
            ctx.exit(1)
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
                f"Erreur inattendue ({type(exc).__name__}). Le détail technique est dans {log} ; "
                "relancez avec --debug pour l'afficher."
            )
            ctx.exit(1)


# Libraries that log in English (a kernel that died, a restarting kernel, asyncio tasks):
# their messages become French outcomes of the build; only --debug shows them.
NOISY_LOGGERS = ("asyncio", "traitlets", "jupyter_client", "nbclient", "papermill", "distributed")


def quiet_libraries() -> None:
    import logging

    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def say_interrupted() -> None:
    """« Interrompu. » on standard error, then nothing more (:func:`silence_after_interrupt`);
    the caller exits with code 130."""
    echo_err("Interrompu.")
    silence_after_interrupt()


def silence_after_interrupt() -> None:
    """After « Interrompu. », nothing more is printed: worker threads, kernels and asyncio
    tasks stopped by the interruption would otherwise print English tracebacks (« Kernel
    died ») while the process ends. Standard error goes to /dev/null for the rest of the run."""
    import logging
    import threading

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    logging.disable(logging.CRITICAL)
    sys.excepthook = lambda *args: None
    threading.excepthook = lambda args: None
    sys.unraisablehook = lambda unraisable: None
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (until exit)
    except OSError:
        pass


def _os_sentence(exc: OSError) -> str:
    """A system error as a French sentence naming the folder concerned (the folder of the file,
    never a temporary file's name)."""
    name = exc.filename if isinstance(exc.filename, str | os.PathLike) else None
    if name is None:
        return f"opération impossible ({os_reason(exc)})."
    path = Path(name)
    folder = path if path.is_dir() else path.parent
    return f"accès impossible au dossier {folder} ({os_reason(exc)}) : vérifiez ses droits."


def _quiet_after_closed_pipe() -> NoReturn:
    """Python's recipe: point stdout at /dev/null so that the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(141)  # 128 + SIGPIPE, as a Unix tool stopped by a closed pipe


def _option_name(param: click.Parameter | None, hint: str | None = None) -> str:
    if param is None:
        return hint or "une option"
    if isinstance(param, click.Option):
        longest = max(param.opts, key=len) if param.opts else param.name or ""
        return longest
    return (param.human_readable_name or param.name or "").upper()


def _expected(param_type: click.ParamType | None) -> str:
    """What a value of ``param_type`` looks like, in French."""
    if isinstance(param_type, click.Choice):
        return "une de ces valeurs : " + ", ".join(str(c) for c in param_type.choices)
    if isinstance(param_type, click.IntRange | click.FloatRange):
        kind = "un nombre entier" if isinstance(param_type, click.IntRange) else "un nombre"
        bounds = []
        if param_type.min is not None:
            bounds.append(f"{'>' if param_type.min_open else '≥'} {param_type.min}")
        if param_type.max is not None:
            bounds.append(f"{'<' if param_type.max_open else '≤'} {param_type.max}")
        return kind + (" " + " et ".join(bounds) if bounds else "")
    if isinstance(param_type, click.types.IntParamType):
        return "un nombre entier"
    if isinstance(param_type, click.types.FloatParamType):
        return "un nombre (avec un point décimal : 2.5)"
    if isinstance(param_type, click.types.BoolParamType):
        return "oui ou non (true, false)"
    if isinstance(param_type, click.Path):
        what = (
            "un dossier"
            if not param_type.file_okay
            else ("un fichier" if not param_type.dir_okay else "un chemin")
        )
        return what + (" existant" if param_type.exists else "") + " accessible"
    return "une valeur valide"


_VALUE = re.compile(r"^(?:'(?P<q>.*)'|(?P<w>\S+)) (?:is|does)\b", re.DOTALL)
_NO_COMMAND = re.compile(
    r"^No such command '(?P<name>[^']*)'\.(?: Did you mean '(?P<close>[^']*)'\?)?"
)
_EXTRA = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)", re.DOTALL)


def _french_click_message(exc: ce.ClickException) -> str:
    """The French sentence of one of click's errors (click composes them in English)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if isinstance(exc, ce.NoSuchOption):
        text = f"option inconnue : {exc.option_name}"
        if exc.possibilities:
            text += f" (vouliez-vous dire {', '.join(sorted(exc.possibilities))} ?)"
        return text
    if isinstance(exc, ce.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"l'option {exc.option_name} ne prend pas de valeur"
        return f"l'option {exc.option_name} attend une valeur"
    if isinstance(exc, ce.MissingParameter):
        param = exc.param
        if isinstance(param, click.Option):
            return f"option obligatoire manquante : {_option_name(param)}"
        return f"argument manquant : {_option_name(param)}"
    if isinstance(exc, ce.BadParameter) and exc.param is None and exc.param_hint is None:
        return exc.message  # raised by a command of ours, already in French
    if isinstance(exc, ce.BadParameter):
        found = _VALUE.match(exc.message or "")
        value = (found.group("q") if found and found.group("q") is not None else
                 found.group("w") if found else None)  # fmt: skip
        shown = f" « {value} »" if value is not None else ""
        name = _option_name(exc.param, exc.param_hint if isinstance(exc.param_hint, str) else None)
        expected = _expected(exc.param.type if exc.param is not None else None)
        return f"valeur invalide{shown} pour {name} (attendu : {expected})"
    if isinstance(exc, ce.FileError):
        return f"fichier illisible : {exc.ui_filename}"
    if isinstance(exc, ce.UsageError):
        ctx = exc.ctx
        found = _NO_COMMAND.match(message)
        if found:
            known = ""
            if ctx is not None and isinstance(ctx.command, click.Group):
                known = " (commandes : " + ", ".join(ctx.command.list_commands(ctx)) + ")"
            if found.group("close"):
                known = f" (vouliez-vous dire {found.group('close')} ?)"
            return f"commande inconnue « {found.group('name')} »{known}"
        found = _EXTRA.match(message)
        if found:
            return f"argument en trop : {found.group('args')}"
        if message.startswith("Missing command"):
            return "commande manquante"
    return "ligne de commande incorrecte"


def _show_usage_error(exc: ce.UsageError) -> NoReturn:
    """Print a usage error in French: the sentence, the usage line, where to find help."""
    ctx = exc.ctx
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        click.echo(ctx.get_help())
        sys.exit(0)
    message = _french_click_message(exc)
    echo_err(f"Erreur : {message}{'' if message.endswith(('.', '?', ')')) else '.'}")
    if ctx is not None:
        echo_err(ctx.get_usage())
        echo_err(f"Aide : {ctx.command_path} --help")
    sys.exit(exc.exit_code)
