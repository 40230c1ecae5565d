"""The monograph template and the analysis grid agree: every grid section has its cell, every
cell names a known section; otherwise validate and build refuse, naming the section and the
template file (a section without a cell used to be left out of every monograph silently)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ptce_mono.checks.template_cells import read_template_cells, template_issues
from ptce_mono.checks.validate import validate_corpus
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.grid import load_grid

from .conftest import REPO, run_cli

TEMPLATE = "templates/monographie.ipynb"


def add_grid_section(project: ProjectPaths, section_id: str) -> None:
    """A new section in the project's grid, copied from the last one."""
    grid = yaml.safe_load(project.grid_file.read_text(encoding="utf-8"))
    new = dict(grid["sections"][-1], id=section_id, numero=len(grid["sections"]) + 1)
    new["titre"] = "Essaimage et transmission"
    new["questions"] = [{"id": f"{section_id}-1", "texte": "Le pôle a-t-il essaimé ?"}]
    grid["sections"].append(new)
    project.grid_file.write_text(yaml.safe_dump(grid, allow_unicode=True), encoding="utf-8")


def edit_template(project: ProjectPaths, change) -> None:
    notebook = json.loads(project.template_notebook.read_text(encoding="utf-8"))
    change(notebook["cells"])
    project.template_notebook.write_text(json.dumps(notebook), encoding="utf-8")


def code_cell(source: str, section: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "id": f"x-{section}",
            "metadata": {"ptce": {"section": section}}, "outputs": [], "source": source}  # fmt: skip


def template_errors(project: ProjectPaths) -> list[str]:
    report = validate_corpus(project, use_cache=False)
    return [p.format(project.root) for p in report.errors if p.path == project.template_notebook]


def test_the_repository_template_shows_every_grid_section_once() -> None:
    grid = load_grid(REPO / "data" / "grille.yaml")
    cells = read_template_cells(REPO / TEMPLATE)
    assert template_issues(cells, grid.section_ids) == []
    shown = [s for c in cells for s in c.shown]
    assert sorted(shown) == sorted(grid.section_ids)


def test_a_grid_section_without_a_cell_is_refused_by_validate_and_build(project, runner) -> None:
    add_grid_section(project, "essaimage")
    errors = template_errors(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{TEMPLATE}: cellules: la section « essaimage »")
    assert "n'a pas de cellule dans le modèle" in errors[0]
    assert 'm.show_section(ctx, "essaimage")' in errors[0]
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert TEMPLATE in result.output and "« essaimage »" in result.output
    build = run_cli(runner, project, "build", "--to", "html")
    assert build.exit_code != 0
    assert "Traceback" not in build.output
    assert TEMPLATE in build.output and "« essaimage »" in build.output
    assert not list(project.monographs.glob("*.html"))


def test_the_new_section_is_accepted_once_its_cell_is_added(project) -> None:
    add_grid_section(project, "essaimage")

    def add_cell(cells: list) -> None:
        at = next(i for i, c in enumerate(cells) if c["metadata"].get("ptce", {}).get("section")
                  == "impacts") + 1  # fmt: skip
        cells.insert(at, code_cell('m.show_section(ctx, "essaimage")', "essaimage"))

    edit_template(project, add_cell)
    assert template_errors(project) == []


def test_a_removed_cell_is_named(project) -> None:
    edit_template(
        project,
        lambda cells: cells.remove(
            next(c for c in cells if c["metadata"].get("ptce", {}).get("section") == "gouvernance")
        ),
    )
    errors = template_errors(project)
    assert len(errors) == 1 and "la section « gouvernance » de la grille" in errors[0], errors


def test_a_cell_naming_an_unknown_section_is_refused(project, runner) -> None:
    edit_template(project, lambda cells: cells.append(
        code_cell('m.show_section(ctx, "essaimage")', "essaimage")))  # fmt: skip
    errors = template_errors(project)
    assert len(errors) == 1, errors
    number = len(json.loads(project.template_notebook.read_text("utf-8"))["cells"])
    assert errors[0].startswith(f"{TEMPLATE}: cellule {number}: la cellule montre la section")
    assert "« essaimage », absente de la grille d'analyse (sections : finalites," in errors[0]
    build = run_cli(runner, project, "build", "--to", "html")
    assert build.exit_code != 0 and "« essaimage »" in build.output


def test_unknown_metadata_mismatch_and_duplicates_are_named(project) -> None:
    def change(cells: list) -> None:
        cells.append(code_cell("m.show_sources(ctx)", "annexes"))  # a part nobody knows
        cells.append(code_cell('m.show_section(ctx, "origine")', "finalites"))  # says otherwise

    edit_template(project, change)
    errors = template_errors(project)
    assert any("métadonnée ptce.section « annexes » inconnue" in e for e in errors), errors
    assert any("montre la section « origine » mais sa métadonnée ptce.section vaut « finalites »"
               in e for e in errors), errors  # fmt: skip
    assert any("la section « origine » est montrée par plusieurs cellules" in e for e in errors)
    assert len(errors) == 3, errors


def test_a_cell_composing_a_section_from_smaller_calls_counts_by_its_metadata(project) -> None:
    def change(cells: list) -> None:
        cell = next(c for c in cells if c["metadata"].get("ptce", {}).get("section") == "impacts")
        cell["source"] = 'm.show_section_heading(ctx, "impacts")\nm.show_narrative(ctx, "impacts")'

    edit_template(project, change)
    assert template_errors(project) == []


def test_an_unreadable_template_is_one_french_problem(tmp_path: Path, project) -> None:
    project.template_notebook.write_text("{pas du json", encoding="utf-8")
    errors = template_errors(project)
    assert errors == [f"{TEMPLATE}: modèle de notebook illisible (JSONDecodeError)"]
