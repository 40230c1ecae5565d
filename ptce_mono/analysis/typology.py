"""The 2014 typology of twelve case studies (Podlewski, 2014, § II.1), reproduced from the records.

``data/publications/podlewski-2014.yaml`` holds each published figure with its verbatim extract
and locator; :func:`reproduce` recomputes the same figure from the pole records and says, in
French, where the two differ. Pure functions except :func:`load_publication` (one file read).

A fact a record does not give is *non documenté*, never « no »: counts are made on the poles
whose record documents the dimension, and that base is always returned with them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError
from ..core.fr import UNDOCUMENTED, format_number, plural
from ..core.layout import PUBLICATIONS_DIR as PUBLICATIONS_DIR  # re-exported
from ..core.yamlio import load_yaml
from ..corpus import schema
from ..corpus.records import Pole

VOCABULARIES = {"famille": schema.FAMILLES_ACTIVITE, "territoire": schema.TYPES_TERRITOIRE,
                "origine": schema.ORIGINES}  # fmt: skip
PUBLICATION_FILE = "podlewski-2014.yaml"


@dataclass(frozen=True)
class Extract:
    text: str  # verbatim from the source
    passage: str  # locator in the source
    sic: tuple[str, ...] = ()  # spellings of the source kept as printed, shown with « [sic] »

    @property
    def shown(self) -> str:
        """The text as quoted: verbatim, with « [sic] » after each kept misprint."""
        text = self.text
        for words in self.sic:
            text = text.replace(words, f"{words} [sic]")
        return text


@dataclass(frozen=True)
class CasePole:
    slug: str  # the record's folder name
    name: str  # the name the paper prints
    passage: str


@dataclass(frozen=True)
class PublishedDimension:
    id: str
    title: str
    published: str  # the published figure, as a short French phrase
    values: Mapping[str, float]
    extracts: tuple[Extract, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # category -> the paper's word
    named: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # category -> slugs
    remark: str = ""
    # category -> entries printed in it that name no pole (« Nord pas ce Calais »), as printed
    unnamed_entries: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Publication:
    source: str
    passage: str
    reference_year: int
    poles: tuple[CasePole, ...]
    dimensions: tuple[PublishedDimension, ...]

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(p.slug for p in self.poles)


def _require(data: Mapping[str, Any], key: str, path: Path, where: str, line: int | None) -> Any:
    value = data.get(key) if isinstance(data, Mapping) else None
    if value in (None, "", [], {}):
        raise DataFileError(path, f"champ « {where}{key} » manquant ou vide", line)
    return value


def _extract(raw: Any, path: Path, where: str, line: int | None) -> Extract:
    text = str(_require(raw, "texte", path, where, line))
    sic = raw.get("sic") or []
    if not isinstance(sic, list) or not all(isinstance(w, str) and w in text for w in sic):
        raise DataFileError(path, f"champ « {where}sic » : une liste de mots tels qu'imprimés "
                                  "dans le texte de l'extrait est attendue", line)  # fmt: skip
    return Extract(text, str(_require(raw, "passage", path, where, line)), tuple(sic))


def load_publication(path: Path) -> Publication:
    """Read the published figures; a clear French error names the file, field and line."""
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, Mapping):
        raise DataFileError(path, "le fichier doit être un dictionnaire de champs", 1)
    poles = []
    for i, raw in enumerate(_require(data, "poles", path, "", loaded.line_of("poles"))):
        line = loaded.line_of(f"poles.{i}")
        poles.append(
            CasePole(
                str(_require(raw, "fiche", path, f"poles.{i}.", line)),
                str(_require(raw, "nom", path, f"poles.{i}.", line)),
                str(raw.get("passage") or ""),
            )
        )
    dimensions = []
    for i, raw in enumerate(_require(data, "dimensions", path, "", loaded.line_of("dimensions"))):
        where, line = f"dimensions.{i}.", loaded.line_of(f"dimensions.{i}")
        extracts = tuple(
            _extract(
                e, path, f"{where}extraits.{j}.", loaded.line_of(f"{where}extraits.{j}") or line
            )
            for j, e in enumerate(_require(raw, "extraits", path, where, line))
        )
        values = _require(raw, "valeurs", path, where, line)
        if not isinstance(values, Mapping) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
        ):
            raise DataFileError(path, f"champ « {where}valeurs » : des nombres attendus", line)
        dimensions.append(
            PublishedDimension(
                id=str(_require(raw, "id", path, where, line)),
                title=str(_require(raw, "titre", path, where, line)),
                published=str(_require(raw, "publie", path, where, line)),
                values={str(k): float(v) for k, v in values.items()},
                extracts=extracts,
                labels={str(k): str(v) for k, v in (raw.get("libelles") or {}).items()},
                named={
                    str(k): tuple(str(s) for s in v) for k, v in (raw.get("nommes") or {}).items()
                },
                remark=str(raw.get("remarque") or ""),
                unnamed_entries={
                    str(k): tuple(str(s) for s in v)
                    for k, v in (raw.get("non_nommes") or {}).items()
                },
            )
        )
    year = data.get("annee_reference")
    if not isinstance(year, int):
        raise DataFileError(path, "champ annee_reference : une année attendue",
                            loaded.line_of("annee_reference"))  # fmt: skip
    return Publication(
        str(_require(data, "source", path, "", 1)), str(data.get("passage") or ""), year,
        tuple(poles), tuple(dimensions),
    )  # fmt: skip


# --- the records' coding of each dimension ---------------------------------------------------


def _categories(pole: Pole, dimension: PublishedDimension, year: int) -> tuple[str, ...] | None:
    """The pole's categories on ``dimension`` from its record; None when not documented."""
    get = pole.get
    if dimension.id == "famille":
        value = get("classification.famille_activite")
        return (str(value),) if value else None
    if dimension.id == "territoire":
        values = get("classification.type_territoire") or []
        return tuple(str(v) for v in values) or None
    if dimension.id == "origine":
        value = get("classification.origine")
        return (str(value),) if value else None
    if dimension.id == "groupements":
        return ("groupement-employeurs",) if "groupement-employeurs" in (
            get("mutualisations") or []) else None  # fmt: skip
    if dimension.id == "lieu":
        return ("lieux",) if "lieux" in (get("mutualisations") or []) else None
    if dimension.id == "laureats":
        return ("laureat",) if 2013 in (get("statut.laureat_aap") or []) else None
    if dimension.id == "anciennete":
        start = get("identite.annee_debut_cooperation")
        return (str(year - start),) if isinstance(start, int) else None
    return None  # « structures »: the records hold no member count


