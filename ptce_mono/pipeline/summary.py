"""A short summary of the corpus: poles, sections documented, facts cited."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.coverage import StatusCounts, corpus_counts, describe_counts
from ..checks.validate import ValidationReport, cited_facts, filled_facts
from ..core.fr import format_number
from ..core.paths import ProjectPaths


@dataclass(frozen=True)
class CorpusSummary:
    poles: int
    valid_poles: int
    sections_total: int
    sections: StatusCounts
    facts_filled: int
    facts_cited: int
    errors: int
    warnings: int
    fictional: int = 0  # demonstration poles (fictif: true), never PTCE


def corpus_summary(paths: ProjectPaths, report: ValidationReport) -> CorpusSummary:
    grid = report.grid
    sections = len(grid.sections) if grid else 0
    counts = corpus_counts(report.poles, grid) if grid else StatusCounts()
    filled = cited = 0
    for pole in report.poles:
        facts = filled_facts(pole)
        filled += len(facts)
        cited += len(set(facts) & cited_facts(pole))
    return CorpusSummary(
        poles=len(report.poles),
        valid_poles=len(report.poles) - len(report.invalid_slugs()),
        sections_total=sections * len(report.poles),
        sections=counts,
        facts_filled=filled,
        facts_cited=cited,
        errors=len(report.errors),
        warnings=len(report.warnings),
        fictional=sum(1 for p in report.poles if p.fictional),
    )


def format_summary(s: CorpusSummary) -> str:
    n = format_number
    fictional = (
        f", dont {n(s.fictional)} fictif{'s' if s.fictional > 1 else ''} de démonstration"
        if s.fictional
        else ""
    )
    return "\n".join(
        [
            f"Pôles : {n(s.poles)} ({n(s.valid_poles)} valide{'s' if s.valid_poles > 1 else ''}"
            f"{fictional})",
            f"Sections : {describe_counts(s.sections)}",
            f"Faits renseignés : {n(s.facts_filled)}, dont {n(s.facts_cited)} sourcés",
            f"Erreurs : {n(s.errors)} ; avertissements : {n(s.warnings)}",
        ]
    )
