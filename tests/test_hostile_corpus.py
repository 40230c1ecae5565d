"""A corpus holding one pole of each hostile class, through ``validate``, ``build`` and ``site``;
and a build killed at random moments, then rebuilt. Real papermill, pandoc, Typst. Fictional
data only (copies of the fictional test corpus)."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from .conftest import make_project, run_cli
from .test_hostile_input import FORBIDDEN, HOSTILE_NARRATIVE, laughs

pytestmark = pytest.mark.slow

MODEL = "vallons-fictifs"
VALID = ["bassin-imaginaire", "plateau-essai", "scene-fictive", "vallons-fictifs"]


def copy_pole(project, slug: str, name: str) -> Path:
    folder = project.poles / slug
    shutil.copytree(project.poles / MODEL, folder)
    path = folder / "pole.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Pôle fictif des Vallons", name), encoding="utf-8")
    return folder


def hostile_corpus(tmp_path: Path):
    """The fictional corpus plus one pole per class; returns the project and, per bad pole,
    the file its report must name."""
    project = make_project(tmp_path / "projet")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    bad: dict[str, str] = {}

    folder = project.poles / "bombe-alias"
    folder.mkdir()
    (folder / "pole.yaml").write_text(laughs(9), encoding="utf-8")
    bad["bombe-alias"] = "data/poles/bombe-alias/pole.yaml"

    folder = project.poles / "etiquette-inconnue"
    folder.mkdir()
    (folder / "pole.yaml").write_text(
        "identite:\n  nom: !!python/object/apply:os.system ['true']\n", encoding="utf-8"
    )
    bad["etiquette-inconnue"] = "data/poles/etiquette-inconnue/pole.yaml"

    folder = project.poles / "non-utf8"
    folder.mkdir()
    (folder / "pole.yaml").write_bytes("identite:\n  nom: Pôle\n".encode("latin-1"))
    bad["non-utf8"] = "data/poles/non-utf8/pole.yaml"

    folder = copy_pole(project, "trop-volumineux", "Pôle Volumineux Fictif")
    with (folder / "pole.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * (2 * 1024 * 1024) + "\n")
    bad["trop-volumineux"] = "data/poles/trop-volumineux/pole.yaml"

    target = outside / "pole-exterieur"
    shutil.copytree(project.poles / MODEL, target)
    (target / "pole.yaml").write_text(
        (target / "pole.yaml")
        .read_text(encoding="utf-8")
        .replace("Pôle fictif des Vallons", "Pôle Exterieur Fictif"),
        encoding="utf-8",
    )
    (project.poles / "lien-dossier").symlink_to(target, target_is_directory=True)
    bad["lien-dossier"] = "data/poles/lien-dossier"

    folder = copy_pole(project, "lien-recit", "Pôle Au Recit Lie Fictif")
    (outside / "secret.md").write_text("Texte Confidentiel Exterieur.\n", encoding="utf-8")
    (folder / "gouvernance.md").unlink()
    (folder / "gouvernance.md").symlink_to(outside / "secret.md")
    bad["lien-recit"] = "data/poles/lien-recit/gouvernance.md"

    folder = copy_pole(project, "sans-fiche", "x")
    (folder / "pole.yaml").unlink()
    bad["sans-fiche"] = "data/poles/sans-fiche/pole.yaml"

    folder = copy_pole(project, "recit-titres", "Pôle Aux Titres Fictif")
    (folder / "gouvernance.md").write_text(HOSTILE_NARRATIVE, encoding="utf-8")
    copy_pole(project, "formule", "=1+1 Pôle Fictif")
    return project, bad


def check_output(text: str) -> None:
    for forbidden in (*FORBIDDEN, "Erreur inattendue", "Exterieur"):
        assert forbidden not in text, f"{forbidden!r} dans :\n{text}"


@pytest.mark.timeout(1800)
def test_one_pole_of_each_class(tmp_path: Path, runner) -> None:
    project, bad = hostile_corpus(tmp_path)

    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    check_output(result.output)
    for slug, file in bad.items():
        lines = [line for line in result.output.splitlines() if file in line]
        assert lines, f"{slug} : {file} absent de\n{result.output}"
    assert "hors du projet" in result.output and "alias" in result.output

    result = run_cli(runner, project, "build", "--to", "html")
    assert result.exit_code == 1, result.output
    check_output(result.output)
    for slug, file in bad.items():
        assert any(
            line.startswith(f"Échec : {slug} ") and file in line
            for line in result.output.splitlines()
        ), f"{slug} :\n{result.output}"
    for slug in [*VALID, "recit-titres", "formule", "analyse-transversale"]:
        assert (project.monographs / f"{slug}.html").is_file(), slug
    for slug in bad:
        assert not (project.monographs / f"{slug}.ipynb").exists(), slug

    # the narrative's headings stay below its section, outside the table of contents
    html = (project.monographs / "recit-titres.html").read_text(encoding="utf-8")
    toc = html.split('<nav id="TOC"', 1)[1].split("</nav>", 1)[0]
    assert "Un titre de niveau" not in toc and "sous-titre" not in toc
    assert "Modes de gouvernance du pôle" in toc
    # and « @pole_alpen » does not break the PDF
    result = run_cli(runner, project, "build", "recit-titres", "--to", "pdf")
    assert result.exit_code == 0, result.output
    assert (project.monographs / "recit-titres.pdf").read_bytes().startswith(b"%PDF")

    # nothing of the links leaving the project is published
    result = run_cli(runner, project, "site")
    check_output(result.output)
    for folder in (project.export, project.site, project.monographs):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".csv", ".json", ".html", ".ipynb"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert "Exterieur" not in text and "lien-dossier" not in text, path
    offered = (project.site / "donnees" / "poles.csv").read_text(encoding="utf-8")
    assert "'=1+1 Pôle Fictif" in offered


# --- crash test ---------------------------------------------------------------------------------


class _Html(HTMLParser):
    def error(self, message: str) -> None:  # pragma: no cover - old HTMLParser API
        raise ValueError(message)


def check_outputs_parse(monographs: Path) -> int:
    """Every output present parses; a temp folder is never an output."""
    checked = 0
    for path in monographs.rglob("*"):
        if not path.is_file() or any(part.startswith(".tmp") for part in path.parts):
            continue
        if path.suffix == ".ipynb":
            nbformat.validate(nbformat.read(path, as_version=4))
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            _Html().feed(text)
            assert text.rstrip().endswith("</html>"), path
        elif path.suffix == ".csv":
            rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
            assert rows and len({len(r) for r in rows}) == 1, path
        elif path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
        else:
            continue
        checked += 1
    return checked


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("seed", [14, 1401, 140142])
def test_build_killed_at_random_moments_then_rebuilt(tmp_path: Path, runner, seed: int) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "fixtures" / "corpus", corpus)
    for slug in ("scene-fictive", "bassin-imaginaire"):  # two poles keep the test short
        shutil.rmtree(corpus / "poles" / slug)
    project = make_project(tmp_path / "projet", corpus)
    binary = Path(sys.executable).with_name("ptce-mono")
    rng = random.Random(seed)
    for _kill in range(2):
        proc = subprocess.Popen(
            [str(binary), "--racine", str(project.root), "build", "--force", "-j", "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:  # killed at a random moment, unless the build ended before it
            proc.wait(timeout=rng.uniform(0.5, 25.0))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the build, its workers and their kernels
        proc.wait()
        if project.monographs.is_dir():
            check_outputs_parse(project.monographs)
    result = run_cli(runner, project, "build")
    assert result.exit_code == 0, result.output
    assert check_outputs_parse(project.monographs) >= 3 * 3  # ipynb, html, pdf of 2 poles + 1
    for stem in ("plateau-essai", "vallons-fictifs", "analyse-transversale"):
        for ext in ("ipynb", "html", "pdf"):
            assert (project.monographs / f"{stem}.{ext}").is_file(), (stem, ext)
    assert not list(project.monographs.glob(".tmp-*"))
