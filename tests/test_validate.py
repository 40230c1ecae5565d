"""Every validation rule, on copies of the fictional corpus with one defect each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ptce_mono.validate import Severity, validate_corpus

from .conftest import run_cli

SLUG = "vallons-fictifs"


def edit(project, old: str, new: str, file: str = "pole.yaml", slug: str = SLUG) -> Path:
    path = project.poles / slug / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} absent de {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def errors(project) -> list:
    return [p for p in validate_corpus(project).problems if p.severity is Severity.ERROR]


def test_clean_fictional_corpus_has_no_problem(project) -> None:
    report = validate_corpus(project)
    assert report.problems == ()
    assert len(report.poles) == 4


DEFECTS = [
    # (old, new, field, words in the message)
    ("  annee_formalisation: 2010", "  annee_formalisation: deux mille", "identite.annee_formalisation", "année"),
    ("  annee_formalisation: 2010", "  annee_formalisation: 1750", "identite.annee_formalisation", "invraisemblable"),
    ("  commune: Die", "  commune: Die\n  couleur: verte", "identite.couleur", "champ inconnu"),
    ("  code_postal: '26150'", "  code_postal: '69001'", "identite.code_postal", "ne correspond pas au département 26"),
    ("  code_postal: '26150'", "  code_postal: 26150", "identite.code_postal", "entre guillemets"),
    ("  region: Auvergne-Rhône-Alpes", "  region: Bretagne", "identite.region", "ne contient pas le département 26"),
    ("  famille_activite: production", "  famille_activite: agriculture", "classification.famille_activite", "valeur inconnue"),
    ("    a1: 4", "    a1: 7", "referentiel.scores.a1", "hors de l'échelle 1–4"),
    ("    a1: 4", "    z9: 4", "referentiel.scores.z9", "inconnu dans le référentiel 2012"),
    ("  version: '2012'", "  version: '1999'", "referentiel.version", "version de référentiel inconnue"),
    ("  part: 40", "  part: 70", "ressources.0.part", "totalisent 130 %"),
    ("  etp_animation: 2\n", "  etp_animation: 30\n", "emploi.1.etp_animation", "supérieurs aux ETP totaux"),
    ("  annee_formalisation: 2010", "  annee_formalisation: 2001", "identite.annee_formalisation", "antérieure au début"),
    ("  pole_temoin_2012: true", "  pole_temoin_2012: peut-être", "statut.pole_temoin_2012", "oui/non"),
    ("    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n", "    source: inconnue-2020\n    passage: fiche vallons-fictifs\n",
     "citations.identite.nom.source", "absente de la bibliographie"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "field", "words"), DEFECTS, ids=[d[2] + ":" + d[3] for d in DEFECTS]
)
def test_each_rule_names_the_file_the_line_and_the_field(project, old, new, field, words) -> None:
    path = edit(project, old, new)
    found = [p for p in errors(project) if p.field == field]
    assert found, [p.format() for p in errors(project)]
    problem = found[0]
    assert problem.path == path
    assert problem.line and problem.line > 1
    assert words in problem.message
    line = problem.format(project.root)
    assert line.startswith(f"data/poles/{SLUG}/pole.yaml:{problem.line}: {field}: ")


def test_malformed_yaml_is_one_french_line(project) -> None:
    path = edit(project, "  commune: Die", "  commune: [Die")
    problems = errors(project)
    assert len(problems) == 1
    assert problems[0].path == path
    assert "YAML mal formé" in problems[0].message


def test_narrative_rules(project) -> None:
    edit(project, "questions: [finalites-1", "questions: [finalites-9", file="finalites.md")
    edit(project, "[@rapport-fictif-2016, p. 3]", "[@source-fantome, p. 3]", file="finalites.md")
    (project.poles / SLUG / "notes-de-terrain.md").write_text("brouillon", encoding="utf-8")
    messages = {(p.path.name, p.field): p.message for p in errors(project)}
    assert "question « finalites-9 » inconnue" in messages[("finalites.md", "questions.0")]
    assert "source « source-fantome »" in messages[("finalites.md", "citation")]
    assert "aucune section de la grille" in messages[("notes-de-terrain.md", "fichier")]


def test_unsafe_folder_name_is_reported(project) -> None:
    shutil.copytree(project.poles / SLUG, project.poles / "Pôle Mal Nommé")
    found = [p for p in errors(project) if p.field == "dossier"]
    assert found and "nom de dossier « Pôle Mal Nommé » invalide" in found[0].message


def test_missing_required_name_and_uncited_fact(project) -> None:
    edit(project, "  nom: Pôle fictif des Vallons\n", "")
    edit(project, "  commune: Die", "  commune: Die\n  forme_juridique_bis: x")
    report = validate_corpus(project)
    fields = {p.field for p in report.errors}
    assert "identite.nom" in fields
    warned = validate_corpus(project).warnings
    assert all(p.severity is Severity.WARNING for p in warned)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("  commune: Die", "  commune: [Die", "YAML mal formé"),
        ("    a1: 4", "    a1: 7", "hors de l'échelle"),
        ("    a1: 4", "    z9: 4", "inconnu dans le référentiel"),
        ("  part: 40", "  part: 70", "130 %"),
    ],
)
def test_cli_validate_reports_defects_in_french_without_traceback(
    project, runner, old, new, words
) -> None:
    edit(project, old, new)
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if words in line]
    assert lines and lines[0].startswith(f"data/poles/{SLUG}/pole.yaml:")
    assert "erreur" in result.output


@pytest.mark.parametrize(
    ("slug", "words"), [("../x", "identifiant de pôle invalide"), ("inconnu", "pôle inconnu")]
)
def test_cli_validate_refuses_bad_slug_arguments(project, runner, slug, words) -> None:
    result = run_cli(runner, project, "validate", slug)
    assert result.exit_code == 1
    assert words in result.output
    assert "Traceback" not in result.output


def test_cli_validate_prints_the_summary(project, runner) -> None:
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 0
    assert "Pôles : 4 (4 valides)" in result.output
    assert "Sections documentées" in result.output
    assert "Faits renseignés : 122, dont 122 sourcés" in result.output
