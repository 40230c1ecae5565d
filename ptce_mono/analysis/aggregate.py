"""Cross-pole statistics of the transversal analysis. Pure functions on a list of poles.

Every result carries its base ``n`` (number of poles, and of structures where relevant), so that
nothing is shown without the number it rests on. A base under :data:`LOW_BASE` poles is labelled
« effectif trop faible (n = 2) » by :func:`low_base_note`, never hidden nor shown silently.
Facts missing from a record are left out of the base: a sparse corpus gives n = 0, not an error.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..corpus import schema
from ..corpus.grid import Grid
from ..corpus.records import CITATION_RE, Pole, strip_evidence_markers
from ..corpus.referentiel import Referentiel
from .coverage import Coverage, answers, section_coverage

LOW_BASE = 3
MIN_CLUSTER_POLES = 5


def is_low_base(n: int) -> bool:
    return n < LOW_BASE


def low_base_note(n: int) -> str:
    """« effectif trop faible (n = 2) » when ``n`` is under the threshold, else ''."""
    return f"effectif trop faible (n = {n})" if is_low_base(n) else ""


@dataclass(frozen=True)
class Share:
    """``count`` items out of a base of ``n`` (``percent`` is None when the base is empty)."""

    key: str
    label: str
    count: int
    n: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.count / self.n if self.n else None


@dataclass(frozen=True)
class Distribution:
    """Counts by category. ``n`` is the base of the percentages (poles, or structures when
    ``unit`` is « structures »); ``n_poles`` the poles it rests on; ``undocumented`` the items
    left out of the base for want of the fact."""

    items: tuple[Share, ...]
    n: int
    n_poles: int
    unit: str = "pôles"
    undocumented: int = 0

    @property
    def low_base(self) -> bool:
        return is_low_base(self.n_poles)

    def share(self, key: str) -> Share | None:
        return next((s for s in self.items if s.key == key), None)


@dataclass(frozen=True)
class Summary:
    """Median, mean, minimum and maximum of values over a base of ``n`` poles."""

    n: int
    median: float | None = None
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    std: float | None = None

    @property
    def low_base(self) -> bool:
        return is_low_base(self.n)


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        return Summary(0)
    return Summary(
        n=len(values),
        median=float(statistics.median(values)),
        mean=float(statistics.fmean(values)),
        minimum=float(min(values)),
        maximum=float(max(values)),
        std=float(statistics.stdev(values)) if len(values) > 1 else None,
    )


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def _ranked(counter: Counter[str], n: int, labels: Mapping[str, str] | None) -> tuple[Share, ...]:
    keys = sorted(counter, key=lambda k: (-counter[k], (labels or {}).get(k, k)))
    return tuple(Share(k, schema.label(labels, k) if labels else k, counter[k], n) for k in keys)


def count_poles_by(
    poles: Sequence[Pole],
    value_of: Callable[[Pole], Any],
    labels: Mapping[str, str] | None = None,
) -> Distribution:
    """Poles by one categorical fact; a list fact counts each pole once per value (so shares
    may add up to more than 100 %). Poles without the fact are ``undocumented``."""
    counter: Counter[str] = Counter()
    documented = 0
    for pole in poles:
        value = value_of(pole)
        values = value if isinstance(value, list) else [value]
        values = sorted({str(v) for v in values if _filled(v)})
        if values:
            documented += 1
            counter.update(values)
    return Distribution(
        _ranked(counter, documented, labels), documented, documented,
        undocumented=len(poles) - documented,
    )  # fmt: skip


# --- panorama --------------------------------------------------------------------------------


def poles_by_region(poles: Sequence[Pole]) -> Distribution:
    return count_poles_by(poles, lambda p: p.get("identite.region"))


def poles_by_departement(poles: Sequence[Pole]) -> Distribution:
    return count_poles_by(poles, lambda p: p.get("identite.departement"))


def poles_by_famille(poles: Sequence[Pole]) -> Distribution:
    return count_poles_by(
        poles, lambda p: p.get("classification.famille_activite"), schema.FAMILLES_ACTIVITE
    )


def poles_by_territoire(poles: Sequence[Pole]) -> Distribution:
    """Each type of territory (a pole may have several)."""
    return count_poles_by(
        poles, lambda p: p.get("classification.type_territoire"), schema.TYPES_TERRITOIRE
    )


def poles_by_origine(poles: Sequence[Pole]) -> Distribution:
    return count_poles_by(poles, lambda p: p.get("classification.origine"), schema.ORIGINES)


def cooperation_age(poles: Sequence[Pole], year: int) -> Summary:
    """Age of the cooperation in ``year`` (from ``identite.annee_debut_cooperation``)."""
    ages = [
        float(year - p.get("identite.annee_debut_cooperation"))
        for p in poles
        if isinstance(p.get("identite.annee_debut_cooperation"), int)
    ]
    return summarize(ages)


# --- consolidated figures (in the manner of the 2017 survey) ---------------------------------


def _structures(poles: Sequence[Pole]) -> list[tuple[Pole, Mapping[str, Any]]]:
    return [(p, s) for p in poles for s in p.list_of("structures")]


def legal_statuses(poles: Sequence[Pole]) -> Distribution:
    """Member structures by legal status, in % of the structures whose status is documented."""
    pairs = _structures(poles)
    known = [(p, s) for p, s in pairs if _filled(s.get("statut_juridique"))]
    counter = Counter(str(s["statut_juridique"]) for _, s in known)
    n = len(known)
    return Distribution(
        _ranked(counter, n, schema.STATUTS_JURIDIQUES), n, len({p.slug for p, _ in known}),
        unit="structures", undocumented=len(pairs) - n,
    )  # fmt: skip


def iae_share(poles: Sequence[Pole]) -> Distribution:
    """Structures of insertion par l'activité économique, in % of structures where it is known."""
    pairs = _structures(poles)
    known = [(p, s) for p, s in pairs if isinstance(s.get("iae"), bool)]
    count = sum(1 for _, s in known if s["iae"])
    n = len(known)
    label = "Structures d'insertion par l'activité économique (IAE)"
    items = (Share("iae", label, count, n),) if n else ()
    return Distribution(
        items, n, len({p.slug for p, _ in known}), unit="structures",
        undocumented=len(pairs) - n,
    )  # fmt: skip


