"""``ptce-mono new``: create the folder of a new pole, ready to fill in.

The folder holds a commented ``pole.yaml`` and one narrative per grid section, pre-filled with
the section's title and guiding questions as HTML comments (never published). Everything is
written in a temp folder beside ``data/poles/<slug>`` and renamed into place at the end.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import publish_new_folder, staged_folder
from ..core.errors import DataFileError, NewPoleError, PoleExistsError
from ..core.layout import DEPARTEMENTS_FILE, POLE_FILE
from ..core.paths import ProjectPaths, check_slug
from ..corpus.geo import departement_of_postal_code, load_departements
from ..corpus.grid import Grid, Section, load_grid
from ..corpus.records import load_pole
from ..corpus.referentiel import DEFAULT_VERSION


@dataclass(frozen=True)
class NewPole:
    """What the researcher typed on the command line."""

    slug: str
    nom: str
    commune: str = ""
    code_postal: str = ""
    departement: str = ""
    region: str = ""


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def complete_geography(pole: NewPole, geo_dir: Path) -> NewPole:
    """Derive the département from the postal code and the région from the département."""
    departement = pole.departement.strip().upper() if pole.departement else ""
    if not departement and pole.code_postal:
        departement = departement_of_postal_code(pole.code_postal.strip()) or ""
    region = pole.region
    table = load_departements(geo_dir) if (geo_dir / DEPARTEMENTS_FILE).is_file() else {}
    if departement and table and departement not in table:
        raise NewPoleError(f"département inconnu « {departement} » (code INSEE : 01, 2A, 974…).")
    if departement and not region and departement in table:
        region = table[departement].region
    return NewPole(
        slug=pole.slug,
        nom=pole.nom.strip(),
        commune=pole.commune.strip(),
        code_postal=pole.code_postal.strip(),
        departement=departement,
        region=region,
    )


def _line(key: str, value: str, example: str) -> str:
    """``key: "value"`` when known, else a commented example line."""
    if value:
        return f"  {key}: {_q(value)}"
    return f"  # {key}: {example}"


def pole_yaml(pole: NewPole) -> str:
    """The text of a new ``pole.yaml``: the given facts, every other block commented."""
    identite = "\n".join(
        [
            f"  nom: {_q(pole.nom)}",
            '  # autres_noms: ["Ancien nom du pôle"]',
            _line("commune", pole.commune, '"Nom de la commune"'),
            _line("code_postal", pole.code_postal, '"12100"          # toujours entre guillemets'),
            _line("departement", pole.departement, '"12"             # code INSEE : 01, 2A, 974…'),
            _line("region", pole.region, '"Occitanie"      # région du découpage de 2016'),
            "  # site_web: https://exemple.org",
            "  # annee_debut_cooperation: 2010",
            "  # annee_formalisation: 2013",
            '  # structure_porteuse: "Nom de la structure qui porte le pôle"',
            '  # forme_juridique: "association"',
        ]
    )
    return f"""\
# Fiche du pôle « {pole.nom} ».
# Format : YAML. Une ligne « clé: valeur » par fait ; l'indentation (deux espaces) compte.
# Une ligne qui commence par # est un commentaire : retirez le # pour renseigner un champ.
# Ce qu'on ne sait pas reste absent : la monographie l'affichera « non documenté ».
# Vérifiez la fiche avec : ptce-mono validate {pole.slug}
# Guide complet (clés, valeurs permises, citations) : docs/guide.md

# Version du format de fiche : ne pas modifier.
schema: 1

# Identité du pôle.
identite:
{identite}

# Classification : valeurs prises dans les listes du guide (docs/guide.md, « Vocabulaires »).
# classification:
#   famille_activite: production           # production, services-ingenierie, industries-culturelles-creatives
#   type_territoire: [rural]               # une liste : rural, periurbain, urbain, quartier-populaire, desindustrialise
#   origine: citoyenne-associative         # citoyenne-associative, groupe-entreprises-sociales, collectivite…

# Statut au regard des politiques nationales.
# statut:
#   pole_temoin_2012: false                # true si le pôle figure parmi les pôles témoins de 2012
#   laureat_aap: [2015]                    # années où le pôle a été lauréat de l'appel à projets

# Structures membres : une entrée par structure, chacune avec sa source.
# structures:
#   - nom: "Nom de la structure"
#     statut_juridique: association        # association, scop, scic, sas, collectivite, epci…
#     famille: ess                         # ess, entreprise, collectivite, recherche-formation
#     iae: false                           # true pour une structure d'insertion par l'activité économique
#     source: identifiant-du-document      # l'identifiant d'un document de la bibliographie
#     passage: "p. 12"                     # la page ou la section du document

# Ce que les membres mettent en commun, et les valeurs qui fondent la coopération.
# mutualisations: [competences, lieux]     # competences, connaissances, lieux, moyens-materiels…
# valeurs: ["solidarité", "utilité sociale"]

# Gouvernance.
# gouvernance:
#   instances: ["assemblée générale", "comité de pilotage"]
#   colleges: ["fondateurs", "usagers"]
#   place_citoyens: "Texte libre."
#   role_collectivites: facilitateur       # impulseur, facilitateur, partie-prenante

# Ressources : une entrée par année et par nature, avec la part (en %) du total de l'année.
# ressources:
#   - annee: 2015
#     nature: subventions-publiques        # subventions-publiques, ventes, cotisations, dons-mecenat…
#     montant: 90000                       # en euros, sans espace ni symbole
#     part: 90
#     source: identifiant-du-document
#     passage: "p. 50"

# Emploi : une entrée par année.
# emploi:
#   - annee: 2015
#     etp: 8
#     etp_animation: 2
#     emplois_crees: 1
#     emplois_insertion: 5
#     source: identifiant-du-document
#     passage: "p. 51"