FIELDS = {"famille": "classification.famille_activite", "territoire": "classification.type_territoire",
          "origine": "classification.origine", "groupements": "mutualisations",
          "lieu": "mutualisations", "laureats": "statut.laureat_aap",
          "anciennete": "identite.annee_debut_cooperation"}  # fmt: skip


def _citation(pole: Pole, dimension_id: str) -> Mapping[str, Any] | None:
    """The citation entry of the record field a dimension is coded from, if any."""
    name = FIELDS.get(dimension_id)
    citations = pole.get("citations")
    entry = citations.get(name) if name and isinstance(citations, Mapping) else None
    return entry if isinstance(entry, Mapping) else None


def reading_of(pole: Pole, dimension_id: str) -> str | None:
    """The project's reading (identification, inference, codage) behind a pole's coding on a
    dimension, when its citation marks one; None when the coding is the source's statement."""
    entry = _citation(pole, dimension_id)
    value = entry.get("lecture") if entry else None
    return str(value) if value else None


# What a comparison of a published figure with the records can say (Tableau 3).
AGREES = "concordant"
DIFFERS = "écart"
TAKEN = "reprise de la source, non indépendante"
UNVERIFIABLE = "non vérifiable"
MIN_COMPARED = 3  # poles with an independent value, below which nothing is compared

# Where a pole's value on a dimension comes from.
FROM_SOURCE = "source"  # cited to the publication compared with: not independent of it
READING = "lecture"  # the project's reading (identification, inference, codage)
INDEPENDENT = "indépendante"  # another source, as stated by it


def provenance(pole: Pole, dimension_id: str, source: str) -> str | None:
    """Where the pole's coding on a dimension comes from; None when its field has no citation.

    A project's reading is never independent evidence; a value cited to the compared publication
    only repeats it, so agreeing with it confirms nothing."""
    entry = _citation(pole, dimension_id)
    if entry is None:
        return None
    if entry.get("lecture"):
        return READING
    return FROM_SOURCE if str(entry.get("source")) == source else INDEPENDENT


