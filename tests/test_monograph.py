"""The monograph template executed on the fictional corpus: content along the grid."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli

pytestmark = pytest.mark.slow


def outputs(project, slug: str) -> list[dict]:
    nb = json.loads((project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


def markdown_of(outs: list[dict]) -> str:
    return "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)


@pytest.fixture
def built(project, runner):
    narrative = project.poles / "vallons-fictifs" / "finalites.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8")
        + "\n\nInjection : <script>alert(1)</script> <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    record = project.poles / "vallons-fictifs" / "pole.yaml"
    text = record.read_text(encoding="utf-8")
    text = text.replace(
        "  identite.commune:\n    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n",
        "  identite.commune:\n    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n"
        "    lecture: identification\n    note: Commune lue sur le plan fictif du rapport.\n",
    )
    text = text.replace(
        "  libelle: Premières rencontres entre l'atelier et la menuiserie\n",
        "  libelle: Premières rencontres entre l'atelier et la menuiserie\n"
        "  lecture: inference\n  note: Année déduite d'un « il y a dix ans » fictif.\n",
    )
    record.write_text(text, encoding="utf-8")
    result = run_cli(runner, project, "build", "--to", "", "--sans-transversale")
    assert result.exit_code == 0, result.output
    return project


def test_readings_of_the_project_are_marked_next_to_the_fact(built) -> None:
    text = markdown_of(outputs(built, "vallons-fictifs"))
    assert "*(lecture du projet : identification)*" in text  # next to the commune
    assert "*(lecture du projet : inférence)*" in text  # in the chronology's source column
    assert "**Lectures du projet.**" in text
    plain = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "- Commune — lecture du projet : identification : Commune lue sur le plan" in plain
    assert "- Événement 1 — lecture du projet : inférence : Année déduite" in plain
    other = markdown_of(outputs(built, "plateau-essai"))
    assert "lecture du projet" not in other


def test_every_section_of_the_grid_with_facts_and_charts(built) -> None:
    outs = outputs(built, "vallons-fictifs")
    text = markdown_of(outs)
    for heading in (
        "## 1. Finalités du pôle",
        "## 2. Origine de la coopération et conditions d'émergence",
        "## 3. Facteurs internes et externes de structuration en pôle",
        "## 4. Leadership et parties prenantes",
        "## 5. Modes de gouvernance du pôle",
        "## 6. Modèles économiques et financements",
        "## 7. Impacts sur l'emploi et les territoires",
        "## Profil au regard du référentiel d'action (version 2012)",
        "## Sources",
        "## Provenance",
    ):
        assert heading in text
    figures = {o["metadata"]["ptce"]["id"] for o in outs if "image/png" in o.get("data", {})}
    assert figures == {
        "fig-chronologie",
        "fig-composition",
        "fig-ressources",
        "fig-emploi",
        "fig-radar",
    }
    assert all(o["metadata"]["ptce"]["alt"] for o in outs if "image/png" in o.get("data", {}))
    tables = {
        o["metadata"]["ptce"]["id"]
        for o in outs
        if o.get("metadata", {}).get("ptce", {}).get("kind") == "table"
    }
    assert {
        "tbl-identite",
        "tbl-structures",
        "tbl-ressources",
        "tbl-emploi",
        "tbl-indicateurs",
    } <= tables
    # French number formats: 1,5 ETP of animation out of 18 in 2014 -> 8 %
    assert "| 2014 | 18,0 | 1,5 | 8\u202f% |" in text
    assert "60\u202f000\u00a0€" in text
    # sources: the bibliography of the record, with the passages cited
    assert "Rapport d'enquête fictif sur quatre pôles imaginaires" in text


def test_narratives_are_escaped_and_private_parts_never_shown(built) -> None:
    text = markdown_of(outputs(built, "vallons-fictifs"))
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text
    assert "NOTE-PRIVEE" not in text  # HTML comments and private fields
    assert "Camille Fictive-Privée" not in text
    assert "Une anecdote fictive conclut ce récit." in text


def test_undocumented_questions_are_stated(built) -> None:
    text = markdown_of(outputs(built, "plateau-essai"))
    assert "Aucun récit n'a encore été rédigé pour cette section." in text
    assert "Questions directrices encore non documentées pour ce pôle" in text
    assert "Aucun score du référentiel n'est documenté pour ce pôle" in text
