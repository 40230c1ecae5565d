"""Deterministic generator of fictional, fully filled poles (benchmarks and tests).

Names are obviously fictional (« Pôle fictif n° 017 »); nothing here describes a real organisation.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import yaml

from .. import PACKAGE_DIR
from ..core.layout import BIBLIOGRAPHY_FILE, GRID_FILE, POLES_DIR, pole_file
from ..corpus.grid import load_grid
from ..corpus.referentiel import DEFAULT_VERSION


@cache
def grid_sections() -> tuple[str, ...]:
    """The sections of the project's grid (``data/grille.yaml``): a fictional pole has a
    narrative for each, so that a new section of the grid is in the fictional corpus too."""
    return load_grid(PACKAGE_DIR.parent / "data" / GRID_FILE).section_ids


PLACES = [
    ("Lyon", "69001", "69", "Auvergne-Rhône-Alpes"),
    ("Nantes", "44000", "44", "Pays de la Loire"),
    ("Toulouse", "31000", "31", "Occitanie"),
    ("Lille", "59000", "59", "Hauts-de-France"),
    ("Rennes", "35000", "35", "Bretagne"),
    ("Dijon", "21000", "21", "Bourgogne-Franche-Comté"),
    ("Tours", "37000", "37", "Centre-Val de Loire"),
    ("Limoges", "87000", "87", "Nouvelle-Aquitaine"),
    ("Rouen", "76000", "76", "Normandie"),
    ("Nancy", "54000", "54", "Grand Est"),
    ("Marseille", "13001", "13", "Provence-Alpes-Côte d'Azur"),
    ("Orléans", "45000", "45", "Centre-Val de Loire"),
]
WORDS = [
    "des Vallons", "du Bocage", "des Deux Rives", "du Plateau", "des Coteaux", "de la Forge",
    "du Canal", "des Halles", "du Marais", "des Tisserands", "de la Source", "du Vieux Port",
]  # fmt: skip
SUBJECTS = ["Le pôle", "La coopération", "Le collectif fictif", "L'association porteuse", "Le conseil de pôle",
            "Chaque membre", "Le groupe de travail"]  # fmt: skip
VERBS = [
    "organise",
    "consolide",
    "expérimente",
    "mutualise",
    "accompagne",
    "documente",
    "anime",
    "soutient",
]
OBJECTS = ["des ateliers partagés", "un lieu commun", "des emplois durables", "une recyclerie imaginaire",
           "des circuits courts", "un groupement d'employeurs", "des formations croisées",
           "une épicerie solidaire fictive", "des chantiers d'insertion", "un tiers-lieu de démonstration"]  # fmt: skip
ENDINGS = ["avec les habitants du quartier", "depuis plusieurs années", "en lien avec la collectivité",
           "selon les comptes rendus fictifs", "dans un esprit de coopération", "pour le territoire"]  # fmt: skip
STATUTS = [("association", "ess", True), ("association", "ess", False), ("scic", "ess", False),
           ("sarl", "entreprise", False), ("scop", "ess", True), ("collectivite", "collectivite", False),
           ("etablissement-public", "recherche-formation", False)]  # fmt: skip
NATURES = ["subventions-publiques", "ventes", "cotisations", "dons-mecenat"]
INDICATORS = [f"{o}{k}" for o in "abcdefghi" for k in (1, 2, 3)]
BIBLIO = "fictif-rapport"


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}."
    )


def _narrative(rng: random.Random, section: str, words: int) -> str:
    paragraphs = []
    count = 0
    while count < words:
        sentences = [_sentence(rng) for _ in range(rng.randint(4, 7))]
        paragraph = " ".join(sentences) + f" [@{BIBLIO}, p. {rng.randint(1, 40)}]"
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    front = f"---\nquestions: [{section}-1, {section}-2, {section}-3]\n---\n"
    return (
        front + "<!-- Récit fictif généré pour les essais. -->\n\n" + "\n\n".join(paragraphs) + "\n"
    )


def fictional_pole(index: int, rng: random.Random) -> tuple[dict, dict[str, str]]:
    commune, cp, dept, region = PLACES[index % len(PLACES)]
    name = f"Pôle fictif n° {index:03d} {WORDS[index % len(WORDS)]}"
    start = rng.randint(1995, 2010)
    cite = {"source": BIBLIO, "passage": f"fiche {index:03d}"}
    structures = []
    for k in range(rng.randint(3, 8)):
        statut, famille, iae = STATUTS[rng.randrange(len(STATUTS))]
        structures.append({"nom": f"Structure fictive {index:03d}-{k + 1}", "statut_juridique": statut,
                           "famille": famille, "iae": iae, **cite})  # fmt: skip
    ressources = []
    for year in (2014, 2015):
        cut = rng.randint(20, 70)
        total = rng.randint(50, 400) * 1000
        for nature, part in (("subventions-publiques", cut), ("ventes", 100 - cut)):
            ressources.append(
                {
                    "annee": year,
                    "nature": nature,
                    "montant": total * part // 100,
                    "part": part,
                    **cite,
                }
            )
    emploi = []
    for year in (2014, 2015):
        etp = rng.randint(5, 80)
        emploi.append({"annee": year, "etp": etp, "etp_animation": round(rng.uniform(0.2, 0.25 * etp), 1),
                       "emplois_crees": rng.randint(0, 20), "emplois_insertion": rng.randint(0, 10), **cite})  # fmt: skip
    facts = {
        "schema": 1,
        "identite": {
            "nom": name,
            "commune": commune,
            "code_postal": cp,
            "departement": dept,
            "region": region,
            "site_web": f"https://pole-fictif-{index:03d}.example.org",
            "annee_debut_cooperation": start,
            "annee_formalisation": start + rng.randint(1, 6),
            "structure_porteuse": f"Association fictive {index:03d}",
            "forme_juridique": "association",
        },
        "classification": {
            "famille_activite": rng.choice(
                ["production", "services-ingenierie", "industries-culturelles-creatives"]
            ),
            "type_territoire": [
                rng.choice(
                    ["rural", "periurbain", "urbain", "quartier-populaire", "desindustrialise"]
                )
            ],
            "origine": rng.choice(
                ["citoyenne-associative", "groupe-entreprises-sociales", "collectivite"]
            ),
        },
        "statut": {
            "pole_temoin_2012": rng.random() < 0.3,
            "laureat_aap": [2013] if rng.random() < 0.4 else [],
        },
        "structures": structures,
        "mutualisations": sorted(
            rng.sample(
                [
                    "competences",
                    "connaissances",
                    "lieux",
                    "moyens-materiels",
                    "moyens-financiers",
                    "groupement-employeurs",
                ],
                3,
            )
        ),
        "valeurs": sorted(
            rng.sample(
                ["coopération", "mutualisation", "solidarité", "lien social", "démocratie"], 2
            )
        ),
        "gouvernance": {
            "instances": ["assemblée générale", "comité de pilotage"],
            "colleges": ["fondateurs", "partenaires"],
            "place_citoyens": "Les habitants siègent dans un collège fictif.",
            "role_collectivites": "facilitateur",
        },
        "ressources": ressources,
        "emploi": emploi,
        "evenements": [
            {"annee": start, "libelle": "Premières rencontres des membres fictifs", **cite},
            {
                "annee": start + 2,
                "mois": rng.randint(1, 12),
                "libelle": "Ouverture d'un lieu partagé",
                **cite,
            },
            {"annee": 2012, "libelle": "Formalisation de la coopération", **cite},
        ],
        "referentiel": {
            "version": DEFAULT_VERSION,
            "scores": {i: rng.randint(1, 4) for i in INDICATORS},
            **cite,
        },
        "contacts": [
            {
                "nom": f"Personne fictive {index:03d}",
                "role": "coordination",
                "coordonnees": "carnet de terrain",
            }
        ],
        "citations": {},
    }
    paths = [f"identite.{k}" for k in facts["identite"]] + [
        f"classification.{k}" for k in facts["classification"]
    ]
    paths += ["statut.pole_temoin_2012", "mutualisations", "valeurs"] + [
        f"gouvernance.{k}" for k in facts["gouvernance"]
    ]
    if facts["statut"]["laureat_aap"]:
        paths.append("statut.laureat_aap")
    facts["citations"] = {p: dict(cite) for p in paths}
    narratives = {s: _narrative(rng, s, rng.randint(300, 600)) for s in grid_sections()}
    return facts, narratives


def write_fictional_corpus(dest: Path, n: int, seed: int = 0, scores: bool = True) -> list[str]:
    """Write ``n`` fictional poles under ``dest/poles`` and their bibliography; return the slugs.
    ``scores=False`` leaves the référentiel scores out (declared by answers instead)."""
    rng = random.Random(seed)
    dest = Path(dest)
    (dest / POLES_DIR).mkdir(parents=True, exist_ok=True)
    biblio = {"documents": [{"id": BIBLIO, "auteur": "Équipe fictive", "titre": "Rapport d'activité fictif",
                             "annee": 2016}]}  # fmt: skip
    (dest / BIBLIOGRAPHY_FILE).write_text(
        yaml.safe_dump(biblio, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    slugs = []
    for index in range(1, n + 1):
        facts, narratives = fictional_pole(index, rng)
        if not scores:
            del facts["referentiel"]
        slug = f"pole-fictif-{index:03d}"
        folder = dest / POLES_DIR / slug
        folder.mkdir(exist_ok=True)
        text = yaml.safe_dump(facts, allow_unicode=True, sort_keys=False)
        pole_file(folder).write_text(text, encoding="utf-8")
        for section, body in narratives.items():
            (folder / f"{section}.md").write_text(body, encoding="utf-8")
        slugs.append(slug)
    return slugs
