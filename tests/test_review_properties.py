"""Property-based tests (Hypothesis) of the review importer: whatever a returned document holds
— random comments, authors and tracked insertions on random paragraphs, a damaged archive, a
first page removed, random pandoc structures — the result is either a clean import (remarks by
role, no name stored, a second import changing nothing) or the project's French error naming
the file, with the round file left byte for byte as it was. Never another exception, never a
partial write. Fictional people only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_mono.core.errors import PtceError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.review_store import parse_round
from ptce_mono.importers.review import UNNAMED_ROLE, import_review
from ptce_mono.importers.review_docx import parse_pandoc_json
from tests.conftest import make_project, run_cli
from tests.review_helpers import comment, track_insertion
from tests.test_review import (
    COORDINATOR,
    COORDINATOR_ROLE,
    PRESIDENT,
    PRESIDENT_ROLE,
    SLUG,
    review_docx,
    round_file,
    write_private_table,
)

pytestmark = pytest.mark.slow

# Text a word processor can hold (no control characters), with Markdown and HTML signs.
texts = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("<>[]()*_#@&\"'`\\"),
    min_size=0, max_size=60,
)  # fmt: skip
authors = st.one_of(
    st.sampled_from([PRESIDENT, COORDINATOR, "maëlle trévoux", "Maëlle", "", "Auteur inconnu"]),
    st.text(st.characters(whitelist_categories=["L"]), min_size=1, max_size=12),
)
operations = st.lists(
    st.tuples(
        st.sampled_from(["commentaire", "insertion"]), st.integers(0, 10_000), texts, authors
    ),
    max_size=5,
)
damages = st.one_of(
    st.none(),
    st.tuples(st.just("octets"), st.integers(0, 10**9), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("tronque"), st.floats(0.0, 0.99)),
    st.just(("sans-page", None)),
)


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    from click.testing import CliRunner

    paths = make_project(tmp_path_factory.mktemp("relecture-proprietes") / "projet")
    write_private_table(paths)
    assert run_cli(CliRunner(), paths, "relecture", SLUG).exit_code == 0
    return paths


def _returned(source: Path, dest: Path, ops, damage) -> Path:
    doc = Document(str(source))
    paragraphs = [p for p in doc.paragraphs if p.runs and p.text.strip()]
    for index, (kind, where, text, author) in enumerate(ops):
        paragraph = paragraphs[where % len(paragraphs)]
        anchor = paragraph.text[:20]
        if kind == "commentaire":
            comment(doc, anchor, text or "…", author)
        else:
            track_insertion(doc, anchor, text, author, 5000 + index)
    if damage and damage[0] == "sans-page":
        for paragraph in doc.paragraphs:
            if "Identifiant du pôle" in paragraph.text:
                paragraph._p.getparent().remove(paragraph._p)
    doc.save(str(dest))
    if damage and damage[0] == "octets":
        data = bytearray(dest.read_bytes())
        at = damage[1] % len(data)
        data[at : at + len(damage[2])] = damage[2]
        dest.write_bytes(bytes(data))
    elif damage and damage[0] == "tronque":
        data = dest.read_bytes()
        dest.write_bytes(data[: int(len(data) * damage[1])])
    return dest


DEEP = os.environ.get("PTCE_HYPOTHESIS") == "approfondi"  # ten times more, as test_properties


@settings(max_examples=300 if DEEP else 30, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=operations, damage=damages)
def test_import_is_clean_or_a_french_refusal_never_partial(
    sent: ProjectPaths, tmp_path_factory: pytest.TempPathFactory, ops, damage
) -> None:
    folder = tmp_path_factory.mktemp("exemple")
    shutil.copytree(sent.root, folder / "projet")
    paths = ProjectPaths.at(folder / "projet")
    before = round_file(paths).read_bytes()
    returned = _returned(review_docx(paths), folder / "retour.docx", ops, damage)
    try:
        result = import_review(paths, returned, SLUG)
    except PtceError as exc:
        assert str(returned) in str(exc)
        assert round_file(paths).read_bytes() == before
        return
    review = parse_round(round_file(paths))
    assert len(review.remarks) == len(result.added) <= len(ops)
    stored = round_file(paths).read_text(encoding="utf-8")
    for remark in review.remarks:
        assert remark.author in (PRESIDENT_ROLE, COORDINATOR_ROLE, UNNAMED_ROLE)
    for name in (PRESIDENT, COORDINATOR, "Trévoux", "Brassac"):
        assert name not in stored
    again = import_review(paths, returned, SLUG)
    assert not again.written and round_file(paths).read_text(encoding="utf-8") == stored


# --- pandoc's JSON, at random ----------------------------------------------------------------------

inline_types = st.sampled_from(["Str", "Space", "SoftBreak", "Emph", "Strong", "Span", "Link",
                                "Image", "Quoted", "Cite", "Note", "Code", "Math", "Header",
                                "Para", "Plain", "Table", "Div", "BulletList", "Weird"])  # fmt: skip
attrs = st.tuples(
    st.text(max_size=5),
    st.lists(
        st.sampled_from(
            [
                "comment-start",
                "comment-end",
                "insertion",
                "deletion",
                "paragraph-insertion",
                "autre",
            ]
        ),
        max_size=2,
    ),
    st.lists(st.tuples(st.sampled_from(["id", "author", "date", "x"]), texts), max_size=3),
).map(lambda t: [t[0], t[1], [list(p) for p in t[2]]])
leaves = st.one_of(st.none(), st.integers(), texts, attrs)
nodes = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.fixed_dictionaries({"t": inline_types, "c": children}),
        st.fixed_dictionaries(
            {"t": st.just("Span"), "c": st.tuples(attrs, st.lists(children, max_size=3)).map(list)}
        ),
        st.fixed_dictionaries(
            {
                "t": st.just("Header"),
                "c": st.tuples(st.integers(0, 6), attrs, st.lists(children, max_size=3)).map(list),
            }
        ),
    ),
    max_leaves=30,
)


@settings(max_examples=3000 if DEEP else 300, deadline=None, database=None, derandomize=True)
@given(blocks=nodes, marker=st.booleans())
def test_any_pandoc_structure_is_read_or_refused_in_french(blocks, marker: bool) -> None:
    content = [blocks]
    if marker:
        content.insert(
            0,
            {
                "t": "Para",
                "c": [{"t": "Str", "c": "Identifiant du pôle : p-x — version : a1b2c3d4e5f6"}],
            },
        )
    path = Path("retour.docx")
    try:
        doc = parse_pandoc_json(path, {"blocks": content})
    except PtceError as exc:
        assert str(path) in str(exc)
        return
    assert all(r.kind in ("commentaire", "insertion", "suppression") for r in doc.remarks)
    if marker:
        assert (doc.slug, doc.version) == ("p-x", "a1b2c3d4e5f6")
