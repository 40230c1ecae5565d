"""``ptce-mono preview``: validate, build and open the monograph of one pole."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..base import CONTEXT, State, pass_state
from ..output import echo_err, print_problems


@click.command(context_settings=CONTEXT)
@click.argument("slug")
@click.option(
    "--to",
    "formats",
    default="html,pdf",
    show_default=True,
    help="Formats de rendu, séparés par des virgules (html, pdf).",
)
@click.option(
    "--sans-navigateur",
    "no_browser",
    is_flag=True,
    help="N'ouvre pas la monographie dans le navigateur ; affiche seulement son chemin.",
)
@click.option("--force", is_flag=True, help="Reconstruit même si la monographie est à jour.")
@click.option(
    "--suivre",
    "follow",
    is_flag=True,
    help="Aperçu en direct : reconstruit à chaque enregistrement et recharge la page (Ctrl-C pour arrêter).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Avec --suivre : port local de l'aperçu (0, par défaut : un port libre).",
)
@pass_state
def preview(
    state: State, slug: str, formats: str, no_browser: bool, force: bool, follow: bool, port: int
) -> None:
    """Valide la fiche d'un pôle, construit sa monographie (si elle a changé) et l'ouvre
    dans le navigateur.

    En cas d'échec, la dernière monographie réussie reste en place. Avec --suivre, l'aperçu
    reste ouvert : chaque enregistrement de la fiche, d'un récit ou d'un fichier commun
    (grille, référentiels, bibliographie, modèle) reconstruit le HTML, recharge la page,
    puis refait le PDF.
    """
    import webbrowser

    from ...checks.validate import validate_corpus
    from ...core.paths import check_slug
    from ...pipeline.build import run_build
    from ...pipeline.lab import has_display
    from ..output import print_report
    from .build import parse_formats

    check_slug(slug)
    wanted = parse_formats(formats) or ("html",)
    if "html" not in wanted:
        wanted = ("html", *wanted)
    paths = state.paths
    if follow:
        from .live import follow_preview

        follow_preview(paths, slug, wanted, port, browser=not no_browser and has_display())
        return
    report = validate_corpus(paths)  # the whole corpus, once: the build reuses it
    own = [p for p in report.problems_of(paths.poles / slug) if p.severity.value == "erreur"]
    shared = [p for p in report.errors if not p.path.is_relative_to(paths.poles)]
    print_problems(state.paths.root, [*shared, *own], show_warnings=False)
    if own or shared:
        echo_err(refusal(paths.root, slug, len(own), [p.path for p in shared]))
        sys.exit(1)
    click.echo(f"Construction de la monographie de « {slug} »…")
    build_report = run_build(
        paths, [slug], force=force, formats=wanted, transversal=False, validation=report
    )
    print_report(build_report)
    html = paths.monograph(slug, ".html")
    if not build_report.ok:
        if html.is_file():
            echo_err(f"La monographie précédente reste disponible : {html}")
        sys.exit(1)
    click.echo(f"Monographie : {html}")
    if no_browser or not has_display():
        return
    if not webbrowser.open(html.as_uri()):
        click.echo("Aucun navigateur trouvé : ouvrez le fichier ci-dessus vous-même.")


def refusal(root: Path, slug: str, own: int, shared: list[Path]) -> str:
    """« 2 erreurs dans la fiche de « slug » et 1 erreur dans le fichier commun
    data/grille.yaml : corrigez-les avant de prévisualiser. »"""
    from ...core.fr import plural

    parts = []
    if own:
        parts.append(f"{plural(own, 'erreur')} dans la fiche de « {slug} »")
    if shared:
        files = sorted({str(p.relative_to(root)) if p.is_relative_to(root) else str(p)
                        for p in shared})  # fmt: skip
        where = "le fichier commun" if len(files) == 1 else "les fichiers communs"
        parts.append(f"{plural(len(shared), 'erreur')} dans {where} {', '.join(files)}")
    pronoun = "la" if own + len(shared) == 1 else "les"
    return f"{' et '.join(parts)} : corrigez-{pronoun} avant de prévisualiser."
