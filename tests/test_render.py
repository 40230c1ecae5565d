"""Rendering executed notebooks to HTML and PDF with the embedded engine (real pandoc, Typst).

A fictional monograph notebook is really executed (nbclient) so its outputs are those of
ptce_mono.documents.display, then rendered; the tests read the real files.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ptce_mono.core.errors import RenderError
from ptce_mono.render import render_notebook, resolve_engine
from tests.conftest import run_cli

pytestmark = pytest.mark.slow

TITLE = "Pôle fictif des Essais"
SECTIONS = ("1. Finalités du pôle", "7. Impacts sur l’emploi et les territoires")
SETUP = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from ptce_mono.documents.display import show_bibliography, show_figure, show_markdown, show_rows"""
BIBLIOGRAPHY = [
    {"id": "etude-fictive-2020", "type": "document", "title": "Étude fictive des essais",
     "author": [{"family": "Autrice-Fictive", "given": "Camille"}],
     "issued": {"date-parts": [[2020]]}, "URL": "https://example.org/etude"},
    {"id": "rapport-fictif-2019", "type": "document", "title": "Rapport fictif",
     "author": [{"literal": "Collectif fictif"}], "issued": {"date-parts": [[2019]]}},
]  # fmt: skip
CITED_TEXT = (
    "Selon l'étude [@etude-fictive-2020, p. 4], le pôle coopère ; voir \\@pseudo. "
    "Les emplois ([](#fig-emploi)) et le [](#tbl-structures) ; [](#fig-absente)."
)
NARRATIVE = (
    "Le pôle « coopère » ; vraiment ! Texte échappé &lt;script>alert(1)&lt;/script> "
    "et &lt;img src=x onerror=alert(1)>.\n\nBrut : <script>alert(2)</script> "
    '<img src=x onerror=alert(3)> [clic]{onclick="alert(4)"} [lien](javascript:alert(5)) '
    "![pisteur](http://example.org/pisteur.png)"
)
CELLS = [
    ('slug = ""', ["parameters", "remove-cell"]),
    ('slug = "pole-fictif"', ["injected-parameters"]),
    (SETUP, ["remove-cell"]),
    (
        f'show_markdown("# {TITLE}\\n\\n**Monographie** — Essai-sur-Loire, Loiret")',
        ["remove-input"],
    ),
    (
        f'show_markdown("## 1. Finalités du pôle")\nshow_markdown({NARRATIVE!r})\n'
        'print("flux qui ne doit pas paraître")',
        ["remove-input"],
    ),
    (
        'fig, ax = plt.subplots(figsize=(6, 3))\nax.bar(["2019", "2020", "2021"], [3, 5, 8])\n'
        'show_figure(fig, "emploi", "Emplois créés par année", "Barres : 3, 5 puis 8 emplois")',
        ["remove-input"],
    ),
    (
        "fig, ax = plt.subplots(figsize=(5, 3))\nax.plot([1, 2, 3], [2, 1, 3])\n"
        'show_figure(fig, "ressources", "Ressources du pôle", "Courbe des ressources")',
        ["remove-input"],
    ),
    (
        'show_markdown("## 7. Impacts sur l\'emploi et les territoires")\n'
        'show_rows(["Structure", "Statut", "ETP"], [["Régie de quartier Œillet", "Association",'
        ' "12,5"], ["SCIC Énergie citoyenne", "SCIC", "3"]], "structures", '
        '"Structures membres du pôle", "llr")',
        ["remove-input"],
    ),
    (f"show_markdown({CITED_TEXT!r})", ["remove-input"]),
    (f'show_markdown("## Sources")\nshow_bibliography({BIBLIOGRAPHY!r})', ["remove-input"]),
    ("def fonction_cachee():\n    return 42\n\nfonction_cachee()", ["remove-input"]),
    ("import os\nos.getcwd()", ["remove-output"]),
]
N_FIGURES = 2


