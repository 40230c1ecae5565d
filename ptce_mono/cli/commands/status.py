"""``ptce-mono status``: what is valid, up to date, stale or failed, pole by pole."""

from __future__ import annotations

import click

from ..base import CONTEXT, State, pass_state


@click.command(context_settings=CONTEXT)
@pass_state
def status(state: State) -> None:
    """Affiche l'état de chaque pôle : fiche valide ou non, monographie à jour, périmée,
    en échec ou jamais construite, sections documentées et date de la dernière construction.

    Ne construit rien : pour mettre à jour, lancez « ptce-mono build ».
    """
    from ...checks.validate import corpus_from_report, validate_corpus
    from ...core.fingerprint import read_manifest
    from ...corpus.records import pole_folders
    from ...pipeline.plan import TRANSVERSAL, current_inputs, private_digest
    from ...pipeline.status import (
        count_summary,
        format_table,
        outputs_present,
        status_table,
        transversal_line,
    )

    paths = state.paths
    report = validate_corpus(paths)
    grid = report.grid
    loaded = {p.slug for p in report.poles}
    unreadable = [f.name for f in pole_folders(paths) if f.name not in loaded]
    slugs = [*loaded, *unreadable]
    manifests = {s: read_manifest(paths.monographs, s) for s in slugs}
    present = {s: outputs_present(m, paths.monographs) for s, m in manifests.items() if m}
    corpus = corpus_from_report(paths, report)
    plan = current_inputs(paths, corpus, report.digests)
    current: dict = dict(plan.by_stem)
    for slug in loaded - set(current):  # an invalid pole: its private table still counts
        current[slug] = {"prive": private_digest(paths, slug)}
    rows = status_table(report, manifests, current, grid, present, unreadable)
    if not rows:
        click.echo(f"Aucun pôle dans {paths.poles} : créez-en un avec « ptce-mono new ».")
        return
    click.echo(format_table(rows))
    click.echo(count_summary(rows))
    manifest = read_manifest(paths.monographs, TRANSVERSAL)
    present = outputs_present(manifest, paths.monographs)
    click.echo(transversal_line(manifest, current.get(TRANSVERSAL), present))
    echo_sheet_states(paths, corpus, plan)
    echo_review_states(report.poles)


def echo_sheet_states(paths, corpus, plan) -> None:  # type: ignore[no-untyped-def]
    """Each restitution sheet: up to date, stale (and why), failed or never built."""
    from ...pipeline.sheets import read_sheet_manifest, sheet_inputs
    from ...pipeline.status import outputs_present, sheet_lines

    inputs = sheet_inputs(paths, corpus, plan)
    manifests = {slug: read_sheet_manifest(paths, slug) for slug in inputs}
    present = {slug: outputs_present(m) for slug, m in manifests.items()}
    for line in sheet_lines(manifests, inputs, present):
        click.echo(line)


def echo_review_states(poles) -> None:  # type: ignore[no-untyped-def]
    """Each pole's review round (« ptce-mono relecture »), when one was sent."""
    from ...analysis.review_state import status_line
    from ...core.errors import DataFileError
    from ...core.problems import render_first
    from ...corpus.review_store import load_rounds

    lines = []
    for pole in sorted(poles, key=lambda p: p.slug):
        try:
            line = status_line(pole.slug, load_rounds(pole.folder))
        except DataFileError as exc:
            where = render_first(exc.problems, see="voir ptce-mono validate")
            line = f"{pole.slug} : fichier de relecture illisible ({where})"
        if line:
            lines.append(f"  {line}")
    click.echo("Relecture par les pôles :" if lines else "Relecture par les pôles : aucune "
               "monographie envoyée (ptce-mono relecture SLUG).")  # fmt: skip
    for line in lines:
        click.echo(line)
