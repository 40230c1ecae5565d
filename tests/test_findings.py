"""Findings that hold (issue 22): one evidence rule for guiding questions and section statuses,
comparisons that only count independent values, a classification without invented zeros,
fieldwork evidence counted once per passage and objective."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from ptce_mono.analysis import aggregate as agg
from ptce_mono.analysis.coverage import (
    ACCOUNTS,
    FACT,
    INTERVIEW,
    Coverage,
    answers,
    corpus_counts,
    pole_coverage,
    section_coverage,
)
from ptce_mono.analysis.evidence import INTERVIEW as INTERVIEW_ORIGIN
from ptce_mono.analysis.evidence import attributed_quotes, counts_by_objective, pole_evidence
from ptce_mono.analysis.typology import (
    AGREES,
    DIFFERS,
    TAKEN,
    UNVERIFIABLE,
    Extract,
    Publication,
    PublishedDimension,
    reproduce,
)
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.core.yamlio import LoadedYaml
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.records import Pole, load_corpus, load_pole
from ptce_mono.corpus.referentiel import load_referentiel
from tests.conftest import FIXTURES, REPO

GRID = load_grid(REPO / "data" / "grille.yaml")
TERRAIN = FIXTURES / "terrain"


@pytest.fixture(scope="module")
def ref():
    return load_referentiel(REPO / "data" / "referentiels", "2012")


def make_pole(slug: str, **facts) -> Pole:
    return Pole(slug, Path(slug), facts, LoadedYaml(Path(slug) / "pole.yaml", facts))


def write_pole(folder: Path, facts: dict, narratives: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pole.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
    for section, (questions, body) in (narratives or {}).items():
        (folder / f"{section}.md").write_text(
            f"---\nquestions: [{', '.join(questions)}]\n---\n{body}\n", "utf-8"
        )
    return folder


def write_interview(folder: Path, excerpts: list[dict], consent: bool = True) -> None:
    (folder / "entretiens").mkdir(parents=True, exist_ok=True)
    data = {"document": "Entretien fictif", "role": "coordinatrice", "date": "2025-05-06",
            "consentement": consent, "extraits": excerpts}  # fmt: skip
    (folder / "entretiens" / "entretien-fictif.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), "utf-8"
    )


def excerpt(
    ident: str, section: str, codes: list[str], indicators=(), text="Texte fictif."
) -> dict:
    return {"id": ident, "codes": codes, "section": section, "indicateurs": list(indicators),
            "texte": text, "retenu": True}  # fmt: skip


# --- one evidence rule -------------------------------------------------------------------------


def test_a_narrative_that_answers_no_question_lifts_nothing(tmp_path: Path) -> None:
    folder = write_pole(tmp_path / "data" / "poles" / "pole-fictif", {"schema": 1, "identite": {
        "nom": "Pôle fictif"}}, {"origine": ([], "Les PTCE en général coopèrent [@src, p. 1].")})  # fmt: skip
    pole = load_pole(folder, GRID)
    origine = section_coverage(pole, GRID.section("origine"))
    assert origine.has_narrative and not origine.documented
    assert origine.status is Coverage.MISSING  # was « partielle » on the text alone


def test_a_label_answers_no_question() -> None:
    labelled = make_pole("temoin", statut={"pole_temoin_2012": True})
    section = GRID.section("structuration")
    assert section_coverage(labelled, section).status is Coverage.MISSING
    laureate = make_pole("laureat", statut={"laureat_aap": [2013]})
    assert section_coverage(laureate, section).status is Coverage.PARTIAL
    assert answers(laureate, section, section.questions[1]) == (FACT,)


def test_status_rule_partial_and_documented() -> None:
    section = GRID.section("gouvernance")
    one = make_pole("un", gouvernance={"instances": ["assemblée générale"]})
    assert section_coverage(one, section).status is Coverage.PARTIAL
    every = make_pole("tous", gouvernance={"instances": ["AG"], "place_citoyens": "collège",
                                           "role_collectivites": "facilitateur"})  # fmt: skip
    # documented on its facts alone: every question answered, no narrative needed
    assert section_coverage(every, section).status is Coverage.DOCUMENTED


def test_accounts_and_question_coded_excerpts_answer_questions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = data / "poles" / "val-de-brume"
    shutil.copytree(TERRAIN / "poles" / "val-de-brume", folder)
    write_interview(folder, [
        excerpt("e1", "origine", ["origine-2"], text="Tout a commencé au printemps fictif."),
        excerpt("e2", "leadership", ["grille/leadership-3", "leadership"]),
        excerpt("e3", "finalites", ["finalites-3"]) | {"retenu": False},  # not retained
    ])  # fmt: skip
    pole = load_pole(folder, GRID)
    economy, impacts = GRID.section("modele-economique"), GRID.section("impacts")
    assert answers(pole, economy, economy.questions[0]) == (ACCOUNTS,)
    assert answers(pole, impacts, impacts.questions[0]) == (ACCOUNTS,)
    assert section_coverage(pole, economy).status is Coverage.PARTIAL  # 3rd question open
    origine, leadership = GRID.section("origine"), GRID.section("leadership")
    assert INTERVIEW in answers(pole, origine, origine.questions[1])
    assert answers(pole, leadership, leadership.questions[2]) == (INTERVIEW,)
    finalites = GRID.section("finalites")
    assert not answers(pole, finalites, finalites.questions[2])
    assert pole.coded_questions == {"origine-2": 1, "leadership-3": 1}


def test_excerpts_without_consent_answer_nothing(tmp_path: Path) -> None:
    folder = write_pole(tmp_path / "data" / "poles" / "sans-accord", {"schema": 1})
    write_interview(folder, [excerpt("e1", "origine", ["origine-3"])], consent=False)
    pole = load_pole(folder, GRID)
    assert not pole.coded_questions and not pole.published_excerpts
    assert section_coverage(pole, GRID.section("origine")).status is Coverage.MISSING


def test_no_demo_section_is_partial_with_every_question_open() -> None:
    corpus = load_corpus(ProjectPaths.at(REPO))
    wrong = [
        (pole.slug, c.section.id)
        for pole in corpus.poles
        for c in pole_coverage(pole, corpus.grid)
        if c.status is not Coverage.MISSING and not c.documented
    ]
    assert not wrong
    counts = corpus_counts(corpus.poles, corpus.grid)
    assert counts.partial < 88 and counts.total == 7 * len(corpus.poles)


# --- comparisons ---------------------------------------------------------------------------


def _publication(values: dict[str, float], named: dict[str, tuple[str, ...]] | None = None):
    dimension = PublishedDimension("famille", "Famille d'activité", "publié", values,
                                   (Extract("texte", "p. 1"),), named=named or {})  # fmt: skip
    return Publication("article", "§ 1", 2011, (), (dimension,))


def _case_poles(source: str, family: str, count: int, lecture: str | None = None) -> list[Pole]:
    cite = {"source": source, "passage": "p. 2"} | ({"lecture": lecture} if lecture else {})
    return [
        make_pole(f"p{i}", classification={"famille_activite": family},
                  citations={"classification.famille_activite": cite})
        for i in range(count)
    ]  # fmt: skip


def _compare(poles: list[Pole], values: dict[str, float], named=None):
    from ptce_mono.analysis.typology import CasePole

    publication = _publication(values, named)
    publication = Publication(publication.source, publication.passage, 2011,
                              tuple(CasePole(p.slug, p.slug, "") for p in poles),
                              publication.dimensions)  # fmt: skip
    return reproduce(publication, poles).comparisons[0]


def test_only_independent_values_on_three_poles_make_a_difference() -> None:
    independent = _case_poles("autre-source", "production", 3)
    assert _compare(independent, {"production": 2}).status == DIFFERS
    assert _compare(independent, {"production": 3}).status == AGREES
    # the same figures taken from the compared article itself: not independent
    taken = _case_poles("article", "production", 3)
    comparison = _compare(taken, {"production": 2})
    assert comparison.status == TAKEN and comparison.agrees is None
    assert "reprennent l'article" in comparison.reason
    # the project's reading of another source never counts as a disagreement
    read = _case_poles("autre-source", "production", 3, lecture="codage")
    assert _compare(read, {"production": 2}).status == TAKEN
    # too few documented poles: nothing is compared
    few = _case_poles("autre-source", "production", 2)
    small = _compare(few, {"production": 5})
    assert small.status == UNVERIFIABLE and "effectif trop faible (n = 2)" in small.reason


def test_unnamed_members_make_a_count_unverifiable() -> None:
    poles = _case_poles("autre-source", "production", 4)
    comparison = _compare(poles, {"production": 5}, {"production": ("p0", "p1", "p2", "p3")})
    assert comparison.status == UNVERIFIABLE
    assert "en nomme 4 : le dernier n'est pas nommé" in comparison.reason


def test_a_reading_is_printed_with_its_french_label() -> None:
    from ptce_mono.analysis.typology import cell

    assert cell(("desindustrialise",), {"desindustrialise": "désindustrialisé"}, "inference") == (
        "désindustrialisé (lecture du projet : inférence)"
    )


def test_published_extract_marks_a_kept_misprint(tmp_path: Path) -> None:
    from ptce_mono.analysis.typology import load_publication
    from ptce_mono.core.errors import DataFileError

    extract = Extract("Pôles (Nord pas ce Calais)", "p. 1", ("Nord pas ce Calais",))
    assert extract.shown == "Pôles (Nord pas ce Calais [sic])"
    text = (REPO / "data" / "publications" / "podlewski-2014.yaml").read_text("utf-8")
    bad = tmp_path / "pub.yaml"
    bad.write_text(text.replace("sic: [Nord pas ce Calais]", "sic: [Nord-Pas-de-Calais]"), "utf-8")
    with pytest.raises(DataFileError, match="sic"):
        load_publication(bad)


# --- classification ------------------------------------------------------------------------


def test_classification_never_reads_missing_evidence_as_zero(ref) -> None:
    kinds = {"a": ("production", "rural"), "b": ("industries-culturelles-creatives", "urbain")}
    poles = [
        make_pole(f"p{i}-{kind}", classification={"famille_activite": kinds[kind][0],
                                                  "type_territoire": [kinds[kind][1]]})
        for i, kind in enumerate(["a", "a", "a", "b", "b", "b"])
    ] + [make_pole("sans-territoire", classification={"famille_activite": "production"})]  # fmt: skip
    evidence = [
        type("E", (), {"pole": "p0-a", "objective": "a"})(),
        type("E", (), {"pole": "p3-b", "objective": "b"})(),
    ]
    result = agg.cluster_poles(poles, ref, evidence)
    assert result.ok and result.n == 6
    assert "referentiel.preuves" not in {b.id for b in result.used}
    assert "referentiel.preuves" not in {b.id for b, _ in result.left_out}
    assert dict(result.left_out_poles) == {"sans-territoire": ("type de territoire",)}
    assert "aucune valeur manquante n'est comptée comme un zéro" in result.message
    assert not agg.cluster_poles(poles[:4], ref).ok  # fewer than 5 poles: no run


# --- fieldwork evidence, once per passage and objective --------------------------------------


def test_interview_excerpts_are_evidence_counted_once_per_passage(tmp_path: Path, ref) -> None:
    folder = write_pole(tmp_path / "data" / "poles" / "pole-fictif", {"schema": 1})
    write_interview(folder, [
        excerpt("e1", "gouvernance", ["ref-f1", "ref-f2"], ("f1", "f2"), "Les habitants votent."),
        excerpt("e2", "modele-economique", ["ref-g2"], ("g2",)),
    ])  # fmt: skip
    pole = load_pole(folder, GRID)
    evidence = pole_evidence(pole, ref, GRID)
    interviews = [e for e in evidence if e.origin == INTERVIEW_ORIGIN]
    assert {(e.indicator, e.role, e.date) for e in interviews} == {
        ("f1", "coordinatrice", "2025-05-06"), ("f2", "coordinatrice", "2025-05-06"),
        ("g2", "coordinatrice", "2025-05-06"),
    }  # fmt: skip
    counts = counts_by_objective(evidence, ref)
    assert counts["f"] == 1 and counts["g"] == 1  # one passage coded f1 and f2: once for f
    assert agg.evidence_matrix(evidence, ref)["pole-fictif"]["f"] == 1


def test_quotes_keep_their_own_citation() -> None:
    text = ("Le pôle dit « faire ensemble » [@a, p. 1] et le rapport « agir local » "
            "[@b, p. 9].")  # fmt: skip
    assert attributed_quotes(text) == (("faire ensemble", ("a", "p. 1")),
                                       ("agir local", ("b", "p. 9")))  # fmt: skip
    assert attributed_quotes("Sans source « rien ».") == (("rien", None),)


# --- the census: Annex 2 and the pôles témoins, a marked reading ------------------------------


def test_census_reading_adds_the_poles_temoins_of_the_corpus() -> None:
    from ptce_mono.corpus.census import compare_counts, load_census, temoins_by_region
    from ptce_mono.corpus.geo import load_departements

    corpus = load_corpus(ProjectPaths.at(REPO))
    temoins, unlocated = temoins_by_region(corpus.poles, load_departements(REPO / "data" / "geo"))
    assert sum(temoins.values()) + len(unlocated) == 21  # the 21 pôles témoins of Annex 1
    assert unlocated == ["ptce-niortais"]  # no département documented: never guessed
    rows = compare_counts(load_census(REPO / "data"), temoins)
    cited = [r for r in rows if r.announced is not None]
    assert len(cited) == 18
    assert sum(1 for r in cited if not r.differs) == 3
    assert sum(1 for r in cited if r.equal_with_temoins) == 10
    idf = next(r for r in rows if r.region_before_2016 == "Île-de-France")
    assert (idf.listed, idf.temoins, idf.announced, idf.equal_with_temoins) == (40, 3, 53, False)


# --- fields against the pole's own quoted sources ----------------------------------------------


def test_quoted_numbers_in_french() -> None:
    from ptce_mono.analysis.quoted import quoted_numbers

    text = ("Le pôle regroupe « une vingtaine de structures » [@a, p. 1] ; il « a permis la "
            "création d'une centaine d'emplois » et « 25 emplois d'insertion », hors citation "
            "trente structures.")  # fmt: skip
    found = [(n.value, n.qualifier, n.field) for n in quoted_numbers(text)]
    assert found == [(20, "environ", "structures"), (100, "environ", "emplois_crees"),
                     (25, "", "emplois_crees")]  # fmt: skip


def _conflicting_pole(tmp_path: Path, approx: list[dict] | None = None) -> Pole:
    facts = {"schema": 1, "identite": {"nom": "Pôle fictif"},
             "structures": [{"nom": "Seule structure fictive", "source": "src", "passage": "p. 1"}],
             "evenements": [{"annee": 2012, "mois": 10, "libelle": "Premières réunions fictives",
                             "source": "src", "passage": "p. 2"}]}  # fmt: skip
    if approx:
        facts["valeurs_approchees"] = approx
    folder = write_pole(tmp_path / "data" / "poles" / "pole-fictif", facts, {
        "leadership": (["leadership-2"], "Il réunit « une vingtaine de structures » [@src, p. 3]."),
        "impacts": (["impacts-3"], "Il « a créé une centaine d'emplois » [@src, p. 4]."),
    })  # fmt: skip
    return load_pole(folder, GRID)


def test_quoted_passages_that_exceed_fields_are_found_with_both_sides(tmp_path: Path) -> None:
    from ptce_mono.analysis.quoted import field_conflicts

    pole = _conflicting_pole(tmp_path)
    conflicts = {
        (path.name, line, field): message for path, line, field, message in field_conflicts(pole)
    }
    assert set(conflicts) == {("leadership.md", 4, "structures"), ("impacts.md", 4, "emploi"),
                              ("pole.yaml", pole.line_of("evenements.0"),
                               "identite.annee_debut_cooperation")}  # fmt: skip
    assert f"la fiche en donne 1 (pole.yaml:{pole.line_of('structures')})" in conflicts[
        ("leadership.md", 4, "structures")]  # fmt: skip
    assert "« emploi » absent" in conflicts[("impacts.md", 4, "emploi")]
    # approximate values, marked readings, answer them
    cite = {"source": "src", "passage": "p. 3", "lecture": "inference"}
    pole = _conflicting_pole(tmp_path / "b", [
        {"champ": "structures", "valeur": 20, "qualificatif": "environ",
         "texte": "une vingtaine de structures", **cite},
        {"champ": "emplois_crees", "valeur": 100, "qualificatif": "environ",
         "texte": "une centaine d'emplois", "locuteur": "le directeur fictif", **cite},
    ])  # fmt: skip
    assert [c[2] for c in field_conflicts(pole)] == ["identite.annee_debut_cooperation"]


def test_validate_warns_on_quoted_values_file_and_line(tmp_path: Path, runner) -> None:
    from tests.conftest import make_project, run_cli

    project = make_project(tmp_path / "projet")
    folder = project.poles / "vallons-fictifs"
    path = folder / "leadership.md"
    path.write_text(path.read_text("utf-8") + "\n\nIl fédère « une centaine de structures » "
                    "[@fictif-rapport, p. 9].\n", "utf-8")  # fmt: skip
    result = run_cli(runner, project, "validate", "--avertissements")
    line = next(x for x in result.output.splitlines() if "une centaine de structures" in x)
    assert "leadership.md:" in line and "pole.yaml:" in line and "dit plus que la fiche" in line


def test_approximate_values_are_shown_as_readings_never_as_smaller_numbers() -> None:
    from ptce_mono.analysis.quoted import members_value, start_value

    corpus = load_corpus(ProjectPaths.at(REPO))
    dombinnov = corpus.pole("dombinnov")
    members = str(members_value(dombinnov))
    assert members.startswith("environ 20 (« une vingtaine de structures »")
    assert "lecture du projet" in members and "1 nommée dans la fiche" in members
    periscope = str(start_value(corpus.pole("le-periscope")))
    assert periscope == (
        "au plus tard octobre 2012 (premier événement daté de la chronologie ; lecture du projet)"
    )


def test_approximate_values_quote_their_source_verbatim() -> None:

    from tests.test_verbatim import SEEDS, _sources, found

    if not SEEDS.is_dir():
        pytest.skip(f"documents sources absents ({SEEDS})")
    texts = _sources()
    corpus = load_corpus(ProjectPaths.at(REPO))
    checked = 0
    for pole in corpus.poles:
        for item in pole.list_of("valeurs_approchees"):
            assert found(str(item["texte"]), texts[item["source"]]), (pole.slug, item["texte"])
            checked += 1
    assert checked >= 2


# --- quotations whole and attributed (the audit's classes) -------------------------------------


def _seeds() -> dict[str, str]:
    from tests.test_verbatim import SEEDS, _sources

    if not SEEDS.is_dir():
        pytest.skip(f"documents sources absents ({SEEDS})")
    return _sources()


def test_every_cited_name_and_commune_is_printed_by_its_source() -> None:
    """A name, other name or commune cited to a source is printed by it as written; a changed
    spelling is a marked reading whose note quotes the printed form, itself in the source."""
    from tests.test_verbatim import found

    texts = _seeds()
    corpus = load_corpus(ProjectPaths.at(REPO))
    checked, wrong = 0, []
    for pole in corpus.poles:
        citations = pole.get("citations", {})
        for item in pole.list_of("structures"):  # a member's name, cited with the item
            if item.get("source") in texts and not item.get("lecture"):
                checked += 1
                if not found(str(item.get("nom")), texts[item["source"]]):
                    wrong.append((pole.slug, "structures", item.get("nom"), item["source"]))
        for dotted in ("identite.nom", "identite.autres_noms", "identite.commune",
                       "identite.structure_porteuse"):  # fmt: skip
            cite = citations.get(dotted)
            value = pole.get(dotted)
            if not cite or value is None or cite.get("source") not in texts:
                continue
            text = texts[cite["source"]]
            for item in value if isinstance(value, list) else [value]:
                checked += 1
                if found(str(item), text):
                    continue
                note = str(cite.get("note") or "")
                printed = [q for q in re.findall(r"«\s*(.+?)\s*»", note) if found(q, text)]
                if not (cite.get("lecture") and printed):
                    wrong.append((pole.slug, dotted, item, cite["source"]))
    assert checked > 40 and not wrong, wrong


def test_identification_is_never_a_coding() -> None:
    """« identification » matches a name or an entry to a pole; reading a description as a
    category of a vocabulary (« lit … comme … ») is a « codage »."""
    corpus = load_corpus(ProjectPaths.at(REPO))
    wrong = [
        (pole.slug, dotted)
        for pole in corpus.poles
        for dotted, cite in pole.get("citations", {}).items()
        if isinstance(cite, dict) and cite.get("lecture") == "identification"
        and re.search(r"\blit\b.*\bcomme\b", str(cite.get("note") or ""))
    ]  # fmt: skip
    assert not wrong, wrong


def test_referentiel_reading_keeps_each_quote_with_its_source() -> None:
    """Domb'Innov's coded paragraph quotes two sources: each passage keeps its own citation,
    never joined with « […] » as one quotation."""
    from ptce_mono.documents.monograph import load, referentiel_reading

    ctx = load(REPO / "data", "dombinnov")
    reading = referentiel_reading(ctx, GRID.section("impacts"))
    line = next(x for x in reading.splitlines() if "centaine d'emplois" in x)
    assert "[…]" not in line
    order = [line.index(x) for x in ("centaine d'emplois", "@ash-2017",
                                       "crée une entreprise sociale", "@podlewski-2014")]  # fmt: skip
    assert order == sorted(order)  # each passage followed by its own citation


def test_classification_says_what_it_leaves_out_and_where_its_values_come_from() -> None:
    from ptce_mono.documents import transversal

    ctx = transversal.load(REPO / "data", "2012")
    result = agg.cluster_poles(ctx.poles, ctx.referentiel, transversal._evidence(ctx))
    assert result.ok and result.n >= 5
    text = transversal._classification_left_out(ctx, result)
    assert "sans type de territoire : Le Damier" in text
    assert "Toutes les valeurs classées viennent d'un même document [@podlewski-2014]" in text
    assert "ce n'est pas un zéro" in text
    assert f"{len(ctx.poles) - result.n} pôles non classés" in text


def test_best_documented_category_is_counted_on_questions_answered() -> None:
    from ptce_mono.documents.transversal import grid_finding

    def finding(number: int, title: str, answered: tuple[int, ...]) -> agg.SectionFinding:
        return agg.SectionFinding(title, title, number, 28, 0, 28, 0, (), answered)

    # 28 poles answer one question of « Origine », none its other two: not the best category
    findings = [finding(2, "Origine", (28, 0, 0)), finding(3, "Structuration", (12, 12, 10))]
    text = grid_finding(findings, 28)
    assert text.startswith("La catégorie la mieux documentée est *Structuration*")
    assert (
        "*Origine* : ses questions directrices sont documentées pour 28, 0 et 0 des 28 pôles"
        in text
    )
    assert "2 questions directrices sur 6 ne sont documentées pour aucun pôle (n = 28)." in text
