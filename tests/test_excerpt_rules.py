"""Rules of ptce_mono/corpus/excerpts.py on hand-written tables: when a re-imported passage
is the same one (whitespace, names replaced) or a rewritten one, how codes answer guiding
questions, what a re-import keeps of the researcher's curation, which excerpts are evidence.
Every expected value is written by hand, never computed by the code under test."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.corpus.excerpts import (
    Excerpt,
    InterviewExcerpts,
    excerpt_evidence,
    merge,
    question_counts,
    rewritten_passage,
    same_passage,
    section_counts,
)

SAME_PASSAGE = [
    # (stored text, re-imported text, names of the private table, same passage?)
    ("Il a dit bonjour.", "Il  a dit\nbonjour.", (), True),  # whitespace only
    ("", "", (), True),
    ("Le pôle a dit oui.", "Le pôle a dit non.", (), False),  # no name: any change is one
    ("Marie a dit oui.", "[coordinatrice] a dit oui.", ("Marie",), True),
    ("Marie a dit oui.", "[coordinatrice] a dit oui.", (), True),  # a « [rôle] » always counts
    ("[coordinatrice] a dit oui.", "Marie a dit oui.", (), True),  # the reverse too
    ("Marie a dit oui.", "Marie a dit non.", ("Marie",), False),  # change outside the name
    ("Marie a dit oui.", "MARIE a dit oui.", ("marie",), True),  # any case
    ("Jean Dupont est venu.", "[bénévole] est venu.", ("Jean  Dupont",), True),
    ("Marie a dit oui.", "Marie Curie a dit oui.", ("Marie",), True),  # a longer wording
    ("Marie a dit oui.", "Mme Marie a dit oui.", ("Marie",), True),  # before the name
    ("Marie a dit oui.", "Marie a X dit oui.", ("Marie",), False),  # not at the name
    ("Marie est venue", "Marie est venue hier", ("Marie",), False),  # added at the end
    ("Marie et Paul sont venus.", "[a] et [b] sont venus.", ("Marie", "Paul"), True),
    ("Marie et Paul sont venus.", "[a] et Paul sont partis.", ("Marie", "Paul"), False),
    ("Marie a dit oui.", "[coordinatrice] a dit oui.", ("", " "), True),  # empty names ignored
    ("Une phrase.", "Une autre phrase.", ("", " "), False),
]


@pytest.mark.parametrize(("before", "after", "names", "same"), SAME_PASSAGE)
def test_same_passage(before: str, after: str, names: tuple[str, ...], same: bool) -> None:
    assert same_passage(before, after, names) is same


def test_same_passage_reads_names_given_once() -> None:
    names = iter(["Marie"])  # read twice (old and new spans) would find nothing the second time
    assert same_passage("Marie dit oui.", "Marie  dit oui et non.", names) is False
    names = iter(["Marie"])
    assert same_passage("Marie a dit oui.", "[coordinatrice] a dit oui.", names) is True


REWRITTEN = [
    # (stored text, re-imported text, recognisably the same passage, rewritten?)
    ("Nous avons commencé en 2004.", "Nous avons commencé en 2004 avec trois structures.", True),
    ("Nous avons commencé en 2004 avec trois structures.", "commencé en 2004", True),  # cut
    ("abcdefghij", "abcdefXXXX", True),  # ratio 0.6
    ("abcdefghij", "abcdeXXXXX", False),  # ratio 0.5
    ("Tout autre chose.", "Rien à voir ici.", False),
    ("", "Un texte.", False),
    ("Un texte.", "  ", False),
]


@pytest.mark.parametrize(("before", "after", "rewritten"), REWRITTEN)
def test_rewritten_passage(before: str, after: str, rewritten: bool) -> None:
    assert rewritten_passage(before, after) is rewritten


def excerpt(ident: str, text: str, codes=(), section="origine", indicators=(), **kw) -> Excerpt:
    return Excerpt(ident, tuple(codes), section, tuple(indicators), text, **kw)


def interview(*excerpts: Excerpt, role: str = "coordinatrice") -> InterviewExcerpts:
    return InterviewExcerpts("Entretien fictif", role, "2025-05-06", True, "export.csv",
                             "Taguette", excerpts)  # fmt: skip


QUESTION_CODES = [
    # (codes of one excerpt, guiding questions answered)
    (("origine-2",), {"origine-2": 1}),
    (("Origine-2",), {"origine-2": 1}),  # any case
    (("grille/origine-2",), {"origine-2": 1}),  # last level of a hierarchy
    (("grille\\origine-2",), {"origine-2": 1}),
    (("grille::origine-2",), {"origine-2": 1}),
    (("grille > origine-2",), {"origine-2": 1}),
    (("a/b/origine-2",), {"origine-2": 1}),
    (("origine-2/detail",), {}),  # a sub-code is not the question
    (("origine  -2",), {}),
    (("  origine-2 ",), {"origine-2": 1}),
    (("origine-2", "grille/origine-2"), {"origine-2": 1}),  # once per excerpt
    (("origine-2", "leadership-3"), {"origine-2": 1, "leadership-3": 1}),
    (("autre",), {}),
]


@pytest.mark.parametrize(("codes", "counts"), QUESTION_CODES)
def test_codes_answer_guiding_questions(codes, counts) -> None:
    published = [(interview(), excerpt("e1", "Texte.", codes))]
    assert question_counts(published, ["origine-2", "Leadership-3"]) == {
        {"leadership-3": "Leadership-3"}.get(k, k): v for k, v in counts.items()
    }


def test_each_excerpt_counts_once_per_question_and_section() -> None:
    one = interview()
    published = [
        (one, excerpt("e1", "A.", ["origine-2"], section="origine")),
        (one, excerpt("e2", "B.", ["grille/origine-2"], section="origine")),
        (one, excerpt("e3", "C.", ["leadership-3"], section="leadership")),
    ]
    assert question_counts(published, ["origine-2", "leadership-3", "finalites-1"]) == {
        "origine-2": 2,
        "leadership-3": 1,
    }
    assert section_counts(published) == {"origine": 2, "leadership": 1}


def test_evidence_by_indicator_keeps_order_role_and_date() -> None:
    first, second = interview(role="coordinatrice"), interview(role="bénévole")
    published = [
        (first, excerpt("e1", "Un.", indicators=["a1", "b2", "a1"], section="origine", line=4)),
        (second, excerpt("e2", "Deux.", indicators=["a1"], section="gouvernance")),
    ]
    evidence = excerpt_evidence(published)
    assert list(evidence) == ["a1", "b2"]
    assert [(e.excerpt_id, e.section, e.role, e.date, e.text, e.line) for e in evidence["a1"]] == [
        ("e1", "origine", "coordinatrice", "2025-05-06", "Un.", 4),
        ("e2", "gouvernance", "bénévole", "2025-05-06", "Deux.", 0),
    ]
    assert [e.indicator for e in evidence["b2"]] == ["b2"]


def test_a_reimport_keeps_the_curation_of_the_same_passages(tmp_path: Path) -> None:
    old = interview(
        excerpt("k1", "Marie a lancé le pôle.", retained=True, verified=("Marie",)),
        excerpt("k2", "Nous avons commencé en 2004.", retained=True),
        excerpt("k3", "Un passage retiré de l'export.", retained=True),
        excerpt("k4", "Même texte, autre section.", section="origine", retained=True),
    )
    new = interview(
        excerpt("n1", "[coordinatrice] a lancé   le pôle."),  # same passage, name replaced
        excerpt("n2", "Nous avons commencé en 2004 avec trois structures."),  # rewritten
        excerpt("n3", "Un passage nouveau."),
        excerpt("n4", "Même texte, autre section.", section="gouvernance"),
    )
    path = tmp_path / "entretien.yaml"
    merged, change = merge(old, new, path, names=["Marie"])
    assert [(e.id, e.retained, e.verified) for e in merged.excerpts] == [
        ("k1", True, ("Marie",)),
        ("n2", False, ()),
        ("n3", False, ()),
        ("n4", False, ()),
    ]
    assert merged.path == path
    assert change.changed == ["k1"] and change.unchanged == 0
    assert change.rewritten == [("k2", "n2")]
    assert change.added == ["n3", "n4"]
    assert change.removed == ["k3", "k4"]
    assert change.new_file is False and change.touched


def test_a_reimport_of_the_same_file_changes_nothing(tmp_path: Path) -> None:
    old = interview(excerpt("k1", "Texte.", ["origine-2"], retained=True))
    merged, change = merge(old, old, tmp_path / "e.yaml")
    assert merged.excerpts == old.excerpts
    assert change.unchanged == 1 and not change.touched
    first, change = merge(None, old, tmp_path / "e.yaml")
    assert first.excerpts == old.excerpts
    assert change.new_file and change.added == ["k1"] and change.touched


def test_an_id_the_export_keeps_wins_over_the_text(tmp_path: Path) -> None:
    old = interview(excerpt("k1", "Premier passage."), excerpt("k2", "Second passage."))
    # the export gives k1 to another text: same id, same excerpt (its text changed)
    new = interview(excerpt("x9", "Premier  passage."), excerpt("k1", "Second passage."))
    merged, change = merge(old, new, tmp_path / "e.yaml")
    assert [e.id for e in merged.excerpts] == ["x9", "k1"]
    assert change.changed == ["k1"] and change.rewritten == [("k2", "x9")]
    assert change.removed == [] and change.added == []


def test_codes_or_section_changed_on_the_same_passage_is_a_change(tmp_path: Path) -> None:
    old = interview(excerpt("k1", "Texte.", ["origine-2"], retained=True))
    new = interview(excerpt("k1", "Texte.", ["origine-3"]))
    merged, change = merge(old, new, tmp_path / "e.yaml")
    assert change.changed == ["k1"] and change.unchanged == 0
    assert merged.excerpts[0].retained is True and merged.excerpts[0].codes == ("origine-3",)


# --- boundaries found by mutmut -----------------------------------------------------------

BOUNDARIES = [
    ("Bob dit.", "Bobby dit.", ("Bob",), True),  # text added right after a name: its wording
    ("Bobx dit.", "Zed dit.", ("Bob",), False),  # the change goes one letter past the name
    # long passages (200 characters and more): no character is ever dropped as « junk »
    ("Marie " + "abcdefghij" * 25, "Jeanne " + "abcdefghij" * 25, ("Marie", "Jeanne"), True),
    ("Le pôle avance bien. " * 15 + "Marie a dit oui.",
     "Le pôle avance bien. " * 15 + "[coordinatrice] a dit oui.", ("Marie",), True),
]  # fmt: skip


@pytest.mark.parametrize(("before", "after", "names", "same"), BOUNDARIES)
def test_same_passage_boundaries(before, after, names, same) -> None:
    assert same_passage(before, after, names) is same


def test_a_long_passage_slightly_changed_is_rewritten() -> None:
    before = "abcdefghij" * 30
    assert rewritten_passage(before, before[:150] + "Z" + before[151:]) is True


def test_names_verified_whatever_their_spacing() -> None:
    flagged = excerpt("e1", "Marie Curie est venue.", flagged=("Marie  Curie",),
                      verified=("marie curie",))  # fmt: skip
    assert flagged.unresolved_names() == []
    other = excerpt("e1", "Marie Curie est venue.", flagged=("Marie Curie",),
                    verified=("Marie\nCurie",))  # fmt: skip
    assert other.unresolved_names() == []
    unverified = excerpt("e1", "Marie Curie est venue.", flagged=("Marie Curie",))
    assert unverified.unresolved_names() == ["Marie Curie"]


def test_an_excerpt_matched_by_id_leaves_the_others_to_their_text(tmp_path: Path) -> None:
    old = interview(excerpt("k1", "Un.", retained=True), excerpt("k2", "Deux passages.",
                                                                 retained=True))  # fmt: skip
    new = interview(excerpt("k1", "Un."), excerpt("x2", "Deux   passages."))
    merged, change = merge(old, new, tmp_path / "e.yaml")
    assert [(e.id, e.retained) for e in merged.excerpts] == [("k1", True), ("k2", True)]
    assert change.document == "Entretien fictif"
    assert change.unchanged == 1 and change.changed == ["k2"]  # its whitespace changed


def test_a_name_of_the_table_reworded_keeps_the_excerpt(tmp_path: Path) -> None:
    old = interview(excerpt("k1", "Marie a lancé le pôle.", retained=True))
    new = interview(excerpt("n1", "La directrice a lancé le pôle."))
    merged, _ = merge(old, new, tmp_path / "e.yaml", names=["Marie"])
    assert [(e.id, e.retained) for e in merged.excerpts] == [("k1", True)]
    merged, _ = merge(old, new, tmp_path / "e.yaml")  # not a name of the table
    assert [(e.id, e.retained) for e in merged.excerpts] == [("n1", False)]


STORED = """\
document: Entretien fictif
role: coordinatrice
date: '2025-05-06'
consentement: true
extraits:
  - {id: e1, section: origine, texte: Marie Curie a lancé le pôle., retenu: true,
     indicateurs: [a1]}
  - {id: e2, section: origine, texte: Le pôle a commencé en 2004., retenu: true,
     indicateurs: [a1]}
  - {id: e3, section: autre, texte: Un passage., retenu: true}
