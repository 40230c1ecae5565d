"""Which guiding questions and grid sections are documented for a pole. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .grid import Grid, Question, Section
from .records import Pole


class Coverage(Enum):
    DOCUMENTED = "documentée"
    PARTIAL = "partielle"
    MISSING = "non documentée"


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
    has_text = narrative is not None and not narrative.is_empty
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


def documented_count(pole: Pole, grid: Grid) -> int:
    """Sections with a narrative or at least one documented question."""
    return sum(1 for c in pole_coverage(pole, grid) if c.status is not Coverage.MISSING)
