"""Declared scores in the monographs: radar against the cohort with n, « effectif trop
faible » below the threshold (and out of the cohort median), evolution between waves."""

from __future__ import annotations

import json

import pytest

from ptce_mono.analysis.cohort import compute_cohort
from ptce_mono.corpus.answer_settings import Settings
from ptce_mono.corpus.records import load_corpus
from ptce_mono.corpus.referentiel import load_referentiel
from ptce_mono.importers.answers import import_answers

from .conftest import run_cli
from .participation_helpers import EXPORTS, network_project


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    project = network_project(tmp_path_factory.mktemp("reseau"))
    import_answers(project, [EXPORTS / "kobo.csv"])
    return project


def test_cohort_leaves_out_poles_below_threshold(network) -> None:
    corpus = load_corpus(network)
    ref = load_referentiel(network.referentiels, "2012")
    cohort = compute_cohort(corpus.poles, ref, Settings())
    assert cohort["poles"] == 3 and cohort["exclus"] == ["pole-fictif-004"]
    assert all(n == 3 for n in cohort["n"].values())
    # with a threshold of 2, the fourth pole enters the median and changes it
    lower = compute_cohort(corpus.poles, ref, Settings(minimum=2))
    assert lower["poles"] == 4 and lower["exclus"] == []
    assert lower["median"] != cohort["median"]
    # a threshold of 5 keeps only the poles with 5 respondents or more at their latest wave
    assert compute_cohort(corpus.poles, ref, Settings(minimum=5))["exclus"] == [
        "pole-fictif-003", "pole-fictif-004"]  # fmt: skip


def _outputs(project, slug: str) -> list[dict]:
    nb = json.loads((project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


@pytest.mark.slow
def test_monographs_show_declared_scores_with_n(network, runner) -> None:
    result = run_cli(runner, network, "build", "pole-fictif-001", "pole-fictif-004", "--to", "",
                     "--sans-transversale")  # fmt: skip
    assert result.exit_code == 0, result.output
    outs = _outputs(network, "pole-fictif-001")
    figures = {o["metadata"]["ptce"]["id"]: o["metadata"]["ptce"]["caption"]
               for o in outs if "image/svg+xml" in o.get("data", {})}  # fmt: skip
    # only two other poles are above the threshold: no comparison, and the page says why
    assert figures["fig-radar"] == ("Profil déclaré par les membres (vague 2025-03, 6 répondants)")
    text = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)
    assert "Pas encore de comparaison avec d'autres pôles : 2 autres pôles seulement sont" in text
    assert "Médiane des autres pôles" not in text
    # no category of 3 respondents: no breakdown, no divergence, and waves side by side
    assert "« déclaré par les membres »" in text and "Divergences marquées" not in text
    assert "aucune répartition par catégorie ne respecte ce seuil" in text
    assert "fig-evolution-vagues" not in figures and "### Deux vagues côte à côte" in text
    assert "Vague 2024-03 : 5 répondants ; vague 2025-03 : 6 répondants" in text
    # the scale, quoted and explained as the project's
    assert "« niveau 4 = probabilité importante »" in text
    assert "Explication du projet (ce n'est pas le texte de la source)" in text
    low = _outputs(network, "pole-fictif-004")
    low_text = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in low)
    assert "**Effectif trop faible** : 2 répondants à la vague 2025-03" in low_text
    assert "fig-radar" not in json.dumps([o.get("metadata") for o in low])


def test_vocabulary_defaults_are_the_committed_categories() -> None:
    """Without data/participation/categories.yaml, the categories a new project ships."""
    from ptce_mono.core.paths import ProjectPaths
    from ptce_mono.corpus.answer_settings import DEFAULT_VOCABULARY, load_vocabulary

    from .conftest import REPO

    assert load_vocabulary(ProjectPaths.at(REPO)) == DEFAULT_VOCABULARY


@pytest.mark.slow
def test_monograph_builds_without_the_categories_file(project, runner) -> None:
    (project.data / "participation" / "categories.yaml").unlink()
    result = run_cli(runner, project, "build", "scene-fictive", "--to", "", "--sans-transversale")
    assert result.exit_code == 0, result.output
    assert (project.monographs / "scene-fictive.ipynb").is_file()