@dataclass(frozen=True)
class Comparison:
    """One dimension: the published figure beside the one recomputed from the records."""

    dimension: PublishedDimension
    recomputed: str  # French phrase, with its base
    documented: tuple[str, ...]  # slugs of the case poles whose record documents it
    undocumented: tuple[str, ...]  # slugs of the case poles whose record does not
    counts: Mapping[str, int]  # category -> poles (among the documented)
    raw_agrees: bool | None  # the figures alone, whatever their provenance
    differences: tuple[str, ...]  # French sentences, one per difference of the figures
    status: str = UNVERIFIABLE  # AGREES, DIFFERS, TAKEN or UNVERIFIABLE
    reason: str = ""  # French: why this status
    provenance: Mapping[str, str | None] = field(default_factory=dict)  # slug -> provenance

    @property
    def n(self) -> int:
        return len(self.documented)

    @property
    def agrees(self) -> bool | None:
        """True or False only for a real comparison (independent values on enough poles)."""
        if self.status == AGREES:
            return True
        return False if self.status == DIFFERS else None

    @property
    def independent(self) -> tuple[str, ...]:
        return tuple(s for s in self.documented if self.provenance.get(s) == INDEPENDENT)

    @property
    def is_comparison(self) -> bool:
        return self.status in (AGREES, DIFFERS)


@dataclass(frozen=True)
class Reproduction:
    publication: Publication
    found: tuple[Pole, ...]  # the case poles present in the corpus, in the paper's order
    missing: tuple[CasePole, ...]  # case poles without a record
    comparisons: tuple[Comparison, ...]
    coding: Mapping[str, Mapping[str, tuple[str, ...] | None]]  # slug -> dimension -> categories
    readings: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.found)

    def comparison(self, dimension_id: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.dimension.id == dimension_id), None)


def _names(slugs: Sequence[str], names: Mapping[str, str]) -> str:
    items = [names.get(s, s) for s in slugs]
    return " et ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " et " + items[-1]


def _of_base(count: int, n: int) -> str:
    return f"{plural(count, 'pôle')} sur {format_number(n)} documenté{'s' if n > 1 else ''}"


def _compare_categories(
    dim: PublishedDimension, counts: Counter[str], coding: Mapping[str, tuple[str, ...] | None],
    names: Mapping[str, str], n: int, total: int, readings: Mapping[str, str | None],
) -> tuple[str, bool | None, list[str]]:  # fmt: skip
    vocabulary = VOCABULARIES.get(dim.id) or {}

    def label(key: str) -> str:
        return dim.labels.get(key) or vocabulary.get(key) or key

    parts = [f"{label(k)} : {_of_base(counts[k], n)}" for k in dim.values if counts[k]]
    others = sorted(k for k in counts if k not in dim.values)
    parts += [f"{label(k)} : {_of_base(counts[k], n)}" for k in others]
    text = " ; ".join(parts) + f" (n = {format_number(n)} sur {format_number(total)})"
    diffs = []
    for key, published in dim.values.items():
        if counts[key] != published:
            diffs.append(
                f"{label(key)} : l'article donne {format_number(published)}, les fiches "
                f"{format_number(counts[key])} (sur {plural(n, 'pôle')} documenté{'s' if n > 1 else ''})."
            )
    if diffs and n < total:
        diffs.append(f"{plural(total - n, 'fiche')} sur {format_number(total)} ne "
                     f"document{'ent' if total - n > 1 else 'e'} pas cette dimension : la "
                     f"comparaison ne porte que sur {plural(n, 'pôle')}.")  # fmt: skip
    for key, slugs in dim.named.items():
        coded = {s for s, cats in coding.items() if cats and key in cats}
        absent = [s for s in slugs if s not in coded]
        extra = sorted(s for s in coded if s not in slugs)
        if absent:
            diffs.append(f"{label(key)} : nommé par l'article mais non codé ainsi dans sa "
                         f"fiche : {_names(absent, names)}.")  # fmt: skip
        read = [s for s in extra if readings.get(s)]
        stated = [s for s in extra if not readings.get(s)]
        if stated:
            diffs.append(f"{label(key)} : codé dans la fiche sans être nommé à ce titre par "
                         f"l'article : {_names(stated, names)}.")  # fmt: skip
        for slug in read:
            diffs.append(f"{label(key)} : {names[slug]} n'est pas nommé à ce titre "
                         f"par l'article ; sa fiche l'y rattache par une lecture du projet "
                         f"({schema.LECTURES.get(str(readings[slug]), readings[slug])}), qui ne "
                         "peut ni confirmer ni contredire l'article.")  # fmt: skip
    return text, not diffs, diffs