def mutualisations(poles: Sequence[Pole]) -> Distribution:
    """Types of mutualisation, in % of the poles whose mutualisations are documented."""
    return count_poles_by(poles, lambda p: p.get("mutualisations"), schema.MUTUALISATIONS)


def valeurs(poles: Sequence[Pole]) -> Distribution:
    """Founding values by exact label, in % of the poles whose values are documented."""
    return count_poles_by(poles, lambda p: p.get("valeurs"))


@dataclass(frozen=True)
class AnimationShare:
    slug: str
    name: str
    year: int
    etp: float
    etp_animation: float

    @property
    def percent(self) -> float:
        return 100.0 * self.etp_animation / self.etp


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def animation_shares(poles: Sequence[Pole]) -> tuple[list[AnimationShare], Summary]:
    """Per pole, the share of FTE spent on animation and coordination for the latest year that
    gives both figures (total FTE > 0); with the median, minimum and maximum of those shares."""
    rows = []
    for pole in poles:
        years = [
            (e.get("annee"), _number(e.get("etp")), _number(e.get("etp_animation")))
            for e in pole.list_of("emploi")
        ]
        usable = [y for y in years if isinstance(y[0], int) and y[1] and y[2] is not None]
        if usable:
            year, etp, anim = max(usable, key=lambda y: y[0])
            rows.append(AnimationShare(pole.slug, pole.name, year, etp, anim))  # type: ignore[arg-type]
    return rows, summarize([r.percent for r in rows])


@dataclass(frozen=True)
class JobsCreated:
    per_pole: dict[str, int]  # slug -> jobs created over all documented years
    latest: dict[str, int]  # slug -> jobs created in the latest documented year
    n: int

    @property
    def total(self) -> int:
        return sum(self.per_pole.values())

    @property
    def total_latest(self) -> int:
        return sum(self.latest.values())

    @property
    def per_pole_summary(self) -> Summary:
        return summarize([float(v) for v in self.per_pole.values()])


def jobs_created(poles: Sequence[Pole]) -> JobsCreated:
    per_pole: dict[str, int] = {}
    latest: dict[str, int] = {}
    for pole in poles:
        years = [
            (e["annee"], e["emplois_crees"])
            for e in pole.list_of("emploi")
            if isinstance(e.get("annee"), int) and isinstance(e.get("emplois_crees"), int)
        ]
        if years:
            per_pole[pole.slug] = sum(v for _, v in years)
            latest[pole.slug] = max(years)[1]
    return JobsCreated(per_pole, latest, len(per_pole))


