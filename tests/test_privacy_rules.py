"""The privacy rules against cases written by hand: the private table's reading and its French
errors (file and line), names replaced by roles, the check that refuses an excerpt still holding
a private or flagged name, and excerpt ids stable under whitespace.

These are the tests ``make mutation`` runs against fieldwork/pseudonymise.py and excerpts.py.
"""

from __future__ import annotations

import string
from dataclasses import replace
from pathlib import Path

import pytest

from ptce_mono.core.errors import FieldworkError, NotWritableError
from ptce_mono.corpus.excerpts import (
    Excerpt,
    InterviewExcerpts,
    excerpt_id,
    excerpts_dir,
    file_stem,
    indicator_evidence,
    load_interviews,
    parse_interview,
    publication_problems,
    published_excerpts,
    retained_counts,
    to_yaml,
    write_all,
)
from ptce_mono.corpus.pseudonymise import (
    Person,
    contains_name,
    load_private_table,
    person_names,
    private_table_path,
    replace_names,
)

SLUG = "pole-fictif"


def table(tmp_path: Path, text: str) -> Path:
    path = private_table_path(tmp_path, SLUG)
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


ERRORS = [
    # (private table, « ligne N : message » expected, shown as « fichier:N: message »)
    ("- une\n- liste\n", "ligne 1 : un dictionnaire (personnes, entretiens) est attendu"),
    ("personnes:\n  - nom: Maëlle Trévoux\n",
     "ligne 2 : chaque personne a un « nom » et un « role »"),
    ("personnes:\n  - role: présidente\n",
     "ligne 2 : chaque personne a un « nom » et un « role »"),
    ("personnes:\n  - un texte\n", "ligne 2 : chaque personne a un « nom » et un « role »"),
    ("personnes:\n  - nom: A\n    role: r\n  - nom: B\n",
     "ligne 4 : chaque personne a un « nom » et un « role »"),
    ("personnes:\n  - {nom: A, role: r, variantes: B}\n",
     "ligne 2 : « variantes » : liste de textes attendue"),
    ("entretiens: [a, b]\n", "ligne 1 : « entretiens » : dictionnaire par document attendu"),
    ("entretiens:\n  doc-1: un texte\n", "ligne 2 : entretien « doc-1 » : dictionnaire attendu"),
    ("personnes: []\nentretiens:\n  doc-1: {personne: Inconnue}\n",
     "ligne 3 : entretien « doc-1 » : personne « Inconnue » absente de « personnes »"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_private_table_errors_name_the_file_and_line(tmp_path: Path, text, message) -> None:
    path = table(tmp_path, text)
    with pytest.raises(FieldworkError) as caught:
        load_private_table(tmp_path, SLUG)
    line, text = message.removeprefix("ligne ").split(" : ", 1)
    assert str(caught.value) == f"{path}:{line}: {text}"
    assert caught.value.path == path and caught.value.line == int(line)


def test_private_table_read_by_hand(tmp_path: Path) -> None:
    path = table(
        tmp_path,
        "personnes:\n"
        "  - {nom: Maëlle Trévoux, role: présidente, variantes: [Maëlle, M. Trévoux]}\n"
        "  - {nom: Yann Corrigou, role: salarié}\n"
        "entretiens:\n"
        "  entretien-1: {personne: Maëlle Trévoux, date: 2025-03-12, consentement: true}\n"
        "  entretien-2: {role: bénévole, consentement: oui}\n"
        "  entretien-3: {personne: Yann Corrigou, role: ancien salarié}\n"
        "  entretien-4: {date: 2025-01-01}\n",
    )
    loaded = load_private_table(tmp_path, SLUG)
    assert loaded.path == path
    assert loaded.people == (
        Person("Maëlle Trévoux", ("Maëlle", "M. Trévoux"), "présidente"),
        Person("Yann Corrigou", (), "salarié"),
    )
    assert loaded.names() == ("Maëlle Trévoux", "M. Trévoux", "Maëlle", "Yann Corrigou")
    one, two, three = (loaded.interviews[f"entretien-{i}"] for i in (1, 2, 3))
    assert (one.person, one.role, one.date, one.consent) == (
        "Maëlle Trévoux", "présidente", "2025-03-12", True
    )  # fmt: skip
    assert (two.person, two.role, two.date, two.consent) == ("", "bénévole", "", None)
    assert (three.role, three.consent) == ("ancien salarié", None)
    four = loaded.interviews["entretien-4"]
    assert (four.person, four.role, four.date) == ("", "", "2025-01-01")


def test_no_private_table_is_an_empty_table(tmp_path: Path) -> None:
    loaded = load_private_table(tmp_path, SLUG)
    assert loaded.path is None and loaded.people == () and loaded.interviews == {}
    table(tmp_path, "")
    empty = load_private_table(tmp_path, SLUG)
    assert empty.people == () and empty.interviews == {}


PRESIDENT = Person("Maëlle Trévoux", ("Maëlle",), "présidente")
JEAN = Person("Jean", (), "bénévole")
JEAN_DUPONT = Person("Jean Dupont", (), "trésorier")


@pytest.mark.parametrize(
    ("text", "people", "expected"),
    [
        ("Maëlle Trévoux a parlé.", [PRESIDENT], "[présidente] a parlé."),
        ("maëlle trévoux a parlé.", [PRESIDENT], "[présidente] a parlé."),
        ("MAËLLE TRÉVOUX a parlé.", [PRESIDENT], "[présidente] a parlé."),
        ("Maëlle  Trévoux et\nMaëlle\tTrévoux", [PRESIDENT], "[présidente] et\n[présidente]"),
        ("Maëlle seule.", [PRESIDENT], "[présidente] seule."),
        ("Maëlleville, Trévoux.", [PRESIDENT], "Maëlleville, Trévoux."),
        ("(Maëlle)", [PRESIDENT], "([présidente])"),
        ("Jean Dupont et Jean.", [JEAN, JEAN_DUPONT], "[trésorier] et [bénévole]."),
        ("Jean Dupont et Jean.", [JEAN_DUPONT, JEAN], "[trésorier] et [bénévole]."),
        ("Personne ici.", [PRESIDENT], "Personne ici."),
        (
            "Anne Zoé et Zoé.",
            [Person("Zoé", (), "bénévole"), Person("Anne Zoé", (), "trésorière")],
            "[trésorière] et [bénévole].",
        ),
        ("Maëlle", [], "Maëlle"),
    ],
)
def test_names_are_replaced_by_roles(text, people, expected) -> None:
    assert replace_names(text, people) == expected


@pytest.mark.parametrize(
    ("text", "names", "found"),
    [
        ("Texte avec maëlle dedans", ["Maëlle", "Yann"], ["Maëlle"]),
        ("Texte", ["", "  ", "Yann"], []),
        ("Maëlleville", ["Maëlle"], []),
        ("Yann  Corrigou", ["Yann Corrigou", "Corrigou"], ["Yann Corrigou", "Corrigou"]),
    ],
)
def test_contains_name(text, names, found) -> None:
    assert contains_name(text, names) == found


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("La présidente Jean Dupont a parlé avec Odile Vernasque.",
         ["Jean Dupont", "Odile Vernasque"]),
        ("Le [Jean Dupont] a parlé avec Odile Vernasque.", ["Odile Vernasque"]),
        ("Nous avons vu Mme Claire Martin; puis [élu local].", ["Claire Martin"]),
    ],
)  # fmt: skip
def test_person_names_found_by_the_french_model(text, names) -> None:
    """Placeholders « [rôle] » are never read as names; titles (Mme, M.) are dropped."""
    assert person_names(text) == names


