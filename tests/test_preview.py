"""``ptce-mono preview``: validate one pole, build it, print (and here not open) its HTML."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli


@pytest.mark.slow
def test_preview_builds_one_pole_and_prints_its_html(project, runner):
    result = run_cli(
        runner, project, "preview", "scene-fictive", "--to", "html", "--sans-navigateur"
    )
    assert result.exit_code == 0, result.output
    html = project.monographs / "scene-fictive.html"
    assert f"Monographie : {html}" in result.output
    assert html.is_file() and "<html" in html.read_text(encoding="utf-8").lower()
    assert not (project.monographs / "plateau-essai.html").exists()  # only that pole
    again = run_cli(
        runner, project, "preview", "scene-fictive", "--to", "html", "--sans-navigateur"
    )
    assert again.exit_code == 0
    assert "à jour : 1" in again.output

    # A failing build keeps the previous monograph and says so.
    nb = json.loads(project.template_notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("ptce", {}).get("section") == "impacts":
            cell["source"] = 'raise RuntimeError("panne voulue")\n'
    project.template_notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    before = html.read_bytes()
    failed = run_cli(
        runner, project, "preview", "scene-fictive", "--to", "html", "--sans-navigateur"
    )
    assert failed.exit_code == 1
    assert "Échec : scene-fictive [section impacts]" in failed.output
    assert "La monographie précédente reste disponible" in failed.output
    assert html.read_bytes() == before


def test_preview_refuses_an_invalid_record(project, runner):
    (project.poles / "plateau-essai" / "pole.yaml").write_text(
        "schema: 1\nidentite: {nom: X, code_postal: '1'}\n", encoding="utf-8"
    )
    result = run_cli(runner, project, "preview", "plateau-essai", "--sans-navigateur")
    assert result.exit_code == 1
    assert "code postal invalide" in result.output
    assert "1 erreur dans la fiche de « plateau-essai » : corrigez-la" in result.output
    assert not (project.monographs / "plateau-essai.ipynb").exists()


def test_preview_names_the_shared_file_in_error(project, runner):
    """An error in a file shared by every pole (the grid) is not counted as the pole's."""
    (project.data / "grille.yaml").write_text("sections: 3\n", encoding="utf-8")
    result = run_cli(runner, project, "preview", "plateau-essai", "--sans-navigateur")
    assert result.exit_code == 1
    assert "dans le fichier commun data/grille.yaml : corrigez-" in result.output
    assert "dans la fiche de « plateau-essai »" not in result.output


def test_preview_unknown_or_unsafe_slug(project, runner):
    result = run_cli(runner, project, "preview", "inconnu", "--sans-navigateur")
    assert result.exit_code == 1
    assert "Erreur : pôle inconnu « inconnu »" in result.output
    result = run_cli(runner, project, "preview", "../x", "--sans-navigateur")
    assert result.exit_code == 1
    assert "identifiant de pôle invalide" in result.output
