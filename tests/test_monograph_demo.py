"""Monographs of the demo corpus read like research on a partial corpus (issue #12).

A few demo poles are built with the real template (papermill, real kernel), from the richest
to the poorest, and their outputs are read: only documented values, figures drawn from at
least two of them, guiding questions gathered at the end, the référentiel read section by
section, and French that agrees.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptce_mono.analysis.coverage import Coverage, pole_coverage
from ptce_mono.analysis.evidence import counts_by_objective, pole_evidence
from ptce_mono.core.fr import UNDOCUMENTED, is_undocumented
from ptce_mono.corpus.records import load_corpus
from ptce_mono.documents.charts.monograph import composition_counts
from ptce_mono.documents.monograph import has_content

from .conftest import REPO, make_project, run_cli
from .french import french_faults

pytestmark = pytest.mark.slow

# much (le-periscope, dombinnov, alpen), little (ardaines), and names that need their article
# or elision (les-ecosolies, eclis), or carry « (s) » in the name itself (smac-07)
SLUGS = ("le-periscope", "dombinnov", "alpen", "ardaines", "les-ecosolies", "eclis", "smac-07")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, request):
    from click.testing import CliRunner

    project = make_project(tmp_path_factory.mktemp("demo") / "projet", REPO / "data")
    result = run_cli(CliRunner(), project, "build", "--to", "", "--sans-transversale", *SLUGS)
    assert result.exit_code == 0, result.output
    corpus = load_corpus(project, SLUGS)
    return project, corpus


def outputs(project, slug: str) -> list[dict]:
    nb = json.loads((project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def meta(output: dict) -> dict:
    return output.get("metadata", {}).get("ptce", {})


def markdown(outs: list[dict]) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def documented_values(pole, corpus, figure: str) -> int:
    """How many documented values the figure ``figure`` is drawn from."""
    ref = corpus.referentiels["2012"]
    if figure == "chronologie":
        return len(pole.list_of("evenements"))
    if figure == "composition":
        panels = composition_counts(pole.list_of("structures"))
        return min((c.total() for _, c in panels), default=0)
    if figure == "ressources":
        return sum(1 for r in pole.list_of("ressources") if r.get("montant") or r.get("part"))
    if figure == "emploi":
        return sum(1 for e in pole.list_of("emploi") if e.get("etp") is not None)
    if figure == "preuves":
        return sum(counts_by_objective(pole_evidence(pole, ref, corpus.grid), ref).values())
    if figure == "radar":
        return len(pole.scores)
    raise AssertionError(f"figure inconnue : {figure}")


@pytest.mark.parametrize("slug", SLUGS)
def test_no_figure_from_fewer_than_two_values_and_evidence_shown(demo, slug) -> None:
    project, corpus = demo
    pole = corpus.pole(slug)
    figures = [meta(o)["id"].removeprefix("fig-") for o in outputs(project, slug)
               if "image/svg+xml" in o.get("data", {})]  # fmt: skip
    for figure in figures:
        assert documented_values(pole, corpus, figure) >= 2, (slug, figure)
    has_evidence = documented_values(pole, corpus, "preuves") >= 2
    assert ("preuves" in figures) == has_evidence, slug
    assert "radar" not in figures  # no demo pole has declared scores


@pytest.mark.parametrize("slug", SLUGS)
def test_tables_list_documented_fields_only(demo, slug) -> None:
    project, _ = demo
    for output in outputs(project, slug):
        if meta(output).get("kind") != "table":
            continue
        table = "".join(output["data"]["text/plain"])
        rows = [line.split("\t") for line in table.splitlines()[1:]]
        assert rows, meta(output)["id"]
        values = [r[1:] for r in rows if r[1:]]  # a one-column table lists names: documented
        assert not values or not all(all(is_undocumented(c) for c in v) for v in values), meta(
            output
        )["id"]
        if meta(output)["id"] in ("tbl-identite", "tbl-finalites", "tbl-origine",
                                  "tbl-structuration", "tbl-gouvernance", "tbl-porteur"):  # fmt: skip
            assert all(UNDOCUMENTED not in c for r in rows for c in r), meta(output)["id"]


@pytest.mark.parametrize("slug", SLUGS)
def test_sections_questions_and_the_referentiel_reading(demo, slug) -> None:
    project, corpus = demo
    pole = corpus.pole(slug)
    text = plain(markdown(outputs(project, slug)))
    body, state = text.split("## État de la documentation", 1)
    # guiding questions appear only in « État de la documentation », each open one there
    for coverage in pole_coverage(pole, corpus.grid):
        section = coverage.section
        for question in section.questions:
            assert plain(question.text)[:60] not in body, (slug, question.id)
        for question in coverage.undocumented:
            assert plain(question.text)[:60] in state, (slug, question.id)
        part = body.split(f"## {section.number}. ", 1)[1].split("\n## ", 1)[0]
        if coverage.status is Coverage.MISSING and not has_content(pole, section):
            assert part.strip().endswith("*Section à documenter.*"), (slug, section.id)
            assert "#" not in part.split("\n", 1)[1]
        else:  # every section with content ends with its reading of the référentiel
            if coverage.status is Coverage.MISSING:  # a text that answers no question
                assert "*Section à documenter : ce qui suit ne répond encore" in part
            assert "#### Au regard du référentiel" in part, (slug, section.id)
            reading = part.split("#### Au regard du référentiel", 1)[1]
            assert "\n## " not in reading and "Tableau" not in reading
            for objective in section.objectives:
                assert f"{objective}. " in reading or f" {objective} (« " in reading
    assert "{réf." not in text


@pytest.mark.parametrize("slug", SLUGS)
def test_french_reads_right(demo, slug) -> None:
    """The notebook's Markdown, captions and alt texts (the HTML of every monograph, the
    analysis and the site are read by tests/test_demo_texts.py with the same checks)."""
    project, corpus = demo
    pole = corpus.pole(slug)
    outs = outputs(project, slug)
    texts = [markdown(outs)]
    texts += [meta(o).get("caption", "") for o in outs] + [meta(o).get("alt", "") for o in outs]
    for text in texts:
        assert not french_faults(text, [pole.name]), (slug, french_faults(text, [pole.name]))
    captions = {meta(o).get("id"): meta(o).get("caption", "") for o in outs}
    assert captions["tbl-identite"] == f"Fiche d'identité {pole.of_name}"


def test_name_articles_in_captions(demo) -> None:
    project, _ = demo
    expected = {
        "le-periscope": "Fiche d'identité du Périscope",
        "les-ecosolies": "Fiche d'identité des Ecosolies – Pôle de Coopération",
        "alpen": "Fiche d'identité d'Alpen (Alpes Energie)",
        "eclis": "Fiche d'identité d'Eco Construction Locale & Initiatives Solidaires",
    }
    for slug, caption in expected.items():
        got = {meta(o).get("caption") for o in outputs(project, slug)}
        assert caption in got, (slug, got)


def test_demo_records_agree_with_their_narratives(demo) -> None:
    """Fields filled from the narratives carry the narrative's citation."""
    _, corpus = demo
    periscope = corpus.pole("le-periscope")
    assert periscope.get("gouvernance.role_collectivites") == "impulseur"
    cite = periscope.get("citations")["gouvernance.role_collectivites"]
    assert cite["source"] == "labo-ess-2013" and cite["lecture"] == "codage"  # a coding
    dombinnov = corpus.pole("dombinnov")
    assert dombinnov.get("mutualisations") == ["moyens-materiels"]
    assert "fagoteuse sarmenteuse" in dombinnov.narratives["structuration"].text
    assert Path(dombinnov.path).is_file()


def test_listed_facts_cite_known_documents_as_pandoc_citations() -> None:
    """A chronology's source column is a real citation (formatted and linked by citeproc), not
    an escaped ``[\\@id]`` printed as text; an unknown document stays plain text."""
    from ptce_mono.documents import monograph as m

    ctx = m.load(str(REPO / "data"), "le-periscope")
    event = ctx.pole.list_of("evenements")[0]
    assert m._source_short(ctx, event).startswith(f"[@{event['source']}, ")
    unknown = {**event, "source": "document-inconnu"}
    assert m._source_short(ctx, unknown).startswith("(document-inconnu")