def excerpt(text: str, **kw) -> Excerpt:
    return Excerpt(kw.pop("id", "e1"), ("c",), kw.pop("section", "origine"), kw.pop("ind", ()),
                   text, retained=kw.pop("retained", True), **kw)  # fmt: skip


def interview(*excerpts: Excerpt, consent: bool = True) -> InterviewExcerpts:
    return InterviewExcerpts("doc", "présidente", "2025-03", consent, "f.txt", "taguette", excerpts)


CONSENT = "le consentement à citer l'entretien n'est pas enregistré"
PRIVATE = "contient le nom d'une personne de la table privée"


@pytest.mark.parametrize(
    ("item", "consent", "names", "problems"),
    [
        (excerpt("Un texte sûr."), True, ["Maëlle"], []),
        (excerpt("Un texte sûr."), False, [], [CONSENT]),
        (excerpt("Dit par maëlle."), True, ["Maëlle"], [PRIVATE]),
        (excerpt("Dit par Yann.", flagged=("Yann",)), True, [], ["nom signalé encore présent : Yann"]),
        (excerpt("Dit par Yann.", flagged=("Yann",), verified=("Yann",)), True, [], []),
        (excerpt("Dit par [salarié].", flagged=("Yann",)), True, [], []),
        (excerpt("Yann et Zoé.", flagged=("Yann", "Zoé")), False, ["Zoé"],
         [CONSENT, "nom signalé encore présent : Yann, Zoé", PRIVATE]),
    ],
)  # fmt: skip
def test_publication_problems(item, consent, names, problems) -> None:
    assert publication_problems(interview(item, consent=consent), item, names) == problems


