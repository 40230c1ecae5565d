"""A review round end to end on the fictional network (issue 24): « relecture » → a DOCX
commented by two fictional members (a comment, a tracked insertion, a disagreement) → « import
relecture » → the team's answers → « build » and « site »: the monograph (HTML and PDF), the
site and the transversal analysis show the review, and no member's name reaches any published
file (HTML text, PDF text, the Pagefind search index)."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from docx import Document

from ptce_mono.analysis.review_state import french_day, review_state, review_summary
from ptce_mono.corpus.review_store import load_rounds, save
from tests.conftest import make_project, needs_chromium, run_cli, served
from tests.privacy_oracle import leaks, normalise, published_text
from tests.review_helpers import comment, track_insertion
from tests.test_review import (
    AIMS,
    ANECDOTE,
    COORDINATOR,
    ORIGIN,
    PRESIDENT,
    SLUG,
    review_docx,
    write_private_table,
)

pytestmark = pytest.mark.slow

DISAGREEMENT = "Nous contestons cette phrase : le pôle n'a jamais visé les emplois durables."
TEAM_DISCUSSED = (
    "Les comptes rendus fictifs de 2005 ne le disent pas ; à revoir ensemble en réunion."
)
TEAM_SET_ASIDE = "Les statuts fictifs de 2010 citent les emplois durables : le texte est gardé."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    from click.testing import CliRunner

    runner = CliRunner()
    work = tmp_path_factory.mktemp("relecture-chaine")
    paths = make_project(work / "projet")
    write_private_table(paths)
    result = run_cli(runner, paths, "relecture", SLUG)
    assert result.exit_code == 0, result.output
    doc = Document(str(review_docx(paths)))
    comment(doc, ORIGIN, f"{COORDINATOR} était déjà là avant 2005.", PRESIDENT)
    track_insertion(doc, ANECDOTE, " Elle est racontée chaque année.", COORDINATOR, 901)
    comment(doc, AIMS, DISAGREEMENT, COORDINATOR)
    returned = work / "retour-des-membres.docx"
    doc.save(str(returned))
    result = run_cli(runner, paths, "import", "relecture", str(returned), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    result = run_cli(runner, paths, "validate")
    assert "3 remarques de relecture sans réponse" in result.output
    # the team answers: the insertion is integrated in the narrative, the other two discussed
    (review,) = load_rounds(paths.pole_dir(SLUG))
    answers = {"insertion": ("intégrée", "Phrase ajoutée au récit."),
               "origine": ("discutée", TEAM_DISCUSSED), "finalites": ("écartée", TEAM_SET_ASIDE)}  # fmt: skip
    remarks = []
    for remark in review.remarks:
        status, answer = answers[remark.kind if remark.kind == "insertion" else remark.section]
        remarks.append(dataclasses.replace(remark, status=status, answer=answer))
    assert review.path is not None
    save(dataclasses.replace(review, remarks=tuple(remarks)), review.path)
    narrative = paths.pole_dir(SLUG) / "origine.md"
    narrative.write_text(narrative.read_text(encoding="utf-8").replace(
        "Une anecdote fictive conclut ce récit.",
        "Une anecdote fictive conclut ce récit. Elle est racontée chaque année."), encoding="utf-8")  # fmt: skip
    result = run_cli(runner, paths, "validate")
    assert result.exit_code == 0 and "sans réponse" not in result.output, result.output
    result = run_cli(runner, paths, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    result = run_cli(runner, paths, "site")
    assert result.exit_code == 0, result.output
    return paths


def _text(html: str) -> str:
    import re

    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\u00a0", " ")
                    .replace("\u202f", " ").split())  # fmt: skip


def test_the_monograph_shows_the_review_and_both_positions(built) -> None:
    rounds = load_rounds(built.pole_dir(SLUG))
    summary = review_summary(rounds)
    assert summary is not None and summary.is_closed
    assert review_state(rounds) == summary.read
    day = french_day(summary.read).replace("\u00a0", " ")
    text = _text((built.monographs / f"{SLUG}.html").read_text(encoding="utf-8"))
    assert (f"Relue par le pôle le {day} (3 remarques : 1 intégrée, 1 discutée, 1 écartée, "
            "0 ouverte)") in text  # fmt: skip
    assert (f"Section relue par le pôle le {day} (2 remarques : 1 intégrée, 1 discutée, "
            "0 ouverte sur cette section)") in text  # fmt: skip
    part = text[text.index("Points de discussion avec le pôle Le pôle a relu") :]
    assert "propose de retirer" not in part and "Phrase ajoutée" not in part  # integrated: not here
    assert "Nous contestons cette phrase" in part and TEAM_SET_ASIDE.split(" :")[0] in part
    assert "à revoir ensemble en réunion" in part
    assert "coordinateur salarié du pôle (fictif)" in part
    # the closed round makes the document a reviewed monograph (genre of issue 23)
    assert "Monographie relue par le pôle" in text[: text.index("Relue par le pôle le")]
    pdf = subprocess.run(["pdftotext", str(built.monographs / f"{SLUG}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    flat = " ".join(pdf.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "Relue par le pôle le" in flat and "Points de discussion avec le pôle" in flat
    others = _text((built.monographs / "plateau-essai.html").read_text(encoding="utf-8"))
    assert "Relue par le pôle" not in others and "Points de discussion" not in others


def test_the_site_and_the_transversal_analysis_show_the_review(built) -> None:
    listing = (built.site / "poles" / "index.html").read_text(encoding="utf-8")
    assert 'data-relecture="relue"' in listing and 'data-filtre="relecture"' in listing
    assert listing.count('data-relecture="non-relue"') == 3
    page = _text((built.site / "poles" / f"{SLUG}.html").read_text(encoding="utf-8"))
    assert "Relue par le pôle le" in page and "Monographie relue par le pôle" in page
    assert listing.count("Monographie relue par le pôle") >= 1
    transversal = _text(
        (built.monographs / "analyse-transversale.html").read_text(encoding="utf-8")
    )
    assert "Relecture des monographies par les pôles" in transversal
    assert "1 monographie relue par leur pôle, relecture close, sur 4" in transversal


def test_no_member_name_in_any_published_file(built) -> None:
    """The members' names, compared normalised (case, accents, Unicode form), in every
    published file read in its own format (tests/privacy_oracle.py), review documents too."""
    names = {normalise(n) for n in (PRESIDENT, COORDINATOR, *PRESIDENT.split(),
                                     *COORDINATOR.split())}  # fmt: skip
    files = [p for folder in (built.monographs, built.site) for p in sorted(folder.rglob("*"))
             if p.is_file() and not p.name.startswith(".")]  # fmt: skip
    fragments = [p for p in files if "pagefind" in p.parts and p.suffix == ".pf_fragment"]
    assert fragments
    assert leaks(files, names) == []
    # the search index holds the remarks, by role only: the scan did read them
    assert any("nous contestons cette phrase" in normalise(published_text(p) or "")
               for p in fragments)  # fmt: skip
    assert any(p.parent.name == "relecture" and p.suffix == ".docx" for p in files)


@needs_chromium
def test_the_site_list_filters_by_review_state_in_a_browser(built, browser) -> None:
    with served(built.site) as url:
        page = browser.new_page()
        try:
            page.goto(url + "poles/index.html")
            rows = page.locator("#liste-poles tbody tr:visible")
            assert rows.count() == 4
            page.select_option("#filtre-relecture", "relue")
            assert rows.count() == 1 and "Pôle fictif des Vallons" in rows.first.inner_text()
            assert "Relue par le pôle le" in rows.first.inner_text()
            assert page.locator("#compte").inner_text().startswith("1 pôle affiché sur 4")
            page.select_option("#filtre-relecture", "non-relue")
            assert rows.count() == 3
            page.select_option("#filtre-relecture", "en-cours")
            assert rows.count() == 0
        finally:
            page.close()
