"""The consolidated public dataset: tidy tables, CSV files and a Frictionless ``datapackage.json``.

This is the ONE place where private data is dropped on the way out: tables are built from
:meth:`Pole.public_facts` (no ``PRIVATE_KEYS``: contacts, entretiens, notes) and narratives are
never exported (only whether a section is documented), so their HTML comments cannot leak.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.coverage import section_coverage
from ..core.atomic import replace_folder, staged_folder
from ..core.errors import NotWritableError
from ..core.inert import neutralise_cell
from ..core.paths import ProjectPaths
from ..corpus.records import Corpus, Pole
from ..corpus.schema import PRIVATE_KEYS

DATAPACKAGE = "datapackage.json"
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string, integer, number, boolean
    description: str


POLE = Column("pole", "string", "Identifiant du pôle (voir la table poles)")
SOURCE = Column("source", "string", "Identifiant du document source (bibliographie)")
PASSAGE = Column("passage", "string", "Passage du document source")

TABLES: dict[str, tuple[str, str, tuple[Column, ...], tuple[str, ...]]] = {
    # name: (title, description, columns, primary key)
    "poles": (
        "Pôles",
        "Une ligne par pôle : identité, classification, statut, mutualisations, valeurs, "
        "gouvernance. Les listes sont séparées par « ; ».",
        (
            Column("pole", "string", "Identifiant du pôle"),
            Column("nom", "string", "Nom du pôle"),
            Column("fictif", "boolean", "Pôle fictif de démonstration, jamais un PTCE réel"),
            Column("autres_noms", "string", "Autres noms du même pôle"),
            Column("commune", "string", "Commune"),
            Column("code_postal", "string", "Code postal"),
            Column("departement", "string", "Département (code INSEE)"),
            Column("region", "string", "Région (découpage de 2016)"),
            Column("site_web", "string", "Site web"),
            Column("annee_debut_cooperation", "integer", "Année de début de la coopération"),
            Column("annee_formalisation", "integer", "Année de formalisation du pôle"),
            Column("structure_porteuse", "string", "Structure porteuse"),
            Column("forme_juridique", "string", "Forme juridique du pôle"),
            Column("famille_activite", "string", "Famille d'activité (vocabulaire du schéma)"),
            Column("type_territoire", "string", "Types de territoire"),
            Column("origine", "string", "Origine de la coopération"),
            Column("pole_temoin_2012", "boolean", "Pôle témoin en 2012"),
            Column("laureat_aap", "string", "Années de lauréat de l'appel à projets national"),
            Column("mutualisations", "string", "Types de mutualisation"),
            Column("valeurs", "string", "Valeurs fondatrices (libellés exacts)"),
            Column("gouvernance_instances", "string", "Instances de gouvernance"),
            Column("gouvernance_colleges", "string", "Collèges"),
            Column("place_citoyens", "string", "Place des citoyens dans la gouvernance"),
            Column("role_collectivites", "string", "Rôle des collectivités"),
            Column("referentiel_version", "string", "Version du référentiel des scores"),
            Column("nb_structures", "integer", "Nombre de structures membres documentées"),
        ),
        ("pole",),
    ),
    "structures": (
        "Structures membres",
        "Une ligne par structure membre d'un pôle.",
        (
            POLE,
            Column("rang", "integer", "Rang de la structure dans la fiche du pôle"),
            Column("nom", "string", "Nom de la structure"),
            Column("statut_juridique", "string", "Statut juridique (vocabulaire du schéma)"),
            Column("famille", "string", "Famille (ESS, entreprise, collectivité, recherche)"),
            Column("iae", "boolean", "Structure d'insertion par l'activité économique"),
            SOURCE,
            PASSAGE,
        ),
        ("pole", "rang"),
    ),
    "ressources": (
        "Ressources",
        "Ressources des pôles par année et par nature.",
        (
            POLE,
            Column("annee", "integer", "Année"),
            Column("nature", "string", "Nature de la ressource"),
            Column("montant", "number", "Montant en euros"),
            Column("part", "number", "Part des ressources de l'année (%)"),
            SOURCE,
            PASSAGE,
        ),
        (),
    ),
    "emploi": (
        "Emploi",
        "Emploi des pôles par année, en équivalents temps plein (ETP).",
        (
            POLE,
            Column("annee", "integer", "Année"),
            Column("etp", "number", "Équivalents temps plein"),
            Column("etp_animation", "number", "ETP d'animation et de coordination"),
            Column("emplois_crees", "integer", "Emplois créés"),
            Column("emplois_insertion", "integer", "Emplois d'insertion"),
            SOURCE,
            PASSAGE,
        ),
        (),
    ),
    "scores": (
        "Scores du référentiel",
        "Score de chaque pôle sur chaque indicateur noté du référentiel d'action (1 à 4).",
        (
            POLE,
            Column("version", "string", "Version du référentiel"),
            Column("indicateur", "string", "Identifiant de l'indicateur (a1…i3)"),
            Column("objectif", "string", "Objectif principal de l'indicateur (a…i)"),
            Column("score", "number", "Score"),
        ),
        ("pole", "indicateur"),
    ),
    "citations": (
        "Citations des faits",
        "Une ligne par fait cité d'une fiche : champ, source, passage et, quand la valeur est "
        "une lecture du projet et non un énoncé de la source, la nature de cette lecture "
        "(identification, inférence, codage) et la note qui l'explique.",
        (
            POLE,
            Column("champ", "string", "Chemin du champ cité dans la fiche (ex. identite.commune)"),
            SOURCE,
            PASSAGE,
            Column("lecture", "string", "Lecture du projet : identification, inference ou codage"),
            Column("note", "string", "Ce que la lecture du projet interprète, et pourquoi"),
        ),
        ("pole", "champ"),
    ),
    "scores_declares": (
        "Scores déclarés par les membres",
        "Médiane par objectif principal des réponses des membres de chaque pôle au questionnaire "
        "du référentiel, par vague (déclaré par les membres, distinct de ce qui est "
        "documenté par l'équipe de recherche) ; sous le seuil de répondants, pas de médiane "
        "(effectif trop faible).",
        (
            POLE,
            Column("vague", "string", "Vague (campagne datée, AAAA-MM)"),
            Column("version", "string", "Version du référentiel"),
            Column("objectif", "string", "Objectif principal (a…i)"),
            Column("mediane", "number", "Médiane des répondants"),
            Column("q1", "number", "Premier quartile"),
            Column("q3", "number", "Troisième quartile"),
            Column("n", "integer", "Répondants ayant noté l'objectif"),
            Column("repondants", "integer", "Répondants de la vague"),
            Column("statut", "string", "effectif trop faible sous le seuil, sinon vide"),
        ),
        ("pole", "vague", "objectif"),
    ),
    "couverture": (
        "Couverture de la grille",
        "État de documentation de chaque section de la grille d'analyse pour chaque pôle.",
        (
            POLE,
            Column("section", "string", "Section de la grille d'analyse"),
            Column("titre", "string", "Titre de la section"),
            Column(
                "statut",
                "string",
                "documentée, partielle ou à documenter (coverage.section_coverage)",
            ),
            Column("recit", "boolean", "La section a un récit rédigé"),
            Column("questions_documentees", "integer", "Questions directrices documentées"),
            Column("questions", "integer", "Questions directrices de la section"),
        ),
        ("pole", "section"),
    ),
}

LICENCE = {
    "name": "ODC-BY-1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
    "title": "Open Data Commons Attribution License 1.0",
}


def _joined(value: Any) -> str | None:
    if isinstance(value, list):
        items = [str(v) for v in value if v not in (None, "")]
        return LIST_SEPARATOR.join(items) if items else None
    return None if value in (None, "") else str(value)


def _get(facts: Mapping[str, Any], dotted: str) -> Any:
    node: Any = facts
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _items(facts: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = facts.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def pole_row(pole: Pole) -> dict[str, Any]:
    facts = pole.public_facts()
    g = lambda d: _get(facts, d)  # noqa: E731
    return {
        "pole": pole.slug,
        "nom": pole.name,
        "fictif": pole.fictional,
        "autres_noms": _joined(g("identite.autres_noms")),
        "commune": g("identite.commune"),
        "code_postal": g("identite.code_postal"),
        "departement": g("identite.departement"),
        "region": g("identite.region"),
        "site_web": g("identite.site_web"),
        "annee_debut_cooperation": g("identite.annee_debut_cooperation"),
        "annee_formalisation": g("identite.annee_formalisation"),
        "structure_porteuse": g("identite.structure_porteuse"),
        "forme_juridique": g("identite.forme_juridique"),
        "famille_activite": g("classification.famille_activite"),
        "type_territoire": _joined(g("classification.type_territoire")),
        "origine": g("classification.origine"),
        "pole_temoin_2012": g("statut.pole_temoin_2012"),
        "laureat_aap": _joined(g("statut.laureat_aap")),
        "mutualisations": _joined(g("mutualisations")),
        "valeurs": _joined(g("valeurs")),
        "gouvernance_instances": _joined(g("gouvernance.instances")),
        "gouvernance_colleges": _joined(g("gouvernance.colleges")),
        "place_citoyens": g("gouvernance.place_citoyens"),
        "role_collectivites": g("gouvernance.role_collectivites"),
        "referentiel_version": pole.referentiel_version if pole.scores else None,
        "nb_structures": len(_items(facts, "structures")),
    }


def citation_rows(pole: Pole) -> list[dict[str, Any]]:
    """One row per cited fact: the ``citations`` map, then the cited list items."""
    out = []
    citations = pole.get("citations", {})
    if isinstance(citations, Mapping):
        for key, cite in sorted(citations.items(), key=lambda kv: str(kv[0])):
            if isinstance(cite, Mapping):
                out.append({"pole": pole.slug, "champ": str(key), **_cite(cite)})
    for key in ("structures", "ressources", "emploi", "evenements"):
        for index, item in enumerate(pole.list_of(key)):
            if item.get("source"):
                out.append({"pole": pole.slug, "champ": f"{key}.{index}", **_cite(item)})
    return out


def _cite(cite: Mapping[str, Any]) -> dict[str, Any]:
    return {k: cite.get(k) for k in ("source", "passage", "lecture", "note")}


# Census tables (data/recensement): package name -> (file stem, title, description); their
# columns come from the Table Schema shipped beside each CSV.
CENSUS_TABLES = {
    "recensement_initiatives": (
        "initiatives",
        "Recensement 2011 : initiatives candidates",
        "Les initiatives ayant répondu à l'appel à candidatures de fin 2011, telles que les "
        "liste l'annexe 2 du plan d'action de 2013 (région imprimée et région de 2016, nom, "
        "structure porteuse ; nom de personne non reproduit), avec le lien vers un pôle du "
        "corpus quand c'est la même initiative (lecture du projet, expliquée).",
    ),
    "recensement_regions": (
        "candidatures-par-region",
        "Recensement 2011 : candidatures par région",
        "Nombre de dossiers de candidature par région selon le § 2.2 du plan d'action de 2013.",
    ),
}


def table_title(name: str) -> str:
    if name in TABLES:
        return TABLES[name][0]
    return CENSUS_TABLES[name][1]


def census_frames(data_dir: Path) -> dict[str, Any]:
    """The census tables as typed DataFrames (empty dict when ``data/recensement`` is absent
    or invalid: ``validate`` reports its problems). Schema in ``frame.attrs``."""
    import pandas as pd

    from ..core.errors import CensusError
    from ..corpus.census import has_census, load_census, table_rows, table_schema

    if not has_census(data_dir):
        return {}
    try:
        load_census(data_dir)
    except CensusError:
        return {}
    frames = {}
    for name, (stem, title, description) in CENSUS_TABLES.items():
        schema = table_schema(data_dir, stem)
        rows = table_rows(data_dir, stem)
        frame = pd.DataFrame(
            {
                f["name"]: pd.Series(
                    [_clean(r.get(f["name"]), f["type"]) for r in rows], dtype=_DTYPES[f["type"]]
                )
                for f in schema["fields"]
            }
        )
        frame.attrs.update(schema=schema, title=title, description=description)
        frames[name] = frame
    return frames


def declared_rows(pole: Pole, corpus: Corpus) -> list[dict[str, Any]]:
    """Rows of ``scores_declares``: the pole's waves of answers, per objective."""
    from ..analysis.declared import pole_wave_scores
    from ..corpus.answer_settings import load_settings

    settings = load_settings(corpus.paths)
    rows = []
    for ref in corpus.referentiels.values():
        for w in pole_wave_scores(pole, ref, settings):
            for objective in ref.objectives:
                stat = w.objectives[objective.id]
                shown = w.sufficient
                rows.append({
                    "pole": pole.slug, "vague": w.wave, "version": w.version,
                    "objectif": objective.id, "mediane": stat.median if shown else None,
                    "q1": stat.q1 if shown else None, "q3": stat.q3 if shown else None,
                    "n": stat.n if shown else None, "repondants": w.respondents,
                    "statut": w.status or None,
                })  # fmt: skip
    return rows


