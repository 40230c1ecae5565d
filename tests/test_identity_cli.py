"""The project's identity file: ``new`` writes a commented one when the project has none (and
never replaces it); ``validate`` names its file and field when it is wrong."""

from __future__ import annotations

from ptce_mono.checks.validate import validate_corpus
from ptce_mono.corpus.identity import DEFAULT_IDENTITY, load_identity

from .conftest import run_cli


def test_new_writes_the_identity_file_once(project, runner) -> None:
    identity = project.data / "projet.yaml"
    identity.unlink(missing_ok=True)
    result = run_cli(runner, project, "new", "pole-neuf", "--nom", "Pôle neuf")
    assert result.exit_code == 0, result.output
    assert "Identité du projet créée : data/projet.yaml" in result.output
    loaded = load_identity(project.data)
    assert loaded != DEFAULT_IDENTITY and loaded.team == ("Équipe du projet (à compléter)",)
    assert validate_corpus(project).errors == ()
    identity.write_text("titre: T\nequipe: [Équipe X]\n", encoding="utf-8")
    result = run_cli(runner, project, "new", "pole-second", "--nom", "Pôle second")
    assert "Identité du projet" not in result.output
    assert identity.read_text(encoding="utf-8") == "titre: T\nequipe: [Équipe X]\n"


def test_validate_names_the_identity_file_and_field(project, runner) -> None:
    (project.data / "projet.yaml").write_text(
        "titre: T\nequipe: [Équipe X]\nsite: exemple.org\n", encoding="utf-8"
    )
    errors = validate_corpus(project).errors
    assert [(e.path.name, e.field, e.line) for e in errors] == [("projet.yaml", "site", 3)]
    result = run_cli(runner, project, "validate")
    assert result.exit_code != 0
    assert "projet.yaml:3" in result.output and "« site »" in result.output
    assert "Traceback" not in result.output
