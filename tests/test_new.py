"""``ptce-mono new``: a valid, commented pole folder; unsafe or taken slugs refused in French."""

from __future__ import annotations

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.records import load_pole, strip_comments

from .conftest import run_cli


def test_new_pole_validates_without_errors(project, runner):
    result = run_cli(
        runner, project, "new", "pole-neuf", "--nom", "Pôle « neuf » d'essai",
        "--commune", "Millau", "--code-postal", "12100",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Pôle créé" in result.output
    folder = project.poles / "pole-neuf"
    grid = load_grid(project.grid_file)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["pole.yaml", *(s.filename for s in grid.sections)]
    )
    report = validate_corpus(project, ["pole-neuf"])
    assert report.errors == ()
    pole = load_pole(folder, grid)
    assert pole.name == "Pôle « neuf » d'essai"
    assert pole.get("identite.departement") == "12"  # derived from the postal code
    assert pole.get("identite.region") == "Occitanie"
    for section in grid.sections:
        narrative = pole.narratives[section.id]
        raw = narrative.path.read_text(encoding="utf-8")
        assert section.title in raw
        assert all(q.text in raw for q in section.questions)
        assert narrative.is_empty  # guidance lives in comments only: nothing is published
        assert strip_comments(narrative.doc.body).strip() == ""
    assert "citations" in (folder / "pole.yaml").read_text(encoding="utf-8")
    assert not [p for p in project.poles.iterdir() if p.name.startswith(".")]  # no temp left
    assert run_cli(runner, project, "validate", "pole-neuf").exit_code == 0


def test_existing_slug_is_refused(project, runner):
    before = (project.poles / "plateau-essai" / "pole.yaml").read_text(encoding="utf-8")
    result = run_cli(runner, project, "new", "plateau-essai", "--nom", "Autre")
    assert result.exit_code == 1
    assert "existe déjà" in result.output
    assert (project.poles / "plateau-essai" / "pole.yaml").read_text(encoding="utf-8") == before


def test_unsafe_slugs_are_refused_in_french(project, runner):
    for slug in ("../x", "Pôle", "a/b", ""):
        result = run_cli(runner, project, "new", slug, "--nom", "X")
        assert result.exit_code == 1, slug
        assert "Erreur : identifiant de pôle invalide" in result.output
        assert "Traceback" not in result.output
    assert not (project.data / "x").exists()
    assert sorted(p.name for p in project.poles.iterdir()) == sorted(
        ["bassin-imaginaire", "plateau-essai", "scene-fictive", "vallons-fictifs"]
    )


def test_bad_values_leave_nothing_behind(project, runner):
    result = run_cli(runner, project, "new", "pole-faux", "--nom", "X", "--code-postal", "1234")
    assert result.exit_code == 1
    assert "code postal invalide" in result.output
    assert not (project.poles / "pole-faux").exists()
    assert not [p for p in project.poles.iterdir() if p.name.startswith(".")]
    result = run_cli(runner, project, "new", "pole-faux", "--nom", "X", "--departement", "999")
    assert result.exit_code == 1
    assert "département inconnu" in result.output
