"""Which guiding questions and grid sections are documented for a pole. Pure functions.

:func:`section_coverage` is the one evidence rule of the project: monographs (« État de la
documentation »), ``status``, ``validate``, the site's counts and the transversal analysis all
call it, and counts are always given per status (:func:`describe_counts`), never as one
« documented » figure. :data:`RULE` says it in French for the methodology.

A guiding question is **answered** when the pole's own evidence answers it (:func:`answers`):

- a fact of its record named by the question (``champs`` of the grid), except a label
  (:data:`LABEL_FIELDS`: being a « pôle témoin » says nothing of the pole itself);
- a passage of its narrative declared as answering it (``questions:`` of the narrative);
- a published interview excerpt coded with the question (``origine-2``…);
- its accounts (``comptes.yaml``): the products of a year answer the resources questions, the
  FTE of a year the jobs questions (:data:`ACCOUNT_FIELDS`).

A section is **documentée** when all its questions are answered, **partielle** when at least one
is, **à documenter** otherwise. A narrative that answers no question (a statement about PTCE in
general, the context of a source) lifts nothing. The scores members declare in the référentiel
questionnaire answer no guiding question of the grid: they are shown apart, as « déclaré ».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..core.fr import agree, format_number
from ..corpus.grid import Grid, Question, Section
from ..corpus.records import Pole


class Coverage(Enum):
    DOCUMENTED = "documentée"
    PARTIAL = "partielle"
    MISSING = "à documenter"


def is_filled(value: Any) -> bool:
    return value not in (None, "", [], {})


# Fields that name a label given to the pole by others, never evidence of the pole itself.
LABEL_FIELDS = frozenset({"statut.pole_temoin_2012"})
# Record fields the pole's accounts stand for (see ``Pole.account_fields``).
ACCOUNT_FIELDS = frozenset({"ressources", "emploi"})

FACT = "fiche"
NARRATIVE = "récit"
INTERVIEW = "entretien"
ACCOUNTS = "comptes"

RULE = (
    "Une question directrice est documentée quand une donnée propre au pôle y répond : un fait "
    "de sa fiche, un passage de son récit ou d'un entretien codé pour cette question, ses "
    "comptes (ressources, emplois). Une section est *documentée* quand toutes ses questions le "
    "sont, *partielle* quand au moins une l'est, *à documenter* sinon. Un propos sur les PTCE en "
    "général, ou une étiquette du pôle (« pôle témoin »), ne répond à aucune question. Les scores "
    "que les membres déclarent au questionnaire du référentiel restent à part (*déclaré*) : ils "
    "ne répondent à aucune question de la grille."
)


def answers(pole: Pole, section: Section, question: Question) -> tuple[str, ...]:
    """What of the pole's own evidence answers ``question`` (FACT, NARRATIVE, INTERVIEW,
    ACCOUNTS), in that order; empty when the question is open."""
    kinds = []
    if any(f not in LABEL_FIELDS and is_filled(pole.get(f)) for f in question.fields):
        kinds.append(FACT)
    narrative = pole.narratives.get(section.id)
    if narrative is not None and not narrative.is_empty and question.id in narrative.questions:
        kinds.append(NARRATIVE)
    if pole.coded_questions.get(question.id):
        kinds.append(INTERVIEW)
    if any(f in pole.account_fields for f in question.fields):
        kinds.append(ACCOUNTS)
    return tuple(kinds)


def question_documented(pole: Pole, section: Section, question: Question) -> bool:
    """A question is documented when the pole's own evidence answers it (:func:`answers`)."""
    return bool(answers(pole, section, question))


@dataclass(frozen=True)
class SectionCoverage:
    section: Section
    status: Coverage
    has_narrative: bool  # a narrative text or retained excerpts: shown, but answers nothing alone
    documented: tuple[Question, ...]
    undocumented: tuple[Question, ...]


def section_coverage(pole: Pole, section: Section) -> SectionCoverage:
    narrative = pole.narratives.get(section.id)
    has_text = (narrative is not None and not narrative.is_empty) or bool(
        pole.voices.get(section.id)
    )
    done = tuple(q for q in section.questions if question_documented(pole, section, q))
    missing = tuple(q for q in section.questions if q not in done)
    if done and not missing:
        status = Coverage.DOCUMENTED
    elif done:
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
