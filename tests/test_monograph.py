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
        "## État de la documentation",
        "## Sources",
        "## Comment ce document a été fait",
        "## Pour citer ce document",
    ):
        assert heading in text
    figures = {o["metadata"]["ptce"]["id"] for o in outs if "image/svg+xml" in o.get("data", {})}
    # employment is documented for 2 years only: a table, no chart of fewer than 3 values
    assert figures == {
        "fig-chronologie",
        "fig-composition",
        "fig-ressources",
        "fig-preuves",
        "fig-radar",
    }
    assert all(o["metadata"]["ptce"]["alt"] for o in outs if "image/svg+xml" in o.get("data", {}))
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
    # sources: the record's bibliography as CSL-JSON for citeproc, without any file name
    bibliographies = [
        o for o in outs if o.get("metadata", {}).get("ptce", {}).get("kind") == "bibliography"
    ]
    assert len(bibliographies) == 1
    entries = bibliographies[0]["data"]["application/vnd.citationstyles.csl+json"]
    assert any(
        e["title"].startswith("Rapport d'enquête fictif sur quatre pôles imaginaires")
        for e in entries
    )
    assert not any("copie-de-travail" in str(e) or ".txt" in str(e) for e in entries)
    assert "copie-de-travail" not in text
    assert "[@" in text  # narratives' citations left to citeproc


def test_narratives_are_escaped_and_private_parts_never_shown(built) -> None:
    text = markdown_of(outputs(built, "vallons-fictifs"))
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text
    assert "NOTE-PRIVEE" not in text  # HTML comments and private fields
    assert "Camille Fictive-Privée" not in text
    assert "Une anecdote fictive conclut ce récit." in text


def test_open_questions_are_gathered_in_the_documentation_state(built) -> None:
    text = markdown_of(outputs(built, "plateau-essai"))
    state = text.split("## État de la documentation", 1)[1]
    assert "Quelle place les citoyens occupent-ils dans la gouvernance" in state
    assert "Aucun score déclaré par les membres n'est documenté pour ce pôle" in text
    # guiding questions are printed only in « État de la documentation »
    before = text.split("## État de la documentation", 1)[0]
    assert "Quelle place les citoyens occupent-ils" not in before


def test_documented_sections_end_with_the_referentiel_reading(built) -> None:
    outs = outputs(built, "vallons-fictifs")
    text = markdown_of(outs).replace("\u00a0", " ").replace("\u202f", " ")
    gouvernance = text.split("## 5. Modes de gouvernance du pôle", 1)[1].split("\n## ", 1)[0]
    reading = gouvernance.split("#### Au regard du référentiel", 1)[1]
    assert "Lecture proposée par l'équipe de recherche" in reading
    assert (
        "**f. Mettre en œuvre une gouvernance citoyenne des activités et des projets**" in reading
    )
    assert "f1 (« construire la stratégie du PTCE selon le principe d'équivalence" in reading
    assert "c1 (« construire avec les pouvoirs publics des partenariats" in reading
    assert "{réf." not in text
    figures = [o["metadata"]["ptce"] for o in outs if "image/svg+xml" in o.get("data", {})]
    evidence = next(f for f in figures if f["id"] == "fig-preuves")
    assert "a 1, b 0, c 1, d 0, e 1, f 1, g 0, h 0, i 0" in evidence["alt"]
    captions = [o.get("metadata", {}).get("ptce", {}).get("caption", "") for o in outs]
    assert "Fiche d'identité du Pôle fictif des Vallons" in captions
