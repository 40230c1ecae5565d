"""`ptce-mono build`: incremental, fault-isolated, locked batch over the fictional corpus."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from ptce_mono.core.lock import build_lock

from .conftest import run_cli

pytestmark = pytest.mark.slow

NO_RENDER = ("--to", "", "--sans-transversale")


def slugs_of(project) -> list[str]:
    return sorted(p.name for p in project.poles.iterdir() if (p / "pole.yaml").is_file())


def built_at(project, slug: str) -> str:
    return json.loads((project.monographs / f"{slug}.manifest.json").read_text(encoding="utf-8"))[
        "built_at"
    ]


def test_second_build_rebuilds_nothing_and_one_edit_rebuilds_one_pole(project, runner) -> None:
    first = run_cli(runner, project, "build", *NO_RENDER)
    assert first.exit_code == 0, first.output
    slugs = slugs_of(project)
    for slug in slugs:
        nb = nbformat.read(project.monographs / f"{slug}.ipynb", as_version=4)
        headings = [
            o["data"]["text/markdown"]
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.get("data", {}).get("text/markdown", "").startswith("## ")
        ]
        assert any("1. Finalités du pôle" in h for h in headings)
        assert any("7. Impacts sur l'emploi et les territoires" in h for h in headings)
        assert not any(
            o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", [])
        )

    second = run_cli(runner, project, "build", *NO_RENDER)
    assert second.exit_code == 0
    assert "Rien à reconstruire" in second.output
    assert f"à jour : {len(slugs)}" in second.output

    edited = slugs[0]
    narrative = project.poles / edited / "gouvernance.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", encoding="utf-8"
    )
    third = run_cli(runner, project, "build", *NO_RENDER)
    assert third.exit_code == 0
    assert "Construits : 1" in third.output
    assert f"[1/1] {edited}" in third.output
    text = (project.monographs / f"{edited}.ipynb").read_text(encoding="utf-8")
    assert "Un paragraphe ajouté." in text


def test_broken_pole_does_not_stop_the_others_and_keeps_its_last_good_monograph(
    project, runner
) -> None:
    assert run_cli(runner, project, "build", *NO_RENDER).exit_code == 0
    slugs = slugs_of(project)
    broken, data_broken = slugs[0], slugs[1]
    good_before = (project.monographs / f"{broken}.ipynb").read_bytes()

    # 1. the template raises for one pole (in a section of the grid)
    template = project.template_notebook
    nb = nbformat.read(template, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("ptce", {}).get("section") == "gouvernance":
            cell.source = (
                f'if slug == "{broken}":\n    raise RuntimeError("tableau des instances illisible")\n'
                + cell.source
            )
    nbformat.write(nb, template)
    # 2. another pole's record becomes malformed YAML
    pole_yaml = project.poles / data_broken / "pole.yaml"
    pole_yaml.write_text(
        pole_yaml.read_text(encoding="utf-8") + "\nidentite: [oups\n", encoding="utf-8"
    )

    result = run_cli(runner, project, "build", *NO_RENDER)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        f"Échec : {broken} [section gouvernance] : RuntimeError : tableau des instances illisible"
        in result.output
    )
    # the unreadable record is named, file and line, with the reason
    assert f"Échec : {data_broken} [section fiche] : data/poles/{data_broken}/pole.yaml:" in (
        result.output
    )
    assert "YAML mal formé" in result.output
    others = [s for s in slugs if s not in (broken, data_broken)]
    assert f"Construits : {len(others)}" in result.output
    assert (project.monographs / f"{broken}.ipynb").read_bytes() == good_before
    manifest = json.loads(
        (project.monographs / f"{broken}.manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["status"] == "echec" and manifest["section"] == "gouvernance"

    # a failed pole is tried again at the next build (and fails again), the others are up to date
    again = run_cli(runner, project, "build", *NO_RENDER)
    assert again.exit_code == 1
    assert f"à jour : {len(others)}" in again.output


def test_two_builds_cannot_interleave(project, runner) -> None:
    with build_lock(project.monographs):
        result = run_cli(runner, project, "build", *NO_RENDER)
    assert result.exit_code == 1
    assert "une autre construction est en cours" in result.output
    assert "Traceback" not in result.output


def test_unknown_and_unsafe_slugs_are_refused(project, runner) -> None:
    for slug, words in (("inconnu", "pôle inconnu"), ("../x", "identifiant de pôle invalide")):
        result = run_cli(runner, project, "build", slug, *NO_RENDER)
        assert result.exit_code == 1
        assert words in result.output
        assert "Traceback" not in result.output


def test_same_inputs_give_the_same_notebook(project, runner, tmp_path: Path) -> None:
    slug = slugs_of(project)[0]
    assert run_cli(runner, project, "build", slug, *NO_RENDER).exit_code == 0
    first = (project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8")
    assert run_cli(runner, project, "build", slug, "--force", "-j", "1", *NO_RENDER).exit_code == 0
    assert (project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8") == first


def test_one_edited_narrative_reruns_that_pole_and_the_transversal_analysis_only(
    project, runner
) -> None:
    first = run_cli(runner, project, "build", "--to", "")
    assert first.exit_code == 0, first.output
    transversal = (project.monographs / "analyse-transversale.ipynb").read_text(encoding="utf-8")
    assert "Panorama des pôles" in transversal
    package = json.loads((project.export / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]][:2] == ["poles", "structures"]
    assert (project.export / "poles.csv").read_text(encoding="utf-8").count("\n") == 5  # 4 + header
    narrative = project.poles / "scene-fictive" / "impacts.md"
    narrative.write_text(
        narrative.read_text(encoding="utf-8") + "\nUn impact de plus.\n", encoding="utf-8"
    )
    second = run_cli(runner, project, "build", "--to", "")
    assert second.exit_code == 0, second.output
    assert "Construits : 2" in second.output
    rebuilt = {
        line.split("]")[1].split(":")[0].strip()
        for line in second.output.splitlines()
        if line.startswith("[")
    }
    assert rebuilt == {"scene-fictive", "analyse-transversale"}


def test_workers_are_started_ahead_only_when_the_build_surely_runs_several_notebooks(
    project,
) -> None:
    """Before validation, the build starts its workers (and kernels) only for a forced build of
    several poles or a first build (no manifest yet); an incremental build waits for its plan."""
    from ptce_mono.pipeline.build import _builds_everything

    assert _builds_everything(project, None, force=False)  # never built
    assert _builds_everything(project, None, force=True)
    assert _builds_everything(project, {"a", "b"}, force=True)
    assert not _builds_everything(project, {"a"}, force=True)
    assert not _builds_everything(project, {"a", "b"}, force=False)
    project.monographs.mkdir(parents=True, exist_ok=True)
    (project.monographs / "a.manifest.json").write_text("{}", encoding="utf-8")
    assert not _builds_everything(project, None, force=False)
    assert _builds_everything(project, None, force=True)