def test_only_retained_publishable_excerpts_of_the_section_are_published() -> None:
    ok = excerpt("Texte.", id="ok", ind=("a1",))
    other = excerpt("Texte.", id="autre", section="gouvernance", ind=("a1", "b2"))
    dropped = excerpt("Texte.", id="non-retenu", retained=False, ind=("a1",))
    private = excerpt("Dit par Maëlle.", id="prive", ind=("a1",))
    interviews = [interview(ok, other, dropped, private), interview(excerpt("X"), consent=False)]
    ids = [e.id for _, e in published_excerpts(interviews, None, ["Maëlle"])]
    assert ids == ["ok", "autre"]
    assert [e.id for _, e in published_excerpts(interviews, "origine", ["Maëlle"])] == ["ok"]
    evidence = indicator_evidence([interview(ok, other, dropped)])
    assert {k: [e.excerpt_id for e in v] for k, v in evidence.items()} == {
        "a1": ["ok", "autre"], "b2": ["autre"]
    }  # fmt: skip
    first = evidence["a1"][0]
    assert (first.section, first.role, first.date, first.text) == (
        "origine", "présidente", "2025-03", "Texte."
    )  # fmt: skip


def test_excerpt_ids_are_stable_under_whitespace_and_unique() -> None:
    a = excerpt_id("doc", "Une  phrase\ncitée.", set())
    assert a == excerpt_id("doc", " Une phrase citée. ", set())
    assert len(a) == 10 and set(a) <= set(string.hexdigits.lower())
    assert a != excerpt_id("doc", "Une phrase citée", set())
    assert a != excerpt_id("autre", "Une phrase citée.", set())
    taken: set[str] = set()
    ids = [excerpt_id("doc", "Même texte.", taken) for _ in range(3)]
    assert ids == [a_ := ids[0], f"{a_}-2", f"{a_}-3"]
    assert taken == set(ids)


@pytest.mark.parametrize(
    ("document", "stem"),
    [
        ("Entretien n°2 (Éole)", "entretien-n2-eole"),
        ("Entretien nº 2", "entretien-no-2"),
        ("  --  ", "entretien"),
        ("Œuvre", "uvre"),
        ("a" * 100, "a" * 80),
    ],
)
def test_file_stem(document, stem) -> None:
    assert file_stem(document) == stem


# --- the stored interview files (excerpts.parse_interview) --------------------------------------

