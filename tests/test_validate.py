"""Every validation rule, on copies of the fictional corpus with one defect each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ptce_mono.checks.validate import Severity, corpus_from_report, validate_corpus

from .conftest import FIXTURES, run_cli

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
    assert report.errors == ()
    assert len(report.poles) == 4
    # only the « one truth for facts » warnings that the fictional corpus holds on purpose
    assert sorted((p.path.parent.name, p.field) for p in report.warnings) == [
        ("plateau-essai", "gouvernance.instances"),
        ("plateau-essai", "gouvernance.role_collectivites"),
        ("scene-fictive", "questions.1"),
    ]


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
    ("    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n", "    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n    lecture: intuition\n    note: n\n",
     "citations.identite.nom.lecture", "valeurs permises : identification, inference, codage"),
    ("    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n", "    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n    lecture: inference\n",
     "citations.identite.nom.note", "s'accompagne d'une note"),
    ("    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n", "    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n    lectrue: inference\n",
     "citations.identite.nom.lectrue", "clé inconnue dans une citation"),
    ("  passage: p. 4\n", "  passage: p. 4\n  lecture: devinette\n", "evenements.0.lecture", "valeur inconnue"),
    ("  passage: p. 4\n", "  passage: p. 4\n  lecture: codage\n", "evenements.0.note", "s'accompagne d'une note"),
]  # fmt: skip


# A total above 100 % is reported on the first resource of the year, not on the edited one; a
# missing key on the line of the entry that lacks it.
LINE_OF = {
    "ressources.0.part": "  part: 60",
    "citations.identite.nom.note": "  identite.nom:",
    "evenements.0.note": "- annee: 2005",
}


def expected_line(text: str, new: str, field: str) -> int:
    """The line of the defect: the line of ``new`` holding the field's key."""
    if field in LINE_OF:
        return text.splitlines().index(LINE_OF[field]) + 1
    start = text[: text.index(new)].count("\n")
    key = field.rsplit(".", 1)[-1]
    for offset, line in enumerate(new.splitlines()):
        if line.strip().startswith(f"{key}:"):
            return start + offset + 1
    raise AssertionError(f"{key} absent de {new!r}")


@pytest.mark.parametrize(
    ("old", "new", "field", "words"), DEFECTS, ids=[d[2] + ":" + d[3] for d in DEFECTS]
)
def test_each_rule_names_the_file_the_line_and_the_field(project, old, new, field, words) -> None:
    path = edit(project, old, new)
    found = [p for p in errors(project) if p.field == field]
    assert found, [p.format() for p in errors(project)]
    problem = found[0]
    assert problem.path == path
    assert problem.line == expected_line(path.read_text(encoding="utf-8"), new, field)
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
    edit(
        project,
        "  identite.commune:\n    source: rapport-fictif-2016\n    passage: fiche vallons-fictifs\n",
        "",
    )
    report = validate_corpus(project)
    assert [(p.field, p.line, p.message) for p in report.errors] == [
        ("identite.nom", 3, "champ obligatoire manquant")
    ]
    lines = (project.poles / SLUG / "pole.yaml").read_text(encoding="utf-8").splitlines()
    commune = lines.index("  commune: Die") + 1
    uncited = [p for p in report.problems if "fait sans source" in p.message]
    assert [(p.field, p.line, p.message, p.severity) for p in uncited] == [
        ("identite.commune", commune, "fait sans source (ajoutez-le à « citations »)",
         Severity.WARNING)
    ]  # fmt: skip


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
    assert (
        "Sections : 26 documentées, 2 partielles et 0 à documenter, sur 28 sections"
        in result.output
    )
    assert "Faits renseignés : 122, dont 122 sourcés" in result.output


def test_evidence_marker_with_an_unknown_id_names_the_narrative_and_its_line(project) -> None:
    folder = with_broken(project, "repere-inconnu")
    report = validate_corpus(project)
    [problem] = report.problems_of(folder)
    assert problem.severity is Severity.ERROR and problem.field == "référentiel"
    assert problem.path == folder / "leadership.md"
    assert "« z9 » inconnu dans le référentiel 2012" in problem.message
    line = problem.path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line.endswith("{réf. c2, z9}")


