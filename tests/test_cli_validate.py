"""``ptce-mono validate`` through the click CLI: one French line per problem, no traceback."""

from __future__ import annotations

import re
import shutil

import pytest

from .conftest import FIXTURES, run_cli

BROKEN = FIXTURES / "broken"
FIELDS = {
    "score-hors-echelle": "referentiel.scores.a1",
    "indicateur-inconnu": "referentiel.scores.z9",
    "parts-130": "ressources.0.part",
    "type-invalide": "identite.annee_formalisation",
    "champ-inconnu": "identite.couleur",
    "code-postal-incoherent": "identite.code_postal",
    "annee-invraisemblable": "identite.annee_debut_cooperation",
    "source-inconnue": "citations.identite.nom.source",
}
# The line of each fixture's defect (tests/fixtures/broken/<name>/pole.yaml).
LINES = {
    "score-hors-echelle": 129,  # "    a1: 7"
    "indicateur-inconnu": 156,  # "    z9: 4"
    "parts-130": 72,  # "  part: 60"
    "type-invalide": 14,  # "  annee_formalisation: deux mille"
    "champ-inconnu": 9,  # "  couleur: verte"
    "code-postal-incoherent": 9,  # "  code_postal: '69001'"
    "annee-invraisemblable": 13,  # "  annee_debut_cooperation: 1750"
    "source-inconnue": 169,  # "    source: source-inconnue-2020"
}
PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<field>[\w.]+): (?P<message>.+)$")


def problem_lines(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"data/poles/{name}/")]


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_each_broken_fixture_fails_with_one_line_naming_file_and_field(project, runner, name):
    shutil.copytree(BROKEN / name, project.poles / name)
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = problem_lines(result.output, name)
    assert len(lines) == 1, result.output
    match = PROBLEM_LINE.match(lines[0])
    assert match, lines[0]
    assert match["path"] == f"data/poles/{name}/pole.yaml"
    assert match["field"] == FIELDS[name]
    assert int(match["line"]) == LINES[name]
    assert "1 erreur : corrigez les fiches indiquées ci-dessus." in result.output
    assert "Pôles : 5 (4 valides)" in result.output


def test_malformed_yaml_fixture(project, runner) -> None:
    shutil.copytree(BROKEN / "yaml-malforme", project.poles / "yaml-malforme")
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = problem_lines(result.output, "yaml-malforme")
    assert len(lines) == 1
    assert lines[0] == (
        "data/poles/yaml-malforme/pole.yaml:9: YAML mal formé (crochet « ] » ou virgule manquant)"
    )


def test_badly_named_folder_fixture(project, runner) -> None:
    shutil.copytree(BROKEN / "Pole Mal Nommé", project.poles / "Pole Mal Nommé")
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "Pole Mal Nommé" in line]
    assert lines[0].startswith("data/poles/Pole Mal Nommé: dossier: nom de dossier")


def test_narrative_with_script_is_valid(project, runner) -> None:
    shutil.copytree(BROKEN / "narratif-script", project.poles / "narratif-script")
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 0, result.output
    assert "Pôles : 5 (5 valides)" in result.output


def test_every_problem_is_listed_when_several_poles_are_broken(project, runner) -> None:
    for name in FIELDS:
        shutil.copytree(BROKEN / name, project.poles / name)
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    for name, field in FIELDS.items():
        assert any(f": {field}: " in line for line in problem_lines(result.output, name)), name
    assert f"{len(FIELDS)} erreurs : corrigez" in result.output


def test_unsafe_slug_argument(project, runner) -> None:
    result = run_cli(runner, project, "validate", "../x")
    assert result.exit_code == 1
    assert "Erreur : identifiant de pôle invalide « ../x »" in result.output
    assert "Traceback" not in result.output


def test_unknown_slug_argument(project, runner) -> None:
    result = run_cli(runner, project, "validate", "inconnu")
    assert result.exit_code == 1
    assert "Erreur : pôle inconnu « inconnu »" in result.output
    assert "Traceback" not in result.output


def test_clean_corpus_passes_with_the_summary(project, runner) -> None:
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 0, result.output
    assert "Pôles : 4 (4 valides)" in result.output
    assert "Sections : " in result.output and "à documenter, sur" in result.output
    assert "Faits renseignés :" in result.output and "sourcés" in result.output
    assert "Erreurs : 0 ; avertissements : 3" in result.output
    assert "Traceback" not in result.output


def test_named_pole_only(project, runner) -> None:
    shutil.copytree(BROKEN / "parts-130", project.poles / "parts-130")
    result = run_cli(runner, project, "validate", "vallons-fictifs")
    assert result.exit_code == 0, result.output
    assert "Pôles : 1 (1 valide)\n" in result.output
    result = run_cli(runner, project, "validate", "parts-130")
    assert result.exit_code == 1


def test_warnings_are_shown_on_request_and_do_not_fail(project, runner) -> None:
    shares = project.poles / "vallons-fictifs" / "pole.yaml"
    shares.write_text(shares.read_text(encoding="utf-8").replace("  part: 40", "  part: 30", 1))
    quiet = run_cli(runner, project, "validate", "vallons-fictifs")
    assert quiet.exit_code == 0
    assert "avertissement :" not in quiet.output
    assert "avertissements : 1" in quiet.output
    loud = run_cli(runner, project, "validate", "vallons-fictifs", "--avertissements")
    assert loud.exit_code == 0
    warned = [line for line in loud.output.splitlines() if "avertissement :" in line]
    assert len(warned) == 1
    assert warned[0].startswith("data/poles/vallons-fictifs/pole.yaml:")
    assert ": ressources.0.part: avertissement : les parts des ressources de 2014" in warned[0]


def test_facts_and_narratives_that_disagree_are_warnings_with_file_and_line(
    project, runner
) -> None:
    result = run_cli(runner, project, "validate", "--avertissements")
    assert result.exit_code == 0
    warned = [line for line in result.output.splitlines() if "avertissement :" in line]
    assert (
        "data/poles/scene-fictive/gouvernance.md:2: questions.1: avertissement : le récit dit "
        "répondre à la question « gouvernance-2 », mais ses champs (gouvernance.place_citoyens) "
        "sont vides dans pole.yaml"
    ) in "\n".join(warned)
    assert any(
        line.startswith("data/poles/plateau-essai/pole.yaml:")
        and ": gouvernance.role_collectivites: avertissement : fait renseigné qu'aucun récit ne "
        "mentionne (gouvernance.md)"
        in line
        for line in warned
    )


def test_broken_grid_is_one_french_line(project, runner) -> None:
    project.grid_file.write_text("sections: [\n", encoding="utf-8")
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "data/grille.yaml:" in result.output and "YAML mal formé" in result.output