# Published figures of the 2017 survey (Labo de l'ESS, data 2015), as reported by ASH (ash-2017).
SURVEY_2017_SOURCE = "ash-2017"
SURVEY_2017: tuple[tuple[str, str, str], ...] = (
    ("Pôles interrogés", "50 sur 160 recensés (740 structures ; données 2015)", ""),
    ("Pôles consolidés", "24 (187 structures, dont 72 en quartier prioritaire)", ""),
    ("Structures d'insertion par l'activité économique", "23 %", "des 187 structures"),
    ("Statut associatif", "57 %", "des structures"),
    ("SARL", "9 %", "des structures"),
    ("SCIC", "8 %", "des structures"),
    ("Collectivités territoriales", "7 %", "des structures"),
    ("Valeur : coopération", "91 %", "des 24 pôles"),
    ("Valeur : mutualisation", "82 %", "des 24 pôles"),
    ("Valeur : lien social et solidarité", "67 %", "des 24 pôles"),
    ("Mutualisation de compétences", "79 %", "base non précisée (pôles ou structures)"),
    ("Mutualisation de connaissances", "76 %", "base non précisée (pôles ou structures)"),
    ("Mutualisation de lieux", "58 %", "base non précisée (pôles ou structures)"),
    ("Mutualisation de moyens matériels", "44 %", "base non précisée (pôles ou structures)"),
    ("Mutualisation de moyens financiers", "27 %", "base non précisée (pôles ou structures)"),
    (
        "Part des ETP consacrée à l'animation",
        "10 %",
        "des ETP investis dans les PTCE, de 0 % à 38 % selon les pôles",
    ),
)


# --- référentiel -----------------------------------------------------------------------------


def scored_poles(poles: Sequence[Pole], ref: Referentiel) -> list[Pole]:
    """Poles scored with the version of ``ref``."""
    return [p for p in poles if p.referentiel_version == ref.version and p.scores]


@dataclass(frozen=True)
class IndicatorStat:
    id: str
    label: str
    objective: str
    summary: Summary

    @property
    def mean(self) -> float | None:
        return self.summary.mean


# Classes like Annex 3 of the 2013 plan (which ranks mean importance from « moins de 4 » to
# « 5,6 et plus » on a scale it does not state), with thresholds adapted to the 1–4 scale.
SCORE_CLASSES: tuple[tuple[float, str], ...] = (
    (3.5, "3,5 et plus"),
    (3.0, "3 à 3,49"),
    (2.5, "2,5 à 2,99"),
    (2.0, "2 à 2,49"),
    (float("-inf"), "moins de 2"),
)


def score_class(mean: float) -> str:
    return next(label for threshold, label in SCORE_CLASSES if mean >= threshold)


def indicator_means(poles: Sequence[Pole], ref: Referentiel) -> list[IndicatorStat]:
    """Each indicator's mean score over the poles that scored it, ranked (highest first);
    indicators no pole scored come last with n = 0."""
    scored = scored_poles(poles, ref)
    stats = [
        IndicatorStat(
            i.id,
            i.display,
            i.objective,
            summarize([float(p.scores[i.id]) for p in scored if i.id in p.scores]),
        )
        for i in ref.indicators
    ]
    return sorted(stats, key=lambda s: (s.mean is None, -(s.mean or 0.0), s.id))


def indicator_classes(stats: Iterable[IndicatorStat]) -> list[tuple[str, list[IndicatorStat]]]:
    """Scored indicators grouped into :data:`SCORE_CLASSES` (empty classes kept, in order)."""
    groups: dict[str, list[IndicatorStat]] = {label: [] for _, label in SCORE_CLASSES}
    for stat in stats:
        if stat.mean is not None:
            groups[score_class(stat.mean)].append(stat)
    return list(groups.items())


def profiles(poles: Sequence[Pole], ref: Referentiel) -> dict[str, dict[str, float | None]]:
    """Objective profile of every scored pole: its declared scores (latest wave of answers,
    left out below the threshold of respondents), else the mean of each objective's scored
    indicators in its record (see ``participation.declared``)."""
    from ..corpus.answer_settings import Settings
    from .declared import cohort_profiles

    return cohort_profiles(poles, ref, Settings())[0]


