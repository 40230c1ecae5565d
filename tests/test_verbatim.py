"""Every text inside « guillemets » that the project publishes is verbatim from its source.

Scanned (when the source documents are present, ``<repo>/../shared/seeds`` or the folder named
by ``PTCE_MONO_SOURCES``; otherwise the test is skipped with a message):

- ``data/`` — pole records (values of ``pole.yaml``, narratives), the census CSV files and
  their schemas, the grid, the référentiels, the bibliography. A quotation must be found in
  the source it is cited with: the ``source`` of its citation entry or list item, the
  citation of its field, the row's ``source`` (and the documents a census note names), the
  sources cited ``[@id, …]`` in the same paragraph of a narrative. Otherwise (reference files,
  a paragraph without citation) in any source document.
- ``notebooks/`` and ``templates/`` (Markdown and HTML text, Python string literals).
- every other module of the package (reader-facing prose): its string literals, docstrings
  excluded.

Rules for what is *not* a quotation (and so not scanned):
- comments (YAML ``#``, HTML ``<!-- -->``, Python ``#`` and docstrings, the Lua filter) and
  the developers' ``README.md`` of the templates: notes to developers and researchers, never
  published;
- the CLI, validation, loading and error modules (:data:`MESSAGE_MODULES`): their guillemets quote the user's own input (file,
  field, value, command), not a source;
- a quotation containing a ``{placeholder}`` of an f-string (built at run time from data that
  is itself checked here).

Normalisation: « [sic] » after a kept misprint dropped, Unicode NFC, curly apostrophes and quotes, (narrow) no-break spaces, line breaks
and runs of spaces, Markdown emphasis ``*`` of the OCR text, OCR hyphenation at a line end;
an elision ``[…]`` splits a quotation into parts found in order; the first letter's case is
free (a quotation may start a sentence).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

SEEDS = Path(os.environ.get("PTCE_MONO_SOURCES") or REPO.parent / "shared" / "seeds")
# Modules whose guillemets quote the user's own input (file, field, value, command) in
# messages, never a source: not scanned. Every other module of the package is.
MESSAGE_MODULES = (
    "cli/", "core/errors.py", "checks/validate.py", "corpus/census.py", "core/yamlio.py", "core/tools.py", "pipeline/lab.py",
    "pipeline/build.py", "pipeline/hygiene.py", "render/", "importers/scaffold.py", "pipeline/executors.py", "corpus/records.py", "corpus/grid.py",
    "corpus/referentiel.py", "pipeline/execute.py", "pipeline/status.py", "pipeline/plan.py", "core/lock.py", "site/data.py",
    "site/search.py", "site/serve.py",
    # importers and their stores: guillemets quote the column, field or value of the user's file
    "corpus/accounts.py", "corpus/codes.py", "corpus/excerpts.py",
    "corpus/pseudonymise.py", "importers/answers.py", "corpus/answer_store.py",
    "corpus/answer_settings.py", "corpus/questionnaire.py", "checks/answers.py",
    "pipeline/respondent_withdrawal.py", "importers/submissions.py", "importers/taguette.py",
    "corpus/identity.py",
    # the review round: guillemets quote the pole's remarks, the team's labels and commands
    "analysis/review_state.py", "checks/review.py", "corpus/review_store.py", "documents/review_blocks.py", "importers/review.py", "importers/review_docx.py", "importers/review_safety.py", "pipeline/review_export.py",
)  # fmt: skip
QUOTE_RE = re.compile(r"«\s*(.+?)\s*»", re.DOTALL)
CITE_RE = re.compile(r"\[@([A-Za-z0-9_.:-]+)")
ELISION_RE = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*")

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(),
    reason=f"documents sources absents ({SEEDS}) : vérification des citations sautée",
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for old, new in (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("“", '"'), ("”", '"'),
                     ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("*", "")):  # fmt: skip
        text = text.replace(old, new)
    text = re.sub(r"\s*\[sic\]", "", text)  # a kept misprint is marked, not part of it
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # OCR hyphenation
    return re.sub(r"\s+", " ", text).strip()


def _sources() -> dict[str, str]:
    """Bibliography id -> normalised text of its source file (``fichier`` in the bibliography)."""
    raw = yaml.safe_load((REPO / "data" / "bibliographie.yaml").read_text(encoding="utf-8"))
    texts = {}
    for doc in raw["documents"]:
        path = SEEDS / str(doc.get("fichier") or "")
        if doc.get("fichier") and path.is_file():
            texts[doc["id"]] = normalise(path.read_text(encoding="utf-8"))
    return texts


def found(quote: str, text: str) -> bool:
    position = 0
    for part in ELISION_RE.split(normalise(quote)):
        if not part:
            continue
        variants = (part, part[0].swapcase() + part[1:])
        hits = [text.find(v, position) for v in variants]
        hits = [h for h in hits if h >= 0]
        if not hits:
            return False
        position = min(hits) + len(part)
    return True


# A quotation: (where, quote text, allowed source ids — empty tuple = any source).
Quote = tuple[str, str, tuple[str, ...]]


def _quotes(text: str, where: str, allowed: tuple[str, ...]) -> Iterator[Quote]:
    for match in QUOTE_RE.finditer(text):
        inner = match.group(1)
        if "\x00" not in inner:
            yield where, inner, allowed


def _walk(node: Any, path: str, inherited: tuple[str, ...], cites: dict[str, Any]) -> Iterator[tuple[str, str, tuple[str, ...]]]:  # fmt: skip
    if isinstance(node, dict):
        own = node.get("source")
        here = (own,) if isinstance(own, str) else inherited
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            cite = cites.get(child)
            allowed = (cite["source"],) if isinstance(cite, dict) and "source" in cite else here
            yield from _walk(value, child, allowed, cites)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}.{index}", inherited, cites)
    elif isinstance(node, str):
        yield path, node, inherited


def yaml_quotes(path: Path) -> Iterator[Quote]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cites = data.get("citations") or {} if isinstance(data, dict) else {}
    top = data.get("source") if isinstance(data, dict) else None
    inherited = (top["source"],) if isinstance(top, dict) and "source" in top else ()
    for dotted, value, allowed in _walk(data, "", inherited, cites):
        if dotted.startswith("citations."):
            entry = cites.get(dotted.split(".")[1]) or {}
            allowed = (entry.get("source"),) if entry.get("source") else allowed
        yield from _quotes(value, f"{path.relative_to(REPO)}:{dotted}", allowed)


def markdown_quotes(path: Path) -> Iterator[Quote]:
    text = re.sub(r"<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text), start=1):
        cited = tuple(dict.fromkeys(CITE_RE.findall(paragraph)))
        yield from _quotes(paragraph, f"{path.relative_to(REPO)}, paragraphe {number}", cited)


def csv_quotes(path: Path, ids: set[str]) -> Iterator[Quote]:
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            named = {i for i in ids if any(i in str(v) for v in row.values())}
            allowed = tuple(sorted({row.get("source") or "", *named} - {""}))
            for value in row.values():
                yield from _quotes(str(value), f"{path.relative_to(REPO)}, ligne {line}", allowed)


def python_quotes(path: Path) -> Iterator[Quote]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }  # fmt: skip
    inside_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstring |= {id(v) for v in node.values}
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "\x00"
                for v in node.values
            )
            yield from _quotes(text, f"{path.relative_to(REPO)}:{node.lineno}", ())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and id(node) not in inside_fstring
        ):  # fmt: skip
            yield from _quotes(node.value, f"{path.relative_to(REPO)}:{node.lineno}", ())


def notebook_quotes(path: Path) -> Iterator[Quote]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        source = "".join(cell["source"])
        where = path.relative_to(REPO).with_suffix(f".ipynb#cellule-{index}")
        if cell["cell_type"] == "markdown":
            yield from _quotes(source, str(where), ())
        else:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield from _quotes(node.value, str(where), ())


def all_quotes(ids: set[str]) -> Iterator[Quote]:
    data = REPO / "data"
    for path in sorted(data.rglob("*.yaml")):
        yield from yaml_quotes(path)
    for path in sorted(data.rglob("*.md")):
        yield from markdown_quotes(path)
    for path in sorted(data.rglob("*.csv")):
        if "geo" not in path.parts:
            yield from csv_quotes(path, ids)
    for path in sorted(data.rglob("*.schema.json")):
        yield from _quotes(path.read_text(encoding="utf-8"), str(path.relative_to(REPO)), ())
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        yield from notebook_quotes(path)
    for path in sorted((REPO / "templates").rglob("*")):
        if path.suffix in (".ipynb",):
            yield from notebook_quotes(path)
        elif path.suffix in (".html", ".md", ".typ", ".yml") and path.name != "README.md":
            text = re.sub(r"<!--.*?-->|\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)  # fmt: skip
            yield from _quotes(text, str(path.relative_to(REPO)), ())
    package = REPO / "ptce_mono"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if not relative.startswith(MESSAGE_MODULES):
            yield from python_quotes(path)


def test_every_quotation_is_verbatim_from_its_source() -> None:
    texts = _sources()
    assert texts, f"aucun document source lisible dans {SEEDS}"
    every = " ".join(texts.values())
    checked, wrong = 0, []
    for where, quote, allowed in all_quotes(set(texts)):
        pool = [texts[a] for a in allowed if a in texts] or [every]
        checked += 1
        if not any(found(quote, text) for text in pool):
            wrong.append(
                f"{where}: « {quote} » introuvable dans {', '.join(allowed) or 'les sources'}"
            )
    assert checked > 100
    assert not wrong, "\n".join(wrong)


def test_the_normalisation_is_not_too_lenient() -> None:
    text = normalise("Il dit « les contraintes  financières\npèsent » à l’époque.")
    assert found("Les contraintes financières pèsent", text)
    assert found("contraintes […] pèsent", text)
    assert not found("pèsent […] contraintes", text)
    assert not found("les contraintes économiques", text)
