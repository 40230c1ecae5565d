"""The transversal analysis reads as a research report: research questions, the sample with
its n and sources, method, how it was made, « Pour citer », discussion and limits (the demo
corpus, the notebook executed by papermill in a real kernel)."""

from __future__ import annotations

import re

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.records import load_corpus
from ptce_mono.documents.transversal import load
from ptce_mono.documents.transversal_report import discussion, framing, limits, sample_of

from .conftest import REPO
from .test_transversal_analysis import markdown_texts, meta, outputs, tables  # noqa: F401

pytestmark = pytest.mark.slow


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_framing_parts_come_first_and_in_a_report_s_order(outputs) -> None:  # noqa: F811
    whole = plain("\n".join(markdown_texts(outputs)))
    order = [
        "## Questions, échantillon et méthode",
        "### Questions de recherche",
        "### Échantillon",
        "### Méthode",
        "### Comment ce document a été fait",
        "### Pour citer ce document",
        "## 1. ",
        "## Discussion au regard des sources",
        "## Limites de l'analyse",
    ]
    positions = [whole.index(h) for h in order]
    assert positions == sorted(positions)
    questions = whole.split("### Questions de recherche", 1)[1].split("###", 1)[0]
    assert len(re.findall(r"^\d\. .+\?$", questions, re.M)) == 4


def test_the_sample_gives_n_why_and_the_sources_with_their_reach(outputs) -> None:  # noqa: F811
    n = sum(not p.fictional for p in load_corpus(ProjectPaths.at(REPO)).poles)
    whole = plain("\n".join(markdown_texts(outputs)))
    sample = whole.split("### Échantillon", 1)[1].split("### Méthode", 1)[0]
    assert f"L'analyse porte sur {n} pôles (n = {n})" in sample
    assert "pôles témoins de 2012" in sample
    assert f"{n} dossiers documentaires ; aucun pôle n'a encore de travail de terrain" in sample
    assert not re.search(r"\b0 (pôle|entretien|réponse)", sample)
    caption, rows = tables(outputs)["tbl-documents-publies"]
    assert caption == f"Documents publiés sur lesquels reposent les fiches (n = {n} pôles)"
    assert rows[0] == ["Document", "Année", "Pôles qui le citent"]
    assert all(1 <= int(r[2]) <= n for r in rows[1:])
    assert not any(re.search(r"\d{3}_[0-9a-f]{16}|-20\d\d$", r[0]) for r in rows[1:])  # no keys


def test_citation_entry_and_files_metadata(outputs) -> None:  # noqa: F811
    documents = [meta(o) for o in outputs if meta(o).get("kind") == "document"]
    assert len(documents) == 1
    assert documents[0]["surtitre"] == "Analyse transversale"
    assert documents[0]["citation"]["stem"] == "analyse-transversale"


def test_limits_and_discussion_are_computed_from_the_corpus() -> None:
    ctx = load(REPO / "data")
    sample = sample_of(ctx)
    text = plain(limits(sample))
    assert f"L'échantillon ({sample.n} pôles) n'est pas représentatif" in text
    assert "aucun pôle n'a encore de travail de terrain" in text
    assert f"{sample.sections_missing} sections sur {sample.sections_total}" in text
    assert "aucun pôle n'a relu ce qui est dit de lui" in text
    said = plain(discussion(ctx, sample))
    top = max(sample.sources.values(), key=lambda s: s[2])
    assert f"documente {top[2]} pôles sur {sample.n}" in said
    assert "[@labo-ess-2013" in said and "[@podlewski-2014" in said


def test_framing_of_a_corpus_with_fieldwork_counts_it(tmp_path) -> None:
    from ptce_mono.corpus.identity import DEFAULT_IDENTITY

    from .conftest import make_project
    from .test_fieldwork import ACCOUNT_BASE

    project = make_project(tmp_path / "projet")
    slug = sorted(p.name for p in project.poles.iterdir())[0]
    (project.poles / slug / "comptes.yaml").write_text(ACCOUNT_BASE, encoding="utf-8")
    ctx = load(project.data)
    sample = sample_of(ctx)
    assert sample.with_fieldwork == 1
    text = plain(framing(ctx, DEFAULT_IDENTITY, sample))
    assert "1 monographie" in text and "1 pôle a un travail de terrain" in text
    assert "un seul pôle a un travail de terrain" in plain(limits(sample))


def test_the_most_cited_document_does_not_depend_on_the_order_sources_were_met(tmp_path) -> None:
    """Two documents cited by every pole of the fictional corpus: the discussion names the same
    one whatever the order in which the poles' documents were met (that order followed string
    hashing, which changes from one process to another: two builds of the same corpus wrote two
    different transversal analyses)."""
    from dataclasses import replace

    from .conftest import make_project

    ctx = load(make_project(tmp_path / "projet").data)
    sample = sample_of(ctx)
    assert len([s for s in sample.sources.values() if s[2] == sample.n]) >= 2
    met = list(sample.sources.items())
    said = {
        plain(discussion(ctx, replace(sample, sources=dict(order))))
        for order in (met, met[::-1], met[1:] + met[:1])
    }
    assert len(said) == 1