def objective_summaries(poles: Sequence[Pole], ref: Referentiel) -> dict[str, Summary]:
    """Per principal objective: mean, median, dispersion of the poles' profiles (base n)."""
    by_pole = profiles(poles, ref)
    return {
        o.id: summarize([pr[o.id] for pr in by_pole.values() if pr[o.id] is not None])
        for o in ref.objectives
    }


# --- completeness ----------------------------------------------------------------------------


def coverage_matrix(poles: Sequence[Pole], grid: Grid) -> dict[str, dict[str, Coverage]]:
    """section id -> pole slug -> coverage (documentée / partielle / non documentée)."""
    return {s.id: {p.slug: section_coverage(p, s).status for p in poles} for s in grid.sections}


def coverage_counts(matrix: Mapping[str, Mapping[str, Coverage]]) -> dict[str, Counter[Coverage]]:
    """Per section, how many poles are in each coverage state."""
    return {section: Counter(row.values()) for section, row in matrix.items()}


# --- findings per grid category ----------------------------------------------------------------

# Record lists: the item field whose values recur across poles (None: only the count of poles).
_ITEM_FIELDS = {"structures": "statut_juridique", "ressources": "nature", "emploi": None,
                "evenements": None}  # fmt: skip


@dataclass(frozen=True)
class FieldFinding:
    """One fact of a grid section across poles: how many records give it (``n`` of ``total``)
    and the values that recur (held by at least two poles), each on the base ``n``."""

    field: str
    label: str
    n: int
    total: int
    recurrent: tuple[Share, ...] = ()
    values: int = 0  # distinct values among the n poles


def _values_of(pole: Pole, dotted: str) -> list[str]:
    spec = schema.field_at(dotted)
    value = pole.get(dotted)
    if dotted in _ITEM_FIELDS:
        key = _ITEM_FIELDS[dotted]
        items = pole.list_of(dotted)
        if key is None:
            return ["__present__"] if items else []
        item_spec = schema.field_at(f"{dotted}.0.{key}")
        vocab = item_spec.choices if item_spec is not None else None
        found = [str(i.get(key)) for i in items if _filled(i.get(key))]
        return [schema.label(vocab, v) if vocab else v for v in found] or (
            ["__present__"] if items else [])  # fmt: skip
    if not _filled(value):
        return []
    if isinstance(value, bool):
        return ["oui" if value else "non"]
    items = value if isinstance(value, list) else [value]
    vocab = None
    if spec is not None:
        vocab = spec.choices or (spec.item.choices if spec.item is not None else None)
    if spec is not None and spec.kind in ("text", "year", "int", "number", "url"):
        return ["__present__"]
    return [schema.label(vocab, str(v)) if vocab else str(v) for v in items if _filled(v)]


def field_finding(poles: Sequence[Pole], dotted: str) -> FieldFinding:
    """How many poles document ``dotted`` and which values recur among them."""
    spec = schema.field_at(dotted)
    counter: Counter[str] = Counter()
    n = 0
    for pole in poles:
        values = set(_values_of(pole, dotted))
        if values:
            n += 1
            counter.update(values - {"__present__"})
    recurrent = tuple(s for s in _ranked(counter, n, None) if s.count >= 2)
    return FieldFinding(dotted, spec.label if spec else dotted, n, len(poles), recurrent,
                        len(counter))  # fmt: skip


@dataclass(frozen=True)
class SectionFinding:
    """A grid section across poles: coverage counts and its facts."""

    section_id: str
    title: str
    number: int
    total: int
    documented: int
    partial: int
    missing: int
    facts: tuple[FieldFinding, ...]
    answered: tuple[int, ...] = ()  # per guiding question, the poles whose evidence answers it

    @property
    def with_something(self) -> int:
        return self.documented + self.partial


def section_findings(poles: Sequence[Pole], grid: Grid) -> list[SectionFinding]:
    out = []
    for section in grid.sections:
        states = Counter(section_coverage(p, section).status for p in poles)
        out.append(
            SectionFinding(
                section.id, section.title, section.number, len(poles),
                states[Coverage.DOCUMENTED], states[Coverage.PARTIAL], states[Coverage.MISSING],
                tuple(field_finding(poles, f) for f in section.fields),
                tuple(sum(1 for p in poles if answers(p, section, q)) for q in section.questions),
            )
        )  # fmt: skip
    return out