# --- The committed broken fixtures (tests/fixtures/broken/<défaut>/), one defect each ---

BROKEN = FIXTURES / "broken"
BROKEN_CASES = [
    # (folder, field, exact line text or None, words in the message)
    ("score-hors-echelle", "referentiel.scores.a1", "    a1: 7", "score 7 hors de l'échelle 1–4 du référentiel 2012"),
    ("indicateur-inconnu", "referentiel.scores.z9", "    z9: 4", "indicateur « z9 » inconnu dans le référentiel 2012"),
    ("parts-130", "ressources.0.part", "  part: 60", "les parts des ressources de 2014 totalisent 130 % (plus de 100 %)"),
    ("type-invalide", "identite.annee_formalisation", "  annee_formalisation: deux mille",
     "une année (nombre entier) est attendue, pas « deux mille »"),
    ("champ-inconnu", "identite.couleur", "  couleur: verte", "champ inconnu « couleur » (champs permis : nom,"),
    ("code-postal-incoherent", "identite.code_postal", "  code_postal: '69001'",
     "le code postal 69001 ne correspond pas au département 26 (attendu : 69)"),
    ("annee-invraisemblable", "identite.annee_debut_cooperation", "  annee_debut_cooperation: 1750",
     "année invraisemblable 1750 (attendu entre 1900 et"),
    ("source-inconnue", "citations.identite.nom.source", "    source: source-inconnue-2020",
     "source « source-inconnue-2020 » absente de la bibliographie"),
]  # fmt: skip


def with_broken(project, name: str) -> Path:
    folder = project.poles / name
    shutil.copytree(BROKEN / name, folder)
    return folder


@pytest.mark.parametrize(("name", "field", "line_text", "words"), BROKEN_CASES,
                         ids=[c[0] for c in BROKEN_CASES])  # fmt: skip
def test_broken_fixture_gives_exactly_its_error(project, name, field, line_text, words) -> None:
    folder = with_broken(project, name)
    report = validate_corpus(project)
    assert [p.field for p in report.errors] == [field], [p.format() for p in report.errors]
    problem = report.errors[0]
    assert problem.path == folder / "pole.yaml"
    assert words in problem.message
    lines = problem.path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == line_text
    assert report.invalid_slugs() == {name}
    assert [p for p in report.problems_of(folder) if p.severity is Severity.WARNING] == []


def test_broken_yaml_fixture_names_the_file_and_line(project) -> None:
    folder = with_broken(project, "yaml-malforme")
    report = validate_corpus(project)
    assert len(report.errors) == 1
    problem = report.errors[0]
    assert problem.path == folder / "pole.yaml"
    assert problem.line == 9  # the line after « commune: [Die », where YAML notices it
    assert problem.message == "YAML mal formé (crochet « ] » ou virgule manquant)"
    assert "yaml-malforme" not in {p.slug for p in report.poles}
    assert len(report.poles) == 4


def test_badly_named_folder_fixture(project) -> None:
    folder = with_broken(project, "Pole Mal Nommé")
    report = validate_corpus(project)
    assert [(p.path, p.field) for p in report.errors] == [(folder, "dossier")]
    assert "nom de dossier « Pole Mal Nommé » invalide" in report.errors[0].message
    assert report.invalid_slugs() == {"Pole Mal Nommé"}


def test_script_in_narrative_is_valid_data(project) -> None:
    folder = with_broken(project, "narratif-script")
    report = validate_corpus(project)
    assert report.problems_of(folder) == ()
    text = (project.poles / "narratif-script" / "leadership.md").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text


def test_corpus_from_report_keeps_only_valid_poles(project) -> None:
    for name in ("parts-130", "narratif-script"):
        with_broken(project, name)
    report = validate_corpus(project)
    corpus = corpus_from_report(project, report)
    slugs = [p.slug for p in corpus.poles]
    assert "parts-130" not in slugs and "narratif-script" in slugs
    assert len(slugs) == 5


def test_validate_only_named_poles(project) -> None:
    with_broken(project, "parts-130")
    report = validate_corpus(project, ["vallons-fictifs"])
    assert [p.slug for p in report.poles] == ["vallons-fictifs"] and report.problems == ()


