"""Review rounds without a word processor (issue 24): the state of a pole's review (pure), the
round file as the team edits it (validate names the file and the line), ``status``, the plan
(a round file is an input of the monograph and the transversal analysis) and the blocks of the
monograph, where a remark's text stays text. Fictional data only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.analysis.review_state import (
    corpus_reviews,
    corpus_reviews_text,
    counts_phrase,
    review_state,
    review_summary,
    status_line,
)
from ptce_mono.checks.validate import corpus_from_report, validate_corpus
from ptce_mono.corpus.review_store import (
    Remark,
    Return,
    Round,
    Sent,
    SentSection,
    load_rounds,
    parse_round,
    to_yaml,
)
from ptce_mono.documents.review_blocks import discussion_part, literal, section_line, title_line
from ptce_mono.pipeline.plan import TRANSVERSAL, current_inputs
from tests.conftest import run_cli

SLUG = "vallons-fictifs"


def remark(ident: str, status: str = "ouverte", section: str = "origine", date: str = "2026-11-20",
           kind: str = "commentaire", text: str = "Ce n'est pas exact.", answer: str = "") -> Remark:  # fmt: skip
    return Remark(ident, kind, section, "La coopération est née.", text,
                  "présidente de l'association porteuse (fictive)", date, status, answer)  # fmt: skip


def a_round(
    *remarks: Remark, returned: bool = True, closed: str = "", ident: str = "2026-11-02"
) -> Round:
    sent = Sent(ident[:10], "a1b2c3d4e5f6", (SentSection("origine", "2. Origine", "f" * 16),))
    returns = (Return("a" * 16, "2026-11-21", len(remarks)),) if returned else ()
    return Round(ident, sent, returns, remarks, closed)


def test_review_state_is_the_closing_date_once_every_remark_is_answered() -> None:
    assert review_state([]) is None
    assert review_state([a_round(returned=False)]) is None  # sent, nothing back
    open_round = a_round(remark("r-1", "intégrée"), remark("r-2"))
    assert review_state([open_round]) is None
    answered = a_round(remark("r-1", "intégrée"), remark("r-2", "écartée", date="2026-11-25"))
    assert review_state([answered]) == "2026-11-25"  # the day the pole read it
    assert review_state([a_round(remark("r-1", "discutée"), closed="2026-12-01")]) == "2026-12-01"
    assert review_state([a_round()]) == "2026-11-21"  # read without remark: closed on return
    # the latest returned round counts; a newer round sent without return does not reopen it
    newer = a_round(returned=False, ident="2026-12-03")
    assert review_state([answered, newer]) == "2026-11-25"
    assert review_state([answered, a_round(remark("r-9"), ident="2026-12-03")]) is None


def test_counts_and_lines_in_french() -> None:
    summary = review_summary([a_round(remark("r-1", "intégrée"), remark("r-2", "discutée"),
                                      remark("r-3"))])  # fmt: skip
    assert summary is not None
    assert counts_phrase(summary) == "3 remarques : 1 intégrée, 1 discutée, 1 ouverte"
    assert title_line([a_round(remark("r-1", "intégrée"))]) == (
        "*Relue par le pôle le 20\u00a0novembre 2026 (1 remarque : 1 intégrée, 0 discutée, "
        "0 ouverte).*"
    )
    assert section_line([a_round(remark("r-1", "intégrée"))], "finalites") == ""
    assert "2 remarques" in section_line([a_round(remark("r-1"), remark("r-2"))], "origine")
    assert counts_phrase(review_summary([a_round()])) == "aucune remarque"  # type: ignore[arg-type]
    assert status_line("p", []) is None
    assert "pas encore de retour" in (status_line("p", [a_round(returned=False)]) or "")
    assert "relecture close" in (status_line("p", [a_round(remark("r", "intégrée"))]) or "")
    reviews = corpus_reviews(
        {"a": [a_round(remark("r", "intégrée"))], "b": [], "c": [a_round(remark("s"))]}
    )
    assert (reviews.n, reviews.closed, reviews.in_progress, reviews.remarks) == (3, 1, 1, 2)
    assert corpus_reviews_text(reviews).startswith(
        "1 monographie relue par leur pôle, relecture close, sur 3"
    )
    assert corpus_reviews_text(corpus_reviews({"a": []})) == (
        "La monographie n'a pas encore été relue par son pôle (n = 1)."
    )
    assert corpus_reviews_text(corpus_reviews({"a": [], "b": []})).startswith("Aucune des 2 ")


def test_a_remark_stays_text_in_the_monograph() -> None:
    hostile = "[lien](javascript:alert(1)) <script>x</script> **gras** [@cle] # titre"
    part = discussion_part([a_round(remark("r-1", "écartée", text=hostile,
                                           answer="Réponse <b>de</b> l'équipe."))], {})  # fmt: skip
    assert "Points de discussion avec le pôle" in part
    assert "<script>" not in part and "](" not in part and "**gras**" not in part
    assert "[@cle]" not in part and "\\<script\\>" in part
    assert "Position de l'équipe : Réponse \\<b\\>de\\</b\\> l'équipe" in part
    assert literal("a : b") == "a\u00a0: b"  # French typography, then escaped
    pending = discussion_part([a_round(remark("r-1"))], {"origine": "2. Origine"})
    assert "*réponse à venir*" in pending and "**2\\. Origine**" in pending
    assert "commente « Ce n'est pas exact\\. »\n" in pending  # one final stop, not two
    assert "> La coopération est née\\." in pending  # the passage commented
    assert discussion_part([a_round(remark("r-1", "intégrée"))], {}) == ""
    from ptce_mono.corpus.pseudonymise import Person

    named = a_round(remark("r-1", "discutée", answer="Vu avec Maëlle Trévoux le 3 mai."))
    people = [Person("Maëlle Trévoux", ("Maëlle",), "présidente (fictive)")]
    shown = discussion_part([named], {}, people)
    assert "Maëlle" not in shown and "Vu avec \\[présidente \\(fictive\\)\\] le 3 mai\\." in shown


def test_round_file_round_trips(tmp_path: Path) -> None:
    review = a_round(remark("r-1", "discutée", answer="Nous en parlerons."), remark("r-2"))
    path = tmp_path / "relectures" / "2026-11-02.yaml"
    path.parent.mkdir()
    path.write_text(to_yaml(review), encoding="utf-8")
    read = parse_round(path)
    assert read.remarks == review.remarks and read.sent == review.sent
    assert read.returns == review.returns


def _with_round(project, text: str) -> Path:
    folder = project.pole_dir(SLUG) / "relectures"
    folder.mkdir()
    path = folder / "2026-11-02.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_lists_open_remarks_and_names_a_bad_status(project, runner) -> None:
    review = a_round(remark("r-ouverte"), remark("r-sans-reponse", "écartée"))
    path = _with_round(project, to_yaml(review))
    result = run_cli(runner, project, "validate", "--avertissements")
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    open_line = next(i for i, line in enumerate(lines, 1) if "statut: ouverte" in line)
    shown = f"data/poles/{SLUG}/relectures/2026-11-02.yaml:{open_line}: remarques.r-ouverte:"
    assert "1 remarque de relecture sans réponse de l'équipe" in result.output
    assert shown in result.output
    assert "remarque écartée sans « reponse »" in result.output
    path.write_text(path.read_text(encoding="utf-8").replace("statut: ouverte", "statut: acceptée"))
    result = run_cli(runner, project, "validate")
    assert result.exit_code == 1
    assert f"2026-11-02.yaml:{open_line}:" in result.output
    assert "statut « acceptée » inconnu" in result.output


def test_status_shows_each_poles_review(project, runner) -> None:
    result = run_cli(runner, project, "status")
    assert "aucune monographie envoyée" in result.output
    _with_round(project, to_yaml(a_round(remark("r-1", "intégrée"))))
    result = run_cli(runner, project, "status")
    assert f"{SLUG} : relue par le pôle le 20\u00a0novembre 2026, relecture close" in result.output


def test_a_round_file_is_an_input_of_the_monograph_and_the_transversal(project) -> None:
    def keys() -> tuple[str, str, str]:
        report = validate_corpus(project)
        current = current_inputs(project, corpus_from_report(project, report), report.digests)
        return (current.key(SLUG, ("html",), "embedded"),
                current.key(TRANSVERSAL, ("html",), "embedded"),
                current.key("plateau-essai", ("html",), "embedded"))  # fmt: skip

    before = keys()
    path = _with_round(project, to_yaml(a_round(remark("r-1"))))
    sent = keys()
    assert sent[0] != before[0] and sent[1] != before[1] and sent[2] == before[2]
    path.write_text(path.read_text(encoding="utf-8").replace("reponse: ''", "reponse: Vu."))
    answered = keys()
    assert answered[0] != sent[0] and answered[1] != sent[1]
    assert [r.remarks[0].answer for r in load_rounds(project.pole_dir(SLUG))] == ["Vu."]


@pytest.mark.parametrize("name", ["2026-11-02.yaml", "notes.yaml"])
def test_only_round_files_are_read(project, name: str) -> None:
    folder = project.pole_dir(SLUG) / "relectures"
    folder.mkdir()
    (folder / name).write_text("envoi: {date: '2026-11-02', version: x}\n", encoding="utf-8")
    assert len(load_rounds(project.pole_dir(SLUG))) == (1 if name[0].isdigit() else 0)


def test_pole_review_state_reads_the_folder(project) -> None:
    from ptce_mono.analysis.review_state import pole_review_state

    folder = project.pole_dir(SLUG)
    assert pole_review_state(folder) is None
    path = _with_round(project, to_yaml(a_round(remark("r-1", "écartée", answer="Non."))))
    assert pole_review_state(folder) == "2026-11-20"
    path.write_text("envoi: [cassé\n", encoding="utf-8")
    assert pole_review_state(folder) is None  # validate reports the file


def test_an_empty_tracked_change_is_not_a_remark() -> None:
    from ptce_mono.importers.review_docx import parse_pandoc_json

    def span(cls: str, content: list) -> dict:
        return {"t": "Span", "c": [["", [cls], [["author", "X"], ["date", "2026-12-01"]]], content]}

    blocks = [
        {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "Origine"}]]},
        {"t": "Para", "c": [{"t": "Str", "c": "Texte."}, span("paragraph-insertion", []),
                            span("insertion", [{"t": "Space"}]),
                            span("deletion", [{"t": "Str", "c": "mot"}])]},
    ]  # fmt: skip
    doc = parse_pandoc_json(Path("retour.docx"), {"blocks": blocks})
    assert [(r.kind, r.section, r.text) for r in doc.remarks] == [("suppression", "Origine", "mot")]
    assert doc.sections["Origine"] == "Texte.mot"