_SENTENCE_END = re.compile(r"(?<=\])\s*\.(?=\s|$)")


def quoted_sentences(text: str) -> list[str]:
    """Sentences of a narrative that quote a source (« … ») and end with its citation [@…]."""
    text = strip_evidence_markers(text)
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            sentence = " ".join(paragraph[start : match.end()].split())
            start = match.end()
            if "«" in CITATION_RE.sub("", sentence) and "[@" in sentence:
                out.append(sentence)
    return out


@dataclass(frozen=True)
class Excerpt:
    slug: str
    name: str
    section_id: str
    text: str  # a sentence of the narrative, with its [@source, passage] citations


def section_excerpts(poles: Sequence[Pole], section_id: str, limit: int = 3) -> list[Excerpt]:
    """Up to ``limit`` quoted sentences of the monographs for one section, one per pole, from
    the poles in name order (deterministic, so rebuilds give the same document)."""
    out = []
    for pole in sorted(poles, key=lambda p: p.name.lower()):
        narrative = pole.narratives.get(section_id)
        if narrative is None or narrative.is_empty:
            continue
        sentences = quoted_sentences(narrative.text)
        if sentences:
            out.append(Excerpt(pole.slug, pole.name, section_id, sentences[0]))
        if len(out) >= limit:
            break
    return out


# --- classification on the documented dimensions -------------------------------------------


@dataclass(frozen=True)
class Block:
    """A group of variables of the classification and the poles it documents."""

    id: str
    label: str
    columns: tuple[str, ...]
    rows: Mapping[str, tuple[float, ...]]  # slug -> values in [0, 1]


def _one_hot(poles: Sequence[Pole], dotted: str, vocab: Mapping[str, str], label: str) -> Block:
    rows: dict[str, tuple[float, ...]] = {}
    keys = list(vocab)
    for pole in poles:
        value = pole.get(dotted)
        values = {str(v) for v in (value if isinstance(value, list) else [value]) if _filled(v)}
        if values:
            rows[pole.slug] = tuple(1.0 if k in values else 0.0 for k in keys)
    used = [i for i, _ in enumerate(keys) if any(r[i] for r in rows.values())]
    return Block(dotted, label, tuple(vocab[keys[i]] for i in used),
                 {s: tuple(r[i] for i in used) for s, r in rows.items()})  # fmt: skip


def classification_blocks(
    poles: Sequence[Pole], ref: Referentiel, evidence: Sequence[Any] = ()
) -> list[Block]:
    """Candidate blocks: the 2014 typology's documented dimensions, then the référentiel
    profile of the poles whose members scored every objective (rescaled to 0–1).

    Coded evidence is never a variable (``evidence`` is accepted and left aside): a pole with
    no passage coded for an objective is undocumented on it, not at 0 (:data:`NOT_CLASSIFIED`).
    """
    blocks = [
        _one_hot(poles, "classification.famille_activite", schema.FAMILLES_ACTIVITE,
                 "famille d'activité"),
        _one_hot(poles, "classification.type_territoire", schema.TYPES_TERRITOIRE,
                 "type de territoire"),
        _one_hot(poles, "classification.origine", schema.ORIGINES, "origine de la coopération"),
    ]  # fmt: skip
    span = float(ref.scale.maximum - ref.scale.minimum) or 1.0
    scored = {
        slug: tuple((float(v) - ref.scale.minimum) / span for v in pr.values())  # type: ignore[arg-type]
        for slug, pr in profiles(poles, ref).items()
        if all(v is not None for v in pr.values())
    }
    blocks.append(Block("referentiel.scores", "scores du référentiel par objectif",
                        tuple(o.short_label for o in ref.objectives), scored))  # fmt: skip
    return blocks


NOT_CLASSIFIED = (
    "Les passages codés au regard du référentiel n'entrent pas dans la classification : qu'aucun "
    "passage ne soit codé pour un objectif dit où en est la documentation du pôle, pas ce qu'il "
    "est ; ce n'est pas un zéro."
)


