"""Notebook hygiene: pairing with the py:percent text form, stripping, and the checks."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from ptce_mono.pipeline.hygiene import (
    check_notebooks,
    paired_text_path,
    project_notebooks,
    sync_notebooks,
)

from .conftest import REPO, run_cli


def _pair(tmp_path: Path) -> Path:
    """A copy of a paired notebook of the repository, with jupytext.toml, in tmp_path."""
    source = REPO / "templates" / "monographie.ipynb"
    folder = "templates"
    if not source.is_file():
        source, folder = REPO / "notebooks" / "01-exemple-exploration.ipynb", "notebooks"
    (tmp_path / folder).mkdir()
    shutil.copy2(REPO / "jupytext.toml", tmp_path / "jupytext.toml")
    notebook = tmp_path / folder / source.name
    shutil.copy2(source, notebook)
    shutil.copy2(paired_text_path(source), paired_text_path(notebook))
    return notebook


def _touch_after(newer: Path, older: Path) -> None:
    stamp = older.stat().st_mtime
    os.utime(newer, (stamp + 10, stamp + 10))


def _code_cells(notebook: Path) -> list[dict]:
    return [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            if c["cell_type"] == "code"]  # fmt: skip


def test_repository_notebooks_are_clean_and_paired():
    notebooks = project_notebooks(REPO)
    assert REPO / "notebooks" / "01-exemple-exploration.ipynb" in notebooks
    assert check_notebooks(notebooks) == []
    for notebook in notebooks:
        assert paired_text_path(notebook).is_file()


def test_text_edit_is_synced_into_the_notebook(tmp_path):
    notebook = _pair(tmp_path)
    text = paired_text_path(notebook)
    ids_before = [c["id"] for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]]
    assert check_notebooks([notebook]) == []
    text.write_text(text.read_text(encoding="utf-8") + "\n# %%\nprint('ajout du texte')\n",
                    encoding="utf-8")  # fmt: skip
    _touch_after(text, notebook)
    problems = check_notebooks([notebook])
    assert problems == [f"{notebook}: désynchronisé de sa forme texte {text.name}"]

    changes = sync_notebooks([text])
    assert changes == [f"{notebook}: mis à jour depuis {text.name}"]
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[-1]["source"]) == "print('ajout du texte')"
    assert [c["id"] for c in cells[:-1]] == ids_before  # ids kept: stable diffs
    assert check_notebooks([notebook]) == []
    assert sync_notebooks([notebook]) == []  # idempotent


def test_notebook_edit_with_outputs_is_synced_and_stripped(tmp_path):
    notebook = _pair(tmp_path)
    text = paired_text_path(notebook)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].append({
        "cell_type": "code", "id": "ajout-ipynb", "execution_count": 7,
        "metadata": {"ExecuteTime": {"start": "2026-01-01"}, "tags": ["remove-input"]},
        "outputs": [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}],
        "source": ["print(6 * 7)"],
    })  # fmt: skip
    nb["metadata"]["widgets"] = {"état": 1}
    nb["metadata"].setdefault("language_info", {})["version"] = "3.11.9"
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    _touch_after(notebook, text)

    problems = "\n".join(check_notebooks([notebook]))
    assert f"sorties enregistrées (cellules {len(nb['cells'])})" in problems
    assert "numéros d'exécution enregistrés" in problems
    assert "métadonnées instables (widgets, language_info.version" in problems
    assert "ExecuteTime" in problems
    assert "désynchronisé" in problems

    sync_notebooks([notebook])
    assert "print(6 * 7)" in text.read_text(encoding="utf-8")
    assert 'tags=["remove-input"]' in text.read_text(encoding="utf-8")
    last = _code_cells(notebook)[-1]
    assert last["outputs"] == [] and last["execution_count"] is None
    assert last["metadata"] == {"tags": ["remove-input"]} and last["id"] == "ajout-ipynb"
    stripped = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    assert "widgets" not in stripped and "version" not in stripped.get("language_info", {})
    assert check_notebooks([notebook]) == []


def test_missing_or_broken_files_are_reported(tmp_path):
    notebook = _pair(tmp_path)
    text = paired_text_path(notebook)
    text.unlink()
    assert check_notebooks([notebook]) == [f"{notebook}: forme texte appariée {text.name} absente"]
    sync_notebooks([notebook])
    assert text.is_file() and check_notebooks([notebook]) == []
    notebook.write_text("{pas du json", encoding="utf-8")
    assert "notebook illisible" in check_notebooks([notebook])[0]


def test_jupytext_config_pairs_only_templates_and_notebooks():
    from jupytext.config import load_jupytext_configuration_file

    config = load_jupytext_configuration_file(str(REPO / "jupytext.toml"))
    for folder in ("templates", "notebooks"):
        formats = config.default_formats(str(REPO / folder / "x.ipynb"))
        assert formats == f"{folder}///ipynb,{folder}///py:percent"
    assert config.default_formats(str(REPO / "monographs" / "x.ipynb")) is None
    fixture = config.default_formats(str(REPO / "tests" / "fixtures" / "notebooks" / "x.ipynb"))
    assert "py:percent" not in (fixture or "")


def test_pre_commit_hooks_match_pinned_versions():
    pins = dict(
        re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$",
                   (REPO / "requirements" / "constraints.txt").read_text(encoding="utf-8"), re.M)
    )  # fmt: skip
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    revs = {repo["repo"].rsplit("/", 1)[-1]: repo["rev"] for repo in config["repos"]}
    assert revs["jupytext"].lstrip("v") == pins["jupytext"]
    assert revs["nbstripout"].lstrip("v") == pins["nbstripout"]
    assert revs["ruff-pre-commit"].lstrip("v") == pins["ruff"]
    hooks = {h["id"] for repo in config["repos"] for h in repo["hooks"]}
    assert {"jupytext", "nbstripout", "ruff"} <= hooks


def test_notebooks_command(project, runner, tmp_path):
    shutil.copy2(REPO / "jupytext.toml", project.root / "jupytext.toml")
    example = project.root / "notebooks" / "01-exemple-exploration.ipynb"
    if not example.is_file():
        pytest.skip("notebook d'exemple absent de la copie du projet")
    nb = json.loads(example.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
    cell["execution_count"] = 1
    example.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    result = run_cli(runner, project, "notebooks", "--verifier")
    assert result.exit_code == 1
    assert "sorties enregistrées" in result.output
    assert "ptce-mono notebooks --synchroniser" in result.output
    result = run_cli(runner, project, "notebooks", "--synchroniser")
    assert result.exit_code == 0, result.output
    assert "sorties et métadonnées instables retirées" in result.output
    result = run_cli(runner, project, "notebooks")
    assert result.exit_code == 0, result.output
    assert "en ordre" in result.output
