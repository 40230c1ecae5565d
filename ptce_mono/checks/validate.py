"""Validation of pole records against the schema, the grid and the référentiel.

Each ``check_*`` function returns a list of :class:`Problem`; nothing here raises for bad data.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.coverage import is_filled
from ..analysis.evidence import fact_citation_codes, narrative_markers, unknown_ids
from ..core.errors import DataFileError, MissingPoleFileError, PtceError, os_reason
from ..core.fingerprint import tree_digest
from ..core.layout import DEPARTEMENTS_FILE
from ..core.paths import ProjectPaths, is_safe_slug
from ..core.problems import Problem, Severity
from ..corpus.census import has_census, read_census
from ..corpus.geo import departement_of_postal_code, load_departements
from ..corpus.grid import Grid, load_grid
from ..corpus.records import (
    CITATION_RE,
    POLE_FILE,
    Corpus,
    Document,
    Narrative,
    Pole,
    blank_comments,
    load_bibliography,
    load_pole,
    select_folders,
)
from ..corpus.referentiel import Referentiel, load_all_referentiels
from ..corpus.schema import CITATION_KEYS, LECTURES, POLE_SCHEMA, Field, field_at
from .fieldwork import check_fieldwork
from .template_cells import read_template_cells, template_issues

MIN_YEAR = 1900
URL_RE = re.compile(r"^https?://[^\s<>\"']+$")
POSTAL_RE = re.compile(r"^\d{5}$")


def _p(pole: Pole, dotted: str, message: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(pole.path, pole.line_of(dotted), dotted, message, severity)


def _type_name(kind: str) -> str:
    return {
        "str": "un texte", "text": "un texte", "int": "un nombre entier",
        "number": "un nombre", "year": "une année (nombre entier)", "bool": "oui/non (true ou false)",
        "url": "une adresse web (https://…)", "choice": "une valeur de la liste",
        "list": "une liste", "record": "un dictionnaire de champs", "scores": "un dictionnaire indicateur: score",
        "citations": "un dictionnaire chemin: {source, passage}",
    }.get(kind, kind)  # fmt: skip


def _expected(kind: str) -> str:
    """« un nombre est attendu », « une année … est attendue » (agreement with the noun)."""
    name = _type_name(kind)
    return f"{name} est attendu{'e' if name.startswith('une ') else ''}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_value(pole: Pole, spec: Field, value: Any, dotted: str, out: list[Problem]) -> None:
    if value is None:
        if spec.required:
            out.append(_p(pole, dotted, "champ obligatoire vide"))
        return
    kind = spec.kind
    if kind in ("str", "text"):
        if not isinstance(value, str) or (kind == "str" and "\n" in value.strip()):
            if not isinstance(value, int | float) or isinstance(value, bool):
                out.append(_p(pole, dotted, f"{_expected(kind)}, pas « {value} »"))
            else:
                out.append(
                    _p(pole, dotted, f"un texte est attendu : mettez « {value} » entre guillemets")
                )
        elif spec.required and not value.strip():
            out.append(_p(pole, dotted, "champ obligatoire vide"))
    elif kind == "url":
        if not isinstance(value, str) or not URL_RE.match(value):
            out.append(
                _p(
                    pole,
                    dotted,
                    f"adresse web invalide « {value} » (elle doit commencer par https://)",
                )
            )
    elif kind in ("int", "year", "number"):
        ok = _is_number(value) and (kind == "number" or isinstance(value, int))
        if not ok:
            out.append(_p(pole, dotted, f"{_expected(kind)}, pas « {value} »"))
            return
        if kind == "year":
            last = _dt.date.today().year + 1
            if not MIN_YEAR <= value <= last:
                out.append(
                    _p(
                        pole,
                        dotted,
                        f"année invraisemblable {value} (attendu entre {MIN_YEAR} et {last})",
                    )
                )
        if spec.minimum is not None and value < spec.minimum:
            out.append(_p(pole, dotted, f"valeur {value} inférieure au minimum {spec.minimum:g}"))
        if spec.maximum is not None and value > spec.maximum:
            out.append(_p(pole, dotted, f"valeur {value} supérieure au maximum {spec.maximum:g}"))
    elif kind == "bool":
        if not isinstance(value, bool):
            out.append(_p(pole, dotted, f"oui/non attendu (true ou false), pas « {value} »"))
    elif kind == "choice":
        assert spec.choices is not None
        if not isinstance(value, str) or value not in spec.choices:
            allowed = ", ".join(spec.choices)
            out.append(
                _p(pole, dotted, f"valeur inconnue « {value} » (valeurs permises : {allowed})")
            )
    elif kind == "list":
        if not isinstance(value, list):
            out.append(_p(pole, dotted, f"une liste est attendue, pas « {value} »"))
            return
        assert spec.item is not None
        for index, item in enumerate(value):
            _check_value(pole, spec.item, item, f"{dotted}.{index}", out)
    elif kind == "record":
        if not isinstance(value, Mapping):
            out.append(_p(pole, dotted, f"un dictionnaire de champs est attendu, pas « {value} »"))
            return
        _check_record(pole, spec, value, dotted, out)
    elif kind in ("scores", "citations") and not isinstance(value, Mapping):
        out.append(_p(pole, dotted, f"{_expected(kind)}"))


def _check_record(
    pole: Pole, spec: Field, value: Mapping[str, Any], prefix: str, out: list[Problem]
) -> None:
    for key, item in value.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        child = spec.child(str(key))
        if child is None:
            known = ", ".join(spec.fields)
            out.append(_p(pole, dotted, f"champ inconnu « {key} » (champs permis : {known})"))
            continue
        _check_value(pole, child, item, dotted, out)
    for key, child in spec.fields.items():
        if child.required and key not in value:
            dotted = f"{prefix}.{key}" if prefix else key
            out.append(
                Problem(pole.path, pole.line_of(prefix), dotted, "champ obligatoire manquant")
            )


def check_schema(pole: Pole) -> list[Problem]:
    """Types, unknown fields, required fields, vocabularies and ranges."""
    out: list[Problem] = []
    _check_record(pole, POLE_SCHEMA, pole.facts, "", out)
    if pole.facts.get("schema") not in (None, 1):
        out.append(
            _p(
                pole,
                "schema",
                f"version de format inconnue « {pole.facts.get('schema')} » (attendu : 1)",
            )
        )
    return out


def check_slug(pole: Pole) -> list[Problem]:
    if is_safe_slug(pole.slug):
        return []
    return [
        Problem(
            pole.folder, None, "dossier",
            f"nom de dossier « {pole.slug} » invalide : minuscules sans accent, chiffres et tirets "
            "seulement (ex. « pole-du-val-fictif »)",
        )
    ]  # fmt: skip


def check_geography(pole: Pole, geo_dir: Path) -> list[Problem]:
    """Postal code format, département consistent with the postal code, région with the département."""
    out: list[Problem] = []
    code_postal = pole.get("identite.code_postal")
    departement = pole.get("identite.departement")
    region = pole.get("identite.region")
    table = load_departements(geo_dir) if (geo_dir / DEPARTEMENTS_FILE).is_file() else {}
    if isinstance(code_postal, str) and not POSTAL_RE.match(code_postal):
        out.append(
            _p(
                pole,
                "identite.code_postal",
                f"code postal invalide « {code_postal} » (5 chiffres, entre guillemets)",
            )
        )
    if isinstance(departement, str) and table and departement not in table:
        out.append(
            _p(pole, "identite.departement", f"code de département inconnu « {departement} »")
        )
        return out
    if (
        isinstance(code_postal, str)
        and POSTAL_RE.match(code_postal)
        and isinstance(departement, str)
    ):
        implied = departement_of_postal_code(code_postal)
        corsica = code_postal.startswith("20") and departement in ("2A", "2B")
        if implied and implied != departement and not corsica:
            out.append(
                _p(pole, "identite.code_postal",
                   f"le code postal {code_postal} ne correspond pas au département {departement} (attendu : {implied})")
            )  # fmt: skip
    if isinstance(region, str) and isinstance(departement, str) and departement in table:
        d = table[departement]
        if region not in (d.region, d.region_before_2016):
            out.append(
                _p(pole, "identite.region",
                   f"la région « {region} » ne contient pas le département {departement} ({d.name}, région {d.region})")
            )  # fmt: skip
    return out


def check_years(pole: Pole) -> list[Problem]:
    """Order of dates: formalisation after the start of the cooperation."""
    start = pole.get("identite.annee_debut_cooperation")
    formal = pole.get("identite.annee_formalisation")
    if _is_number(start) and _is_number(formal) and formal < start:
        return [_p(pole, "identite.annee_formalisation",
                   f"formalisation ({formal}) antérieure au début de la coopération ({start})")]  # fmt: skip
    return []


def check_shares(pole: Pole) -> list[Problem]:
    """Resource shares of one year add up to at most 100 % (a warning when they fall short)."""
    out: list[Problem] = []
    by_year: dict[Any, list[tuple[int, float]]] = defaultdict(list)
    for index, item in enumerate(pole.list_of("ressources")):
        if _is_number(item.get("part")):
            by_year[item.get("annee")].append((index, float(item["part"])))
    for year, parts in sorted(by_year.items(), key=lambda kv: str(kv[0])):
        total = sum(p for _, p in parts)
        first = f"ressources.{parts[0][0]}.part"
        shown = f"{total:g}".replace(".", ",")
        if total > 100.5:
            out.append(
                _p(
                    pole,
                    first,
                    f"les parts des ressources de {year} totalisent {shown} % (plus de 100 %)",
                )
            )
        elif total < 99.5:
            out.append(
                _p(pole, first, f"les parts des ressources de {year} totalisent {shown} % : complétez-les "
                   "(ajoutez une ligne « autre » si besoin)", Severity.WARNING)
            )  # fmt: skip
    return out


def check_employment(pole: Pole) -> list[Problem]:
    out: list[Problem] = []
    for index, item in enumerate(pole.list_of("emploi")):
        etp, anim = item.get("etp"), item.get("etp_animation")
        if _is_number(etp) and _is_number(anim) and anim > etp:
            out.append(_p(pole, f"emploi.{index}.etp_animation",
                          f"ETP d'animation ({anim:g}) supérieurs aux ETP totaux ({etp:g})"))  # fmt: skip
    return out


def check_scores(pole: Pole, referentiels: Mapping[str, Referentiel]) -> list[Problem]:
    """The référentiel version exists, its indicator ids exist, scores are within its scale."""
    version = pole.referentiel_version
    if version is None:
        return []
    ref = referentiels.get(version)
    if ref is None:
        known = ", ".join(sorted(referentiels)) or "aucune"
        return [
            _p(
                pole,
                "referentiel.version",
                f"version de référentiel inconnue « {version} » (versions : {known})",
            )
        ]
    out: list[Problem] = []
    raw = pole.get("referentiel.scores", {})
    if not isinstance(raw, Mapping):
        return out
    for key, value in raw.items():
        dotted = f"referentiel.scores.{key}"
        if ref.indicator(str(key)) is None:
            out.append(
                _p(pole, dotted, f"indicateur « {key} » inconnu dans le référentiel {version}")
            )
        elif not _is_number(value):
            out.append(_p(pole, dotted, f"un score numérique est attendu, pas « {value} »"))
        elif not ref.scale.minimum <= value <= ref.scale.maximum:
            out.append(_p(pole, dotted,
                          f"score {value:g} hors de l'échelle {ref.scale.minimum}–{ref.scale.maximum} du référentiel {version}"))  # fmt: skip
    return out


def _known_source(pole: Pole, bibliography: Mapping[str, Document], source_id: str) -> bool:
    return source_id in bibliography or any(d.id == source_id for d in pole.local_bibliography)


CITED_ITEM_LISTS = ("structures", "ressources", "emploi", "evenements", "valeurs_approchees")


def filled_facts(pole: Pole) -> list[str]:
    """Dotted paths of the facts that a citation should cover (scalars, lists, list items)."""
    facts = []
    for section in ("identite", "classification", "statut", "gouvernance"):
        block = pole.get(section, {})
        if isinstance(block, Mapping):
            facts += [
                f"{section}.{k}"
                for k, v in block.items()
                if v not in (None, "", [])
                and (spec := field_at(f"{section}.{k}")) is not None
                and spec.citable
            ]
    for key in ("mutualisations", "valeurs"):
        if pole.get(key):
            facts.append(key)
    for key in CITED_ITEM_LISTS:
        facts += [f"{key}.{i}" for i, _ in enumerate(pole.list_of(key))]
    if pole.scores:
        facts.append("referentiel")
    return facts


def cited_facts(pole: Pole) -> set[str]:
    citations = pole.get("citations", {})
    cited = set(citations) if isinstance(citations, Mapping) else set()
    for key in CITED_ITEM_LISTS:
        cited |= {f"{key}.{i}" for i, item in enumerate(pole.list_of(key)) if item.get("source")}
    if pole.get("referentiel.source"):
        cited.add("referentiel")
    return cited


def _check_reading(
    pole: Pole, dotted: str, cite: Mapping[str, Any], vocabulary: bool = True
) -> list[Problem]:
    """A ``lecture`` uses the vocabulary, and comes with the ``note`` that explains it.
    (List items' vocabulary is already checked by the schema: ``vocabulary=False``.)"""
    reading = cite.get("lecture")
    if reading is None or (not vocabulary and reading not in LECTURES):
        return []
    if reading not in LECTURES:
        allowed = ", ".join(LECTURES)
        return [_p(pole, f"{dotted}.lecture", f"lecture « {reading} » inconnue (valeurs permises : {allowed})")]  # fmt: skip
    note = cite.get("note")
    if not isinstance(note, str) or not note.strip():
        return [_p(pole, f"{dotted}.note", "une lecture du projet s'accompagne d'une note qui l'explique")]  # fmt: skip
    return []


def check_citations(pole: Pole, bibliography: Mapping[str, Document]) -> list[Problem]:
    """Citations name known sources and existing fields; uncited facts are warnings."""
    out: list[Problem] = []
    citations = pole.get("citations", {})
    if isinstance(citations, Mapping):
        for key, cite in citations.items():
            dotted = f"citations.{key}"
            if field_at(str(key)) is None:
                out.append(_p(pole, dotted, f"le champ cité « {key} » n'existe pas dans la fiche"))
                continue
            source = cite.get("source") if isinstance(cite, Mapping) else None
            if not isinstance(source, str):
                out.append(
                    _p(pole, dotted, 'une citation s\'écrit {source: identifiant, passage: "…"}')
                )
            elif not _known_source(pole, bibliography, source):
                out.append(
                    _p(pole, f"{dotted}.source", f"source « {source} » absente de la bibliographie")
                )
            if isinstance(cite, Mapping):
                out += _check_reading(pole, dotted, cite)
                for extra in sorted(set(map(str, cite)) - CITATION_KEYS):
                    allowed = ", ".join(sorted(CITATION_KEYS))
                    out.append(_p(pole, f"{dotted}.{extra}",
                                  f"clé inconnue dans une citation (clés permises : {allowed})"))  # fmt: skip
    for key in CITED_ITEM_LISTS:
        for index, item in enumerate(pole.list_of(key)):
            source = item.get("source")
            if isinstance(source, str) and not _known_source(pole, bibliography, source):
                out.append(
                    _p(
                        pole,
                        f"{key}.{index}.source",
                        f"source « {source} » absente de la bibliographie",
                    )
                )
            out += _check_reading(pole, f"{key}.{index}", item, vocabulary=False)
    cited = cited_facts(pole)
    for fact in filled_facts(pole):
        if fact not in cited:
            out.append(
                _p(pole, fact, "fait sans source (ajoutez-le à « citations »)", Severity.WARNING)
            )
    return out


def _narrative_rules(narrative: Narrative) -> list[Problem]:
    """Warnings for what the renderer changes in a narrative (see ptce_mono.corpus.narrative)."""
    from ..corpus.narrative import headings, stray_citations

    body = blank_comments(narrative.doc.body)  # guiding questions are never rendered
    out = []
    for found in headings(body):
        out.append(Problem(narrative.path, _body_line(narrative, body, found.line), "titre",
                           f"titre Markdown « {found.detail[:60]} » dans un récit : il sera affiché "
                           "sous le titre de la section (niveau inférieur), hors du sommaire",
                           Severity.WARNING))  # fmt: skip
    for found in stray_citations(body):
        out.append(Problem(narrative.path, _body_line(narrative, body, found.line), "citation",
                           f"« @{found.detail} » n'est pas une citation : il sera affiché tel quel "
                           "(pour citer une source : [@clé, passage])", Severity.WARNING))  # fmt: skip
    return out


def _body_line(narrative: Narrative, body: str, index: int) -> int:
    return narrative.doc.body_line + index


def check_narratives(pole: Pole, grid: Grid, bibliography: Mapping[str, Document]) -> list[Problem]:
    out: list[Problem] = []
    for path in pole.extra_files:
        known = ", ".join(s.filename for s in grid.sections)
        out.append(
            Problem(
                path,
                None,
                "fichier",
                f"récit qui ne correspond à aucune section de la grille ({known})",
            )
        )
    for section_id, narrative in pole.narratives.items():
        section = grid.section(section_id)
        meta = narrative.doc.meta
        for key in meta:
            if key != "questions":
                out.append(Problem(narrative.path, narrative.doc.meta_lines.get(key), key,
                                   "champ d'en-tête inconnu (seul « questions » est permis)"))  # fmt: skip
        raw_q = meta.get("questions")
        if raw_q is not None and not isinstance(raw_q, list):
            out.append(Problem(narrative.path, narrative.doc.meta_lines.get("questions"), "questions",
                               "une liste d'identifiants de questions est attendue"))  # fmt: skip
        known_q = {q.id for q in section.questions} if section else set()
        for index, qid in enumerate(narrative.questions):
            if qid not in known_q:
                out.append(Problem(narrative.path, narrative.doc.meta_lines.get(f"questions.{index}"),
                                   f"questions.{index}", f"question « {qid} » inconnue dans la section {section_id}"))  # fmt: skip
        out += _narrative_rules(narrative)
        for match in CITATION_RE.finditer(narrative.doc.body):
            if not _known_source(pole, bibliography, match.group(1)):
                line = narrative.doc.body[: match.start()].count("\n") + narrative.doc.body_line
                out.append(Problem(narrative.path, line, "citation",
                                   f"source « {match.group(1)} » absente de la bibliographie"))  # fmt: skip
    return out


def _mentions(text: str, value: Any, spec: Field | None = None) -> bool:
    """The narrative names the value: literally (a year, a name, a list item), by its label in a
    vocabulary (« périurbain »), or, for a yes/no fact, by the words of its label (« pôles témoins »)."""
    if value is None:
        return False
    if isinstance(value, list):
        item = spec.item if spec is not None else None
        return any(_mentions(text, v, item) for v in value)
    if isinstance(value, Mapping):
        return any(_mentions(text, value.get(k)) for k in ("nom", "annee", "libelle"))
    folded = text.casefold()
    if isinstance(value, bool):
        words = (
            [w for w in re.findall(r"\w+", spec.label) if len(w) > 3 and not w.isdigit()]
            if spec
            else []
        )
        pattern = r"[sx]?\W+".join(re.escape(w.casefold()) for w in words)
        return bool(words) and value and re.search(pattern, folded) is not None
    names = [str(value)]
    if spec is not None and spec.choices and str(value) in spec.choices:
        names.append(spec.choices[str(value)])
    return any(len(n.strip()) >= 3 and n.strip().casefold() in folded for n in names)


def check_facts_and_narratives(pole: Pole, grid: Grid) -> list[Problem]:
    """One truth for facts (warnings): a narrative that says it answers a question whose fields
    are all empty; a filled field that no narrative of its sections mentions."""
    out: list[Problem] = []
    for section_id, narrative in pole.narratives.items():
        section = grid.section(section_id)
        if section is None or narrative.is_empty:
            continue
        questions = {q.id: q for q in section.questions}
        for index, qid in enumerate(narrative.questions):
            question = questions.get(qid)
            if question is None or not question.fields:
                continue
            if not any(is_filled(pole.get(f)) for f in question.fields):
                fields = ", ".join(question.fields)
                out.append(Problem(narrative.path, narrative.doc.meta_lines.get(f"questions.{index}"),
                                   f"questions.{index}",
                                   f"le récit dit répondre à la question « {qid} », mais ses champs ({fields}) "
                                   "sont vides dans pole.yaml : reportez-y les faits du récit, avec la même citation",
                                   Severity.WARNING))  # fmt: skip
    seen: set[str] = set()
    for section in grid.sections:
        for question in section.questions:
            for dotted in question.fields:
                value = pole.get(dotted)
                if dotted in seen or not is_filled(value):
                    continue
                if _mentioned(pole, grid, dotted, value):
                    seen.add(dotted)
                    continue
                seen.add(dotted)
                where = ", ".join(
                    s.filename for s in grid.sections
                    if any(dotted in q.fields for q in s.questions)
                )  # fmt: skip
                out.append(_p(pole, dotted,
                              f"fait renseigné qu'aucun récit ne mentionne ({where}) : dites-le dans le récit, "
                              "ou déclarez sa question dans l'en-tête « questions: »", Severity.WARNING))  # fmt: skip
    return out


def _mentioned(pole: Pole, grid: Grid, dotted: str, value: Any) -> bool:
    """A narrative declares a question naming the field, or any narrative names its value."""
    spec = field_at(dotted)
    for section in grid.sections:
        narrative = pole.narratives.get(section.id)
        if narrative is None or narrative.is_empty:
            continue
        asked = {q.id for q in section.questions if dotted in q.fields}
        if asked & set(narrative.questions) or _mentions(narrative.text, value, spec):
            return True
    return False


def check_evidence(pole: Pole, referentiels: Mapping[str, Referentiel]) -> list[Problem]:
    """Evidence coding: markers « {réf. a1, b} » and ``referentiel:`` in citations name ids of
    the pole's référentiel version; a marker ends its paragraph, which cites a source."""
    ref = referentiels.get(pole.referentiel_version_or_default)
    if ref is None:  # reported by check_scores
        return []
    ids = ref.id_ranges
    out: list[Problem] = []
    for narrative in pole.narratives.values():
        for marker in narrative_markers(narrative):
            field = "référentiel"
            if not marker.ids:
                out.append(Problem(marker.path, marker.line, field,
                                   f"repère « {marker.raw} » vide : nommez des indicateurs, ex. {{réf. a1, b2}}"))  # fmt: skip
            for bad in unknown_ids(marker.ids, ref):
                out.append(Problem(marker.path, marker.line, field,
                                   f"« {bad} » inconnu dans le référentiel {ref.version} ({ids})"))  # fmt: skip
            if not marker.final:
                out.append(Problem(marker.path, marker.line, field,
                                   f"le repère « {marker.raw} » doit terminer son paragraphe",
                                   Severity.WARNING))  # fmt: skip
            if marker.ids and not CITATION_RE.search(marker.paragraph):
                out.append(Problem(marker.path, marker.line, field,
                                   "passage codé au regard du référentiel sans citation de sa source "
                                   "(ajoutez [@source, passage])", Severity.WARNING))  # fmt: skip
    citations = pole.get("citations", {})
    for dotted, codes in fact_citation_codes(pole).items():
        at = f"citations.{dotted}.referentiel"
        raw = citations[dotted].get("referentiel")
        if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
            out.append(_p(pole, at, "une liste d'identifiants est attendue, ex. [a1, b2]"))
            continue
        for bad in unknown_ids(codes, ref):
            out.append(_p(pole, at, f"« {bad} » inconnu dans le référentiel {ref.version} ({ids})"))
        if not is_filled(pole.get(dotted)):
            out.append(_p(pole, at, f"le champ codé « {dotted} » est vide", Severity.WARNING))
    return out


def check_pole(
    pole: Pole, grid: Grid, referentiels: Mapping[str, Referentiel],
    bibliography: Mapping[str, Document], geo_dir: Path,
) -> list[Problem]:  # fmt: skip
    return [
        *check_slug(pole),
        *check_schema(pole),
        *check_geography(pole, geo_dir),
        *check_years(pole),
        *check_shares(pole),
        *check_employment(pole),
        *check_scores(pole, referentiels),
        *check_citations(pole, bibliography),
        *check_narratives(pole, grid, bibliography),
        *check_facts_and_narratives(pole, grid),
        *check_evidence(pole, referentiels),
        *check_quoted_values(pole),
        *check_review_rounds(pole),
    ]


def check_quoted_values(pole: Pole) -> list[Problem]:
    """Warnings: numbers and dates of the pole's quoted passages and chronology that contradict
    or exceed its fields (``quoted.field_conflicts``, both sides named)."""
    from ..analysis.quoted import field_conflicts

    return [Problem(path, line, field, message, Severity.WARNING)
            for path, line, field, message in field_conflicts(pole)]  # fmt: skip


def check_review_rounds(pole: Pole) -> list[Problem]:
    """Round files of the pole's review (``relectures/``): unreadable, or an answer missing."""
    from .review import check_reviews

    return check_reviews(pole.folder)


@dataclass(frozen=True)
class ValidationReport:
    """Every problem found, the poles that could be read, and the shared reference data loaded
    for the check (reused by :func:`corpus_from_report`, so nothing is read twice)."""

    problems: tuple[Problem, ...]
    poles: tuple[Pole, ...]
    grid: Grid | None = None
    referentiels: Mapping[str, Referentiel] | None = None
    bibliography: Mapping[str, Document] | None = None
    digests: Mapping[str, str] | None = None  # slug → digest of the pole folder's contents

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def invalid_slugs(self) -> set[str]:
        return {
            pole.slug
            for pole in self.poles
            for problem in self.errors
            if _concerns(problem, pole.folder)
        }

    def problems_of(self, folder: Path) -> tuple[Problem, ...]:
        """The problems found in the files of one pole folder."""
        return tuple(p for p in self.problems if _concerns(p, folder))


def _concerns(problem: Problem, folder: Path) -> bool:
    return problem.path == folder or folder in problem.path.parents


def read_pole(paths: ProjectPaths, folder: Path, grid: Grid) -> tuple[Pole | None, list[Problem]]:
    """Load one pole in isolation: whatever goes wrong while reading its files becomes one
    problem of this pole naming the file (never an exception that would stop the others)."""
    try:
        return load_pole(folder, grid, paths), []
    except MissingPoleFileError as exc:
        return None, [Problem(exc.path, None, "fichier", "fiche pole.yaml manquante")]
    except DataFileError as exc:
        return None, list(exc.problems)
    except PtceError as exc:
        return None, [Problem(folder / POLE_FILE, None, "", str(exc))]
    except Exception as exc:  # the isolation boundary of one pole
        return None, [
            Problem(folder / POLE_FILE, None, "", f"fiche illisible ({type(exc).__name__} : {exc})")
        ]


def validate_corpus(
    paths: ProjectPaths, slugs: Iterable[str] | None = None, *, use_cache: bool = True
) -> ValidationReport:
    """Check every pole (or ``slugs``); collect all problems, never raise for bad data.

    An unchanged pole folder is not read again: its pole, problems and digest come from the
    cache of checked poles (:mod:`ptce_mono.corpus.pole_cache`), which any change invalidates.
    """
    from ..corpus.pole_cache import Entry, PoleCache, folder_signature, load_cache, save_cache

    try:
        check_shared_files(paths)
        grid = load_grid(paths.grid_file)
        referentiels = load_all_referentiels(paths.referentiels)
        bibliography = load_bibliography(paths)
    except DataFileError as exc:
        return ValidationReport(exc.problems, ())
    template = check_template(paths, grid)
    if template:  # like an unreadable grid: no monograph can be built (grid left out)
        return ValidationReport(tuple(template), ())
    cache = load_cache(paths) if use_cache else PoleCache("")
    problems: list[Problem] = []
    poles: list[Pole] = []
    digests: dict[str, str] = {}
    folders = select_folders(paths, slugs)
    for folder in folders:
        if not paths.contains(folder):  # a link leaving the project: never digested nor read
            problems += read_pole(paths, folder, grid)[1]
            continue
        try:
            signature = folder_signature(folder)
            entry = cache.get(folder.name, signature)
            if entry is None:
                entry = Entry(signature, tree_digest(folder, keep=paths.contains),
                              _check_folder(folder, grid, referentiels, bibliography, paths))  # fmt: skip
                cache.put(folder.name, entry)
        except Exception as exc:  # the isolation boundary of one pole (a link loop, a device…)
            reason = os_reason(exc) if isinstance(exc, OSError) else type(exc).__name__
            problems.append(Problem(folder, None, "dossier", f"dossier illisible ({reason})"))
            continue
        pole, found = entry.value
        problems += found
        if pole is not None:
            poles.append(pole)
            digests[pole.slug] = entry.digest
    if use_cache:
        cache.keep_only(None if slugs else {f.name for f in folders})
        save_cache(paths, cache)
    for pole in poles:  # not cached: also depends on the private table, outside the folder
        problems += check_fieldwork(pole, grid, paths.data)
    problems += check_stored_answers(paths, poles, referentiels)
    if slugs is None and has_census(paths.data):
        problems += check_census(paths, bibliography, {p.slug for p in poles})
    if slugs is None:
        problems += check_identity(paths)
    return ValidationReport(
        tuple(problems), tuple(poles), grid, referentiels, bibliography, digests
    )


def check_template(paths: ProjectPaths, grid: Grid) -> list[Problem]:
    """Every grid section has its cell in the monograph template, and every cell names a known
    section (a section without a cell would be left out of every monograph without a word)."""
    template = paths.template_notebook
    if not template.is_file():  # a project without templates builds nothing
        return []
    try:
        cells = read_template_cells(template)
    except DataFileError as exc:
        return [Problem(exc.path, exc.line, "", exc.detail)]
    return [
        Problem(
            template, None, f"cellule {issue.cell}" if issue.cell else "cellules", issue.message
        )
        for issue in template_issues(cells, grid.section_ids)
    ]


def check_stored_answers(
    paths: ProjectPaths, poles: Iterable[Pole], referentiels: Mapping[str, Referentiel]
) -> list[Problem]:
    """Every stored wave of answers (not cached: depends on data/participation/)."""
    from ..corpus.answer_settings import load_vocabulary
    from .answers import check_waves

    try:
        vocabulary = load_vocabulary(paths)
    except DataFileError as exc:
        return list(exc.problems)
    return [found for pole in poles
            for found in check_waves(pole.folder, referentiels, vocabulary)]  # fmt: skip


def _check_folder(
    folder: Path, grid: Grid, referentiels: Mapping[str, Referentiel],
    bibliography: Mapping[str, Document], paths: ProjectPaths,
) -> tuple[Pole | None, list[Problem]]:  # fmt: skip
    """Load and check one pole folder in isolation: the pole (None when unreadable) and its
    problems; nothing that goes wrong here stops another pole."""
    pole, problems = read_pole(paths, folder, grid)
    if pole is None:
        return None, problems
    try:
        return pole, list(check_pole(pole, grid, referentiels, bibliography, paths.geo))
    except Exception as exc:  # a bug in one rule must not stop the other poles
        return pole, [
            Problem(pole.path, None, "", f"vérification impossible ({type(exc).__name__})")
        ]


def check_identity(paths: ProjectPaths) -> list[Problem]:
    """``data/projet.yaml``, the project's identity, when there is one."""
    from ..core.errors import ProjectIdentityError
    from ..corpus.identity import load_identity

    try:
        load_identity(paths.data)
    except ProjectIdentityError as exc:
        return [Problem(exc.path, exc.line, exc.field, exc.detail)]
    except DataFileError as exc:
        return [Problem(p.path, p.line, p.field or "projet", p.message, p.severity, p.where)
                for p in exc.problems]  # fmt: skip
    return []


def check_census(
    paths: ProjectPaths, bibliography: Mapping[str, Document], slugs: set[str]
) -> list[Problem]:
    """The 2011 census tables: their own checks, then sources and linked poles exist."""
    census, issues = read_census(paths.data, paths.geo)
    out = list(issues)
    for table, rows in (
        ("initiatives.csv", census.initiatives), ("candidatures-par-region.csv", census.counts)
    ):  # fmt: skip
        for row in rows:
            if row.source and row.source not in bibliography:
                out.append(Problem(census.folder / table, row.row, "source",
                                   f"source « {row.source} » absente de la bibliographie"))  # fmt: skip
    for item in census.initiatives:
        if item.pole and item.pole not in slugs:
            out.append(Problem(census.folder / "initiatives.csv", item.row, "pole",
                               f"pôle « {item.pole} » absent de data/poles"))  # fmt: skip
    return out


def check_shared_files(paths: ProjectPaths) -> None:
    """The grid, référentiels, bibliography and geography stay inside the project or the data
    folder (a link leading elsewhere raises :class:`OutsideProjectError`, naming the link)."""
    shared = [paths.grid_file, paths.bibliography_file, paths.referentiels, paths.geo]
    for folder in (paths.referentiels, paths.geo):
        if folder.is_dir() and paths.contains(folder):
            shared += sorted(folder.iterdir())
    for path in shared:
        if path.exists() or path.is_symlink():
            paths.check_inside(path)


def corpus_from_report(
    paths: ProjectPaths, report: ValidationReport, readable: bool = False
) -> Corpus:
    """A corpus holding only the poles that passed validation (``readable``: every pole whose
    files could be read, valid or not — never one that is unreadable or leaves the project).
    When the shared reference data could not be read, its first problem is raised."""
    if report.grid is None and report.errors:
        first = report.errors[0]
        raise DataFileError(first.path, first.message, first.line)
    bad = set() if readable else report.invalid_slugs()
    return Corpus(
        paths=paths,
        grid=report.grid if report.grid is not None else load_grid(paths.grid_file),
        referentiels=report.referentiels
        if report.referentiels is not None
        else load_all_referentiels(paths.referentiels),
        bibliography=report.bibliography
        if report.bibliography is not None
        else load_bibliography(paths),
        poles=tuple(p for p in report.poles if p.slug not in bad),
    )


__all__ = ["Problem", "PtceError", "Severity", "ValidationReport", "validate_corpus"]
