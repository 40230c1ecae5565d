"""Strict YAML and Markdown loading: duplicates, no implicit dates, lines, front matter, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.core.errors import DataFileError, PtceError
from ptce_mono.core.yamlio import load_markdown, load_yaml, parse_markdown, parse_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_duplicate_key_is_refused_with_its_line() -> None:
    text = "identite:\n  nom: A\n  commune: Die\n  nom: B\n"
    with pytest.raises(DataFileError) as info:
        parse_yaml(text, "pole.yaml")
    assert info.value.line == 4
    assert "clé « nom » en double" in str(info.value)
    assert str(info.value).startswith("pole.yaml:4: ")


def test_duplicate_key_in_a_list_item_is_refused() -> None:
    with pytest.raises(DataFileError, match="clé « iae » en double"):
        parse_yaml("structures:\n- nom: A\n  iae: true\n  iae: false\n")


def test_same_key_in_two_records_is_fine() -> None:
    data = parse_yaml("a:\n  nom: x\nb:\n  nom: y\n").data
    assert data == {"a": {"nom": "x"}, "b": {"nom": "y"}}


def test_no_implicit_dates_nor_base_60_numbers() -> None:
    data = parse_yaml("date: 2016-03-02\nhoraire: 9:30\nhorodatage: 2016-03-02 10:00:00\n").data
    assert data == {"date": "2016-03-02", "horaire": "9:30", "horodatage": "2016-03-02 10:00:00"}


def test_ordinary_scalars_keep_their_yaml_types() -> None:
    data = parse_yaml("n: 12\nx: 1.5\nb: true\nvide:\ncp: '01700'\nversion: '2012'\n").data
    assert data == {"n": 12, "x": 1.5, "b": True, "vide": None, "cp": "01700", "version": "2012"}


def test_every_key_and_list_item_has_its_line() -> None:
    text = (
        "# commentaire\n"
        "identite:\n"
        "  nom: Pôle fictif\n"
        "structures:\n"
        "- nom: Atelier fictif\n"
        "  iae: true\n"
        "- nom: Menuiserie fictive\n"
    )
    loaded = parse_yaml(text)
    assert loaded.lines["identite"] == 2
    assert loaded.lines["identite.nom"] == 3
    assert loaded.lines["structures.0"] == 5
    assert loaded.lines["structures.0.iae"] == 6
    assert loaded.lines["structures.1.nom"] == 7
    # a missing path falls back to its nearest parent
    assert loaded.line_of("structures.1.famille") == 7
    assert loaded.line_of("identite.commune") == 2
    assert loaded.line_of("inconnu") == 1


def test_empty_document_is_none() -> None:
    loaded = parse_yaml("# rien\n")
    assert loaded.data is None
    assert loaded.line_of("identite.nom") == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("identite:\n  nom: [Pôle\n  commune: Die\n", 3, "crochet « ] » ou virgule manquant"),
        ("identite:\n  nom: a: b\n", 2, "deux-points inattendu"),
        ("identite:\n\tnom: x\n", 2, "tabulation"),
        ("nom: 'sans fin\n", 2, "fin de fichier inattendue"),
        ("- a\nb: c\n", 2, "tiret de liste attendu"),
    ],
)
def test_malformed_yaml_is_a_french_error_with_the_line(text, line, words) -> None:
    with pytest.raises(DataFileError) as info:
        parse_yaml(text, "data/poles/x/pole.yaml")
    error = info.value
    assert isinstance(error, PtceError)
    assert error.line == line
    assert error.path == Path("data/poles/x/pole.yaml")
    assert "YAML mal formé" in error.message and words in error.message
    assert error.message.startswith(f"data/poles/x/pole.yaml:{line}: ")
    assert "mapping" not in error.message and "expected" not in error.message


def test_malformed_fixture_file_names_the_file_and_the_line() -> None:
    path = FIXTURES / "broken" / "yaml-malforme" / "pole.yaml"
    with pytest.raises(DataFileError) as info:
        load_yaml(path)
    assert info.value.path == path
    assert info.value.line == 9  # the line after « commune: [Die », where YAML notices it
    assert str(path) in str(info.value)


def test_unreadable_files_are_french_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="fichier introuvable"):
        load_yaml(tmp_path / "absent.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("nom: Pôle\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="pas encodé en UTF-8"):
        load_yaml(latin1)


def test_markdown_front_matter_body_and_lines() -> None:
    text = "---\nquestions: [origine-1, origine-2]\n---\n<!-- note -->\n\nTexte [@a, p. 1].\n"
    doc = parse_markdown(text, "origine.md")
    assert doc.meta == {"questions": ["origine-1", "origine-2"]}
    assert doc.body == "<!-- note -->\n\nTexte [@a, p. 1].\n"
    assert doc.body_line == 4
    # lines are those of the whole file (shifted by the opening ---)
    assert doc.meta_lines["questions"] == 2
    assert doc.meta_lines["questions.1"] == 2


def test_markdown_without_front_matter() -> None:
    doc = parse_markdown("# Titre\n\n---\n\nTexte.\n")
    assert doc.meta == {}
    assert doc.body.startswith("# Titre")
    assert doc.body_line == 1


def test_markdown_empty_front_matter() -> None:
    doc = parse_markdown("---\n---\nTexte.\n")
    assert doc.meta == {}
    assert doc.body == "Texte.\n"


def test_markdown_front_matter_errors_are_french(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="doit être un dictionnaire"):
        parse_markdown("---\n- a\n- b\n---\nTexte\n", "finalites.md")
    bad = tmp_path / "finalites.md"
    bad.write_text("---\nquestions: [finalites-1\n---\nTexte\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_markdown(bad)
    assert "YAML mal formé" in str(info.value) and str(bad) in str(info.value)


def test_markdown_front_matter_duplicate_key(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="clé « questions » en double"):
        parse_markdown("---\nquestions: []\nquestions: []\n---\nTexte\n")
