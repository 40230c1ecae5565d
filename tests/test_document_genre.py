"""Every pole document says what it is, how it was made, within what limits and how to cite
it; the build writes the citation files next to the HTML and records them in the manifest
(real build: papermill, kernel, pandoc)."""

from __future__ import annotations

import json

import pytest

from ptce_mono.core.fingerprint import read_manifest

from .conftest import run_cli
from .test_fieldwork import ACCOUNT_BASE

pytestmark = pytest.mark.slow

WITH_ACCOUNTS = "vallons-fictifs"  # given fieldwork here (accounts entered from the pole)
DOCUMENTARY = "plateau-essai"


def markdown(project, slug: str) -> str:
    nb = json.loads((project.monographs / f"{slug}.ipynb").read_text(encoding="utf-8"))
    outs = [o for c in nb["cells"] for o in c.get("outputs", [])]
    text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outs)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner

    from .conftest import make_project

    project = make_project(tmp_path_factory.mktemp("genre") / "projet")
    (project.poles / WITH_ACCOUNTS / "comptes.yaml").write_text(ACCOUNT_BASE, encoding="utf-8")
    (project.data / "projet.yaml").write_text(
        "titre: Monographies fictives\nequipe:\n  - Équipe fictive des tests\n"
        "institution: Laboratoire fictif\nlicence: CC BY 4.0\nsite: https://exemple.invalid/ptce\n",
        encoding="utf-8",
    )
    result = run_cli(CliRunner(), project, "build", "--to", "html", "--sans-transversale",
                     WITH_ACCOUNTS, DOCUMENTARY)  # fmt: skip
    assert result.exit_code == 0, result.output
    return project


def test_the_genre_follows_the_evidence(built) -> None:
    documentary = markdown(built, DOCUMENTARY)
    assert "**Dossier documentaire** — " in documentary
    assert "C'est un document préparatoire à une monographie" in documentary
    assert "**Monographie** — " in markdown(built, WITH_ACCOUNTS)
    html = (built.monographs / f"{DOCUMENTARY}.html").read_text(encoding="utf-8")
    assert '<p class="surtitre">Dossier documentaire</p>' in html


def test_how_the_document_was_made_comes_first_with_its_limits(built) -> None:
    text = markdown(built, WITH_ACCOUNTS)
    made = text.split("## Comment ce document a été fait", 1)[1].split("\n## ", 1)[0]
    assert text.index("## Comment ce document a été fait") < text.index("## Fiche d'identité")
    assert "- **Corpus** : " in made and "comptes annuels de 1 exercice (2024)" in made
    assert "aucun entretien" in made and "aucune vague de questionnaire" in made
    assert "- **Équipe** : Équipe fictive des tests ; institution : Laboratoire fictif." in made
    assert "(version 2012)" not in made or "référentiel d'action des PTCE, version 2012" in made
    assert "**Limites.** Aucun entretien n'a été mené" in made
    assert "aucun compte annuel" not in made.split("**Limites.**")[1]  # accounts are there
    assert "les acteurs du pôle n'ont pas relu ce document." in made


def test_pour_citer_and_the_citation_files_written_by_the_build(built) -> None:
    text = markdown(built, DOCUMENTARY)
    cite = text.split("## Pour citer ce document", 1)[1]
    assert (
        "Équipe fictive des tests (20" in cite
        and "Dossier documentaire, Laboratoire fictif." in cite
    )
    assert f"<https://exemple.invalid/ptce/monographies/{DOCUMENTARY}.html>" in cite
    assert "*Colophon.* Produit le" in cite
    manifest = read_manifest(built.monographs, DOCUMENTARY)
    for suffix in ("bib", "ris", "csl.json"):
        path = built.monographs / f"{DOCUMENTARY}.{suffix}"
        assert path.is_file(), suffix
        assert manifest["outputs"][suffix] == str(path)
    assert "@techreport{plateau-essai," in (built.monographs / f"{DOCUMENTARY}.bib").read_text()
    html = (built.monographs / f"{DOCUMENTARY}.html").read_text(encoding="utf-8")
    assert f'href="{DOCUMENTARY}.bib"' in html and f'href="{DOCUMENTARY}.ris"' in html


def test_a_missing_citation_file_makes_the_document_stale(built) -> None:
    from click.testing import CliRunner

    (built.monographs / f"{DOCUMENTARY}.ris").unlink()
    result = run_cli(CliRunner(), built, "build", "--to", "html", "--sans-transversale",
                     WITH_ACCOUNTS, DOCUMENTARY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (built.monographs / f"{DOCUMENTARY}.ris").is_file()
    assert "Construits : 1 ; à jour : 1" in result.output
