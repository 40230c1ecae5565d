"""``ptce-mono import``: bring material in. ``import interviews``: coded excerpts from a QDA
tool into the poles' folders; ``import answers``: answers to the référentiel questionnaire."""

from __future__ import annotations

from pathlib import Path

import click

from ...lock import data_lock
from ..base import CONTEXT, Group, State, pass_state


def _waiting() -> None:
    click.echo(
        "Une autre commande modifie les données de ce projet : en attente qu'elle se termine…",
        err=True,
    )


@click.group(name="import", cls=Group, context_settings=CONTEXT)
def import_group() -> None:
    """Importe du matériau dans le corpus : entretiens codés (interviews), réponses au
    questionnaire du référentiel (answers)."""


@import_group.command(context_settings=CONTEXT)
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pole", "slug", default=None, help="Pôle auquel rattacher tous les entretiens.")
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
@pass_state
def interviews(
    state: State, fichier: Path, slug: str | None, mapping_file: Path | None, end: str
) -> None:
    """Importe les extraits codés d'un export : projet REFI-QDA (.qdpx), surlignages Taguette
    (.csv, .xlsx) ou texte codé de QualCoder (.csv). Chaque entretien est rangé dans
    data/poles/<pôle>/entretiens/, noms remplacés par les rôles de la table privée ; les autres
    noms de personnes sont signalés. Réimporter le même export ne change rien ; un export mis à
    jour remplace les extraits de cet entretien. En cas d'erreur, rien n'est modifié."""
    from ...errors import PtceError
    from ...fieldwork.importer import import_interviews, load_mapping
    from ...fr import plural

    if bool(slug) == bool(mapping_file):
        raise PtceError("indiquez soit --pole SLUG, soit --correspondance FICHIER (l'un des deux).")
    mapping = load_mapping(mapping_file) if mapping_file else None
    with data_lock(state.paths.data, on_wait=_waiting):
        report = import_interviews(state.paths, fichier, pole=slug, mapping=mapping, end=end)
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


@import_group.command(name="answers", context_settings=CONTEXT)
@click.argument("fichiers", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))  # fmt: skip
@click.option("--pole", default=None, help="Pôle des réponses, si le fichier ne l'indique pas.")
@click.option("--vague", default=None, help="Vague (AAAA-MM), si le fichier ne l'indique pas.")
@pass_state
def answers(state: State, fichiers: tuple[Path, ...], pole: str | None, vague: str | None) -> None:
    """Importe des réponses au questionnaire du référentiel : questionnaires XLSX remplis,
    export KoboToolbox (CSV ou XLSX, « XML values and headers ») ou export LimeSurvey (CSV).

    Les réponses sont enregistrées par pôle et par vague dans
    data/poles/<pôle>/referentiel/<vague>.yaml, chaque répondant sous un identifiant
    pseudonyme. Au moindre problème, rien n'est enregistré. Réimporter un fichier ne change rien.
    """
    from ...participation.answers import import_answers

    with data_lock(state.paths.data, on_wait=_waiting):
        plan = import_answers(state.paths, fichiers, pole, vague)
    for (slug, wave), count in sorted(plan.added.items()):
        total = plan.waves[(slug, wave)].n
        click.echo(f"{slug}, vague {wave} : {count} réponse{'s' if count > 1 else ''} "
                   f"ajoutée{'s' if count > 1 else ''} ({total} en tout)")  # fmt: skip
    if plan.unchanged:
        click.echo(f"{plan.unchanged} réponse{'s' if plan.unchanged > 1 else ''} déjà "
                   f"enregistrée{'s' if plan.unchanged > 1 else ''} : inchangée"
                   f"{'s' if plan.unchanged > 1 else ''}.")  # fmt: skip
    if not plan.added and not plan.unchanged:
        click.echo("Aucune réponse dans ces fichiers.")
