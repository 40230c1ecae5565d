"""The schema of ``pole.yaml``: one declarative tree, used for validation, export and the guide.

Keys are French snake_case, as researchers type them. Fields marked ``private`` hold personal
data (contacts, interviewees): they never leave ``data/`` (``dataset`` and ``site`` drop them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Controlled vocabularies: value typed in YAML -> label shown to readers.
FAMILLES_ACTIVITE = {
    "production": "Production",
    "services-ingenierie": "Services et ingénierie de développement",
    "industries-culturelles-creatives": "Industries culturelles et créatives",
}
TYPES_TERRITOIRE = {
    "rural": "Rural",
    "periurbain": "Périurbain",
    "urbain": "Urbain",
    "quartier-populaire": "Quartier populaire",
    "desindustrialise": "Territoire désindustrialisé",
}
ORIGINES = {
    "citoyenne-associative": "Citoyenne et associative",
    "groupe-entreprises-sociales": "Groupe d'entreprises sociales",
    "collectivite": "Collectivité territoriale",
    "comite-bassin-emploi": "Comité de bassin d'emploi",
    "reseau-ess": "Réseau de l'ESS (CRESS, réseau régional)",
    "autre": "Autre",
}
FAMILLES_STRUCTURE = {
    "ess": "ESS",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité",
    "recherche-formation": "Recherche et formation",
}
STATUTS_JURIDIQUES = {
    "association": "Association",
    "sarl": "SARL",
    "sa": "SA",
    "sas": "SAS",
    "scop": "SCOP",
    "scic": "SCIC",
    "cooperative": "Autre coopérative",
    "mutuelle": "Mutuelle",
    "fondation": "Fondation",
    "collectivite": "Collectivité territoriale",
    "epci": "EPCI",
    "etablissement-public": "Établissement public",
    "groupement-employeurs": "Groupement d'employeurs",
    "entreprise-individuelle": "Entreprise individuelle",
    "autre": "Autre",
}
MUTUALISATIONS = {
    "competences": "Compétences",
    "connaissances": "Connaissances",
    "lieux": "Lieux",
    "moyens-materiels": "Moyens matériels",
    "moyens-financiers": "Moyens financiers",
    "groupement-employeurs": "Groupement d'employeurs",
}
ROLES_COLLECTIVITES = {
    "impulseur": "Impulseur",
    "facilitateur": "Facilitateur",
    "partie-prenante": "Partie prenante",
}
ARTICLES_NOM = {"le": "le", "la": "la", "les": "les", "l'": "l'"}
NATURES_RESSOURCE = {
    "subventions-publiques": "Subventions publiques",
    "ventes": "Ventes de biens et de services",
    "cotisations": "Cotisations des membres",
    "dons-mecenat": "Dons et mécénat",
    "investissement-public": "Investissement public",
    "autre": "Autres ressources",
}
# What a value approached in a quoted passage (« une vingtaine de structures ») may stand for:
# the field it stands beside (``valeurs_approchees``), always shown as the project's reading.
APPROXIMATE_FIELDS = {
    "structures": "Structures membres",
    "emplois_crees": "Emplois créés",
    "annee_debut_cooperation": "Début de la coopération",
}
# The project's readings of a source (a citation's ``lecture``): what the source does not state
# but the project reads in it. Shown as « lecture du projet : <label> ».
LECTURES = {
    "identification": "identification",
    "inference": "inférence",
    "codage": "codage",
}


@dataclass(frozen=True)
class Field:
    """One node of the schema.

    kind: str, text (long str), int, number, year, bool, url, choice, list, record, scores.
    """

    kind: str
    label: str
    required: bool = False
    choices: dict[str, str] | None = None
    item: Field | None = None
    fields: dict[str, Field] = field(default_factory=dict)
    private: bool = False
    minimum: float | None = None
    maximum: float | None = None
    citable: bool = True

    def child(self, key: str) -> Field | None:
        return self.fields.get(key)


def _s(label: str, **kw: Any) -> Field:
    return Field("str", label, **kw)


def _year(label: str, **kw: Any) -> Field:
    return Field("year", label, **kw)


CITATION_FIELDS = {
    "source": Field("str", "Identifiant de la source (voir bibliographie)", citable=False),
    "passage": Field("str", "Section ou page du document cité", citable=False),
    "lecture": Field(
        "choice",
        "Lecture du projet (identification, inférence, codage)",
        choices=LECTURES,
        citable=False,
    ),
    "note": Field("str", "Ce que la lecture du projet interprète, et pourquoi", citable=False),
}
# Keys a ``citations:`` entry may hold (``referentiel``: evidence coding, see the guide).
CITATION_KEYS = frozenset({*CITATION_FIELDS, "referentiel"})


def _record(label: str, fields: dict[str, Field], cited: bool = True, **kw: Any) -> Field:
    all_fields = {**fields, **(CITATION_FIELDS if cited else {})}
    return Field("record", label, fields=all_fields, **kw)


def _list(label: str, item: Field, **kw: Any) -> Field:
    return Field("list", label, item=item, **kw)


def _choice(label: str, choices: dict[str, str], **kw: Any) -> Field:
    return Field("choice", label, choices=choices, **kw)


POLE_SCHEMA = Field(
    "record",
    "Fiche du pôle",
    fields={
        "schema": Field("int", "Version du format de fiche", required=True, citable=False),
        "fictif": Field(
            "bool", "Pôle fictif de démonstration (jamais compté parmi les PTCE)", citable=False
        ),
        "identite": Field(
            "record",
            "Identité",
            required=True,
            fields={
                "nom": _s("Nom du pôle", required=True),
                "article": _choice("Article du nom (le, la, les, l')", ARTICLES_NOM, citable=False),
                "autres_noms": _list("Autres noms du même pôle", _s("Nom")),
                "commune": _s("Commune"),
                "code_postal": _s("Code postal"),
                "departement": _s("Département (code INSEE : 01, 2A, 974…)"),
                "region": _s("Région (découpage de 2016)"),
                "site_web": Field("url", "Site web"),
                "annee_debut_cooperation": _year("Année de début de la coopération"),
                "annee_formalisation": _year("Année de formalisation du pôle"),
                "structure_porteuse": _s("Structure porteuse"),
                "forme_juridique": _s("Forme juridique du pôle"),
            },
        ),
        "classification": Field(
            "record",
            "Classification",
            fields={
                "famille_activite": _choice("Famille d'activité", FAMILLES_ACTIVITE),
                "type_territoire": _list("Type de territoire", _choice("Type", TYPES_TERRITOIRE)),
                "origine": _choice("Origine de la coopération", ORIGINES),
            },
        ),
        "statut": Field(
            "record",
            "Statut",
            fields={
                "pole_temoin_2012": Field("bool", "Pôle témoin 2012"),
                "laureat_aap": _list(
                    "Années de lauréat de l'appel à projets national", _year("Année")
                ),
            },
        ),
        "structures": _list(
            "Structures membres",
            _record(
                "Structure membre",
                {
                    "nom": _s("Nom", required=True),
                    "statut_juridique": _choice("Statut juridique", STATUTS_JURIDIQUES),
                    "famille": _choice("Famille", FAMILLES_STRUCTURE),
                    "iae": Field("bool", "Structure d'insertion par l'activité économique"),
                },
            ),
        ),
        "mutualisations": _list("Mutualisations", _choice("Mutualisation", MUTUALISATIONS)),
        "valeurs": _list("Valeurs fondatrices", _s("Valeur")),
        "gouvernance": Field(
            "record",
            "Gouvernance",
            fields={
                "instances": _list("Instances", _s("Instance")),
                "colleges": _list("Collèges", _s("Collège")),
                "place_citoyens": Field("text", "Place des citoyens"),
                "role_collectivites": _choice("Rôle des collectivités", ROLES_COLLECTIVITES),
            },
        ),
        "ressources": _list(
            "Ressources",
            _record(
                "Ressource",
                {
                    "annee": _year("Année", required=True),
                    "nature": _choice("Nature", NATURES_RESSOURCE, required=True),
                    "montant": Field("number", "Montant (euros)", minimum=0),
                    "part": Field(
                        "number", "Part des ressources de l'année (%)", minimum=0, maximum=100
                    ),
                },
            ),
        ),
        "emploi": _list(
            "Emploi",
            _record(
                "Emploi d'une année",
                {
                    "annee": _year("Année", required=True),
                    "etp": Field("number", "Équivalents temps plein (ETP)", minimum=0),
                    "etp_animation": Field(
                        "number", "ETP d'animation et de coordination", minimum=0
                    ),
                    "emplois_crees": Field("int", "Emplois créés", minimum=0),
                    "emplois_insertion": Field("int", "Emplois d'insertion", minimum=0),
                },
            ),
        ),
        "valeurs_approchees": _list(
            "Valeurs approchées lues dans un passage cité",
            _record(
                "Valeur approchée",
                {
                    "champ": _choice("Ce que la valeur mesure", APPROXIMATE_FIELDS, required=True),
                    "valeur": Field("number", "Ordre de grandeur", required=True, minimum=0),
                    "qualificatif": _s("Qualificatif (environ, plus de…)", required=True),
                    "texte": _s("Les mots de la source, tels qu'imprimés", required=True),
                    "periode": _s("Période (« en cinq ans »…)"),
                    "locuteur": _s("Qui le dit, quand ce n'est pas le pôle"),
                },
            ),
        ),
        "evenements": _list(
            "Chronologie",
            _record(
                "Événement",
                {
                    "annee": _year("Année", required=True),
                    "mois": Field("int", "Mois", minimum=1, maximum=12),
                    "libelle": _s("Événement", required=True),
                },
            ),
        ),
        "referentiel": _record(
            "Scores du référentiel",
            {
                "version": _s("Version du référentiel", required=True),
                "scores": Field("scores", "Score par indicateur"),
            },
        ),
        "contacts": _list(
            "Contacts (privé)",
            _record(
                "Contact",
                {"nom": _s("Nom"), "role": _s("Rôle"), "coordonnees": _s("Coordonnées")},
                cited=False,
            ),
            private=True,
            citable=False,
        ),
        "entretiens": _list(
            "Entretiens (privé)",
            _record(
                "Entretien",
                {
                    "date": _s("Date"),
                    "personne": _s("Personne"),
                    "role": _s("Rôle"),
                    "notes": Field("text", "Notes"),
                },
                cited=False,
            ),
            private=True,
            citable=False,
        ),
        "bibliographie": _list(
            "Bibliographie",
            _record(
                "Document",
                {
                    "id": _s("Identifiant court", required=True),
                    "auteur": _s("Auteur"),
                    "titre": _s("Titre", required=True),
                    "titre_court": _s(
                        "Titre court (cité à la place de l'auteur s'il n'y en a pas)"
                    ),
                    "annee": _year("Année"),
                    "editeur": _s("Éditeur ou revue"),
                    "fichier": _s("Fichier source"),
                    "url": Field("url", "Adresse web"),
                    "consulte": _s("Date de consultation d'une page web (AAAA-MM-JJ)"),
                },
                cited=False,
            ),
            citable=False,
        ),
        "citations": Field(
            "citations", "Sources des faits (chemin du champ → source)", citable=False
        ),
        "notes": Field("text", "Notes de travail (privé)", private=True, citable=False),
    },
)

PRIVATE_KEYS = frozenset(k for k, f in POLE_SCHEMA.fields.items() if f.private)


def field_at(dotted: str) -> Field | None:
    """Schema node for a dotted path such as ``structures.0.nom`` (indices are skipped)."""
    node: Field | None = POLE_SCHEMA
    for part in dotted.split("."):
        if node is None:
            return None
        if node.kind == "list":
            if part.isdigit():
                node = node.item
                continue
            return None
        node = node.child(part)
    return node


def label(vocabulary: dict[str, str], value: str | None) -> str:
    """Reader label of a vocabulary value ('—' when empty)."""
    if value is None:
        return "—"
    return vocabulary.get(value, value)