# Chronologie : les événements marquants.
# evenements:
#   - annee: 2010
#     mois: 3                              # facultatif, de 1 à 12
#     libelle: "Premier diagnostic partagé"
#     source: identifiant-du-document

# Scores du référentiel d'action (indicateurs a1 à i3, échelle du référentiel).
# referentiel:
#   version: "{DEFAULT_VERSION}"
#   scores: {{a1: 3, b2: 2}}
#   source: identifiant-du-document
#   passage: "grille d'auto-évaluation"

# Citer une source : les éléments de liste ci-dessus portent « source » et « passage » ;
# pour un fait isolé (un champ d'identite, de classification…), ajoutez une ligne ici,
# chemin du champ → source. La source est l'identifiant d'un document de
# data/bibliographie.yaml ou de la bibliographie propre au pôle ci-dessous.
# citations:
#   identite.annee_formalisation: {{source: identifiant-du-document, passage: "p. 4"}}
#   classification.origine: {{source: identifiant-du-document, passage: "§ 2"}}

# Documents propres à ce pôle (ceux communs à plusieurs pôles vont dans data/bibliographie.yaml).
# bibliographie:
#   - id: rapport-activite-2016
#     auteur: "Nom de l'auteur ou de l'organisme"
#     titre: "Rapport d'activité 2016"
#     annee: 2016
#     url: https://exemple.org/rapport.pdf

# PRIVÉ : les champs suivants ne quittent jamais data/ (ni monographie, ni site, ni export).
# contacts:
#   - nom: "Prénom Nom"
#     role: "coordinatrice"
#     coordonnees: "courriel ou téléphone"
# entretiens:
#   - date: "2024-03-12"
#     personne: "Prénom Nom"
#     role: "directeur"
#     notes: "Notes d'entretien."
# notes: "Notes de travail."
"""


def narrative_text(section: Section) -> str:
    """A narrative file holding only private guidance: empty once comments are removed."""
    questions = "\n".join(f"- {q.id} : {q.text}" for q in section.questions)
    description = f"\n{section.description}\n" if section.description else ""
    return f"""\
---
questions: []
---
<!--
{section.number}. {section.title}
{description}
Questions directrices :
{questions}

Écrivez le récit sous ce commentaire, en Markdown. Dans l'en-tête « questions » ci-dessus,
listez les identifiants des questions auxquelles le récit répond (ex. [{section.questions[0].id if section.questions else section.id}]).
Pour citer une source : entre crochets, une arobase suivie de l'identifiant du document,
une virgule et le passage (voir docs/guide.md, « Citer une source »).
Les commentaires comme celui-ci ne sont jamais publiés : gardez-y vos notes.
-->
"""


def _check_new_folder(folder: Path, grid: Grid, geo_dir: Path) -> list[str]:
    """Problems a freshly written folder would show in ``ptce-mono validate``."""
    from ..checks.validate import Severity, check_geography, check_narratives, check_schema

    pole = load_pole(folder, grid)
    problems = [
        *check_schema(pole),
        *check_geography(pole, geo_dir),
        *check_narratives(pole, grid, {}),
    ]
    return [f"{p.field} : {p.message}" for p in problems if p.severity is Severity.ERROR]


OPTIONS = {"nom": "--nom", "commune": "--commune", "code_postal": "--code-postal",
           "departement": "--departement"}  # fmt: skip
FIELD_OPTIONS = {"identite.nom": "--nom", "localisation.commune": "--commune",
                 "localisation.code_postal": "--code-postal",
                 "localisation.departement": "--departement"}  # fmt: skip
MAX_VALUE_LENGTH = 200


def check_values(new: NewPole) -> None:
    """Refuse what the researcher typed when it cannot be a one-line fact, naming the option."""
    for attr, option in OPTIONS.items():
        value = getattr(new, attr)
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029" for c in value):
            raise NewPoleError(
                f"la valeur de {option} doit tenir sur une ligne, sans retour à la ligne ni "
                "caractère de contrôle."
            )
        if len(value) > MAX_VALUE_LENGTH:
            raise NewPoleError(
                f"la valeur de {option} est trop longue ({len(value)} caractères ; "
                f"limite : {MAX_VALUE_LENGTH})."
            )


def _option_of(problem: str) -> str:
    for field, option in FIELD_OPTIONS.items():
        if problem.startswith(field + " "):
            return option + problem[len(field) :]
    return problem


def create_pole(paths: ProjectPaths, new: NewPole) -> Path:
    """Create ``data/poles/<slug>/``; return the folder. Raises a French error when refused."""
    check_slug(new.slug)
    check_values(new)
    if not new.nom.strip():
        raise NewPoleError("le nom du pôle (--nom) ne peut pas être vide.")
    folder = paths.pole_dir(new.slug)
    if folder.exists():
        raise PoleExistsError(new.slug, folder)
    grid = load_grid(paths.grid_file)
    pole = complete_geography(new, paths.geo)
    tmp = staged_folder(folder)
    try:
        (tmp / POLE_FILE).write_text(pole_yaml(pole), encoding="utf-8")
        for section in grid.sections:
            (tmp / section.filename).write_text(narrative_text(section), encoding="utf-8")
        try:
            problems = _check_new_folder(tmp, grid, paths.geo)
        except DataFileError as exc:  # never name the temp folder: it is ours, not the user's
            raise NewPoleError(f"fiche non créée : {exc.detail}") from exc
        if problems:
            raise NewPoleError("fiche non créée : " + " ; ".join(_option_of(p) for p in problems))
        os.chmod(tmp, 0o755)  # mkdtemp creates 0700 folders
        if folder.exists():  # created meanwhile by someone else
            raise PoleExistsError(new.slug, folder)
        publish_new_folder(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder
