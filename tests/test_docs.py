"""The researchers' guide: every command, every schema key and every vocabulary value."""

from __future__ import annotations

import re

import pytest

from ptce_mono.cli import cli
from ptce_mono.corpus import schema

from .conftest import REPO

GUIDE = REPO / "docs" / "guide.md"
ENGLISH = ("Show this message", "Usage:", "Show the version", "Exit with", "No such command")


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """The body of the level-2 section ``## title`` (until the next level-2 heading)."""
    match = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"section « {title} » absente du guide"
    return match.group(1)


def schema_keys(node: schema.Field | None = None) -> set[str]:
    node = node or schema.POLE_SCHEMA
    keys = set()
    for key, child in node.fields.items():
        keys.add(key)
        inner = child.item if child.kind == "list" and child.item is not None else child
        keys |= schema_keys(inner)
    return keys


def test_readme_links_the_guide():
    assert "](docs/guide.md)" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_french_help_and_is_in_the_guide(name, runner):
    result = runner.invoke(cli, [name, "--help"], prog_name="ptce-mono")
    assert result.exit_code == 0, result.output
    assert "Utilisation : ptce-mono" in result.output
    assert "Affiche cette aide et quitte." in result.output
    for english in ENGLISH:
        assert english not in result.output, (name, english)
    assert (cli.commands[name].help or "").strip(), f"commande {name} sans aide"
    assert f"ptce-mono {name}" in guide_text(), f"« ptce-mono {name} » absent du guide"


def test_group_help_is_french(runner):
    result = runner.invoke(cli, ["--help"], prog_name="ptce-mono")
    assert result.exit_code == 0
    assert "Commandes" in result.output
    assert not any(english in result.output for english in ENGLISH)


def test_every_schema_key_is_in_the_glossary():
    glossary = section(guide_text(), "Glossaire des clés YAML")
    keys = schema_keys()
    assert {"schema", "identite", "nom", "source", "passage", "coordonnees", "url"} <= keys
    missing = sorted(k for k in keys if f"`{k}`" not in glossary)
    assert missing == [], f"clés absentes du glossaire : {missing}"
    assert "`questions`" in glossary  # the only front matter key of narratives


def test_every_vocabulary_value_is_in_the_guide():
    vocabularies = section(guide_text(), "Vocabulaires")
    for name in dir(schema):
        value = getattr(schema, name)
        if name.isupper() and isinstance(value, dict):
            if not all(isinstance(v, str) for v in value.values()):
                continue
            for key, label in value.items():
                assert f"| `{key}` | {label} |" in vocabularies, (name, key)


def test_guide_covers_the_daily_loop():
    text = guide_text()
    for needle in ("make demo", "make test", "ptce-mono lab", "ptce-mono new", "citations:",
                   "[@", "remove-input", "remove-cell", "templates/monographie.py",
                   "--sans-navigateur", "--debug", "site/", "contacts", "entretiens",
                   "<!--", "questions:"):  # fmt: skip
        assert needle in text, needle
