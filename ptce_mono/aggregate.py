"""Cross-pole statistics of the transversal analysis. Pure functions on a list of poles.

Every result carries its base ``n`` (number of poles, and of structures where relevant), so that
nothing is shown without the number it rests on. A base under :data:`LOW_BASE` poles is labelled
« effectif trop faible (n = 2) » by :func:`low_base_note`, never hidden nor shown silently.
Facts missing from a record are left out of the base: a sparse corpus gives n = 0, not an error.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import schema
from .coverage import Coverage, section_coverage
from .fr import UNDOCUMENTED
from .grid import Grid
from .records import Pole
from .referentiel import Referentiel

LOW_BASE = 3
MIN_CLUSTER_POLES = 5
TERRITORY_JOIN = " + "


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
    ("Mutualisation de compétences", "79 %", "des pôles"),
    ("Mutualisation de connaissances", "76 %", "des pôles"),
    ("Mutualisation de lieux", "58 %", "des pôles"),
    ("Mutualisation de moyens matériels", "44 %", "des pôles"),
    ("Mutualisation de moyens financiers", "27 %", "des pôles"),
    ("Part des ETP consacrée à l'animation", "10 %", "de 0 % à 38 % selon les pôles"),
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
    from .participation.declared import cohort_profiles
    from .participation.settings import Settings

    return cohort_profiles(poles, ref, Settings())[0]


def objective_summaries(poles: Sequence[Pole], ref: Referentiel) -> dict[str, Summary]:
    """Per principal objective: mean, median, dispersion of the poles' profiles (base n)."""
    by_pole = profiles(poles, ref)
    return {
        o.id: summarize([pr[o.id] for pr in by_pole.values() if pr[o.id] is not None])
        for o in ref.objectives
    }


# --- typology --------------------------------------------------------------------------------


def _territory_label(pole: Pole) -> str:
    types = pole.get("classification.type_territoire") or []
    if not isinstance(types, list) or not types:
        return UNDOCUMENTED
    return TERRITORY_JOIN.join(schema.label(schema.TYPES_TERRITOIRE, str(t)) for t in types)


def typology(poles: Sequence[Pole]) -> list[tuple[str, str, str, int]]:
    """Counts of poles by (activity family, territory type(s), origin): each pole counted once,
    several territory types joined with « + »; undocumented facts read « non documenté »."""

    def lab(vocabulary: dict[str, str], value: Any) -> str:
        return schema.label(vocabulary, str(value)) if _filled(value) else UNDOCUMENTED

    counter = Counter(
        (
            lab(schema.FAMILLES_ACTIVITE, p.get("classification.famille_activite")),
            _territory_label(p),
            lab(schema.ORIGINES, p.get("classification.origine")),
        )
        for p in poles
    )
    return sorted(((*k, v) for k, v in counter.items()), key=lambda r: (-r[3], r[:3]))


@dataclass(frozen=True)
class Clustering:
    """Exploratory Ward clustering of objective profiles (``ok`` False when too few poles)."""

    n: int
    ok: bool
    message: str
    slugs: tuple[str, ...] = ()
    linkage: Any = None
    groups: dict[str, int] = field(default_factory=dict)


def cluster_profiles(
    poles: Sequence[Pole], ref: Referentiel, min_poles: int = MIN_CLUSTER_POLES
) -> Clustering:
    """Ward clustering (scipy) on complete objective profiles; poles lacking an objective are
    left out. Under ``min_poles`` poles, no clustering: a French sentence says why."""
    complete = {
        slug: pr
        for slug, pr in profiles(poles, ref).items()
        if all(v is not None for v in pr.values())
    }
    n = len(complete)
    if n < min_poles:
        return Clustering(
            n, False,
            f"Trop peu de pôles notés sur tous les objectifs (n = {n}) pour qu'une "
            f"classification ait un sens : il en faut au moins {min_poles}. "
            "Aucune classification n'est donc proposée.",
        )  # fmt: skip
    from scipy.cluster.hierarchy import fcluster, linkage

    slugs = tuple(sorted(complete))
    matrix = [[float(complete[s][o.id]) for o in ref.objectives] for s in slugs]  # type: ignore[arg-type]
    tree = linkage(matrix, method="ward")
    k = 3 if n >= 8 else 2
    labels = fcluster(tree, t=k, criterion="maxclust")
    return Clustering(
        n, True,
        f"Classification exploratoire de {n} pôles (méthode de Ward sur les profils par "
        f"objectif, {k} groupes au plus) : une piste de lecture, pas une typologie établie.",
        slugs, tree, {s: int(g) for s, g in zip(slugs, labels, strict=True)},
    )  # fmt: skip


# --- completeness ----------------------------------------------------------------------------


def coverage_matrix(poles: Sequence[Pole], grid: Grid) -> dict[str, dict[str, Coverage]]:
    """section id -> pole slug -> coverage (documentée / partielle / non documentée)."""
    return {s.id: {p.slug: section_coverage(p, s).status for p in poles} for s in grid.sections}


def coverage_counts(matrix: Mapping[str, Mapping[str, Coverage]]) -> dict[str, Counter[Coverage]]:
    """Per section, how many poles are in each coverage state."""
    return {section: Counter(row.values()) for section, row in matrix.items()}