def _rows(corpus: Corpus) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    referentiels = corpus.referentiels
    for pole in sorted(corpus.poles, key=lambda p: p.slug):
        facts = pole.public_facts()
        assert not PRIVATE_KEYS & facts.keys()
        rows["poles"].append(pole_row(pole))
        for rank, s in enumerate(_items(facts, "structures"), start=1):
            rows["structures"].append({"pole": pole.slug, "rang": rank, **s})
        for r in _items(facts, "ressources"):
            rows["ressources"].append({"pole": pole.slug, **r})
        for e in _items(facts, "emploi"):
            rows["emploi"].append({"pole": pole.slug, **e})
        ref = referentiels.get(pole.referentiel_version or "")
        for indicator, score in sorted(pole.scores.items()):
            found = ref.indicator(indicator) if ref else None
            rows["scores"].append({
                "pole": pole.slug, "version": pole.referentiel_version, "indicateur": indicator,
                "objectif": found.objective if found else None, "score": score,
            })  # fmt: skip
        rows["citations"] += citation_rows(pole)

        rows["scores_declares"] += declared_rows(pole, corpus)
        for section in corpus.grid.sections:
            cov = section_coverage(pole, section)
            rows["couverture"].append({
                "pole": pole.slug, "section": section.id, "titre": section.title,
                "statut": cov.status.value, "recit": cov.has_narrative,
                "questions_documentees": len(cov.documented), "questions": len(section.questions),
            })  # fmt: skip
    return rows