def executed_notebook(path: Path) -> Path:
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_code_cell(source, metadata={"tags": tags}) for source, tags in CELLS]
    cells.insert(
        0, new_markdown_cell("# Carnet de travail (masqué)", metadata={"tags": ["remove-cell"]})
    )
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "ptce": {
                "slug": "pole-fictif", "title": TITLE, "kind": "monographie",
                "subtitle": "Essai-sur-Loire, Loiret, Centre-Val de Loire",
                "date": "22 novembre 2026",
            },
        },
    )  # fmt: skip
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    nbformat.write(nb, path)
    return path


def failed_notebook(good: Path, path: Path) -> Path:
    import nbformat

    nb = nbformat.read(good, as_version=4)
    nb.cells[-1].outputs = [
        nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                               traceback=["Traceback (most recent call last)"])
    ]  # fmt: skip
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendu")
    notebook = executed_notebook(folder / "pole-fictif.ipynb")
    out = folder / "sortie"
    result = render_notebook(notebook, out, "pole-fictif", engine="embedded")
    assert result.engine == "embedded"
    return {"ipynb": notebook, "out": out, **result}


def flat(text: str) -> str:
    """Whitespace (including no-break spaces) collapsed to single spaces."""
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_structure(path: Path) -> tuple[dict, list[tuple[str, str]]]:
    """The catalog of a PDF and its tagged structure as (role, alt text) pairs, depth first."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        role = str(node.get("/S", ""))
        if role:
            found.append((role, str(node.get("/Alt", ""))))
        if "/K" in node:
            walk(node["/K"])

    walk(catalog["/StructTreeRoot"])
    return catalog, found


def alt_of(img) -> str:
    return img.get("alt") or img.get("aria-label") or ""


def soup_of(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_outputs_written_atomically(rendered):
    out = rendered["out"]
    assert sorted(p.name for p in out.iterdir()) == ["pole-fictif.html", "pole-fictif.pdf"]
    assert rendered["html"] == out / "pole-fictif.html"
    assert rendered["pdf"].read_bytes().startswith(b"%PDF")


def test_pdf_text_images_and_tables(rendered):
    text = pdf_text(rendered["pdf"])
    text_flat = flat(text)
    assert TITLE in text_flat
    assert "Finalités du pôle" in text_flat
    assert "Impacts sur l" in text_flat and "emploi et les territoires" in text_flat
    assert "Sommaire" in text_flat  # table of contents
    assert "Figure 1 — Emplois créés par année" in text_flat
    assert "Tableau 1 — Structures membres du pôle" in text_flat
    assert "Régie de quartier Œillet" in text_flat and "SCIC Énergie citoyenne" in text_flat
    assert "<script>alert(2)</script>" in text_flat  # raw HTML of a narrative shows as text
    for forbidden in (
        "import ",
        "def ",
        "fonction_cachee",
        "Traceback",
        "flux qui ne doit",
        "slug =",
    ):
        assert forbidden not in text


def test_html_is_self_contained_and_safe(rendered):
    html = rendered["html"].read_text(encoding="utf-8")
    soup = soup_of(rendered["html"])
    assert soup.html["lang"].startswith("fr")
    assert soup.find("h1", class_="title").get_text() == TITLE
    assert soup.find("nav", id="TOC") is not None
    headings = [h.get_text() for h in soup.find_all(["h1", "h2"])]
    assert "1. Finalités du pôle" in headings
    assert headings.count(TITLE) == 1  # the notebook's "# title" is not repeated in the body
    assert any(h.startswith("7. Impacts sur l") for h in headings)
    # nothing executable, nothing loaded from elsewhere
    assert soup.find_all("script") == []
    assert soup.find_all("link") == []
    assert soup.find("style") is not None and "--accent" in soup.find("style").get_text()
    assert not re.search(
        r"""(src|href)=["']?(https?:)?//""", html.replace('href="https://example', "")
    )
    for tag in soup.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs), tag
        assert not str(tag.get("href", "")).lower().startswith("javascript")
    text = soup.get_text()
    assert "<script>alert(1)</script>" in text and "<script>alert(2)</script>" in text
    assert "<img src=x onerror=alert(3)>" in text
    # figures: embedded, with alt text, numbered captions; tables: real tables
    images = soup.find_all("img")
    assert len(images) == N_FIGURES
    # vector figures: pandoc gives an embedded SVG its alt text as aria-label (role="img")
    assert all(img["src"].startswith("data:image/svg+xml;base64,") for img in images)
    assert all(alt_of(img).strip() for img in images)
    assert flat(alt_of(images[0])) == "Barres : 3, 5 puis 8 emplois"
    captions = [flat(c.get_text()) for c in soup.find_all("figcaption")]
    assert captions == ["Figure 1 — Emplois créés par année", "Figure 2 — Ressources du pôle"]
    table = soup.find("table")
    assert flat(table.find("caption").get_text()) == "Tableau 1 — Structures membres du pôle"
    assert [td.get_text() for td in table.find_all("td")][:3] == [
        "Régie de quartier Œillet", "Association", "12,5"
    ]  # fmt: skip
    for forbidden in ("import ", "def ", "fonction_cachee", "Traceback", "flux qui ne doit"):
        assert forbidden not in text
    assert soup.find("pre") is None and soup.find("code") is None


