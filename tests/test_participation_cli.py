"""The participation commands: questionnaire, import answers, restitution, compare."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import run_cli
from .participation_helpers import EXPORTS, network_project


@pytest.fixture
def network(tmp_path):
    return network_project(tmp_path)


def test_questionnaire_writes_three_files(network, runner) -> None:
    result = run_cli(runner, network, "questionnaire", "pole-fictif-002", "--vague", "2026-03")
    assert result.exit_code == 0, result.output
    folder = network.root / "questionnaires" / "2026-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "pole-fictif-002.pdf", "pole-fictif-002.xlsform.xlsx", "pole-fictif-002.xlsx"]  # fmt: skip
    assert "3 fichiers dans" in result.output


def test_questionnaire_refuses_a_bad_wave(network, runner) -> None:
    result = run_cli(runner, network, "questionnaire", "--vague", "printemps")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Erreur : vague « printemps » invalide : une vague est une campagne datée, sous la forme "
        "AAAA-MM ou AAAA-MM-JJ (ex. « 2025-03 »)."
    )


def test_import_answers_then_again(network, runner) -> None:
    kobo = str(EXPORTS / "kobo.csv")
    result = run_cli(runner, network, "import", "answers", kobo)
    assert result.exit_code == 0, result.output
    assert "pole-fictif-001, vague 2025-03 : 6 réponses ajoutées (6 en tout)" in result.output
    again = run_cli(runner, network, "import", "answers", kobo)
    lines = again.output.strip().splitlines()
    assert lines[-1] == "31 réponses déjà enregistrées : inchangées."
    # the identity columns of the export are named, never read
    assert [line.split(" : colonne ")[1].split(" ignorée")[0] for line in lines[:-1]] == [
        "« contact/courriel »", "« _submitted_by »"]  # fmt: skip
    assert all(line.startswith("Remarque : ") and ", ligne 1" in line for line in lines[:-1])


def test_import_error_is_one_french_report_without_traceback(network, runner, tmp_path) -> None:
    bad = tmp_path / "lime.csv"
    text = (EXPORTS / "limesurvey.csv").read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(text[:2]) + "\n", encoding="utf-8")
    result = run_cli(runner, network, "import", "answers", str(bad), "--vague", "2025")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.strip() == (
        "Erreur : import des réponses refusé (un problème) ; aucune réponse n'a été enregistrée :\n"
        f"{bad}:2: vague « 2025 » invalide (AAAA-MM ou AAAA-MM-JJ attendu)"
    )
    assert not list(network.poles.glob("*/referentiel/*.yaml"))


def test_restitution_is_two_pages(network, runner) -> None:
    run_cli(runner, network, "import", "answers", str(EXPORTS / "limesurvey.csv"))
    result = run_cli(runner, network, "restitution", "pole-fictif-001")
    assert result.exit_code == 0, result.output
    folder = network.monographs / "restitutions"
    reader = PdfReader(folder / "pole-fictif-001.pdf")
    assert len(reader.pages) == 2
    first = reader.pages[0].extract_text()
    second = reader.pages[1].extract_text()
    assert "Votre profil par objectif" in first
    # two other poles only are above the threshold: no comparison yet, and it is said
    assert "Pas encore de comparaison avec d’autres pôles : 2 autres pôles seulement sont" in (
        " ".join(first.split())
    )
    # no category of pole-fictif-001 has 3 respondents: no breakdown, no divergence
    assert "Seules les catégories d’au moins 3 répondants" in second
    assert "Divergences marquées" not in second and "discussion collective" in second
    # 5 then 6 respondents, no category of 3 in either wave: two snapshots, not an evolution
    assert "Deux vagues côte à côte" in second and "2024-03" in second
    assert "aucun répondant n’est identifié dans les deux vagues" in " ".join(second.split())
    assert "Évolution" not in second and "Tendance" not in second
    html = (folder / "pole-fictif-001.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Questions pour la discussion collective" in html
    low = run_cli(runner, network, "restitution", "pole-fictif-004")
    assert low.exit_code == 0
    text = PdfReader(folder / "pole-fictif-004.pdf").pages[0].extract_text()
    assert "Effectif trop faible" in text


def test_restitution_without_answers(network, runner) -> None:
    result = run_cli(runner, network, "restitution", "pole-fictif-001")
    assert result.exit_code == 1
    assert "aucune réponse au questionnaire du référentiel pour le pôle « pole-fictif-001 »" in (
        result.output
    )


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Equipe", "GIT_AUTHOR_EMAIL": "equipe" + "@exemple.invalid",
           "GIT_COMMITTER_NAME": "Equipe", "GIT_COMMITTER_EMAIL": "equipe" + "@exemple.invalid"}  # fmt: skip
    if date:
        env |= {"GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE": f"{date}T12:00:00"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_compare_lists_changed_indicators_and_sections(network, runner) -> None:
    run_cli(runner, network, "import", "answers", str(EXPORTS / "kobo.csv"))
    root = network.root
    _git(root, "init", "-q")
    _git(root, "add", "data")
    _git(root, "commit", "-q", "-m", "fiches", date="2024-01-15")
    narrative = network.poles / "pole-fictif-001" / "gouvernance.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nLe collège des habitants "
                         "fictifs a été créé.\n", encoding="utf-8")  # fmt: skip
    _git(root, "commit", "-q", "-am", "récit", date="2024-11-02")
    result = run_cli(
        runner, network, "compare", "pole-fictif-001", "--vagues", "2024-03", "2025-03"
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "vague 2024-03 (n = 5) → vague 2025-03 (n = 6)" in out
    assert "aucun répondant n'est identifié dans les deux vagues" in out
    # e2 went 2,5 → 4,0 over fewer than 3 respondents at a wave: a small cell, never shown
    assert "Indicateurs dont la médiane a changé (4) :" in out and "  h1 : 2,0 → 3,5" in out
    assert "e2 :" not in out
    assert "Sections de la fiche modifiées (1) :" in out
    assert "5. Modes de gouvernance du pôle : 8 mots changés" in out
    page = network.monographs / "comparaisons" / "pole-fictif-001-2024-03-2025-03.html"
    html = page.read_text(encoding="utf-8")
    assert "<ins>" in html and "habitants" in html and "h1." in html and "e2." not in html
    assert "deux photographies" in html and "aucun répondant n’est identifié" in html


def test_compare_unknown_wave(network, runner) -> None:
    run_cli(runner, network, "import", "answers", str(EXPORTS / "kobo.csv"))
    result = run_cli(
        runner, network, "compare", "pole-fictif-001", "--vagues", "2024-03", "2023-01"
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Erreur : vague « 2023-01 » inconnue pour le pôle « pole-fictif-001 » (vagues "
        "enregistrées : 2024-03, 2025-03)."
    )