_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def build_tables(corpus: Corpus) -> dict[str, Any]:
    """One tidy pandas DataFrame per table of :data:`TABLES`, rows in a deterministic order,
    columns typed as the package schema says; only public fields."""
    import pandas as pd

    tables = {}
    for name, rows in _rows(corpus).items():
        columns = TABLES[name][2]
        data = {c.name: [r.get(c.name) for r in rows] for c in columns}
        frame = pd.DataFrame(
            {
                c.name: pd.Series([_clean(v, c.type) for v in data[c.name]], dtype=_DTYPES[c.type])
                for c in columns
            }
        )
        tables[name] = frame.reset_index(drop=True)
    tables.update(census_frames(corpus.paths.data))
    return tables


def _clean(value: Any, kind: str) -> Any:
    """A fact value coerced to its column type (anything unexpected becomes missing)."""
    if value is None or value == "":
        return None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return int(value) if kind == "integer" and float(value).is_integer() else value
    return str(value)


def descriptor(tables: Mapping[str, Any], sources: list[dict[str, str]] | None = None) -> dict:
    resources = []
    for name in tables:
        if name not in TABLES:
            attrs = tables[name].attrs
            resources.append({
                "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
                "title": attrs["title"], "description": attrs["description"], "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": attrs["schema"],
            })  # fmt: skip
            continue
        title, description, columns, key = TABLES[name]
        schema: dict[str, Any] = {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in columns
            ],
            "missingValues": [""],
        }
        if key:
            schema["primaryKey"] = list(key)
        if name != "poles" and "poles" in tables:
            schema["foreignKeys"] = [
                {"fields": ["pole"], "reference": {"resource": "poles", "fields": ["pole"]}}
            ]
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "title": title, "description": description, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
        })  # fmt: skip
    return {
        "profile": "tabular-data-package",
        "name": "ptce-monographies",
        "title": "Données consolidées des monographies de PTCE",
        "description": (
            "Faits publics des fiches de pôles territoriaux de coopération économique (PTCE) "
            "réunis pour l'analyse transversale. Chaque fait provient d'un document source cité "
            "dans la fiche du pôle (colonnes source et passage, bibliographie ci-dessous). Les "
            "données personnelles (contacts, entretiens, notes de travail) et les commentaires "
            "des récits ne sont jamais exportés. " + FORMULA_NOTE
        ),
        "licenses": [LICENCE],
        "sources": sources or [],
        "resources": resources,
    }


