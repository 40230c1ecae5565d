"""Consolidated figures of the transversal analysis, checked against values worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from ptce_mono.analysis import aggregate as agg
from ptce_mono.analysis.cohort import compute_cohort
from ptce_mono.core.yamlio import LoadedYaml
from ptce_mono.corpus.records import Pole, load_corpus
from ptce_mono.corpus.referentiel import load_referentiel

REPO = Path(__file__).resolve().parents[1]


def make_pole(slug: str, **facts) -> Pole:
    """A pole built in memory (no file): ``facts`` is the YAML tree."""
    return Pole(slug, Path(slug), facts, LoadedYaml(Path(slug) / "pole.yaml", facts))


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REPO / "data" / "referentiels", "2012")


@pytest.fixture
def fictional(project):
    return load_corpus(project).poles


def test_structures_and_statuses_on_the_fictional_corpus(fictional) -> None:
    statuses = agg.legal_statuses(fictional)
    # structures: vallons 4 + bassin 5 + scene 3 + plateau 4 = 16, all with a legal status
    assert (statuses.n, statuses.n_poles, statuses.undocumented) == (16, 4, 0)
    # associations: vallons 2 + bassin 1 + scene 1 + plateau 1 = 5 -> 5/16 = 31.25 %
    assert statuses.share("association").count == 5
    assert statuses.share("association").percent == pytest.approx(31.25)
    # SARL: vallons 1 + bassin 1 + scene 1 = 3 -> 3/16 = 18.75 %
    assert statuses.share("sarl").percent == pytest.approx(18.75)
    # établissements publics: bassin 1 + plateau 1 = 2 -> 12.5 %
    assert statuses.share("etablissement-public").percent == pytest.approx(12.5)
    # IAE: vallons 2 + bassin 1 + plateau 1 = 4 of 16 -> 25 %
    iae = agg.iae_share(fictional)
    assert (iae.share("iae").count, iae.n) == (4, 16)
    assert iae.share("iae").percent == pytest.approx(25.0)


def test_mutualisations_and_values_in_percent_of_poles(fictional) -> None:
    mutual = agg.mutualisations(fictional)
    assert mutual.n == 4
    # compétences: vallons, bassin, plateau = 3/4 = 75 %; lieux: vallons, scene = 2/4 = 50 %
    assert mutual.share("competences").percent == pytest.approx(75.0)
    assert mutual.share("lieux").percent == pytest.approx(50.0)
    assert mutual.share("moyens-materiels").percent == pytest.approx(50.0)  # bassin, scene
    for key in ("connaissances", "moyens-financiers", "groupement-employeurs"):
        assert mutual.share(key).percent == pytest.approx(25.0)  # one pole each
    assert mutual.items[0].key == "competences"  # ranked by count
    values = agg.valeurs(fictional)
    # coopération: vallons, bassin, scene = 3/4; solidarité: vallons, bassin, plateau = 3/4
    assert values.share("coopération").percent == pytest.approx(75.0)
    assert values.share("solidarité").percent == pytest.approx(75.0)
    assert values.share("création").count == 1 and values.share("mutualisation").count == 1


def test_animation_share_and_jobs(fictional) -> None:
    rows, summary = agg.animation_shares(fictional)
    by_slug = {r.slug: r for r in rows}
    # latest year (2015) for every pole: 2/20 = 10 %, 4/40 = 10 %, 1.5/10 = 15 %, 2/8 = 25 %
    assert by_slug["vallons-fictifs"].year == 2015
    assert by_slug["vallons-fictifs"].percent == pytest.approx(10.0)
    assert by_slug["scene-fictive"].percent == pytest.approx(15.0)
    assert by_slug["plateau-essai"].percent == pytest.approx(25.0)
    # sorted 10, 10, 15, 25: median (10 + 15) / 2 = 12.5, min 10, max 25
    assert summary.n == 4
    assert (summary.median, summary.minimum, summary.maximum) == pytest.approx((12.5, 10.0, 25.0))
    jobs = agg.jobs_created(fictional)
    # all years: vallons 3 + 4 = 7, bassin 10, scene 2, plateau 1 -> 20; latest year 4+10+2+1 = 17
    assert (jobs.total, jobs.total_latest, jobs.n) == (20, 17, 4)
    assert jobs.per_pole["vallons-fictifs"] == 7
    # per pole 1, 2, 7, 10: median (2 + 7) / 2 = 4.5
    assert jobs.per_pole_summary.median == pytest.approx(4.5)


def test_panorama(fictional) -> None:
    assert agg.poles_by_region(fictional).n == 4
    assert {s.key for s in agg.poles_by_departement(fictional).items} == {"26", "59", "35", "12"}
    famille = agg.poles_by_famille(fictional)
    assert famille.share("production").count == 2  # vallons, plateau
    territoire = agg.poles_by_territoire(fictional)
    # rural: vallons, plateau; urbain: bassin, scene (a pole counts once per type)
    assert territoire.share("rural").count == 2 and territoire.share("urbain").count == 2
    # start of cooperation 2005, 2000, 2008, 2010 -> ages in 2020: 15, 20, 12, 10
    age = agg.cooperation_age(fictional, 2020)
    assert (age.n, age.median, age.minimum, age.maximum) == (4, 13.5, 10.0, 20.0)


def test_referentiel_across_poles(fictional, ref) -> None:
    # scored: vallons (a-c = 4, d-i = 3), bassin (a-c = 2, d-i = 3), scene (a-c = 1, d-i = 2)
    assert {p.slug for p in agg.scored_poles(fictional, ref)} == {
        "vallons-fictifs", "bassin-imaginaire", "scene-fictive"
    }  # fmt: skip
    summaries = agg.objective_summaries(fictional, ref)
    # objective a: (4 + 2 + 1) / 3 = 7/3, median 2, sample std sqrt(((5/3)² + (1/3)² + (4/3)²) / 2)
    assert summaries["a"].n == 3
    assert summaries["a"].mean == pytest.approx(7 / 3)
    assert summaries["a"].median == 2
    assert summaries["a"].std == pytest.approx(math.sqrt((25 / 9 + 1 / 9 + 16 / 9) / 2))
    # objective d: (3 + 3 + 2) / 3 = 8/3, median 3
    assert summaries["d"].mean == pytest.approx(8 / 3) and summaries["d"].median == 3
    stats = agg.indicator_means(fictional, ref)
    assert stats[0].mean == pytest.approx(8 / 3)  # d..i indicators rank first
    assert stats[-1].id == "c3" and stats[-1].mean == pytest.approx(7 / 3)
    classes = dict(agg.indicator_classes(stats))
    # 8/3 ≈ 2.67 falls in « 2,5 à 2,99 » (18 indicators d1..i3); 7/3 ≈ 2.33 in « 2 à 2,49 » (9)
    assert len(classes["2,5 à 2,99"]) == 18 and len(classes["2 à 2,49"]) == 9
    assert classes["3,5 et plus"] == []
    cohort = compute_cohort(fictional, ref)
    assert cohort["poles"] == 3 and cohort["median"]["a"] == 2


def test_clustering_runs_on_documented_dimensions_only(fictional, ref) -> None:
    result = agg.cluster_poles(fictional, ref)
    assert not result.ok  # 4 fictional poles < 5
    assert "en dessous de 5 pôles" in result.message
    # six in-memory poles, two clear profiles on the typology's dimensions
    kinds = {"a": ("production", "rural"), "b": ("industries-culturelles-creatives", "urbain")}
    poles = [
        make_pole(f"p{i}-{kind}", classification={"famille_activite": kinds[kind][0],
                                                  "type_territoire": [kinds[kind][1]]})
        for i, kind in enumerate(["a", "a", "a", "b", "b", "b"])
    ] + [make_pole("sans-rien")]  # fmt: skip
    result = agg.cluster_poles(poles, ref)
    assert result.ok and result.n == 6 and "sans-rien" not in result.slugs
    assert [b.id for b in result.used] == ["classification.famille_activite",
                                           "classification.type_territoire"]  # fmt: skip
    assert result.variables == 4  # two families, two territories actually used
    assert {b.id for b, _ in result.left_out} >= {"classification.origine", "referentiel.scores"}
    groups = result.groups
    assert groups["p0-a"] == groups["p1-a"] == groups["p2-a"]
    assert groups["p3-b"] == groups["p4-b"] == groups["p5-b"] != groups["p0-a"]


def test_section_findings_count_on_the_documented_base(fictional, project) -> None:
    corpus = load_corpus(project)
    findings = {f.section_id: f for f in agg.section_findings(fictional, corpus.grid)}
    assert set(findings) == set(corpus.grid.section_ids)
    for finding in findings.values():
        assert finding.documented + finding.partial + finding.missing == len(fictional)
        for fact in finding.facts:
            assert 0 <= fact.n <= fact.total == len(fictional)
            assert all(s.n == fact.n and s.count >= 2 for s in fact.recurrent)


def test_quoted_sentences_need_a_quote_outside_the_citation() -> None:
    text = ("Le pôle est porté par X [@src, « Titre »]. Il dit « faire ensemble » [@src, p. 2]. "
            "Sans citation « rien ».")  # fmt: skip
    assert agg.quoted_sentences(text) == ["Il dit « faire ensemble » [@src, p. 2]."]


def test_coverage_matrix(fictional, project) -> None:
    corpus = load_corpus(project)
    matrix = agg.coverage_matrix(fictional, corpus.grid)
    assert list(matrix) == list(corpus.grid.section_ids)
    assert matrix["gouvernance"]["plateau-essai"].value == "partielle"
    assert matrix["gouvernance"]["vallons-fictifs"].value == "documentée"


@pytest.mark.parametrize("count", [0, 1, 2])
def test_degenerate_corpora_are_labelled_low_base(count, ref) -> None:
    poles = [
        make_pole(f"p{i}", identite={"nom": f"P{i}", "annee_debut_cooperation": 2010},
                  structures=[{"nom": "S", "statut_juridique": "association", "iae": True}],
                  mutualisations=["lieux"], valeurs=["coopération"],
                  emploi=[{"annee": 2015, "etp": 4, "etp_animation": 1, "emplois_crees": 2}])
        for i in range(count)
    ]  # fmt: skip
    statuses = agg.legal_statuses(poles)
    assert statuses.n == count and statuses.low_base
    assert agg.mutualisations(poles).low_base
    _rows, summary = agg.animation_shares(poles)
    assert summary.n == count and summary.low_base
    if count:
        assert summary.median == pytest.approx(25.0)  # 1 / 4
        assert agg.low_base_note(count) == f"effectif trop faible (n = {count})"
    else:
        assert summary.median is None and statuses.items == ()
    assert agg.jobs_created(poles).total == 2 * count
    assert agg.cooperation_age(poles, 2020).n == count
    assert agg.indicator_means(poles, ref)[0].summary.n == 0
    assert not agg.cluster_poles(poles, ref).ok
    assert agg.low_base_note(3) == ""


def test_sparse_poles_give_zero_bases(ref) -> None:
    poles = [make_pole("vide", identite={"nom": "Vide"}), make_pole("rien")]
    for dist in (agg.legal_statuses(poles), agg.iae_share(poles), agg.mutualisations(poles),
                 agg.valeurs(poles), agg.poles_by_region(poles), agg.poles_by_famille(poles)):  # fmt: skip
        assert dist.n == 0 and dist.items == ()
    assert agg.poles_by_region(poles).undocumented == 2
    assert agg.animation_shares(poles) == ([], agg.Summary(0))
    summaries = agg.objective_summaries(poles, ref)
    assert len(summaries) == 9 and all(s.n == 0 for s in summaries.values())