PARSE_ERRORS = [
    # (stored file, sections of the grid, « ligne N : message »)
    ("- une liste\n", (), "ligne 1 : « extraits » : une liste est attendue"),
    ("extraits: {}\n", (), "ligne 1 : « extraits » : une liste est attendue"),
    ("extraits:\n  - id: e1\n", (), "ligne 2 : chaque extrait a un « id » et un « texte »"),
    ("extraits:\n  - texte: t\n", (), "ligne 2 : chaque extrait a un « id » et un « texte »"),
    ("extraits:\n  - id: e1\n    texte: 3\n", (),
     "ligne 2 : chaque extrait a un « id » et un « texte »"),
    ("extraits:\n  - id: a\n    texte: t\n  - id: b\n", (),
     "ligne 4 : chaque extrait a un « id » et un « texte »"),
    ("extraits:\n  - id: e1\n    texte: t\n    section: ailleurs\n", ("origine",),
     "ligne 4 : section « ailleurs » inconnue de la grille"),
    ("extraits:\n  - id: e1\n    texte: t\n    section: origine\n    retenu: oui\n", ("origine",),
     "ligne 5 : « retenu » vaut true ou false"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sections", "message"), PARSE_ERRORS)
def test_stored_interview_errors_name_file_and_line(tmp_path: Path, text, sections, message):
    path = tmp_path / "entretien.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FieldworkError) as caught:
        parse_interview(path, sections)
    line, text = message.removeprefix("ligne ").split(" : ", 1)
    assert str(caught.value) == f"{path}:{line}: {text}"


STORED = """document: Entretien A
import: {fichier: export.qdpx, outil: QualCoder}
role: élu local
date: "2025-04-03"
consentement: true
extraits:
  - id: e1
    codes: [gouvernance, 3]
    section: origine
    indicateurs: [a1]
    texte: "Un texte."
    noms_signales: [Yann]
    noms_verifies: [Yann]
    retenu: true
  - id: e2
    codes: gouvernance
    texte: "Autre."
"""


def test_stored_interview_read_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "entretien-a.yaml"
    path.write_text(STORED, encoding="utf-8")
    interview = parse_interview(path, ("origine", "gouvernance", ""))
    assert interview == InterviewExcerpts(
        "Entretien A", "élu local", "2025-04-03", True, "export.qdpx", "QualCoder",
        (
            Excerpt("e1", ("gouvernance", "3"), "origine", ("a1",), "Un texte.", ("Yann",),
                    ("Yann",), True, 7),
            Excerpt("e2", (), "", (), "Autre.", (), (), False, 15),
        ),
        path,
    )  # fmt: skip
    bare = tmp_path / "sans-en-tete.yaml"
    bare.write_text("consentement: oui\nimport: texte\nextraits: []\n", encoding="utf-8")
    plain = parse_interview(bare)
    assert (plain.document, plain.role, plain.date, plain.consent) == (
        "sans-en-tete",
        "",
        "",
        False,
    )
    assert (plain.source_file, plain.tool, plain.excerpts) == ("", "", ())


def test_retained_counts_per_section(tmp_path: Path) -> None:
    folder = excerpts_dir(tmp_path / "pole")
    folder.mkdir(parents=True)

    def block(eid: str, section: str, retained: bool) -> str:
        return f"  - {{id: {eid}, section: {section}, texte: t, retenu: {str(retained).lower()}}}\n"

    (folder / "a.yaml").write_text(
        "consentement: true\nextraits:\n" + block("1", "origine", True) + block("2", "origine", True)
        + block("3", "gouvernance", True) + block("4", "impacts", False), encoding="utf-8",
    )  # fmt: skip
    (folder / "b.yaml").write_text(
        "consentement: false\nextraits:\n" + block("5", "impacts", True), encoding="utf-8"
    )
    (folder / "notes.txt").write_text("pas un entretien", encoding="utf-8")
    assert retained_counts(tmp_path / "pole") == {"origine": 2, "gouvernance": 1}
    assert [i.document for i in load_interviews(tmp_path / "pole")] == ["a", "b"]
    assert load_interviews(tmp_path / "absent") == []
    assert retained_counts(tmp_path / "absent") == {}


def test_stored_form_reads_back_the_same(tmp_path: Path) -> None:
    """to_yaml then parse_interview gives the interview back, long texts included."""
    long_text = (
        "Une phrase assez longue pour dépasser quatre-vingts caractères, citée mot pour mot."
    )
    interview = InterviewExcerpts(
        "Entretien B", "bénévole", "2025-05-06", True, "export.csv", "Taguette",
        (Excerpt("e1", ("a",), "origine", ("a1",), long_text, ("Zoé",), ("Zoé",), True, 7),
         Excerpt("e2", (), "origine", (), "Deux\nlignes.", (), (), False, 16)),
    )  # fmt: skip
    path = tmp_path / "b.yaml"
    text = to_yaml(interview)
    assert "texte: |" in text and "noms_verifies:" in text and "outil: Taguette" in text
    path.write_text(text, encoding="utf-8")
    back = parse_interview(path)
    back = replace(back, path=None, excerpts=tuple(replace(e, line=7) for e in back.excerpts))
    assert back == replace(
        interview, excerpts=tuple(replace(e, line=7) for e in interview.excerpts)
    )


def test_write_all_writes_every_file_or_none(tmp_path: Path) -> None:
    same, new, nested = tmp_path / "same.yaml", tmp_path / "new.yaml", tmp_path / "d" / "n.yaml"
    same.write_text("pareil", encoding="utf-8")
    assert write_all({same: "pareil", new: "neuf", nested: "imbriqué"}) == [new, nested]
    assert (new.read_text("utf-8"), nested.read_text("utf-8")) == ("neuf", "imbriqué")
    assert oct(new.stat().st_mode & 0o777) == "0o644"
    # the second file's folder cannot be made (a file is there): a French error naming it
    with pytest.raises(NotWritableError):
        write_all({new: "changé", same / "x.yaml": "x"})
    assert new.read_text("utf-8") == "neuf"  # nothing written: all or nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "new.yaml", "same.yaml"]


def test_private_table_finds_an_interview_by_its_name_in_any_form() -> None:
    from ptce_mono.corpus.pseudonymise import InterviewNote, PrivateTable

    first, second = InterviewNote("", "coordinatrice", "", True), InterviewNote("", "élu", "", None)
    table = PrivateTable(None, (), {"Entretien n°2 (Éole)": first, "entretien n°2 (éole)": second})
    assert table.interview("entretien n°2 (éole)") is second  # the exact name first
    assert table.interview("Entretien n°2 (Éole)") is first
    assert table.interview("ENTRETIEN N°2 (EOLE)") is first  # then any form, in file order
    assert table.interview("Entretien n°3") is None