def _compare(
    dim: PublishedDimension, coding: Mapping[str, tuple[str, ...] | None],
    names: Mapping[str, str], total: int, readings: Mapping[str, str | None] | None = None,
) -> Comparison:  # fmt: skip
    documented = tuple(s for s, c in coding.items() if c)
    undocumented = tuple(s for s, c in coding.items() if not c)
    n = len(documented)
    counts: Counter[str] = Counter(k for s in documented for k in coding[s] or ())
    if dim.id == "structures":
        return Comparison(dim, f"{UNDOCUMENTED} (n = 0 sur {format_number(total)})", (),
                          undocumented, {}, None,
                          ("Les fiches ne donnent pas le nombre de structures membres de chaque "
                           "pôle : la moyenne publiée ne peut pas être recalculée.",))  # fmt: skip
    if not n:
        return Comparison(
            dim, f"{UNDOCUMENTED} (n = 0 sur {format_number(total)})", (), undocumented, {}, None,
            (f"Aucune des {format_number(total)} fiches ne documente cette dimension : le chiffre "
             "publié ne peut être ni confirmé ni contredit.",),
        )  # fmt: skip
    if dim.id == "anciennete":
        ages = sorted(int(k) for k in counts.elements())
        over = sum(1 for a in ages if a > 10)
        text = (f"de {ages[0]} à {ages[-1]} ans ; {plural(over, 'pôle')} de plus de 10 ans "
                f"(n = {format_number(n)} sur {format_number(total)})")  # fmt: skip
        published = dim.values
        same = (ages[0], ages[-1], over) == (
            published.get("minimum"),
            published.get("maximum"),
            published.get("plus_de_10_ans"),
        )
        diffs = [] if same else [
            f"L'article donne {dim.published} ; les {plural(n, 'fiche')} qui documentent l'année "
            f"de début donnent {text}."
        ]  # fmt: skip
        return Comparison(dim, text, documented, undocumented, dict(counts), same, tuple(diffs))
    if dim.id in ("lieu", "groupements", "laureats"):
        text = (f"{plural(n, 'pôle')} sur {format_number(total)} documenté{'s' if n > 1 else ''} "
                f"avec ce fait ; {format_number(len(undocumented))} {UNDOCUMENTED}"
                f"{'s' if len(undocumented) > 1 else ''}")  # fmt: skip
        diffs: list[str] = []
        if dim.id == "lieu":
            diffs.append(
                f"Aucune fiche ne dit qu'un pôle n'a pas de lieu partagé : la part ne peut pas être "
                f"recalculée sur une base documentée ({plural(n, 'pôle')} documenté"
                f"{'s' if n > 1 else ''} avec un lieu partagé, {format_number(len(undocumented))} "
                f"{UNDOCUMENTED}{'s' if len(undocumented) > 1 else ''})."
            )  # fmt: skip
        else:
            published = next(iter(dim.values.values()))
            if n != published:
                diffs.append(f"L'article donne {format_number(published)} pôles, les fiches en "
                             f"documentent {format_number(n)}.")  # fmt: skip
            for slugs in dim.named.values():
                absent = [s for s in slugs if s not in documented]
                extra = [s for s in documented if s not in slugs]
                if absent:
                    diffs.append(f"Nommés par l'article mais non codés dans leur fiche : "
                                 f"{_names(absent, names)}.")  # fmt: skip
                if extra and dim.id != "laureats":
                    diffs.append(f"Codés dans leur fiche sans être nommés par l'article : "
                                 f"{_names(extra, names)}.")  # fmt: skip
                if len(slugs) < published:
                    diffs.append(f"L'article nomme {format_number(len(slugs))} de ces "
                                 f"{format_number(published)} pôles ; le dernier n'est pas "
                                 "nommé, sa fiche ne peut donc pas être codée.")  # fmt: skip
        agrees = not diffs
        if dim.id == "laureats" and undocumented:
            diffs.append(f"Les fiches n'enregistrent que les années de lauréat : les "
                         f"{format_number(len(undocumented))} autres pôles y restent "
                         f"{UNDOCUMENTED}s, ce qui ne contredit pas la liste des non-lauréats "
                         "de l'article sans la confirmer.")  # fmt: skip
        return Comparison(dim, text, documented, undocumented, dict(counts), agrees,
                          tuple(diffs))  # fmt: skip
    text, agrees, diffs = _compare_categories(dim, counts, coding, names, n, total,
                                              readings or {})  # fmt: skip
    return Comparison(dim, text, documented, undocumented, dict(counts), agrees, tuple(diffs))


def unnamed(dim: PublishedDimension) -> list[tuple[str, int, int]]:
    """(category, published count, poles the paper names) where the paper counts more poles
    than it names: those members cannot be checked against any record."""
    out = []
    for key, slugs in dim.named.items():
        published = dim.values.get(key)
        if published is None and len(dim.values) == 1:  # a single count (« 5 pôles »)
            published = next(iter(dim.values.values()))
        if published is not None and len(slugs) < published:
            out.append((key, int(published), len(slugs)))
    return out


