"""The rule modules against tables of synthetic cases whose expected values are written by hand
here, never computed by the code under test: section status (coverage), scores, quartiles and
divergences, wave comparison, census checks, the typology's recomputed figures and the site's
HTML sanitizer.

These are the tests ``make mutation`` runs against each rule module (``scripts/mutation.py``).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from ptce_mono.analysis.coverage import (
    Coverage,
    StatusCounts,
    corpus_counts,
    describe_counts,
    documented_count,
    is_filled,
    section_coverage,
)
from ptce_mono.analysis.scores import (
    LOW_BASE,
    Stat,
    WaveScores,
    cohort_stats,
    describe,
    divergences,
    respondent_objectives,
    wave_scores,
)
from ptce_mono.analysis.typology import cell
from ptce_mono.analysis.waves import compare_waves
from ptce_mono.core.errors import CensusError
from ptce_mono.core.yamlio import LoadedYaml, MarkdownDoc
from ptce_mono.corpus.answer_settings import Settings
from ptce_mono.corpus.answer_store import Respondent, Wave
from ptce_mono.corpus.census import (
    Census,
    Initiative,
    RegionCount,
    census_refusal,
    compare_counts,
    count_by_region_2016,
    load_census,
    national_count,
    read_census,
    table_rows,
    table_schema,
)
from ptce_mono.corpus.grid import Grid, Question, Section
from ptce_mono.corpus.records import Narrative, Pole
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.site.sanitize import clean_fragment, clean_text_html, markdown_to_html
from tests.conftest import REPO

HERE = Path("synthetique")

# --- section status (coverage.section_coverage) -------------------------------------------------

Q1 = Question("q1", "Première question ?", ("identite.a",))
Q2 = Question("q2", "Deuxième question ?", ("identite.b",))
SECTION = Section("origine", 1, "Origine", "", (Q1, Q2), ("identite.a", "identite.b"), ())
OTHER = Section("gouvernance", 2, "Gouvernance", "", (), (), ())
GRID = Grid("1", "Grille", "", {}, (SECTION, OTHER))


def pole(
    text: str | None = None,
    questions: tuple[str, ...] = (),
    facts: dict[str, Any] | None = None,
    voices: dict[str, int] | None = None,
    slug: str = "pole-synthetique",
) -> Pole:
    narratives = {}
    if text is not None:
        doc = MarkdownDoc(HERE / "origine.md", {"questions": list(questions)}, text, 1)
        narratives["origine"] = Narrative("origine", HERE / "origine.md", doc)
    facts = {"identite": facts or {}}
    return Pole(slug, HERE, facts, LoadedYaml(HERE / "pole.yaml", facts), narratives,
                voices=voices or {})  # fmt: skip


D, P, M = Coverage.DOCUMENTED, Coverage.PARTIAL, Coverage.MISSING
COVERAGE_CASES = [
    # (narrative text, questions it answers, facts, excerpts per section) → status, documented.
    # The evidence rule (issue 22): documentée when every question is answered, partielle when
    # one is, à documenter otherwise; a text answering no question documents nothing.
    (None, (), {}, {}, M, ()),
    ("Un récit.", (), {}, {}, M, ()),  # a text that answers no question documents nothing
    ("Un récit.", ("q1",), {}, {}, P, ("q1",)),
    ("Un récit.", ("q1", "q2"), {}, {}, D, ("q1", "q2")),
    ("Un récit.", ("q1",), {"b": "oui"}, {}, D, ("q1", "q2")),
    (None, (), {"a": "oui", "b": "oui"}, {}, D, ("q1", "q2")),  # every question answered
    (None, (), {"a": "oui"}, {}, P, ("q1",)),
    ("<!-- une question de guidage -->", ("q1", "q2"), {}, {}, M, ()),
    ("<!-- note -->", ("q1",), {"b": 1}, {}, P, ("q2",)),
    (None, (), {"a": "x", "b": "y"}, {"origine": 2}, D, ("q1", "q2")),
    (None, (), {}, {"origine": 1}, M, ()),  # an excerpt of the section answers no question
    (None, (), {"a": "x", "b": "y"}, {"origine": 0}, D, ("q1", "q2")),
    (None, (), {"a": "x", "b": "y"}, {"gouvernance": 3}, D, ("q1", "q2")),
    (None, (), {"a": "", "b": []}, {}, M, ()),
    (None, (), {"a": {}, "b": None}, {}, M, ()),
    (None, (), {"a": 0, "b": False}, {}, D, ("q1", "q2")),
    ("Un récit.", ("q3",), {}, {}, M, ()),
]


@pytest.mark.parametrize(("text", "questions", "facts", "voices", "status", "done"), COVERAGE_CASES)
def test_section_status_table(text, questions, facts, voices, status, done) -> None:
    result = section_coverage(pole(text, questions, facts, voices), SECTION)
    assert result.section is SECTION
    assert result.status is status
    assert tuple(q.id for q in result.documented) == done
    assert tuple(q.id for q in result.undocumented) == tuple(
        q for q in ("q1", "q2") if q not in done
    )
    assert result.has_narrative is (text == "Un récit." or bool((voices or {}).get("origine")))


@pytest.mark.parametrize(
    ("value", "filled"),
    [(None, False), ("", False), ([], False), ({}, False), (0, True), ("0", True), ([0], True)],
)
def test_what_counts_as_a_filled_field(value, filled) -> None:
    assert is_filled(value) is filled


def test_counts_per_status_for_a_pole_and_a_corpus() -> None:
    # origine documented, gouvernance (no question) without narrative → à documenter
    full = pole("Un récit.", ("q1", "q2"))
    empty = pole(slug="autre")
    assert documented_count(full, GRID) == 1
    assert corpus_counts([full, empty], GRID) == StatusCounts(1, 0, 3)
    assert StatusCounts(1, 2, 3) + StatusCounts(10, 20, 30) == StatusCounts(11, 22, 33)
    assert StatusCounts(1, 2, 3).total == 6
    counts = StatusCounts(4, 5, 6)
    assert [counts.of(s) for s in (D, P, M)] == [4, 5, 6]


@pytest.mark.parametrize(
    ("counts", "text"),
    [
        (StatusCounts(1, 0, 2), "1 documentée, 0 partielle et 2 à documenter, sur 3 sections"),
        (StatusCounts(2, 82, 91), "2 documentées, 82 partielles et 91 à documenter, sur 175 sections"),
        (StatusCounts(0, 1, 0), "0 documentée, 1 partielle et 0 à documenter, sur 1 section"),
        (StatusCounts(1200, 0, 0),
         "1\u202f200 documentées, 0 partielle et 0 à documenter, sur 1\u202f200 sections"),
    ],
)  # fmt: skip
def test_counts_are_described_per_status(counts, text) -> None:
    assert describe_counts(counts) == text


# --- scores, quartiles, divergences (participation.scores) -------------------------------------

REF = load_referentiel(REPO / "data" / "referentiels", "2012")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], Stat(0)),
        ([5], Stat(1, 5.0, 5.0, 5.0, 5.0, 5.0)),
        ([1, 2, 3, 4], Stat(4, 2.5, 1.75, 3.25, 1.0, 4.0)),
        ([3, 1, 2], Stat(3, 2.0, 1.5, 2.5, 1.0, 3.0)),
        ([2, 2], Stat(2, 2.0, 2.0, 2.0, 2.0, 2.0)),
        ([1, 1, 1, 5], Stat(4, 1.0, 1.0, 2.0, 1.0, 5.0)),
        ([1 / 3, 2 / 3], Stat(2, 0.5, 0.4167, 0.5833, 1 / 3, 2 / 3)),
        ([0, 1 / 3], Stat(2, 0.1667, 0.0833, 0.25, 0.0, 1 / 3)),
    ],
)
def test_describe_gives_n_median_quartiles_and_extremes(values, expected) -> None:
    assert describe(values) == expected


def respondent(rid: str, category: str, **answers: int | None) -> Respondent:
    return Respondent(rid, category, None, None, "papier", answers)


def test_one_respondent_weighs_one_per_objective() -> None:
    # « ne sait pas » (None) and blanks are left out of the mean
    r = respondent("r1", "salarie", a1=4, a2=None, a3=2, b1=5)
    assert respondent_objectives(r, REF) == {"a": 3.0, "b": 5.0}


def cats(**medians: tuple[int, float | None]) -> dict[str, dict[str, Stat]]:
    """category → objective « a » with (n, median); other objectives empty."""
    return {
        c: {o.id: (Stat(n, m) if o.id == "a" else Stat(0)) for o in REF.objectives}
        for c, (n, m) in medians.items()
    }


@pytest.mark.parametrize(
    ("by_category", "settings", "expected"),
    [
        (cats(elus=(2, 2.0), salaries=(2, 3.0)), Settings(), [("a", "salaries", 3.0, "elus", 2.0)]),
        (cats(elus=(2, 2.0), salaries=(2, 2.99)), Settings(), []),
        (cats(elus=(2, 4.0), salaries=(2, 1.0)), Settings(), [("a", "elus", 4.0, "salaries", 1.0)]),
        (cats(elus=(1, 1.0), salaries=(2, 4.0)), Settings(), []),
        (cats(elus=(1, 1.0), salaries=(2, 4.0)), Settings(category_minimum=1),
         [("a", "salaries", 4.0, "elus", 1.0)]),
        (cats(elus=(2, None), salaries=(2, 4.0)), Settings(), []),
        (cats(salaries=(5, 4.0)), Settings(), []),
        (cats(a=(2, 1.0), b=(2, 2.0), c=(2, 3.5)), Settings(), [("a", "c", 3.5, "a", 1.0)]),
        (cats(elus=(2, 2.0), salaries=(2, 3.0)), Settings(divergence=1.5), []),
        (cats(elus=(3, 2.0), salaries=(3, 2.5)), Settings(divergence=0.5),
         [("a", "salaries", 2.5, "elus", 2.0)]),
    ],
)  # fmt: skip
def test_divergence_rule(by_category, settings, expected) -> None:
    found = divergences(by_category, REF, settings)
    assert [(d.objective, d.high, d.high_median, d.low, d.low_median) for d in found] == expected
    assert [d.gap for d in found] == [round(e[2] - e[4], 4) for e in expected]


def test_wave_scores_by_hand() -> None:
    people = (
        respondent("r1", "elus", a1=1, a2=1, b1=None),
        respondent("r2", "elus", a1=2, a2=2),
        respondent("r3", "salaries", a1=4, a2=4, b1=3),
        respondent("r4", "salaries", a1=5, a2=3),
    )
    scores = wave_scores(Wave("pole-x", "2025-03", "2012", people), REF, Settings())
    assert scores.respondents == 4 and scores.sufficient and scores.status == ""
    assert scores.indicators["a1"] == Stat(4, 3.0, 1.75, 4.25, 1.0, 5.0)
    # b1: one answer, under the minimum of respondents: counted, never shown (issue 25)
    assert scores.indicators["b1"] == Stat(1)
    # per respondent means on a: 1, 2, 4, 4 → median 3, quartiles 1.75 and 4
    assert scores.objectives["a"] == Stat(4, 3.0, 1.75, 4.0, 1.0, 4.0)
    # two categories of 2, under seuil_categorie (3): pooled they would be the whole pole,
    # so no category is shown and nothing diverges
    assert scores.category_counts == {} and scores.by_category == {}
    assert scores.divergences == ()
    assert scores.dont_know["b1"] == 1 and scores.dont_know["a1"] == 0
    assert scores.profile["a"] == 3.0 and scores.profile["b"] is None
    assert scores.profile["c"] is None


def test_divergences_of_each_objective_are_looked_for() -> None:
    """Objective « a » has one category only; « b », further on, still diverges."""
    by_category = {c: {o.id: Stat(0) for o in REF.objectives} for c in ("elus", "salaries")}
    by_category["elus"]["a"] = Stat(2, 2.0)
    by_category["elus"]["b"] = Stat(2, 1.0)
    by_category["salaries"]["b"] = Stat(2, 4.0)
    found = divergences(by_category, REF, Settings())
    assert [(d.objective, d.high, d.low, d.gap) for d in found] == [("b", "salaries", "elus", 3.0)]


def group(**sizes: tuple[int, int]) -> tuple[Respondent, ...]:
    """category → (respondents, their score on a1 and a2)."""
    return tuple(
        respondent(f"{c}-{i}", c, a1=score, a2=score)
        for c, (n, score) in sizes.items()
        for i in range(n)
    )


def test_wave_scores_counts_and_threshold_by_hand() -> None:
    # 3 + 2: the pair is under seuil_categorie and alone in its pool, so the smallest shown
    # category joins it (secondary suppression): nothing by category, no divergence
    small = wave_scores(Wave("pole-y", "2026-01", "2012", group(elus=(3, 1), salaries=(2, 5))),
                        REF, Settings(minimum=5))  # fmt: skip
    assert small.category_counts == {} and small.divergences == () and small.sufficient
    people = group(elus=(3, 1), salaries=(3, 5))
    at_minimum = wave_scores(Wave("pole-y", "2026-01", "2012", people), REF, Settings(minimum=6))
    assert (at_minimum.slug, at_minimum.wave, at_minimum.version) == ("pole-y", "2026-01", "2012")
    assert at_minimum.category_counts == {"elus": 3, "salaries": 3}
    assert [(d.objective, d.high, d.low) for d in at_minimum.divergences] == [
        ("a", "salaries", "elus")
    ]
    below = wave_scores(Wave("pole-y", "2026-01", "2012", people), REF, Settings(minimum=7))
    assert below.divergences == () and not below.sufficient
    # below the minimum of the wave, no category either (3 and 3 would pass seuil_categorie)
    assert below.category_counts == {} and below.by_category == {} and below.pooled == ()
    strict = wave_scores(Wave("pole-y", "2026-01", "2012", people), REF,
                         Settings(minimum=6, category_threshold=4))  # fmt: skip
    assert strict.category_threshold == 4 and strict.category_counts == {}


def test_wave_scores_pool_the_small_categories_by_hand() -> None:
    from ptce_mono.analysis.cells import OTHERS

    # 3 + 3 shown; 2 + 1 under seuil_categorie (3), pooled together (3): « autres catégories »
    people = group(elus=(3, 1), salaries=(3, 5), benevoles=(2, 3), habitants=(1, 2))
    scores = wave_scores(Wave("pole-z", "2026-01", "2012", people), REF, Settings(minimum=5))
    assert scores.category_counts == {"elus": 3, "salaries": 3, OTHERS: 3}
    assert scores.pooled == ("benevoles", "habitants") and scores.category_threshold == 3
    # the pool's scores on a: 3, 3 and 2
    assert scores.by_category[OTHERS]["a"] == Stat(3, 3.0, 2.5, 3.0, 2.0, 3.0)
    assert scores.by_category["elus"]["a"] == Stat(3, 1.0, 1.0, 1.0, 1.0, 1.0)
    # divergences between the categories shown only, never with the pool
    assert [(d.objective, d.high, d.low) for d in scores.divergences] == [("a", "salaries", "elus")]
    assert scores.ids == frozenset(
        {"elus-0", "elus-1", "elus-2", "salaries-0", "salaries-1", "salaries-2",
         "benevoles-0", "benevoles-1", "habitants-0"}
    )  # fmt: skip


def test_a_wave_below_the_minimum_has_no_profile_and_no_divergence() -> None:
    people = (respondent("r1", "elus", a1=1), respondent("r2", "salaries", a1=5))
    scores = wave_scores(Wave("pole-x", "2025-03", "2012", people), REF, Settings())
    assert not scores.sufficient and scores.status == LOW_BASE
    assert scores.profile == {} and scores.divergences == ()
    at_minimum = wave_scores(Wave("p", "w", "2012", people), REF, Settings(minimum=2))
    assert at_minimum.sufficient and at_minimum.status == ""


def test_cohort_stats_over_pole_profiles() -> None:
    profiles = {"p1": {"a": 2.0, "b": None}, "p2": {"a": 4.0}, "p3": {"a": 3.0, "b": 1.0}}
    stats = cohort_stats(profiles, REF)
    assert stats["a"] == Stat(3, 3.0, 2.5, 3.5, 2.0, 4.0)
    assert stats["b"] == Stat(1, 1.0, 1.0, 1.0, 1.0, 1.0)
    assert stats["c"] == Stat(0)


def test_what_answers_a_question_in_order_by_hand() -> None:
    from dataclasses import replace

    from ptce_mono.analysis.coverage import ACCOUNTS, FACT, INTERVIEW, NARRATIVE, answers

    every = replace(
        pole("Un récit.", ("q1",), {"a": "valeur"}),
        coded_questions={"q1": 2}, account_fields=frozenset({"identite.a"}),
    )  # fmt: skip
    assert answers(every, SECTION, Q1) == (FACT, NARRATIVE, INTERVIEW, ACCOUNTS)
    assert answers(every, SECTION, Q2) == ()
    assert answers(replace(pole(), coded_questions={"q1": 1}), SECTION, Q1) == (INTERVIEW,)
    assert answers(replace(pole(), coded_questions={"q1": 0}), SECTION, Q1) == ()
    assert answers(pole("Un récit.", ("q1",)), SECTION, Q1) == (NARRATIVE,)
    assert answers(pole(facts={"a": "valeur"}), SECTION, Q1) == (FACT,)
    accounts = replace(pole(), account_fields=frozenset({"identite.a"}))
    assert answers(accounts, SECTION, Q1) == (ACCOUNTS,)


# --- wave comparison (participation.waves) -----------------------------------------------------


def wave(slug: str, name: str, **medians: float | None) -> WaveScores:
    objectives = {o.id: Stat(0) for o in REF.objectives}
    indicators = {i.id: Stat(0) for i in REF.indicators}
    for key, median in medians.items():
        target = objectives if len(key) == 1 else indicators
        target[key] = Stat(3 if median is not None else 0, median)
    return WaveScores(slug, name, "2012", 3, 3, indicators, objectives)


def _scores(wave_id: str, minimum: int = 5, **sizes: tuple[int, int]):
    return wave_scores(Wave("pole-w", wave_id, "2012", group(**sizes)), REF,
                       Settings(minimum=minimum))  # fmt: skip


WAVE_LINKS = [
    # (before, after, comparable, sentence)
    (_scores("2025-01", elus=(3, 1), salaries=(3, 5)),
     _scores("2026-01", elus=(3, 2), salaries=(3, 4)), True,
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 6 répondants ; 6 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", elus=(3, 1), salaries=(3, 5)),
     _scores("2026-01", elus=(3, 1), benevoles=(3, 2)), False,  # other categories shown
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 6 répondants ; 3 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", 6, elus=(3, 1), salaries=(3, 5)),
     _scores("2026-01", 6, elus=(1, 1), habitants=(5, 2)), False,  # not the same categories
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 6 répondants ; 1 répondant a répondu aux "
     "deux vagues."),
    (_scores("2025-01", elus=(3, 1), salaries=(3, 5)),
     _scores("2026-01", elus=(3, 1), salaries=(1, 5)), False,  # below the minimum after
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 4 répondants ; 4 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", elus=(3, 1), salaries=(1, 5)),
     _scores("2026-01", elus=(3, 1), salaries=(3, 5)), False,  # below the minimum before
     "Vague 2025-01 : 4 répondants ; vague 2026-01 : 6 répondants ; 4 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", a=(2, 1), b=(2, 2), c=(2, 3)),
     _scores("2026-01", a=(2, 1), b=(2, 2), c=(2, 3)), False,  # no category shown at all
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 6 répondants ; 6 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", elus=(3, 1), salaries=(3, 5), benevoles=(2, 3), habitants=(1, 2)),
     _scores("2026-01", elus=(3, 1), salaries=(3, 5)), True,  # the pool is not a category
     "Vague 2025-01 : 9 répondants ; vague 2026-01 : 6 répondants ; 6 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", elus=(3, 1), salaries=(3, 5)),
     _scores("2026-01", elus=(3, 1), salaries=(3, 5), benevoles=(2, 3), habitants=(1, 2)), True,
     "Vague 2025-01 : 6 répondants ; vague 2026-01 : 9 répondants ; 6 répondants ont répondu "
     "aux deux vagues."),
    (_scores("2025-01", 1, x=(1, 1)), _scores("2026-01", 1, y=(1, 1)), False,
     "Vague 2025-01 : 1 répondant ; vague 2026-01 : 1 répondant ; aucun répondant n'est "
     "identifié dans les deux vagues."),
]  # fmt: skip


@pytest.mark.parametrize(("before", "after", "comparable", "sentence"), WAVE_LINKS)
def test_wave_link_by_hand(before, after, comparable, sentence) -> None:
    from ptce_mono.analysis.waves import wave_link

    link = wave_link(before, after)
    assert (link.before, link.after) == ("2025-01", "2026-01")
    assert link.comparable is comparable
    assert link.sentence == sentence


def test_wave_comparison_by_hand() -> None:
    before = wave("pole-x", "2024", a=2.0, b=3.0, c=None, a1=1.0, a2=4.0)
    after = wave("pole-x", "2025", a=3.5, b=3.0, c=2.0, a1=2.0, a2=3.0)
    comparison = compare_waves(before, after, REF)
    assert comparison.slug == "pole-x"
    assert comparison.before is before and comparison.after is after
    assert [c.id for c in comparison.objectives] == list("abcdefghi")
    assert comparison.objectives[0].label == "l'ancrage territorial"
    rows = {c.id: (c.before.median, c.after.median, c.delta) for c in comparison.objectives}
    assert rows["a"] == (2.0, 3.5, 1.5)
    assert rows["b"] == (3.0, 3.0, 0.0)
    assert rows["c"] == (None, 2.0, None)
    # « c » has no value before: a first value, not a change between the waves
    assert [c.id for c in comparison.changed_objectives] == ["a"]
    assert {c.id: c.delta for c in comparison.changed_indicators} == {"a1": 1.0, "a2": -1.0}
    assert len(comparison.indicators) == 27
    assert comparison.indicators[0].label == "disposer d'un lieu identifié et accessible"


# --- census checks (census.read_census) --------------------------------------------------------

HEADER = ("rang,region_imprimee,region_avant_2016,region_2016,initiative,structure_porteuse,"
          "porteur_omis,pole,pole_lecture,pole_note,source,passage")  # fmt: skip
GOOD = {
    "rang": "1", "region_imprimee": "Bretagne", "region_avant_2016": "Bretagne",
    "region_2016": "Bretagne", "initiative": "Initiative fictive", "structure_porteuse": "",
    "porteur_omis": "", "pole": "", "pole_lecture": "", "pole_note": "", "source": "s",
    "passage": "p",
}  # fmt: skip
COUNT_HEADER = ("region_imprimee,region_avant_2016,region_2016,candidatures,dont_operationnels,"
                "dont_manifestations_interet,lecture,note,source,passage")  # fmt: skip
GOOD_COUNT = "Bretagne,Bretagne,Bretagne,3,1,,,,s,p"


def census_folder(tmp_path: Path, rows: list[dict[str, str]], counts: str = GOOD_COUNT) -> Path:
    data = tmp_path / "data"
    (data / "recensement").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "geo", data / "geo")
    for name in ("initiatives", "candidatures-par-region"):
        shutil.copy2(REPO / "data" / "recensement" / f"{name}.schema.json", data / "recensement")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER.split(","), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "recensement" / "initiatives.csv").write_text(out.getvalue(), encoding="utf-8")
    (data / "recensement" / "candidatures-par-region.csv").write_text(
        f"{COUNT_HEADER}\n{counts}\n", encoding="utf-8"
    )
    return data


INI, CNT = "initiatives.csv", "candidatures-par-region.csv"
CENSUS_CASES = [
    # (changes to the one row, or the counts line) → issues as (file, line, column, message)
    ({}, None, []),
    ({"pole": "pole-x"}, None, [(INI, 2, "pole_note", "un lien vers un pôle cite sa raison")]),
    ({"pole": "pole-x", "pole_note": "Même nom."}, None, []),
    ({"pole_note": "Sans pôle."}, None, [(INI, 2, "pole", "lecture ou note de lien sans pôle")]),
    ({"pole_lecture": "inference", "pole_note": "Note."}, None,
     [(INI, 2, "pole", "lecture ou note de lien sans pôle")]),
    ({"pole": "pole-x", "pole_lecture": "identification"}, None,
     [(INI, 2, "pole_note", "un lien vers un pôle cite sa raison"),
      (INI, 2, "pole_note", "une lecture du projet s'accompagne d'une note qui l'explique")]),
    ({"pole": "pole-x", "pole_lecture": "devinette", "pole_note": "N."}, None,
     [(INI, 2, "pole_lecture",
       "valeur « devinette » hors du vocabulaire (identification, inference, codage)")]),
    ({"initiative": ""}, None, [(INI, 2, "initiative", "ni nom d'initiative ni structure porteuse")]),
    ({"initiative": "", "structure_porteuse": "Asso"}, None, []),
    ({"initiative": "", "porteur_omis": "nom de personne"}, None, []),
    ({"porteur_omis": "nom de personne", "structure_porteuse": "Asso"}, None,
     [(INI, 2, "structure_porteuse",
       "porteur omis (nom de personne) : la structure porteuse doit rester vide")]),
    ({"rang": "0"}, None, [(INI, 2, "rang", "valeur 0 inférieure au minimum 1")]),
    ({"rang": "un"}, None, [(INI, 2, "rang", "nombre entier attendu, pas « un »")]),
    ({"source": ""}, None, [(INI, 2, "source", "valeur obligatoire manquante")]),
    ({"region_avant_2016": "Atlantide"}, None,
     [(INI, 2, "region_avant_2016", "région d'avant 2016 inconnue « Atlantide »")]),
    ({"region_imprimee": "Picardie", "region_avant_2016": "picardie",
      "region_2016": "Hauts-de-France"}, None, [(INI, 2, "region_avant_2016", "écrire « Picardie »")]),
    ({"region_imprimee": "IDF", "region_avant_2016": "Ile de France",
      "region_2016": "Île-de-France"}, None,
     [(INI, 2, "region_avant_2016", "écrire « Île-de-France »")]),
    ({"region_2016": "Normandie"}, None,
     [(INI, 2, "region_2016",
       "« Bretagne » fait partie de la région « Bretagne » depuis 2016, pas « Normandie »")]),
    ({"region_imprimee": "National", "region_avant_2016": "", "region_2016": ""}, None, []),
    ({"region_imprimee": "National"}, None,
     [(INI, 2, "region_2016", "une initiative « National » n'a pas de région")]),
    ({"region_imprimee": "National", "region_avant_2016": ""}, None,
     [(INI, 2, "region_2016", "une initiative « National » n'a pas de région")]),
    ({}, "Bretagne,Bretagne,Bretagne,-1,,,,,s,p",
     [(CNT, 2, "candidatures", "valeur -1 inférieure au minimum 0")]),
    ({}, "Bretagne,Bretagne,Bretagne,3,,,codage,,s,p",
     [(CNT, 2, "note", "une lecture du projet s'accompagne d'une note qui l'explique")]),
    ({}, "Bretagne,Bretagne,Bretagne,3,,,codage,Note.,s,p", []),
    ({}, "Bretagne,Bretagne,Normandie,3,,,,,s,p",
     [(CNT, 2, "region_2016",
       "« Bretagne » fait partie de la région « Bretagne » depuis 2016, pas « Normandie »")]),
    ({}, "Bretagne,Bretagne,Bretagne,3,,,,,s", [(CNT, 2, "", "10 colonnes attendues, 9 trouvées")]),
]  # fmt: skip


@pytest.mark.parametrize(("change", "counts", "expected"), CENSUS_CASES)
def test_census_checks_table(tmp_path: Path, change, counts, expected) -> None:
    data = census_folder(tmp_path, [{**GOOD, **change}], counts or GOOD_COUNT)
    _, issues = read_census(data)
    folder = data / "recensement"
    assert [(i.path, i.line, i.field, i.message) for i in issues] == [
        (folder / name, row, column, message) for name, row, column, message in expected
    ]


def test_census_read_by_hand(tmp_path: Path) -> None:
    data = census_folder(tmp_path, [GOOD])
    census, issues = read_census(data)
    assert issues == []
    (item,) = census.initiatives
    assert (item.rank, item.name, item.carrier, item.pole, item.region, item.row) == (
        1, "Initiative fictive", "", "", "Bretagne", 2
    )  # fmt: skip
    (count,) = census.counts
    assert (count.applications, count.operational, count.interest, count.reading) == (
        3,
        1,
        None,
        "",
    )
    assert (count.region_printed, count.region, count.note, count.passage, count.row) == (
        "Bretagne", "Bretagne", "", "p", 2
    )  # fmt: skip
    assert load_census(data) == census
    assert table_schema(data, "initiatives")["fields"][0]["name"] == "rang"
    rows = table_rows(data, "candidatures-par-region")
    assert rows == [{
        "region_imprimee": "Bretagne", "region_avant_2016": "Bretagne", "region_2016": "Bretagne",
        "candidatures": 3, "dont_operationnels": 1, "dont_manifestations_interet": None,
        "lecture": "", "note": "", "source": "s", "passage": "p",
    }]  # fmt: skip


def test_census_errors_name_file_line_and_column(tmp_path: Path) -> None:
    data = census_folder(tmp_path, [{**GOOD, "pole": "x"}, {**GOOD, "rang": "2", "source": ""}])
    path = data / "recensement" / "initiatives.csv"
    with pytest.raises(CensusError) as caught:
        load_census(data)
    # cells are checked while the table is read, then each row's links: the missing source
    # of line 3 comes first; every problem is named, each on its line
    assert str(caught.value) == (
        "recensement de 2011 (data/recensement) illisible (2 problèmes) :\n"
        f"{path}:3: source: valeur obligatoire manquante\n"
        f"{path}:2: pole_note: un lien vers un pôle cite sa raison"
    )
    with pytest.raises(CensusError) as caught:
        table_rows(data, "initiatives")
    assert str(caught.value) == f"{path}:3: source: valeur obligatoire manquante"
    _, issues = read_census(data)
    assert [str(i) for i in issues] == [
        f"{path}:3: source: valeur obligatoire manquante",
        f"{path}:2: pole_note: un lien vers un pôle cite sa raison",
    ]
    three = census_folder(tmp_path / "c", [{**GOOD, "pole": "x", "source": "", "passage": ""}])
    with pytest.raises(CensusError) as caught:
        load_census(three)
    assert len(caught.value.problems) == 3
    assert census_refusal(caught.value).endswith(
        "(et 2 autres problèmes : voir ptce-mono validate)"
    )
    (three / "recensement" / "initiatives.schema.json").unlink()
    with pytest.raises(CensusError, match="schéma de table manquant"):
        table_rows(three, "initiatives")
    # without the département table, régions are not checked
    other = tmp_path / "sans-geo"
    other.mkdir()
    unknown = census_folder(tmp_path / "b", [{**GOOD, "region_avant_2016": "Atlantide"}])
    assert load_census(unknown, other).initiatives[0].region_before_2016 == "Atlantide"
    with pytest.raises(CensusError):
        load_census(unknown)


def test_census_schema_problems(tmp_path: Path) -> None:
    data = census_folder(tmp_path, [GOOD])
    schema = data / "recensement" / "initiatives.schema.json"
    schema.write_bytes(b'{"fields": "\xff"}')
    _, issues = read_census(data)
    assert [str(i) for i in issues] == [
        f"{schema}: le fichier n'est pas encodé en UTF-8 (octet illisible à la position 12)"
    ]
    schema.unlink()
    _, issues = read_census(data)
    assert [(str(i.path.name), i.line, i.field, i.message) for i in issues] == [
        ("initiatives.schema.json", None, "", "schéma de table manquant")
    ]


def test_census_rank_order_and_duplicates(tmp_path: Path) -> None:
    rows = [{**GOOD, "rang": "2"}, {**GOOD, "rang": "1"}, {**GOOD, "rang": "1"}]
    data = census_folder(tmp_path, rows)
    census, issues = read_census(data)
    path = data / "recensement" / "initiatives.csv"
    assert [(i.path, i.line, i.field, i.message) for i in issues] == [
        (path, 4, "rang", "valeur « 1 » en double"),
        (path, None, "rang", "les lignes doivent suivre l'ordre de l'annexe (rang croissant)"),
    ]
    assert [i.rank for i in census.initiatives] == [2, 1, 1]
    _, issues = read_census(census_folder(tmp_path / "b", [{**GOOD, "rang": "un"}]))
    assert [i.message for i in issues] == ["nombre entier attendu, pas « un »"]


def test_census_keeps_every_printed_cell(tmp_path: Path) -> None:
    row = {**GOOD, "region_imprimee": "BZH", "initiative": "", "porteur_omis": "nom de personne",
           "passage": "Annexe 2, p. 40"}  # fmt: skip
    census, issues = read_census(census_folder(tmp_path, [row]))
    assert issues == []
    item = census.initiatives[0]
    assert (item.region_printed, item.carrier_omitted, item.passage, item.source) == (
        "BZH", "nom de personne", "Annexe 2, p. 40", "s"
    )  # fmt: skip
    assert item.label == "(sans nom ni structure porteuse imprimés)"


def test_census_blank_lines_are_skipped(tmp_path: Path) -> None:
    data = census_folder(tmp_path, [GOOD, {**GOOD, "rang": "2"}])
    table = data / "recensement" / "initiatives.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([lines[0], lines[1], "", ",,,", lines[2]]) + "\n", "utf-8")
    census, issues = read_census(data)
    assert issues == []
    assert [(i.rank, i.row) for i in census.initiatives] == [(1, 2), (2, 5)]


def _file_problem(tmp_path: Path, name: str, content: bytes | None, size: int = 0) -> list:
    data = census_folder(tmp_path, [GOOD])
    path = data / "recensement" / name
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    if size:
        with path.open("r+b") as handle:
            handle.truncate(size)
    return [(i.path.name, i.line, i.field, i.message) for i in read_census(data)[1]]


SCHEMA = "initiatives.schema.json"
UNREADABLE = "schéma de table illisible (JSON « fields » attendu)"


@pytest.mark.parametrize(
    ("name", "content", "size", "expected"),
    [
        ("initiatives.csv", None, 0, [("initiatives.csv", None, "", "fichier manquant")]),
        ("initiatives.csv", b"rang\xff", 0, [("initiatives.csv", None, "",
         "le fichier n'est pas encodé en UTF-8 (octet illisible à la position 4)")]),
        ("initiatives.csv", b"", 0, [("initiatives.csv", 1, "", f"en-tête attendu : {HEADER}")]),
        (SCHEMA, b'{"fields": {}}', 0, [(SCHEMA, None, "", UNREADABLE)]),
        (SCHEMA, b'{"fields": [1]}', 0, [(SCHEMA, None, "", UNREADABLE)]),
        (SCHEMA, b'{"champs": []}', 0, [(SCHEMA, None, "", UNREADABLE)]),
        (SCHEMA, b"{", 0, [(SCHEMA, None, "", UNREADABLE)]),
    ],
)  # fmt: skip
def test_census_file_problems(tmp_path: Path, name, content, size, expected) -> None:
    assert _file_problem(tmp_path, name, content, size) == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [("initiatives.csv", "tableau CSV trop volumineux"), (SCHEMA, "schéma JSON trop volumineux")],
)
def test_census_files_too_large(tmp_path: Path, name: str, kind: str) -> None:
    (problem,) = _file_problem(tmp_path, name, b"", 30 * 1024 * 1024)
    assert problem[0] == name and problem[3].startswith(kind), problem


def initiative(rank: int, before: str, after: str) -> Initiative:
    return Initiative(rank, before or "National", before, after, f"i{rank}", "", "", "", "", "",
                      "s", "p", rank + 1)  # fmt: skip


def region_count(before: str, after: str, applications: int) -> RegionCount:
    return RegionCount(before, before, after, applications, None, None, "", "", "s", "p", 2)


def test_census_aggregates_by_hand() -> None:
    census = Census(
        HERE,
        (initiative(1, "Bretagne", "Bretagne"), initiative(2, "Bretagne", "Bretagne"),
         initiative(3, "Picardie", "Hauts-de-France"), initiative(4, "", "")),
        (region_count("Bretagne", "Bretagne", 2), region_count("Alsace", "Grand Est", 5)),
    )  # fmt: skip
    rows = [(r.region_before_2016, r.region, r.listed, r.announced, r.differs)
            for r in compare_counts(census)]  # fmt: skip
    assert rows == [
        ("Alsace", "Grand Est", 0, 5, True),
        ("Bretagne", "Bretagne", 2, 2, False),
        ("Picardie", "Hauts-de-France", 1, None, True),
    ]
    assert count_by_region_2016(census) == {"Bretagne": 2, "Hauts-de-France": 1}
    assert national_count(census) == 1


def test_census_poles_temoins_by_region_by_hand() -> None:
    from types import SimpleNamespace

    from ptce_mono.corpus.census import temoins_by_region

    def pole(slug: str, temoin: object, departement: object = None) -> Pole:
        facts = {"statut": {"pole_temoin_2012": temoin}, "identite": {"departement": departement}}
        return Pole(slug, Path(slug), facts, LoadedYaml(Path(slug) / "pole.yaml", facts))

    departements = {"29": SimpleNamespace(region_before_2016="Bretagne"),
                    "35": SimpleNamespace(region_before_2016="Bretagne"),
                    "80": SimpleNamespace(region_before_2016="Picardie")}  # fmt: skip
    poles = [
        pole("a", True, "29"), pole("b", True, 35), pole("c", True, "80"),
        pole("d", False, "29"), pole("e", None, "29"),  # not témoins
        pole("f", True, "99"), pole("g", True),  # no known département: never guessed
    ]  # fmt: skip
    temoins, unlocated = temoins_by_region(poles, departements)
    assert temoins == {"Bretagne": 2, "Picardie": 1} and unlocated == ["f", "g"]
    census = Census(
        HERE,
        (initiative(1, "Bretagne", "Bretagne"), initiative(2, "Alsace", "Grand Est")),
        (region_count("Picardie", "Hauts-de-France", 3),),
    )  # fmt: skip
    rows = [(r.region_before_2016, r.listed, r.announced, r.temoins)
            for r in compare_counts(census, temoins)]  # fmt: skip
    assert rows == [("Picardie", 0, 3, 1), ("Alsace", 1, None, 0), ("Bretagne", 1, None, 2)]
    assert [r.temoins for r in compare_counts(census)] == [0, 0, 0]


# --- the typology recomputed (typology.reproduce) ----------------------------------------------
# The hand-written tables of typology.reproduce written before issue 22 encoded the old rule (a
# difference on any base, no provenance); issue 22 replaced it (independent values on 3 poles at
# least): its table-driven tests are in tests/test_findings.py. Only the cell rule stays here.


@pytest.mark.parametrize(
    ("categories", "labels", "reading", "text"),
    [
        (None, None, None, "non documenté"),
        ((), None, None, "non documenté"),
        (("a", "b"), {"a": "A"}, None, "A, b"),
        (("a",), None, "identification", "a (lecture du projet : identification)"),
    ],
)
def test_typology_cell(categories, labels, reading, text) -> None:
    assert cell(categories, labels, reading) == text


# --- the site's HTML sanitizer (site.sanitize) -------------------------------------------------

PNG = "data:image/png;base64,iVBORw0KGgo="
SANITIZER_CASES = [
    # (function, untrusted HTML, expected HTML)
    (clean_text_html, '<p style="color:red">texte</p>', "<p>texte</p>"),
    (clean_text_html, '<p onclick="vol()">texte</p>', "<p>texte</p>"),
    (clean_text_html, "<script>vol()</script>reste", "reste"),
    (clean_text_html, "<style>p{}</style>reste", "reste"),
    (clean_text_html, "<!-- note privée -->reste", "reste"),
    (clean_text_html, '<a href="javascript:vol()">x</a>', '<a rel="noopener noreferrer">x</a>'),
    (clean_text_html, '<a href="data:text/html,x">x</a>', '<a rel="noopener noreferrer">x</a>'),
    (clean_text_html, '<a href="https://e.org/">x</a>',
     '<a href="https://e.org/" rel="noopener noreferrer">x</a>'),
    (clean_text_html, f'<img src="{PNG}">', ""),
    (clean_text_html, "<section>texte</section>", "texte"),
    (clean_text_html, '<span class="c" data-x="1" id="i">t</span>', '<span class="c" id="i">t</span>'),
    (clean_text_html, '<table><tr><td colspan="2" width="9">t</td></tr></table>',
     '<table><tbody><tr><td colspan="2">t</td></tr></tbody></table>'),
    (clean_fragment, f'<img src="{PNG}" alt="carte">', f'<img src="{PNG}" alt="carte">'),
    (clean_fragment, '<img src="data:image/jpeg;base64,AA">', '<img src="data:image/jpeg;base64,AA">'),
    (clean_fragment, '<img src="data:image/gif;base64,AA">', '<img src="data:image/gif;base64,AA">'),
    (clean_fragment, '<img src="data:image/webp;base64,AA">', '<img src="data:image/webp;base64,AA">'),
    (clean_fragment, '<img src="DATA:image/PNG;base64,AA">', '<img src="DATA:image/PNG;base64,AA">'),
    (clean_fragment, '<img src="https://e.org/a.png" title="data:x">',
     '<img src="https://e.org/a.png" title="data:x">'),
    (clean_fragment, "<noscript>caché</noscript><math><mi>x</mi></math>vu", "vu"),
    (clean_fragment, "<svg><text>caché</text></svg><template>caché</template>vu", "vu"),
    (clean_fragment, "<object>caché</object>vu", "vu"),
    (clean_fragment, '<img src="data:text/html,x">', "<img>"),
    (clean_fragment, '<img src="data:image/svg+xml,%3Csvg%3E">',
     '<img src="data:image/svg+xml,%3Csvg%3E">'),
    (clean_fragment, "<svg><script>vol()</script></svg>reste", "reste"),
    (clean_fragment, '<iframe src="https://e.org"></iframe>reste', "reste"),
    (clean_fragment, "<section><p>t</p></section>", "<section><p>t</p></section>"),
    (clean_fragment, '<a href="data:image/png;base64,AA">x</a>', '<a rel="noopener noreferrer">x</a>'),
]  # fmt: skip


@pytest.mark.parametrize(("clean", "html", "expected"), SANITIZER_CASES)
def test_sanitizer_table(clean, html, expected) -> None:
    assert clean(html) == expected


@pytest.mark.parametrize(
    ("markdown", "offset", "expected"),
    [
        ("# Titre", 0, "<h1>Titre</h1>\n"),
        ("# Titre", 2, "<h3>Titre</h3>\n"),
        ("### Titre", 5, "<h6>Titre</h6>\n"),
        ("<b>gras</b> brut", 0, "<p>&lt;b&gt;gras&lt;/b&gt; brut</p>\n"),
        ("[lien](javascript:vol())", 0, "<p>[lien](javascript:vol())</p>\n"),
        ("`code`", 0, "<p><code>code</code></p>\n"),
        ("Oui : non ! « a »", 0, "<p>Oui&nbsp;: non\u202f! «&nbsp;a&nbsp;»</p>\n"),
        (
            "`a : b` et [c : d](https://e.org/?a=b;c)",
            0,
            '<p><code>a : b</code> et <a href="https://e.org/?a=b;c" rel="noopener noreferrer">'
            "c&nbsp;: d</a></p>\n",
        ),
        ("```python\nx = 1\n```", 0, '<pre><code class="language-python">x = 1\n</code></pre>\n'),
        ("a\nb", 0, "<p>a\nb</p>\n"),
        (
            "[x]: https://e.org\n\n[lien][x]",
            0,
            '<p><a href="https://e.org" rel="noopener noreferrer">lien</a></p>\n',
        ),
        ("", 0, ""),
    ],
)
def test_markdown_to_html_table(markdown, offset, expected) -> None:
    assert markdown_to_html(markdown, offset) == expected


def test_markdown_headings_keep_their_level_by_default() -> None:
    assert markdown_to_html("## Titre") == "<h2>Titre</h2>\n"