@dataclass(frozen=True)
class PoleClustering:
    """Exploratory clustering of poles on the blocks documented for enough poles.

    Only complete cases: every pole classified documents every variable used, so no missing
    value is ever read as 0; the poles and variables left out are listed with the reason."""

    n: int
    ok: bool
    message: str
    used: tuple[Block, ...] = ()
    left_out: tuple[tuple[Block, int], ...] = ()  # block, poles it documents
    slugs: tuple[str, ...] = ()
    linkage: Any = None
    groups: dict[str, int] = field(default_factory=dict)
    # pole slug -> labels of the variables used that its record does not document
    left_out_poles: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def variables(self) -> int:
        return sum(len(b.columns) for b in self.used)


def cluster_poles(
    poles: Sequence[Pole], ref: Referentiel, evidence: Sequence[Any] = (),
    min_poles: int = MIN_CLUSTER_POLES,
) -> PoleClustering:  # fmt: skip
    """Average-linkage clustering on a Gower-like distance (mean absolute difference of 0–1
    variables) over the poles documented on every block used. Blocks are taken in order and
    kept while at least ``min_poles`` poles remain documented on all of them; under that, no
    clustering, and a French sentence says why."""
    chosen: list[Block] = []
    left_out: list[tuple[Block, int]] = []
    members: set[str] | None = None
    for block in classification_blocks(poles, ref, evidence):
        documented = set(block.rows)
        together = documented if members is None else members & documented
        if block.columns and len(together) >= min_poles:
            chosen.append(block)
            members = together
        else:
            left_out.append((block, len(documented if members is None else together)))
    slugs = tuple(sorted(members or ()))
    n = len(slugs)
    if n < min_poles or not chosen:
        best = max((k for _, k in left_out), default=0)
        return PoleClustering(
            best, False,
            f"Aucune dimension n'est documentée pour au moins {min_poles} pôles à la fois "
            f"(au mieux n = {best}) : en dessous de {min_poles} pôles, une classification "
            "regrouperait des cas isolés et ne dirait rien de plus que leur liste ; elle n'est "
            "donc pas calculée.",
            (), tuple(left_out),
        )  # fmt: skip
    from scipy.cluster.hierarchy import fcluster, linkage

    matrix = [[v for b in chosen for v in b.rows[s]] for s in slugs]
    tree = linkage(matrix, method="average", metric="cityblock")
    width = sum(len(b.columns) for b in chosen)
    tree[:, 2] = tree[:, 2] / width  # mean absolute difference per variable (0 to 1)
    k = 3 if n >= 8 else 2
    labels = fcluster(tree, t=k, criterion="maxclust")
    used = ", ".join(f"{b.label} ({len(b.columns)} modalités)" for b in chosen)
    outside = tuple(
        (p.slug, tuple(b.label for b in chosen if p.slug not in b.rows))
        for p in poles
        if p.slug not in members  # type: ignore[operator]
    )
    return PoleClustering(
        n, True,
        f"Classification exploratoire de {n} pôles sur {width} variables : {used}. Seuls les "
        "pôles dont la fiche documente toutes ces variables sont classés : aucune valeur "
        "manquante n'est comptée comme un zéro. Méthode : classification ascendante "
        "hiérarchique (lien moyen) sur la part des variables qui diffèrent entre deux pôles, "
        f"coupée en {k} groupes au plus ; une piste de lecture, pas une typologie établie.",
        tuple(chosen), tuple(left_out), slugs, tree,
        {s: int(g) for s, g in zip(slugs, labels, strict=True)}, outside,
    )  # fmt: skip


# --- the référentiel from coded evidence -----------------------------------------------------


def evidence_matrix(evidence: Sequence[Any], ref: Referentiel) -> dict[str, dict[str, int]]:
    """pole slug -> principal objective -> passages coded for it, each passage once per
    objective whatever its indicators (poles with none left out)."""
    from .evidence import passage_key

    out: dict[str, dict[str, int]] = {}
    seen: set[tuple[Any, ...]] = set()
    for item in evidence:
        row = out.setdefault(str(item.pole), {o.id: 0 for o in ref.objectives})
        key = (*passage_key(item), item.objective)
        if item.objective in row and key not in seen:
            seen.add(key)
            row[item.objective] += 1
    return out


def poles_with_evidence(
    matrix: Mapping[str, Mapping[str, int]], ref: Referentiel
) -> dict[str, int]:
    """Per principal objective, the poles with at least one piece of evidence for it."""
    return {o.id: sum(1 for row in matrix.values() if row.get(o.id)) for o in ref.objectives}