def judge(comparison: Comparison, origins: Mapping[str, str | None]) -> Comparison:
    """The status of a comparison, from the provenance of the values it rests on.

    Nothing is compared on fewer than :data:`MIN_COMPARED` documented poles (« effectif trop
    faible ») or where the paper counts members it does not name; a difference is called one
    only between the paper and values independent of it on at least :data:`MIN_COMPARED`
    poles; values taken from the paper itself, or read in it by the project, only repeat it."""
    from dataclasses import replace

    documented = comparison.documented
    origin = {s: origins.get(s) for s in documented}
    dim = comparison.dimension
    independent = [s for s in documented if origin[s] == INDEPENDENT]
    taken = [s for s in documented if origin[s] == FROM_SOURCE]
    read = [s for s in documented if origin[s] == READING]
    uncited = [s for s in documented if origin[s] is None]
    missing_names = unnamed(dim)
    n = len(documented)
    if not n:  # « structures » included: no record documents the member count
        status, reason = UNVERIFIABLE, "aucune fiche ne documente cette dimension"
    elif n < MIN_COMPARED:
        status = UNVERIFIABLE
        reason = f"effectif trop faible (n = {format_number(n)}) : rien n'est comparé"
    elif missing_names:
        status = UNVERIFIABLE
        reason = " ; ".join(
            f"l'article compte {format_number(count)} pôles "
            f"({dim.labels.get(key) or VOCABULARIES.get(dim.id, {}).get(key) or dim.title.lower()}) et en "
            f"nomme {format_number(named)} : "
            + ("le dernier n'est pas nommé" if count - named == 1
               else f"{format_number(count - named)} ne sont pas nommés")
            + ", aucune fiche ne peut lui être opposée"
            for key, count, named in missing_names
        )  # fmt: skip
    elif len(independent) >= MIN_COMPARED:
        status = AGREES if comparison.raw_agrees else DIFFERS
        reason = f"valeurs indépendantes de l'article sur {plural(len(independent), 'pôle')}"
    else:
        status = TAKEN
        parts = []
        if taken:
            parts.append(
                f"{plural(len(taken), 'fiche')} sur {format_number(n)} "
                f"{'reprennent' if len(taken) > 1 else 'reprend'} l'article lui-même"
            )
        if read:
            parts.append(
                f"{plural(len(read), 'valeur')} "
                f"{'sont' if len(read) > 1 else 'est'} une lecture du projet"
            )
        if uncited:
            parts.append(f"{plural(len(uncited), 'valeur')} sans source citée")
        if independent:
            parts.append(
                f"{plural(len(independent), 'seule valeur', 'valeurs seulement')} "
                "d'une autre source"
            )
        reason = " ; ".join(parts) + " : l'accord ne confirme rien et un écart ne contredit rien"
    return replace(comparison, status=status, reason=reason, provenance=origin)


def reproduce(publication: Publication, poles: Sequence[Pole]) -> Reproduction:
    """Recompute each published dimension from the records of the paper's case poles."""
    by_slug = {p.slug: p for p in poles}
    found = tuple(by_slug[c.slug] for c in publication.poles if c.slug in by_slug)
    missing = tuple(c for c in publication.poles if c.slug not in by_slug)
    names = {p.slug: p.name for p in found}
    year = publication.reference_year
    coding = {
        p.slug: {d.id: _categories(p, d, year) for d in publication.dimensions} for p in found
    }
    readings = {p.slug: {d.id: reading_of(p, d.id) for d in publication.dimensions} for p in found}
    comparisons = tuple(
        judge(
            _compare(d, {s: coding[s][d.id] for s in coding}, names, len(found),
                     {s: readings[s][d.id] for s in readings}),
            {p.slug: provenance(p, d.id, publication.source) for p in found},
        )
        for d in publication.dimensions
    )  # fmt: skip
    return Reproduction(publication, found, missing, comparisons, coding, readings)


def cell(
    categories: tuple[str, ...] | None, labels: Mapping[str, str] | None = None,
    reading: str | None = None,
) -> str:  # fmt: skip
    """A pole's coding in the per-pole table: its categories, or non documenté (never no);
    a coding that is the project's reading says so."""
    if not categories:
        return UNDOCUMENTED
    text = ", ".join((labels or {}).get(c, c) for c in categories)
    if not reading:
        return text
    return f"{text} (lecture du projet : {schema.LECTURES.get(reading, reading)})"
