"""``ptce-mono import``: bring material in. ``import interviews``: coded excerpts from a QDA
tool into the poles' folders; ``import answers``: answers to the référentiel questionnaire."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ...core.lock import data_lock
from ..base import CONTEXT, Group, State, pass_state

if TYPE_CHECKING:
    from ...importers.interviews import ImportReport


def _waiting() -> None:
    click.echo(
        "Une autre commande modifie les données de ce projet : en attente qu'elle se termine…",
        err=True,
    )


@click.group(name="import", cls=Group, context_settings=CONTEXT)
def import_group() -> None:
    """Importe du matériau dans le corpus : entretiens codés (interviews), réponses au
    questionnaire du référentiel (answers), document de relecture commenté par le pôle
    (relecture)."""


@import_group.command(context_settings=CONTEXT)
@click.argument("fichier", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pole", "slug", default=None, help="Pôle auquel rattacher tous les entretiens.")
@click.option(
    "--depuis-taguette",
    "from_taguette",
    is_flag=True,
    help="Lit les surlignages du projet Taguette du pôle (ptce-mono coder) au lieu d'un fichier.",
)
@click.option(
    "--correspondance",
    "mapping_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier YAML « documents: » / « cas: » → pôle, pour un projet entier.",
)
@click.option(
    "--fin",
    "end",
    type=click.Choice(["auto", "exclusive", "inclusive"]),
    default="auto",
    show_default=True,
    help="Convention de endPosition des fichiers QDPX (auto : déduite des sélections nommées).",
)
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="NOM",
    help="Format de l'export (qdpx, qualcoder-csv, taguette…) ; par défaut, reconnu d'après "
    "le fichier.",
)
@pass_state
def interviews(
    state: State,
    fichier: Path | None,
    slug: str | None,
    from_taguette: bool,
    mapping_file: Path | None,
    end: str,
    fmt: str | None,
) -> None:
    """Importe les extraits codés d'un export : projet REFI-QDA (.qdpx), surlignages Taguette
    (.csv, .xlsx) ou texte codé de QualCoder (.csv). Chaque entretien est rangé dans
    data/poles/<pôle>/entretiens/, noms remplacés par les rôles de la table privée ; les autres
    noms de personnes sont signalés. Réimporter le même export ne change rien ; un export mis à
    jour remplace les extraits de cet entretien. En cas d'erreur, rien n'est modifié.
    Avec --depuis-taguette --pole SLUG, les surlignages viennent directement du projet Taguette
    du pôle (ptce-mono coder), sans export à la main."""
    from ...core.errors import PtceError
    from ...core.fr import plural
    from ...importers.interviews import import_interviews, load_mapping

    if bool(slug) == bool(mapping_file):
        raise PtceError("indiquez soit --pole SLUG, soit --correspondance FICHIER (l'un des deux).")
    if from_taguette:
        if fichier is not None or not slug:
            raise PtceError(
                "--depuis-taguette se passe de fichier et demande --pole SLUG "
                "(ptce-mono import interviews --depuis-taguette --pole SLUG)."
            )
        with data_lock(state.paths.data, on_wait=_waiting):
            report = _from_taguette(state, slug)
    elif fichier is None:
        raise PtceError("indiquez le fichier exporté (.qdpx, .csv, .xlsx), ou --depuis-taguette.")
    else:
        mapping = load_mapping(mapping_file) if mapping_file else None
        with data_lock(state.paths.data, on_wait=_waiting):
            report = import_interviews(
                state.paths, fichier, pole=slug, mapping=mapping, end=end, format=fmt
            )
    for notice in report.notices:
        click.echo(f"Remarque : {notice}")
    for change in report.changes:
        where = (
            change.path.relative_to(state.paths.root)
            if change.path.is_relative_to(state.paths.root)
            else change.path
        )
        if not change.touched:
            click.echo(f"{where} : inchangé ({change.unchanged} extraits).")
            continue
        parts = []
        if change.added:
            parts.append(plural(len(change.added), "ajouté"))
        if change.changed:
            parts.append(f"{plural(len(change.changed), 'modifié')} : {', '.join(change.changed)}")
        if change.rewritten:
            listed = ", ".join(f"{old} → {new}" for old, new in change.rewritten)
            parts.append(
                f"{plural(len(change.rewritten), 'passage changé', 'passages changés')} "
                f"(nouvel identifiant, « retenu » à redécider) : {listed}"
            )
        if change.removed:
            parts.append(f"{plural(len(change.removed), 'retiré')} : {', '.join(change.removed)}")
        if change.unchanged:
            parts.append(plural(change.unchanged, "inchangé"))
        click.echo(
            f"{where} : {'nouveau fichier, ' if change.new_file else ''}{' ; '.join(parts)}."
        )
    if report.uncoded:
        click.echo(
            f"{plural(len(report.uncoded), 'passage sans code ignoré', 'passages sans code ignorés')} : "
            f"{', '.join(report.uncoded)}."
        )
    for document, names in report.flagged.items():
        click.echo(
            f"Noms de personnes signalés dans « {document} » : {', '.join(names)}. Ajoutez-les à la "
            "table privée (data/prive/<pôle>/personnes.yaml) puis réimportez, ou déclarez-les dans "
            "« noms_verifies » de l'extrait."
        )
    click.echo("Relisez les extraits et marquez « retenu: true » ceux à citer dans la monographie.")


def _from_taguette(state: State, slug: str) -> ImportReport:
    """The pole's highlights read through Taguette's API (a server started for the purpose)."""
    from ...core.errors import PtceError
    from ...importers import taguette as tg
    from ...importers.interviews import import_export
    from .coder import pole_title

    title = pole_title(state, slug)
    if not tg.database_path(state.paths).is_file():
        raise PtceError(
            f"aucun projet Taguette dans ce projet ({tg.database_path(state.paths)}) : "
            f"lancez d'abord « ptce-mono coder {slug} TRANSCRIPTIONS… »."
        )
    server = tg.start_server(state.paths)
    try:
        client = tg.Client(server)
        project = tg.find_project(client, slug)
        if project is None:
            raise PtceError(
                f"Taguette n'a pas de projet pour le pôle « {slug} » : lancez d'abord "
                f"« ptce-mono coder {slug} TRANSCRIPTIONS… »."
            )
        label = f"Taguette, projet « {tg.project_name(title, slug)} »"
        export = tg.fetch_highlights(client, project, label)
    finally:
        server.stop()
    return import_export(state.paths, export, f"taguette:projet-{project}", pole=slug)


@import_group.command(name="answers", context_settings=CONTEXT)
@click.argument("fichiers", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pole", default=None, help="Pôle des réponses, si le fichier ne l'indique pas.")
@click.option("--vague", default=None, help="Vague (AAAA-MM), si le fichier ne l'indique pas.")
@click.option("--retirer", "withdrawn", metavar="ID", default=None,
              help="Retire les réponses d'un répondant (identifiant r-…, _uuid KoboToolbox, "
                   "identifiant LimeSurvey ou questionnaire XLSX rempli) ; avec --pole et "
                   "--vague.")  # fmt: skip
@click.option("--sans-reconstruction", "no_rebuild", is_flag=True,
              help="Avec --retirer : ne reconstruit pas tout de suite (la prochaine "
                   "construction le fera ; status les montre périmées).")  # fmt: skip
@click.option("--format", "fmt", default=None, metavar="NOM",
              help="Format des fichiers (questionnaire, kobo, limesurvey…) ; par défaut, "
                   "reconnu d'après chaque fichier.")  # fmt: skip
@pass_state
def answers(state: State, fichiers: tuple[Path, ...], pole: str | None, vague: str | None,
            withdrawn: str | None, no_rebuild: bool, fmt: str | None) -> None:  # fmt: skip
    """Importe des réponses au questionnaire du référentiel : questionnaires XLSX remplis,
    export KoboToolbox (CSV ou XLSX, « XML values and headers ») ou export LimeSurvey (CSV).

    Les réponses sont enregistrées par pôle et par vague dans
    data/poles/<pôle>/referentiel/<vague>.yaml, chaque répondant sous un identifiant
    pseudonyme. Au moindre problème, rien n'est enregistré. Réimporter un fichier ne change rien.
    Chaque import est noté dans le journal de la vague (date, nombre de réponses).

    Avec --retirer ID --pole SLUG --vague V : retire les réponses d'un répondant, partout où
    elles sont enregistrées, puis reconstruit ce qui en dépendait.
    """
    from ...core.errors import PtceError
    from ...core.fr import plural

    if withdrawn is not None:
        if fichiers:
            raise PtceError("--retirer ne prend pas de fichier de réponses : indiquez seulement "
                            "l'identifiant, --pole et --vague.")  # fmt: skip
        if not pole or not vague:
            raise PtceError("--retirer demande --pole SLUG et --vague AAAA-MM.")
        _withdraw(state, withdrawn, pole, vague, rebuild=not no_rebuild)
        return
    if not fichiers:
        raise PtceError("indiquez au moins un fichier de réponses (ou --retirer ID).")
    from ...importers.answers import import_answers

    with data_lock(state.paths.data, on_wait=_waiting):
        plan = import_answers(state.paths, fichiers, pole, vague, fmt)
    for notice in plan.notices:
        click.echo(f"Remarque : {notice}")
    for (slug, wave), count in sorted(plan.added.items()):
        total = plan.waves[(slug, wave)].n
        click.echo(f"{slug}, vague {wave} : {plural(count, 'réponse ajoutée', 'réponses ajoutées')}"
                   f" ({total} en tout)")  # fmt: skip
    if plan.unchanged:
        click.echo(f"{plural(plan.unchanged, 'réponse déjà enregistrée', 'réponses déjà enregistrées')}"
                   f" : {'inchangée' if plan.unchanged < 2 else 'inchangées'}.")  # fmt: skip
    if not plan.added and not plan.unchanged:
        click.echo("Aucune réponse dans ces fichiers.")


def _last_formats(state: State) -> tuple[str, ...]:
    """The formats of the last build (read from a manifest), else HTML and PDF."""
    from ...core.fingerprint import MANIFEST_SUFFIX, read_manifest

    for manifest_file in sorted(state.paths.monographs.glob(f"*{MANIFEST_SUFFIX}")):
        stem = manifest_file.name[: -len(MANIFEST_SUFFIX)]
        manifest = read_manifest(state.paths.monographs, stem)
        formats = ((manifest or {}).get("inputs") or {}).get("formats")
        if isinstance(formats, str):
            return tuple(f for f in formats.split(",") if f in ("html", "pdf"))
    return ("html", "pdf")


def _withdraw(state: State, value: str, pole: str, wave: str, rebuild: bool) -> None:
    from ...core.fr import plural
    from ...pipeline.respondent_withdrawal import withdraw

    with data_lock(state.paths.data, on_wait=_waiting):
        done = withdraw(state.paths, value, pole, wave)
    click.echo(f"{pole}, vague {wave} : réponses du répondant {done.respondent} retirées "
               f"({plural(done.remaining, 'réponse restante', 'réponses restantes')}) ; retrait "
               "noté dans le journal de la vague.")  # fmt: skip
    for path in done.removed_files:
        click.echo(f"Supprimé : {path}")
    if not rebuild:
        click.echo("Les monographies, l'analyse transversale, le jeu de données et les fiches de "
                   "restitution qui en dépendaient sont périmés : la prochaine construction "
                   "(ptce-mono build, puis ptce-mono site) les refera.")  # fmt: skip
        return
    from ...pipeline.build import run_build
    from ..output import print_report

    click.echo("Reconstruction de ce qui dépendait de ces réponses…")
    report = run_build(state.paths, None, formats=_last_formats(state))
    print_report(report)
    if (state.paths.site / "index.html").is_file():
        from ...site.build import build_site

        build_site(state.paths)
        click.echo(f"Site réécrit dans {state.paths.site}.")
    if not report.ok:
        raise SystemExit(1)


@import_group.command(name="relecture", context_settings=CONTEXT)
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pole", "slug", required=True, help="Pôle dont la monographie a été relue.")
@pass_state
def relecture(state: State, fichier: Path, slug: str) -> None:
    """Importe un document de relecture renvoyé par le pôle (DOCX de Word, LibreOffice,
    OnlyOffice ou Google Docs) : chaque commentaire et chaque modification suivie (insertion,
    suppression), avec son passage, sa section, le rôle de son auteur (table privée
    data/prive/<pôle>/personnes.yaml : aucun nom n'est enregistré) et sa date. Les remarques
    sont rangées dans data/poles/<pôle>/relectures/<date>.yaml, où l'équipe répond à chacune
    (statut, reponse). Réimporter le même fichier ne change rien ; au moindre problème, rien
    n'est enregistré."""
    from ...core.fr import plural
    from ...importers.review import import_review

    with data_lock(state.paths.data, on_wait=_waiting):
        result = import_review(state.paths, fichier, slug)
    root = state.paths.root
    where = result.path.relative_to(root) if result.path.is_relative_to(root) else result.path
    for notice in result.notices:
        click.echo(f"Remarque : {notice}.")
    if result.masked:
        click.echo(f"Noms de personnes remplacés par « [personne citée] » dans les remarques : "
                   f"{', '.join(result.masked)}. Ajoutez-les à la table privée "
                   f"(data/prive/{slug}/personnes.yaml) avec leur rôle, puis réimportez, pour "
                   "lire le rôle à la place.")  # fmt: skip
    if not result.written:
        click.echo(
            f"{where} : inchangé ({plural(result.unchanged, 'remarque déjà enregistrée', 'remarques déjà enregistrées')})."
        )
        return
    parts = [plural(len(result.added), "remarque ajoutée", "remarques ajoutées")]
    if result.unchanged:
        parts.append(plural(result.unchanged, "déjà enregistrée", "déjà enregistrées"))
    click.echo(f"{where} : {' ; '.join(parts)}.")
    click.echo("Répondez à chaque remarque dans ce fichier (statut : intégrée, discutée ou "
               "écartée ; reponse : la position de l'équipe), puis reconstruisez.")  # fmt: skip
