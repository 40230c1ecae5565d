"""Which guiding questions and grid sections are documented for a pole. Pure functions.

:func:`section_coverage` is the one status rule of the project: monographs (« État de la
documentation »), ``status``, the site's counts and the transversal analysis all call it, and
counts are always given per status (:func:`describe_counts`), never as one « documented » figure.

- **documentée**: the section has a narrative and every guiding question is documented;
- **partielle**: a narrative, or at least one documented question, but not both conditions above;
- **à documenter**: neither narrative nor fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .fr import agree, format_number
from .grid import Grid, Question, Section
from .records import Pole


class Coverage(Enum):
    DOCUMENTED = "documentée"
    PARTIAL = "partielle"
    MISSING = "à documenter"


def is_filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def question_documented(pole: Pole, section: Section, question: Question) -> bool:
    """A question is documented when the narrative says it answers it, or one of its fields is filled."""
    narrative = pole.narratives.get(section.id)
    if narrative is not None and not narrative.is_empty and question.id in narrative.questions:
        return True
    return any(is_filled(pole.get(f)) for f in question.fields)


@dataclass(frozen=True)
class SectionCoverage:
    section: Section
    status: Coverage
    has_narrative: bool
    documented: tuple[Question, ...]
    undocumented: tuple[Question, ...]


def section_coverage(pole: Pole, section: Section) -> SectionCoverage:
    narrative = pole.narratives.get(section.id)
    # Retained interview excerpts (« Paroles d'acteurs ») document a section like a narrative.
    has_text = (narrative is not None and not narrative.is_empty) or bool(
        pole.voices.get(section.id)
    )
    done = tuple(q for q in section.questions if question_documented(pole, section, q))
    missing = tuple(q for q in section.questions if q not in done)
    if has_text and not missing:
        status = Coverage.DOCUMENTED
    elif has_text or done:
        status = Coverage.PARTIAL
    else:
        status = Coverage.MISSING
    return SectionCoverage(section, status, has_text, done, missing)


def pole_coverage(pole: Pole, grid: Grid) -> list[SectionCoverage]:
    return [section_coverage(pole, s) for s in grid.sections]


@dataclass(frozen=True)
class StatusCounts:
    """How many sections are in each status (for one pole or a corpus)."""

    documented: int = 0
    partial: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.documented + self.partial + self.missing

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            self.documented + other.documented,
            self.partial + other.partial,
            self.missing + other.missing,
        )

    def of(self, status: Coverage) -> int:
        return {
            Coverage.DOCUMENTED: self.documented,
            Coverage.PARTIAL: self.partial,
            Coverage.MISSING: self.missing,
        }[status]


def count_statuses(coverages: Iterable[SectionCoverage]) -> StatusCounts:
    statuses = [c.status for c in coverages]
    return StatusCounts(
        statuses.count(Coverage.DOCUMENTED),
        statuses.count(Coverage.PARTIAL),
        statuses.count(Coverage.MISSING),
    )


def pole_counts(pole: Pole, grid: Grid) -> StatusCounts:
    return count_statuses(pole_coverage(pole, grid))


def corpus_counts(poles: Iterable[Pole], grid: Grid) -> StatusCounts:
    total = StatusCounts()
    for pole in poles:
        total = total + pole_counts(pole, grid)
    return total


def describe_counts(counts: StatusCounts) -> str:
    """« 2 documentées, 82 partielles et 91 à documenter, sur 175 sections »."""
    n = format_number
    parts = [
        f"{n(counts.documented)} {agree(counts.documented, 'documentée')}",
        f"{n(counts.partial)} {agree(counts.partial, 'partielle')}",
        f"{n(counts.missing)} à documenter",
    ]
    return (
        f"{parts[0]}, {parts[1]} et {parts[2]}, "
        f"sur {n(counts.total)} {agree(counts.total, 'section')}"
    )


def documented_count(pole: Pole, grid: Grid) -> int:
    """Sections whose status is « documentée » (never partial ones: see :func:`describe_counts`)."""
    return pole_counts(pole, grid).documented
