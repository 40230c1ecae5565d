"""The fictional pole of the demo corpus (issue 26): fieldwork anyone can look at (coded
interviews, accounts citing their document, answers to the référentiel questionnaire), labelled
fictional wherever it appears, never counted among the real PTCE."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ptce_mono.analysis.cohort import compute_cohort
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.accounts import load_accounts
from ptce_mono.corpus.answer_settings import load_settings
from ptce_mono.corpus.excerpts import load_interviews, published_excerpts
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.records import load_corpus, load_pole
from ptce_mono.corpus.referentiel import DEFAULT_VERSION, load_referentiel
from tests.conftest import REPO, make_project, run_cli

SLUG = "pole-fictif-demonstration"
FOLDER = REPO / "data" / "poles" / SLUG


def test_the_demo_holds_a_fictional_pole_with_fieldwork() -> None:
    grid = load_grid(REPO / "data" / "grille.yaml")
    pole = load_pole(FOLDER, grid)
    assert pole.fictional and "fictif" in pole.name.lower()
    interviews = load_interviews(FOLDER, grid.section_ids)
    assert len(interviews) == 2 and len(published_excerpts(interviews)) >= 4
    accounts = load_accounts(FOLDER)
    assert accounts is not None and len(accounts.years) == 3
    assert {y.source for y in accounts.years} <= {d.id for d in pole.local_bibliography}
    assert sorted(p.name for p in (FOLDER / "referentiel").glob("*.yaml")) == [
        "2024-03.yaml",
        "2025-03.yaml",
    ]
    # obviously fictional: every document, every file says so
    assert all("fictif" in d.title for d in pole.local_bibliography)
    for path in FOLDER.rglob("*.yaml"):
        head = path.read_text(encoding="utf-8").splitlines()[0].upper()
        assert "FICTI" in head, path


def test_a_fictional_pole_is_labelled_even_when_its_name_does_not_say_so(tmp_path: Path) -> None:
    grid = load_grid(REPO / "data" / "grille.yaml")
    folder = tmp_path / "data" / "poles" / "pole-imaginaire"
    folder.mkdir(parents=True)
    (folder / "pole.yaml").write_text(
        "schema: 1\nfictif: true\nidentite:\n  nom: Pôle de la Lande\n", encoding="utf-8"
    )
    assert load_pole(folder, grid).name == "Pôle de la Lande (pôle fictif)"


def test_the_fictional_pole_never_enters_the_cohort() -> None:
    paths = ProjectPaths.at(REPO)
    corpus = load_corpus(paths)
    ref = load_referentiel(paths.referentiels, DEFAULT_VERSION)
    fictional = [p for p in corpus.poles if p.fictional]
    assert [p.slug for p in fictional] == [SLUG]
    cohort = compute_cohort(corpus.poles, ref, load_settings(paths))
    # the only pole with answers is the fictional one: as a PTCE it would count (n = 1)
    assert cohort["poles"] == 0
    as_real = [p for p in corpus.poles if p.slug != SLUG]
    assert compute_cohort(as_real, ref, load_settings(paths))["poles"] == 0


def test_the_transversal_analysis_leaves_it_out_and_says_so(tmp_path: Path) -> None:
    from ptce_mono.documents import transversal

    ctx = transversal.load(REPO / "data")
    assert SLUG not in {p.slug for p in ctx.poles}
    assert ctx.fictional == (SLUG,) and SLUG not in ctx.excluded
    from unittest.mock import patch  # capture what the title cell shows

    shown: list[str] = []
    with patch.object(transversal, "_md", shown.append):
        transversal.show_title(ctx)
    assert "Pôle fictif de démonstration laissé de côté, jamais compté parmi les PTCE" in shown[0]
    assert f"n = {len(ctx.poles)} pôles" in shown[0]


@pytest.mark.slow
def test_site_and_data_package_label_it_and_never_count_it(demo_built: ProjectPaths) -> None:
    page = (demo_built.site / "poles" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "Monographie fictive de démonstration" in page and "Pôle fictif." in page
    index = (demo_built.site / "index.html").read_text(encoding="utf-8")
    real = sum(1 for p in (REPO / "data" / "poles").iterdir()
               if (p / "pole.yaml").is_file() and p.name != SLUG)  # fmt: skip
    assert f"<dt>Pôles étudiés</dt><dd>{real}</dd>" in index
    monograph = (demo_built.monographs / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "Pôle fictif." in monograph and "Paroles d’acteurs" in monograph
    assert "entretien du 3\u00a0avril 2025" in monograph
    transversal = (demo_built.monographs / "analyse-transversale.html").read_text(encoding="utf-8")
    assert "Val de Brume" not in transversal

    package = demo_built.export
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    poles = next(r for r in descriptor["resources"] if r["name"] == "poles")
    assert "fictif" in [f["name"] for f in poles["schema"]["fields"]]
    with (package / "poles.csv").open(encoding="utf-8") as handle:
        rows = {r["pole"]: r for r in csv.DictReader(handle)}
    assert rows[SLUG]["fictif"] == "True" and "fictif" in rows[SLUG]["nom"].lower()
    assert all(r["fictif"] == "False" for slug, r in rows.items() if slug != SLUG)


def test_fictional_pole_in_a_copied_project_validates(tmp_path: Path, runner) -> None:
    paths = make_project(tmp_path / "projet", REPO / "data")
    result = run_cli(runner, paths, "validate", SLUG)
    assert result.exit_code == 0, result.output
    assert "Pôles : 1 (1 valide, dont 1 fictif de démonstration)" in result.output


def test_the_fieldwork_of_the_fictional_pole_is_regenerated_by_its_script(tmp_path: Path) -> None:
    """scripts/generer-terrain-pole-fictif.py writes the committed interviews and answers (same
    excerpts, choices and respondents), and leaves no private table behind."""
    import importlib.util
    import shutil

    from ptce_mono.corpus.answer_store import load_wave

    root = tmp_path / "projet"
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("prive", "export"))
    spec = importlib.util.spec_from_file_location(
        "generer", REPO / "scripts" / "generer-terrain-pole-fictif.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(root)
    grid = load_grid(REPO / "data" / "grille.yaml")

    def interviews(folder: Path) -> list[tuple[object, ...]]:
        return [
            (i.document, i.role, i.date, i.consent, e.id, e.section, e.text, e.retained)
            for i in load_interviews(folder, grid.section_ids)
            for e in i.excerpts
        ]

    made = root / "data" / "poles" / SLUG
    assert interviews(made) == interviews(FOLDER)
    assert not (root / "data" / "prive" / SLUG).exists()
    for wave in ("2024-03", "2025-03"):
        ours, committed = load_wave(made, wave), load_wave(FOLDER, wave)
        assert [(r.id, r.answers) for r in ours.respondents] == [
            (r.id, r.answers) for r in committed.respondents
        ]