def test_french_typography(rendered):
    text = soup_of(rendered["html"]).get_text()
    assert "«\u00a0coopère\u00a0»\u202f;" in text  # no-break spaces in « » and before ;
    assert "vraiment\u202f!" in text
    assert "Barres\u00a0: 3" in alt_of(soup_of(rendered["html"]).find("img"))


def test_pdf_is_pdf_ua_with_alt_texts(rendered):
    """PDF/UA-1: marked, titled, in French, every figure tagged with its alt text, tables tagged."""
    catalog, structure = pdf_structure(rendered["pdf"])
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert str(catalog["/Lang"]).startswith("fr")
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid:part" in xmp and TITLE in xmp
    figures = [alt for role, alt in structure if role == "/Figure"]
    assert len(figures) == N_FIGURES
    assert [flat(a) for a in figures] == ["Barres : 3, 5 puis 8 emplois", "Courbe des ressources"]
    assert any(role == "/Table" for role, _ in structure)
    assert any(role == "/TH" for role, _ in structure)  # header cells tagged


def test_citations_link_to_their_entry(rendered):
    soup = soup_of(rendered["html"])
    links = soup.select("a[role=doc-biblioref]")
    assert links, "aucune citation liée"
    for link in links:
        assert link["href"].startswith("#ref-")
        assert soup.find(id=link["href"][1:]) is not None  # an existing bibliography entry
    text = flat(soup.get_text())
    assert "(Autrice-Fictive, 2020, p. 4)" in text
    assert "@pseudo" in text and "[@" not in text  # a stray @word stays text
    refs = soup.find(id="refs")
    entries = [flat(e.get_text()) for e in refs.find_all(class_="csl-entry")]
    assert (
        entries[0]
        == "Autrice-Fictive, Camille (2020). Étude fictive des essais. https://example.org/etude"
    )
    assert entries[1].startswith("Collectif fictif (2019). Rapport fictif")
    assert refs.find("a", href="https://example.org/etude") is not None
    pdf = flat(pdf_text(rendered["pdf"]))
    assert "(Autrice-Fictive, 2020, p. 4)" in pdf and "Collectif fictif (2019)" in pdf
    # figures and tables referred to by number, the same in HTML and PDF
    assert "Les emplois (figure 1) et le tableau 1 ; ." in text
    assert "Les emplois (figure 1) et le tableau 1" in pdf
    assert soup.find("a", href="#fig-emploi").get_text() == "figure\u00a01"


def test_render_is_deterministic(rendered, tmp_path):
    """Same notebook, same files: vector figures with fixed ids, no date in them."""
    again = render_notebook(rendered["ipynb"], tmp_path, "pole-fictif", engine="embedded")
    assert again["html"].read_bytes() == rendered["html"].read_bytes()
    assert again["pdf"].read_bytes() == rendered["pdf"].read_bytes()