def test_missing_pole_file(project) -> None:
    (project.poles / "dossier-vide").mkdir()
    found = [p for p in errors(project) if p.field == "fichier"]
    assert found and found[0].message == "fiche pole.yaml manquante"


MORE_RULES = [
    ("  site_web: https://vallons-fictifs.example.org", "  site_web: vallons.example.org",
     "identite.site_web", "adresse web invalide « vallons.example.org »"),
    ("  mois: 5", "  mois: 13", "evenements.1.mois", "valeur 13 supérieure au maximum 12"),
    ("  montant: 60000", "  montant: -5", "ressources.0.montant", "valeur -5 inférieure au minimum 0"),
    ("schema: 1", "schema: 2", "schema", "version de format inconnue « 2 »"),
    ("  departement: '26'", "  departement: '99'", "identite.departement", "code de département inconnu « 99 »"),
    ("- nom: Menuiserie imaginaire\n", "- famille_bis: x\n", "structures.1.nom", "champ obligatoire manquant"),
    ("  nom: Pôle fictif des Vallons", "  nom: ''", "identite.nom", "champ obligatoire vide"),
    ("mutualisations:\n- lieux", "mutualisations:\n- lieu", "mutualisations.0", "valeur inconnue « lieu »"),
    ("  instances:\n  - assemblée générale\n  - conseil de pôle\n", "  instances: assemblée générale\n",
     "gouvernance.instances", "une liste est attendue"),
    ("  identite.nom:\n", "  identite.surnom:\n", "citations.identite.surnom", "n'existe pas dans la fiche"),
    ("  etp: 20\n", "  etp: vingt\n", "emploi.1.etp", "un nombre est attendu, pas « vingt »"),
    ("  emplois_crees: 4\n", "  emplois_crees: 4.5\n", "emploi.1.emplois_crees", "un nombre entier est attendu"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "field", "words"), MORE_RULES,
                         ids=[r[2] + ":" + r[3] for r in MORE_RULES])  # fmt: skip
def test_more_schema_rules(project, old, new, field, words) -> None:
    edit(project, old, new)
    found = [p for p in errors(project) if p.field == field]
    assert found, [p.format() for p in errors(project)]
    assert words in found[0].message


def test_warnings_for_uncited_facts_and_incomplete_shares(project) -> None:
    edit(
        project,
        "  valeurs:\n    source: rapport-fictif-2016\n",
        "  valeurs_bis:\n    source: rapport-fictif-2016\n",
    )
    edit(project, "  part: 40", "  part: 30")
    report = validate_corpus(project)
    assert report.errors[0].field == "citations.valeurs_bis"
    warned = {p.field: p.message for p in report.warnings}
    assert warned["valeurs"] == "fait sans source (ajoutez-le à « citations »)"
    assert "les parts des ressources de 2014 totalisent 90 %" in warned["ressources.0.part"]
    assert all(p.format().count(": avertissement : ") == 1 for p in report.warnings)


def test_narrative_header_rules(project) -> None:
    edit(project, "questions: [finalites-1, finalites-2, finalites-3]",
         "questions: finalites-1\nauteur: x", file="finalites.md")  # fmt: skip
    found = {p.field: p for p in errors(project)}
    assert "une liste d'identifiants" in found["questions"].message
    assert found["auteur"].message == "champ d'en-tête inconnu (seul « questions » est permis)"
    assert found["auteur"].line == 3


def test_scores_and_citations_must_be_maps(project) -> None:
    """A survivor of the mutation check (``kind in`` → ``not in``): nothing tested these."""
    path = project.poles / SLUG / "pole.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["referentiel"]["scores"] = [4, 3]
    record["citations"] = "rapport"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {p.field: p for p in errors(project)}
    assert found["referentiel.scores"].message == "un dictionnaire indicateur: score est attendu"
    assert found["referentiel.scores"].line == lines.index("  scores:") + 1
    assert found["citations"].message == "un dictionnaire chemin: {source, passage} est attendu"
    assert found["citations"].line == lines.index("citations: rapport") + 1
