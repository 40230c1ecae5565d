"""The chain a user runs, as a user runs it: ``ptce-mono build`` (default formats, HTML and
PDF, the project's own renderer) then ``ptce-mono site``, on the fictional corpus.

One build is shared by the checks of this module (module-scoped fixture); the last test breaks
one pole on purpose and checks that its previous outputs survive.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from ptce_mono.core.paths import ProjectPaths

from .conftest import FIXTURES, make_project
from .pdftext import pdf_text, pdf_texts, squash
from .privacy_oracle import normalise, published_text

pytestmark = pytest.mark.slow

PTCE_MONO = str(Path(sys.executable).parent / "ptce-mono")
# Stable facts of the fictional corpus (tests/fixtures/corpus): names and narrative sentences.
NAMES = {
    "vallons-fictifs": "Pôle fictif des Vallons",
    "bassin-imaginaire": "Coopérative imaginaire du Bassin",
    "scene-fictive": "Scène coopérative fictive",
    "plateau-essai": "Pôle d'essai du Plateau",
}
SENTENCE = "Le pôle fictif veut créer des activités utiles et des emplois durables"  # finalites.md
VALLONS_SENTENCES = (
    "La coopération est née de rencontres informelles entre quelques structures fictives",
    "Une anecdote fictive conclut ce récit.",
)  # origine.md of vallons-fictifs, around its private comment
BROKEN = "scene-fictive"


def ptce(root: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the installed ``ptce-mono`` command, as typed in a terminal."""
    return subprocess.run(
        [PTCE_MONO, "--racine", str(root), *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


# The private keys of a record, as the researchers' guide names them (written here, not taken
# from ptce_mono.corpus.schema: the scan must not trust the code it checks).
PRIVATE_KEYS = ("contacts", "entretiens", "notes")


def private_values(corpus: Path) -> list[str]:
    """Every private value of the fixture corpus: string leaves under the private keys of each
    record (contacts, entretiens, notes) and the HTML comments of the narratives (but the
    guiding questions, which come from the public grid)."""
    values: set[str] = set()

    def leaves(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                leaves(value)
        elif isinstance(node, list):
            for value in node:
                leaves(value)
        elif isinstance(node, str) and len(node) >= 8:
            values.add(node)

    for folder in sorted((corpus / "poles").iterdir()):
        record = yaml.safe_load((folder / "pole.yaml").read_text(encoding="utf-8"))
        for key in PRIVATE_KEYS:
            leaves(record.get(key))
        for narrative in folder.glob("*.md"):
            for comment in re.findall(r"<!--(.*?)-->", narrative.read_text("utf-8"), re.DOTALL):
                if not comment.strip().startswith("Questions directrices"):
                    values.add(comment.strip())
    return sorted(values)


PRIVATE = private_values(FIXTURES / "corpus")


def test_the_fixture_corpus_has_private_values_to_look_for() -> None:
    for expected in ("Camille Fictive-Privée", "NOTE-PRIVEE-VALLONS : propos confidentiels.",
                     "NOTE-PRIVEE-BASSIN : hypothèse de travail non publiable.",
                     "NOTE-PRIVEE-COMMENTAIRE : à ne jamais publier."):  # fmt: skip
        assert expected in PRIVATE


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """``ptce-mono build`` with its default formats, then ``ptce-mono site``."""
    project = make_project(tmp_path_factory.mktemp("bout-en-bout") / "projet")
    build = ptce(project.root, "build", "-j", "2")
    assert build.returncode == 0, build.stdout + build.stderr
    assert "Construits : 5 ; à jour : 0 ; en échec : 0" in build.stdout, build.stdout
    site = ptce(project.root, "site")
    assert site.returncode == 0, site.stdout + site.stderr
    return project


def section_titles(project: ProjectPaths) -> list[str]:
    grid = yaml.safe_load((project.data / "grille.yaml").read_text(encoding="utf-8"))
    return [f"{s['numero']}. {s['titre']}" for s in grid["sections"]]


def test_every_monograph_pdf_shows_its_pole_a_narrative_and_the_grid(built: ProjectPaths) -> None:
    titles = section_titles(built)
    assert len(titles) == 7
    for slug, name in NAMES.items():
        manifest = json.loads(built.monographs.joinpath(f"{slug}.manifest.json").read_text("utf-8"))
        assert manifest["status"] == "ok"
        assert manifest["engine"] == "embedded"  # the project's renderer (no Quarto here)
        assert Path(manifest["outputs"]["pdf"]) == built.monographs / f"{slug}.pdf"
        text = squash(pdf_text(built.monographs / f"{slug}.pdf"))
        assert squash(name) in text, slug
        assert squash(SENTENCE) in text, slug
        for title in titles:
            assert squash(title) in text, (slug, title)


def test_every_monograph_html_shows_its_pole_and_the_grid(built: ProjectPaths) -> None:
    titles = section_titles(built)
    for slug, name in NAMES.items():
        soup = BeautifulSoup(built.monographs.joinpath(f"{slug}.html").read_text("utf-8"),
                             "html.parser")  # fmt: skip
        assert squash(name) in squash(soup.find("h1").get_text()), slug
        headings = [squash(h.get_text()) for h in soup.find_all(["h1", "h2", "h3"])]
        for title in titles:
            assert any(h.startswith(squash(title)) for h in headings), (slug, title)
        assert squash(SENTENCE) in squash(soup.get_text())


def test_site_page_and_site_pdf_carry_the_monograph(built: ProjectPaths) -> None:
    slug = "vallons-fictifs"
    page = BeautifulSoup((built.site / "poles" / f"{slug}.html").read_text("utf-8"), "html.parser")
    assert squash(NAMES[slug]) in squash(page.find("h1").get_text())
    document = squash(page.find(class_="document").get_text())
    for sentence in (SENTENCE, *VALLONS_SENTENCES):
        assert squash(sentence) in document
    link = page.find("a", href=f"../pdf/{slug}.pdf")
    assert link is not None, "lien vers le PDF absent de la page du pôle"
    site_pdf = built.site / "pdf" / f"{slug}.pdf"
    assert site_pdf.read_bytes() == (built.monographs / f"{slug}.pdf").read_bytes()
    text = squash(pdf_text(site_pdf))
    for sentence in (NAMES[slug], *VALLONS_SENTENCES):
        assert squash(sentence) in text


def published(project: ProjectPaths) -> list[Path]:
    return [p for folder in (project.site, project.monographs) for p in sorted(folder.rglob("*"))
            if p.is_file() and ".tmp-" not in str(p)]  # fmt: skip


def test_no_private_value_in_any_published_pdf(built: ProjectPaths) -> None:
    pdfs = [p for p in published(built) if p.suffix == ".pdf"]
    # 5 monographs (4 poles + transversal analysis), in monographs/ and in site/pdf/
    assert len(pdfs) == 10, pdfs
    for path in pdfs:
        text = squash(pdf_texts(path))
        assert squash("Pôle") in text, f"texte du PDF illisible : {path}"
        for value in PRIVATE:
            assert squash(value) not in text, f"{value!r} dans {path}"


def test_no_private_value_in_any_other_published_file(built: ProjectPaths) -> None:
    files = [p for p in published(built) if p.suffix != ".pdf"]
    assert len(files) > 30
    assert any(p.suffix == ".csv" for p in files) and any(p.suffix == ".html" for p in files)
    for path in files:
        if path.name.startswith("."):  # lock files: never published
            continue
        text = published_text(path)  # gzip (search index) decompressed, notebooks, DOCX…
        if text is None:
            continue
        content = normalise(text)
        for value in PRIVATE:
            assert normalise(value) not in content, f"{value!r} dans {path}"


def test_demo_on_a_built_project_rebuilds_nothing_and_publishes(built: ProjectPaths) -> None:
    result = ptce(built.root, "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pôles : 4 (4 valides)" in result.stdout
    assert "Rien à reconstruire : tout est à jour." in result.stdout
    assert f"Site écrit dans {built.site}" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_failed_rebuild_keeps_the_previous_pdf_html_and_their_record(built: ProjectPaths) -> None:
    """Runs last: it breaks the template for one pole."""
    outputs = {fmt: built.monographs / f"{BROKEN}.{fmt}" for fmt in ("ipynb", "html", "pdf")}
    before = {fmt: path.read_bytes() for fmt, path in outputs.items()}
    manifest_path = built.monographs / f"{BROKEN}.manifest.json"
    manifest_before = json.loads(manifest_path.read_text(encoding="utf-8"))
    template = nbformat.read(built.template_notebook, as_version=4)
    broken_cells = [c for c in template.cells if c.metadata.get("ptce", {}).get("section")]
    assert broken_cells, "aucune cellule de section dans le modèle"
    broken_cells[0].source = (
        f'if slug == "{BROKEN}":\n    raise RuntimeError("panne voulue")\n' + broken_cells[0].source
    )
    nbformat.write(template, built.template_notebook)
    failed = ptce(built.root, "build", BROKEN)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"Échec : {BROKEN}" in failed.stderr and "panne voulue" in failed.stderr
    assert "Traceback" not in failed.stderr
    for fmt, path in outputs.items():
        assert path.read_bytes() == before[fmt], f"{path.name} remplacé après un échec"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["status"] == "echec"
    assert "panne voulue" in manifest["error"]
    assert manifest["outputs"] == manifest_before["outputs"]
    # the citation files (BibTeX, RIS, CSL-JSON) are outputs of the document too
    assert set(manifest["outputs"]) == {"ipynb", "html", "pdf", "bib", "ris", "csl.json"}
    assert manifest["built_at"] == manifest_before["built_at"]
    assert squash(NAMES[BROKEN]) in squash(pdf_text(outputs["pdf"]))
    # the site published after the failure still offers the last good monograph
    site = ptce(built.root, "site", "--sans-recherche")
    assert site.returncode == 0, site.stdout + site.stderr
    page = (built.site / "poles" / f"{BROKEN}.html").read_text(encoding="utf-8")
    assert squash(SENTENCE) in squash(BeautifulSoup(page, "html.parser").get_text())
    assert (built.site / "pdf" / f"{BROKEN}.pdf").read_bytes() == before["pdf"]
