"""Evidence coded against the référentiel: markers in narratives, ``referentiel:`` on facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.analysis.coverage import Coverage, corpus_counts, describe_counts, pole_coverage
from ptce_mono.analysis.evidence import (
    FACT,
    NARRATIVE,
    READING,
    corpus_evidence,
    counts_by_objective,
    narrative_markers,
    pole_evidence,
    split_ids,
)
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus, strip_evidence_markers
from ptce_mono.corpus.referentiel import DEFAULT_VERSION

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo():
    return load_corpus(ProjectPaths.at(REPO))


def test_marker_syntax() -> None:
    assert split_ids(" a1, b2 ; c ") == ("a1", "b2", "c")
    text = "Un lieu partagé [@x, p. 2]. {réf. a1, e}\n\nSuite. {ref. b}"
    assert strip_evidence_markers(text) == "Un lieu partagé [@x, p. 2].\n\nSuite."


def test_fictional_pole_evidence_from_narratives_and_facts(project) -> None:
    corpus = load_corpus(project)
    pole = corpus.pole("vallons-fictifs")
    ref = corpus.referentiels[DEFAULT_VERSION]
    # the marker is gone from what readers see, and kept with its line for the researcher
    assert "{réf." not in pole.narratives["structuration"].text
    [marker] = narrative_markers(pole.narratives["structuration"])
    lines = marker.path.read_text(encoding="utf-8").splitlines()
    assert lines[marker.line - 1].endswith("{réf. a1, e}") and marker.final
    evidence = pole_evidence(pole, ref, corpus.grid)
    got = sorted((e.origin, e.section, e.objective, e.indicator) for e in evidence)
    assert got == [
        (FACT, "gouvernance", "c", "c1"),
        (NARRATIVE, "gouvernance", "f", "f1"),
        (NARRATIVE, "structuration", "a", "a1"),
        (NARRATIVE, "structuration", "e", None),
    ]
    fact = next(e for e in evidence if e.origin == FACT)
    assert fact.field == "gouvernance.role_collectivites"
    assert fact.text == "Rôle des collectivités : Facilitateur"
    assert fact.citations == (("rapport-fictif-2016", "fiche vallons-fictifs"),)
    assert all(e.reading == READING for e in evidence)
    counts = counts_by_objective(evidence, ref)
    assert list(counts) == list("abcdefghi")
    assert (counts["a"], counts["c"], counts["e"], counts["f"], counts["b"]) == (1, 1, 1, 1, 0)


def test_at_least_eight_demo_poles_carry_coded_evidence_with_quoted_passages(demo) -> None:
    evidence = corpus_evidence(demo.poles, demo.referentiels, demo.grid, DEFAULT_VERSION)
    coded = {e.pole for e in evidence}
    assert len(coded) >= 8, sorted(coded)
    for item in evidence:
        if item.origin == "entretien":  # fieldwork: who spoke and when, not a document
            assert item.role and item.date, item
            continue
        assert item.citations, item  # every coded passage cites its source
        if item.origin == NARRATIVE:
            assert item.quotes, item  # and quotes it, verbatim, between « »
            narrative = next(
                n for n in demo.pole(item.pole).narratives.values() if n.path == item.path
            )
            assert all(q in narrative.text for q in item.quotes)


def test_the_best_documented_demo_poles_are_coded(demo) -> None:
    """The 8 poles with the most documented or partial sections all carry evidence."""
    evidence = corpus_evidence(demo.poles, demo.referentiels, demo.grid, DEFAULT_VERSION)
    coded = {e.pole for e in evidence}

    def weight(pole) -> tuple[int, int]:
        statuses = [c.status for c in pole_coverage(pole, demo.grid)]
        return (statuses.count(Coverage.DOCUMENTED), statuses.count(Coverage.PARTIAL))

    ranked = sorted((p for p in demo.poles if not p.fictional), key=weight, reverse=True)
    cutoff = weight(ranked[7])
    best = [p.slug for p in ranked if weight(p) > cutoff]
    assert set(best) <= coded, sorted(set(best) - coded)


def test_one_status_rule_counts_every_status_apart(demo) -> None:
    counts = corpus_counts(demo.poles, demo.grid)
    assert counts.total == 7 * len(demo.poles)
    text = describe_counts(counts)
    assert text.startswith(f"{counts.documented} documentée")
    assert f"{counts.partial} partielle" in text and f"{counts.missing} à documenter" in text
