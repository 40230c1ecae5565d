"""The demo printed like a publisher's research reports (real build: papermill, pandoc, Typst;
read back with pdftotext): no last page of a few words, no heading at the foot of a page, the
genre and « Comment ce document a été fait » on the first page, no one-row table."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ptce_mono.corpus.records import load_corpus
from ptce_mono.documents.monograph import single_row_sentence
from ptce_mono.pipeline.plan import TRANSVERSAL

from .conftest import REPO, make_project, run_cli

pytestmark = pytest.mark.slow

MIN_LAST_PAGE_WORDS = 40
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) est absent")  # fmt: skip


def page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    from click.testing import CliRunner

    project = make_project(tmp_path_factory.mktemp("impression") / "projet", REPO / "data")
    for folder in ("publications", "recensement"):
        shutil.copytree(REPO / "data" / folder, project.data / folder)
    result = run_cli(CliRunner(), project, "build", "--to", "html,pdf")
    assert result.exit_code == 0, result.output
    return project


def pdfs(project) -> list[Path]:
    found = sorted(project.monographs.glob("*.pdf"))
    assert len(found) == len(load_corpus(project).poles) + 1
    return found


@needs_poppler
def test_no_pdf_ends_on_a_page_of_a_few_words(printed) -> None:
    short = {}
    for pdf in pdfs(printed):
        last = pages(pdf)
        words = len(page_text(pdf, last).split())
        if words < MIN_LAST_PAGE_WORDS:
            short[pdf.name] = (last, words)
    assert not short


def lead_ins(html: Path) -> set[str]:
    """Headings, and paragraphs wholly in bold that introduce what follows, of a document."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    found = [h.get_text(" ") for h in soup.find_all(["h1", "h2", "h3", "h4", "h5"])]
    for para in soup.find_all("p"):
        children = [c for c in para.children if str(c).strip()]
        if len(children) == 1 and getattr(children[0], "name", None) == "strong":
            found.append(para.get_text(" "))
    return {" ".join(t.replace("\u00a0", " ").replace("\u202f", " ").split()) for t in found}


@needs_poppler
def test_no_page_ends_with_a_heading(printed) -> None:
    """A heading, or a bold lead-in line, is always followed on its page by some of what it
    introduces."""
    for pdf in pdfs(printed):
        headings = lead_ins(pdf.with_suffix(".html"))
        for number in range(1, pages(pdf)):
            lines = [ln.strip() for ln in page_text(pdf, number).splitlines() if ln.strip()]
            body = [ln for ln in lines if not re.fullmatch(r"\d+\s*/\s*\d+", ln)]
            last = " ".join(body[-1].replace("’", "'").split())
            assert last not in {h.replace("’", "'") for h in headings}, (pdf.name, number, last)
            # nor does a table's caption, printed above it, end a page without its table
            assert not re.match(r"Tableau\s\d+\s—", last), (pdf.name, number, last)


@needs_poppler
def test_first_page_says_what_the_document_is_and_how_it_was_made(printed) -> None:
    for pdf in pdfs(printed):
        first = " ".join(page_text(pdf, 1).split())
        if pdf.stem == TRANSVERSAL:
            continue
        # the real poles rest on published documents only; the fictional demonstration pole
        # has fieldwork (interviews, accounts, answers): it is a monograph
        genre = (
            "Monographie — "
            if pdf.stem == "pole-fictif-demonstration"
            else "Dossier documentaire — "
        )
        assert genre in first, pdf.name
        assert "Comment ce document a été fait" in first and "Limites." in first, pdf.name
        assert "Corpus : " in first and "Équipe : Équipe ptce-mono" in first, pdf.name
        # the whole part, its limits included, stands on the first page
        assert "n’ont pas relu ce document." in first.replace("'", "’"), pdf.name


def test_no_zero_count_printed_as_a_number(printed) -> None:
    """0 reads « aucun » (or the sentence is left out), never « 0 événement daté »."""
    from bs4 import BeautifulSoup

    for html in sorted(printed.monographs.glob("*.html")):
        text = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert not re.search(
            r"\b0\s+(événements?|passages?|entretiens?|documents?|structures?)\b", text
        ), html.name


def test_no_one_row_table_in_the_monographs(printed) -> None:
    from bs4 import BeautifulSoup

    for html in sorted(printed.monographs.glob("*.html")):
        if html.stem == TRANSVERSAL:
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for table in soup.find_all("table"):
            body = table.find("tbody") or table
            assert len(body.find_all("tr")) > 1, (html.name, table.find("caption"))


def test_citation_files_are_written_for_every_document(printed) -> None:
    for pdf in pdfs(printed):
        for suffix in ("bib", "ris", "csl.json"):
            assert pdf.with_suffix(f".{suffix}").is_file(), (pdf.name, suffix)


def test_a_single_row_is_said_as_a_sentence() -> None:
    assert (
        single_row_sentence(
            ["Année", "ETP", "Emplois créés"], ["2014", "18,0", "3"], "Emploi par année"
        )
        == "Emploi par année : année 2014, ETP 18,0, emplois créés 3."
    )


def filled_heights(pdf: Path) -> list[float]:
    """For each page, how far down its text reaches (footer left out), as a share of its height
    (figure captions are text: a figure counts through its caption)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    shares = []
    for _width, height, body in re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S
    ):
        h = float(height)
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body) if float(y) < h - 40]
        shares.append(max(ys) / h if ys else 0.0)
    return shares


@needs_poppler
def test_no_half_empty_page_in_the_transversal_analysis(printed) -> None:
    shares = filled_heights(printed.output(TRANSVERSAL, "pdf"))
    short = {i + 1: round(s, 2) for i, s in enumerate(shares[:-1]) if s < 0.75}
    assert not short