def test_error_output_fails_and_keeps_previous_file(rendered, tmp_path):
    out = rendered["out"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = failed_notebook(rendered["ipynb"], tmp_path / "casse.ipynb")
    with pytest.raises(RenderError) as info:
        render_notebook(broken, out, "pole-fictif", engine="embedded")
    message = str(info.value)
    assert "pole-fictif" in message and "embedded" in message and "ZeroDivisionError" in message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched, no temp left


def test_corrupt_notebook_fails_and_keeps_previous_file(rendered, tmp_path):
    out = rendered["out"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    corrupt = tmp_path / "corrompu.ipynb"
    corrupt.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(RenderError) as info:
        render_notebook(corrupt, out, "pole-fictif", formats=("html",), engine="embedded")
    assert "illisible" in str(info.value)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_figure_fails(rendered, tmp_path):
    import nbformat

    nb = nbformat.read(rendered["ipynb"], as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/svg+xml" in output.get("data", {}):
                output["data"]["image/svg+xml"] = "pas une image"
    nbformat.write(nb, tmp_path / "image.ipynb")
    with pytest.raises(RenderError) as info:
        render_notebook(tmp_path / "image.ipynb", tmp_path / "out", "image", formats=("pdf",),
                        engine="embedded")  # fmt: skip
    assert "typst" in str(info.value)
    assert not (tmp_path / "out" / "image.pdf").exists()
    assert [p.name for p in (tmp_path / "out").iterdir()] == []


def _render_one(args: tuple[str, str, str]) -> str:
    notebook, out, stem = args
    return str(render_notebook(Path(notebook), Path(out), stem, engine="embedded")["pdf"])


def test_concurrent_renders_in_processes(rendered, tmp_path):
    stems = ["pole-a", "pole-b", "pole-c"]
    # spawn, like the build's workers: forking a process that ran a kernel client can deadlock
    with ProcessPoolExecutor(
        max_workers=3, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        results = list(
            pool.map(_render_one, [(str(rendered["ipynb"]), str(tmp_path), s) for s in stems])
        )
    assert results == [str(tmp_path / f"{s}.pdf") for s in stems]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{s}.{f}" for s in stems for f in ("html", "pdf"))


def test_resolve_engine():
    expected = "quarto" if shutil.which("quarto") else "embedded"
    assert resolve_engine("auto") == expected
    assert resolve_engine("embedded") == "embedded"
    with pytest.raises(Exception, match="moteur de rendu inconnu"):
        resolve_engine("latex")


def test_cli_render(rendered, project, runner):
    project.monographs.mkdir(parents=True, exist_ok=True)
    shutil.copy2(rendered["ipynb"], project.monographs / "pole-fictif.ipynb")
    result = run_cli(runner, project, "render", "--engine", "embedded")
    assert result.exit_code == 0, result.output
    assert "pole-fictif (embedded) : html, pdf" in result.output
    assert "Rendus : 1 monographie ; en échec : 0" in result.output
    assert flat(pdf_text(project.monographs / "pole-fictif.pdf")) == flat(pdf_text(rendered["pdf"]))

    # an unknown pole is refused before anything is rendered, with the nearest slugs
    result = run_cli(runner, project, "render", "pole-absent", "pole-fictif", "--to", "html",
                     "--engine", "embedded")  # fmt: skip
    assert result.exit_code == 1
    assert "pôle inconnu « pole-absent »" in result.output
    assert "Traceback" not in result.output


def test_cli_render_nothing_executed(project, runner):
    result = run_cli(runner, project, "render")
    assert result.exit_code == 1
    assert "ptce-mono build" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("to", ["html5", "typst"])
def test_hal_identifiers_become_links_only_outside_links(tmp_path, to):
    """A HAL identifier in the text links to hal.science (never inside a link); a source
    without one skips that pass and gives the same text as before."""
    from ptce_mono.core.tools import run_tool
    from ptce_mono.render.embedded import FILTER, PANDOC_FROM, pandoc_path

    templates = Path(__file__).resolve().parents[1] / "templates"
    with_id = tmp_path / "avec.md"
    with_id.write_text(
        "Voir halshs-01234567, puis [le dépôt hal-00000042](https://example.org/depot). "
        "Une thèse (tel-00000007), une version hal-00000008v2 ; pas une date-20240101 ni "
        "hal-123456789.\n",
        encoding="utf-8",
    )
    without = tmp_path / "sans.md"
    without.write_text("Voir le dépôt ; rien d'autre.\n", encoding="utf-8")

    def convert(md: Path) -> str:
        argv = [pandoc_path(), md.name, "-f", PANDOC_FROM, "-t", to, "--lua-filter",
                str(templates / FILTER)]  # fmt: skip
        return run_tool(argv, name="pandoc", cwd=md.parent, timeout=60).stdout

    out = convert(with_id)
    assert "https://hal.science/halshs-01234567" in out
    assert "hal.science/hal-00000042" not in out  # inside a link: left as text
    assert "https://example.org/depot" in out
    assert "https://hal.science/tel-00000007" in out  # another portal, in parentheses
    assert "https://hal.science/hal-00000008v2" in out  # a version
    assert "date-20240101" in out and "hal.science/date" not in out  # not a HAL portal
    assert "hal.science/hal-12345678" not in out  # nine digits: not an identifier
    plain = convert(without)
    assert "hal.science" not in plain and "dépôt\u202f" in plain  # typography still applied


@pytest.mark.parametrize("with_bibliography", [True, False])
def test_one_pandoc_run_writes_the_same_typst_as_its_own_run(rendered, tmp_path, with_bibliography):
    """With both formats, the HTML run also writes the Typst source of the PDF: byte for byte
    what a pandoc run of its own writes (citations, HAL links, figures, headings included)."""
    import nbformat

    from ptce_mono.render import embedded
    from ptce_mono.render.markdown import notebook_to_markdown

    templates = Path(__file__).resolve().parents[1] / "templates"
    nb = nbformat.read(rendered["ipynb"], as_version=4)
    media = tmp_path / "media"
    doc = notebook_to_markdown(nb, media)
    md = media / "essai.md"
    md.write_text(doc.text + "\n\nDépôt : halshs-01234567.\n", encoding="utf-8")
    bibliography = doc.bibliography if with_bibliography else None
    alone = media / "seul.typ"
    embedded.typst_source(md, alone, doc.meta, templates, 120, bibliography)
    together = media / "ensemble.typ"
    embedded.render_html(
        md, tmp_path / "essai.html", doc.meta, templates, 120, bibliography, together
    )
    assert together.read_bytes() == alone.read_bytes()
    text = alone.read_text(encoding="utf-8")
    assert "hal.science/halshs-01234567" in text and "alt:" in text
    if with_bibliography:
        assert "Autrice-Fictive" in text and "@etude-fictive-2020" not in text


def test_a_long_table_with_a_link_in_its_head_still_makes_a_pdf_ua(tmp_path) -> None:
    """A table head repeated on every page is a PDF/UA artifact, which may hold no link: a
    citation or a link in a head cell must not make the PDF fail (the class of the transversal
    analysis's « Publié (Podlewski, 2014) » column)."""
    import nbformat
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    rows = "\n".join(f"| ligne {k} | {k} |" for k in range(160))
    table = (
        "| Publié ([étude](https://example.org/etude), [@etude-fictive-2020]) | Valeur |\n"
        f"|---|---|\n{rows}\n\n: Tableau long dont l'en-tête cite une source {{#tbl-long}}"
    )
    cells = [
        new_code_cell(SETUP, metadata={"tags": ["remove-cell"]}),
        new_code_cell(f'show_markdown("# {TITLE}")', metadata={"tags": ["remove-input"]}),
        new_code_cell(f"show_markdown({table!r})", metadata={"tags": ["remove-input"]}),
        new_code_cell(
            f'show_markdown("## Sources")\nshow_bibliography({BIBLIOGRAPHY!r})',
            metadata={"tags": ["remove-input"]},
        ),
    ]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "ptce": {"slug": "pole-fictif", "title": TITLE, "kind": "monographie",
                 "date": "4 décembre 2026"}})  # fmt: skip
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    notebook = tmp_path / "long.ipynb"
    nbformat.write(nb, notebook)
    result = render_notebook(notebook, tmp_path / "sortie", "long", formats=("pdf",),
                             engine="embedded")  # fmt: skip
    text = flat(pdf_text(result["pdf"]))
    assert text.count("Publié (étude") >= 2  # the head is repeated on the following pages
    assert "ligne 159" in text
