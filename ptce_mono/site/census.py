"""The « Recensement 2011 » page: rows, filter options and comparison of the census, computed
from :mod:`ptce_mono.corpus.census`. Pure functions, no HTML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..corpus.census import Census, RegionComparison, compare_counts, count_by_region_2016
from ..corpus.schema import LECTURES
from .model import sort_key

NATIONAL_LABEL = "National (sans région)"


@dataclass(frozen=True)
class CensusRow:
    rank: int
    region: str  # 2016 région, "" for national initiatives
    region_printed: str
    name: str
    carrier: str
    carrier_note: str
    pole_slug: str
    pole_name: str
    reading: str
    note: str

    @property
    def region_value(self) -> str:
        return self.region or "national"

    @property
    def linked(self) -> bool:
        return bool(self.pole_slug)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def census_rows(census: Census, pole_names: Mapping[str, str]) -> list[CensusRow]:
    """One row per initiative, in the order of the annex; the link to a pole of the corpus
    only when that pole is in the corpus."""
    rows = []
    for item in census.initiatives:
        linked = item.pole if item.pole in pole_names else ""
        rows.append(
            CensusRow(
                rank=item.rank,
                region=item.region,
                region_printed=item.region_printed,
                name=item.name,
                carrier=item.carrier,
                carrier_note="nom de personne non reproduit" if item.carrier_omitted else "",
                pole_slug=linked,
                pole_name=pole_names.get(linked, ""),
                reading=f"lecture du projet : {LECTURES[item.pole_reading]}"
                if linked and item.pole_reading in LECTURES
                else "",
                note=item.pole_note if linked else "",
            )
        )
    return rows


def region_options(rows: list[CensusRow]) -> list[Option]:
    """2016 régions present in the census (alphabetical), then the national initiatives."""
    regions = sorted({r.region for r in rows if r.region}, key=sort_key)
    options = [Option(r, r) for r in regions]
    if any(not r.region for r in rows):
        options.append(Option("national", NATIONAL_LABEL))
    return options


def comparison_rows(
    census: Census, temoins: Mapping[str, int] | None = None
) -> list[RegionComparison]:
    """Annex 2 against § 2.2 per région, with the pôles témoins per pre-2016 région for the
    project's reading that Annex 2 leaves them out."""
    return compare_counts(census, temoins)


def region_classes(census: Census) -> dict[str, str]:
    """2016 région -> CSS class of its number of initiatives (map legend: 1–4, 5–9, 10–19, 20+)."""
    out = {}
    for region, n in count_by_region_2016(census).items():
        out[region] = css_class(n)
    return out


CLASSES = (("recensement-1", 1, 4), ("recensement-2", 5, 9), ("recensement-3", 10, 19),
           ("recensement-4", 20, None))  # fmt: skip


def css_class(n: int) -> str:
    for name, low, high in CLASSES:
        if n >= low and (high is None or n <= high):
            return name
    return ""


def legend() -> list[tuple[str, str]]:
    """(CSS class, label) of each class of the census map."""
    return [(name, f"{low} à {high} initiatives" if high else f"{low} initiatives et plus")
            for name, low, high in CLASSES]  # fmt: skip
