"""``ptce-mono render``: render executed monographs (monographs/<slug>.ipynb) to HTML and PDF."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ...core.errors import PtceError
from ..base import CONTEXT, State, pass_state
from ..output import echo_err


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in ("html", "pdf")]
    if unknown or not formats:
        raise click.BadParameter(
            f"format inconnu : {', '.join(unknown) or '(vide)'} (formats possibles : html, pdf)"
        )
    return formats


def _notebooks(state: State, slugs: tuple[str, ...]) -> list[tuple[str, Path]]:
    monographs = state.paths.monographs
    if slugs:
        chosen = [(slug, state.paths.monograph(slug, ".ipynb")) for slug in dict.fromkeys(slugs)]
        for slug, notebook in chosen:
            if not notebook.is_file() and not state.paths.pole_dir(slug).is_dir():
                from ...core.errors import UnknownPoleError

                raise UnknownPoleError(slug, state.paths.poles)
        return chosen
    found = sorted(monographs.glob("*.ipynb")) if monographs.is_dir() else []
    if not found:
        raise PtceError(
            f"aucune monographie exécutée dans {monographs} : lancez d'abord « ptce-mono build »."
        )
    from ...core.paths import is_safe_slug

    return [(path.stem, path) for path in found if is_safe_slug(path.stem)]


@click.command(context_settings=CONTEXT)
@click.argument("slugs", nargs=-1)
@click.option("--to", "formats", default="html,pdf", show_default=True,
              help="Formats de rendu, séparés par des virgules (html, pdf).")  # fmt: skip
@click.option("--engine", type=click.Choice(["auto", "quarto", "embedded"]), default="auto",
              show_default=True,
              help="Moteur : Quarto s'il est installé (auto), Quarto, ou le moteur embarqué "
                   "(pandoc et Typst).")  # fmt: skip
@pass_state
def render(state: State, slugs: tuple[str, ...], formats: str, engine: str) -> None:
    """Rend les monographies déjà exécutées (monographs/<pôle>.ipynb) en HTML et en PDF.

    Sans identifiant de pôle, rend toutes les monographies exécutées. Un échec n'arrête pas les
    autres rendus et laisse en place les derniers fichiers réussis. Code de sortie 1 si au
    moins un rendu a échoué.
    """
    from ...core.fr import format_number, plural
    from ...render import RenderError, render_notebook, resolve_engine

    wanted = _formats(formats)
    name = resolve_engine(engine)
    started = time.perf_counter()
    done, failed = 0, 0
    for slug, notebook in _notebooks(state, slugs):
        if not notebook.is_file():
            failed += 1
            echo_err(
                f"Échec : {slug} ({name}) : monographie non exécutée ({notebook} introuvable) ; "
                f"lancez d'abord « ptce-mono build {slug} »."
            )
            continue
        start = time.perf_counter()
        try:
            result = render_notebook(notebook, state.paths.monographs, slug, wanted, name)
        except RenderError as exc:
            failed += 1
            echo_err(f"Échec : {slug} ({exc.engine}) : {exc.detail}")
            continue
        done += 1
        seconds = format_number(time.perf_counter() - start, 1)
        click.echo(f"{slug} ({result.engine}) : {', '.join(result)} ({seconds} s)")
    elapsed = format_number(time.perf_counter() - started, 1)
    click.echo(
        f"Rendus : {plural(done, 'monographie')} ; en échec : {format_number(failed)} ; "
        f"durée : {elapsed} s"
    )
    if failed:
        sys.exit(1)
