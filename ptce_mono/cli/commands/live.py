"""``ptce-mono preview SLUG --suivre``: the live preview's terminal side (what it prints, the
browser, Ctrl-C). The work is in :mod:`ptce_mono.pipeline.live`, the page in :mod:`ptce_mono.site.live`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ...core.paths import ProjectPaths
from ..output import echo_err


def _seconds(value: float) -> str:
    from ...core.fr import format_number

    return f"{format_number(value, 2)} s"


def _shown(paths: ProjectPaths, path: Path) -> str:
    return str(path.relative_to(paths.root)) if path.is_relative_to(paths.root) else str(path)


def follow_preview(
    paths: ProjectPaths, slug: str, formats: tuple[str, ...], port: int, browser: bool
) -> None:
    """Serve the preview, build it, then follow the saves until Ctrl-C."""
    import webbrowser

    from ...corpus.records import select_folders
    from ...pipeline import live
    from ...site import live as live_server

    select_folders(paths, {slug})  # an unknown pole is refused before anything starts

    def pdf_done(snapshot: live.Snapshot) -> None:
        if snapshot.pdf == live.PDF_DONE:
            click.echo(f"  PDF à jour ({_seconds(float(snapshot.pdf_message))}).")
        elif snapshot.pdf == live.PDF_FAILED:
            echo_err(f"  PDF en échec : {snapshot.pdf_message}")

    def report(done: live.Round, saved: list[Path]) -> None:
        if saved:
            names = ", ".join(_shown(paths, p) for p in saved[:3])
            more = f" (et {len(saved) - 3} autres)" if len(saved) > 3 else ""
            click.echo(f"Enregistré : {names}{more}")
        total = _seconds(done.timings.get("total", 0.0))
        if done.result == "built":
            click.echo(f"  Aperçu HTML à jour en {total} ; la page se recharge.")
        elif done.result == "unchanged":
            click.echo("  Rien n'a changé pour cette monographie.")
        else:
            echo_err("  Problème (l'aperçu garde la dernière version réussie) :")
            for problem in done.problems:
                echo_err(f"  {problem}")

    preview = live.LivePreview(paths, slug, formats, on_pdf=pdf_done)
    server = thread = None
    try:
        server, thread = live_server.start(preview.state, slug, paths.monograph(slug, ".pdf"), port)
        address = live_server.url(server)
        click.echo(f"Aperçu en direct de « {slug} » : {address}")
        click.echo("Chaque enregistrement reconstruit la page ; Ctrl-C pour arrêter.")
        report(preview.update(), [])
        if browser and not webbrowser.open(address):
            click.echo("Aucun navigateur trouvé : ouvrez l'adresse ci-dessus vous-même.")
        live.follow(preview, report)
    except KeyboardInterrupt:
        click.echo("\nAperçu arrêté.")
    finally:
        if server is not None and thread is not None:
            live_server.stop(server, thread)
        preview.close()
    sys.stdout.flush()