FORMULA_NOTE = (
    "Les fichiers CSV de ce dossier gardent les valeurs exactes des fiches ; dans ceux que le "
    "site propose au téléchargement, une cellule de texte qui commence par =, +, -, @, une "
    "tabulation ou un retour chariot est précédée d'une apostrophe ('), afin qu'aucun tableur "
    "ne l'exécute comme une formule (injection de formules dans les CSV)."
)


def neutralise_formulas(text: str) -> str:
    """The CSV ``text`` with every formula-like text cell neutralised (header kept)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return text
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return out.getvalue()


def corpus_sources(corpus: Corpus) -> list[dict[str, str]]:
    """The bibliography as Data Package ``sources`` (title, and path when there is a URL)."""
    docs = {d.id: d for d in corpus.bibliography.values()}
    for pole in corpus.poles:
        for doc in pole.local_bibliography:
            docs.setdefault(doc.id, doc)
    out = []
    for doc_id in sorted(docs):
        doc = docs[doc_id]
        entry = {"title": f"[{doc_id}] {doc.full}"}
        if doc.url:
            entry["path"] = doc.url
        out.append(entry)
    return out


def _csv_text(frame: Any) -> str:
    """CSV text: comma, header, Unix line ends, empty cell for a missing value."""
    return frame.to_csv(index=False, lineterminator="\n", na_rep="")


def write_datapackage(
    tables: Mapping[str, Any], dest: Path, sources: list[dict[str, str]] | None = None,
    extra: Mapping[str, str] | None = None,
) -> Path:  # fmt: skip
    """Write one UTF-8 CSV per table and ``datapackage.json`` into ``dest``, atomically: the
    package is written to a temporary sibling folder that then replaces ``dest``."""
    dest = Path(dest)
    tmp = staged_folder(dest)
    try:
        for name, frame in tables.items():
            (tmp / f"{name}.csv").write_text(_csv_text(frame), encoding="utf-8")
        for name, text in (extra or {}).items():  # CITATION.cff
            (tmp / name).write_text(text, encoding="utf-8")
        (tmp / DATAPACKAGE).write_text(
            json.dumps(descriptor(tables, sources), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        for path in (tmp, *tmp.iterdir()):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
        replace_folder(tmp, dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise NotWritableError.from_os(dest.parent, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest / DATAPACKAGE


def write_corpus_package(paths: ProjectPaths, corpus: Corpus) -> Path:
    """Write the package of ``corpus`` (its valid poles, already loaded) to ``paths.export``."""
    return write_datapackage(build_tables(corpus), paths.export, corpus_sources(corpus),
                             {CITATION_CFF: data_citation(paths)})  # fmt: skip


CITATION_CFF = "CITATION.cff"


def data_citation(paths: ProjectPaths) -> str:
    """The data package's ``CITATION.cff``: the project's team, the package's licence."""
    import datetime as dt

    from ..corpus.identity import load_identity
    from .citation import citation_cff

    identity = load_identity(paths.data)
    url = f"{identity.site}/donnees/" if identity.site else ""
    return citation_cff(identity, "Données consolidées des monographies de PTCE", "dataset",
                        dt.date.today().isoformat(), LICENCE["name"], url)  # fmt: skip