"""


def _pole(tmp_path: Path, text: str = STORED) -> tuple[Path, Path]:
    data = tmp_path / "data"
    folder = data / "poles" / "pole-fictif"
    (folder / "entretiens").mkdir(parents=True)
    (folder / "entretiens" / "entretien.yaml").write_text(text, encoding="utf-8")
    return folder, data


def test_stored_excerpts_in_unknown_sections_are_refused_naming_the_file(tmp_path: Path) -> None:
    from ptce_mono.core.errors import FieldworkError
    from ptce_mono.corpus.excerpts import load_interviews, parse_interview_text, retained_counts

    folder, _data = _pole(tmp_path)
    path = folder / "entretiens" / "entretien.yaml"
    grid = ("origine", "gouvernance")
    for read in (
        lambda: parse_interview_text(STORED, path, grid),
        lambda: load_interviews(folder, grid),
        lambda: retained_counts(folder, grid),
    ):
        with pytest.raises(FieldworkError) as error:
            read()
        assert str(error.value).startswith(f"{path}")
        assert "section « autre » inconnue de la grille" in str(error.value)
        assert [(p.path, p.line) for p in error.value.problems] == [(path, 10)]
    assert parse_interview_text(STORED, path).path == path
    assert retained_counts(folder) == {"origine": 2, "autre": 1}


def test_published_excerpts_keep_the_private_tables_names_out(tmp_path: Path) -> None:
    from ptce_mono.corpus.excerpts import indicator_evidence, load_interviews
    from ptce_mono.corpus.pseudonymise import private_table_path
    from ptce_mono.corpus.records import PrivateOnDemand, _publishable

    folder, data = _pole(tmp_path)
    interviews = tuple(load_interviews(folder))

    def published() -> list[str]:  # the private table read anew, as a new process would
        return [e.id for _, e in _publishable(interviews, PrivateOnDemand(data, "pole-fictif"))]

    assert published() == ["e1", "e2", "e3"]  # no table
    table = private_table_path(data, "pole-fictif")
    table.parent.mkdir(parents=True)
    table.write_text("personnes:\n  - {nom: Marie Curie, role: coordinatrice}\n", "utf-8")
    assert published() == ["e2", "e3"]
    evidence = indicator_evidence(load_interviews(folder), private_names=["Marie Curie"])
    assert [e.excerpt_id for e in evidence["a1"]] == ["e2"]
    assert evidence["a1"][0].path == folder / "entretiens" / "entretien.yaml"
    table.write_text("- une liste\n", "utf-8")  # unreadable: nothing is published
    assert published() == []
    assert _publishable((), PrivateOnDemand(data, "pole-fictif")) == []


T75 = "Le pôle a commencé par une épicerie solidaire, puis une recyclerie et un café."[:75]
T80 = ("Le pôle a commencé par une épicerie solidaire, puis une recyclerie, puis un café" + "x")[
    :80
]
T81 = T80 + "!"


def test_stored_texts_long_or_on_several_lines_are_blocks() -> None:
    from ptce_mono.corpus.excerpts import to_yaml

    assert (len(T75), len(T80), len(T81)) == (75, 80, 81)
    text = to_yaml(
        interview(
            excerpt("e1", T75), excerpt("e2", T80), excerpt("e3", T81), excerpt("e4", "un\ndeux")
        )
    )
    assert f"  texte: {T75}\n" in text  # one line, never folded at 80 columns
    assert f"  texte: {T80}\n" in text
    assert f"  texte: |-\n    {T81}\n" in text
    assert "  texte: |-\n    un\n    deux\n" in text


STORED_DATES = [
    ("'2026-02-05T00:00:00Z'", "2026-02-05"),
    ("2026-02-05", "2026-02-05"),
    ("printemps 2025", "printemps 2025"),
    ("''", ""),
    ("~", ""),
]


@pytest.mark.parametrize(("written", "stored"), STORED_DATES)
def test_interview_dates_as_stored(tmp_path: Path, written: str, stored: str) -> None:
    from ptce_mono.corpus.excerpts import parse_interview_text

    text = STORED.replace("date: '2025-05-06'", f"date: {written}")
    assert parse_interview_text(text, tmp_path / "e.yaml").date == stored


def test_a_stored_file_above_the_limits_of_a_hand_written_file_is_read(tmp_path: Path) -> None:
    """An import writes files larger than a record written by hand may be (1 Mio): they are
    read with the importers' limits, never refused by validate or build."""
    from ptce_mono.corpus.excerpts import parse_interview, parse_interview_text

    long_text = "Un passage. " * 100_000  # 1,2 million characters
    text = STORED.replace("texte: Un passage.", f"texte: '{long_text.strip()}'")
    assert len(text) > 1024 * 1024
    path = tmp_path / "entretien.yaml"
    path.write_text(text, encoding="utf-8")
    assert len(parse_interview(path).excerpts[2].text) == len(long_text.strip())
    assert parse_interview_text(text, path).excerpts[2].id == "e3"
