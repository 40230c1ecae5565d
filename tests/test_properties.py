"""Property-based tests (Hypothesis) of the loaders and parsers: whatever the input — random
bytes, random YAML trees, truncated files, random Unicode — the result is either a valid record
or the project's own French error (a ``PtceError``), never another exception.

The fieldwork and questionnaire importers (issues 15 and 16) had not landed when these were
written; the 2011 census tables had, and are covered. The default profile (``PTCE_HYPOTHESIS=defaut``) runs some thousands of inputs in well under two
minutes; ``PTCE_HYPOTHESIS=approfondi`` runs ten times more. Fictional data only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ptce_mono.checks.validate import check_pole
from ptce_mono.core.errors import PtceError
from ptce_mono.core.limits import MAX_YAML_DEPTH, read_bounded_text
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.core.yamlio import parse_markdown, parse_yaml
from ptce_mono.corpus.grid import load_grid
from ptce_mono.corpus.narrative import CITATION_RE, demote_headings, escape_citations, headings
from ptce_mono.corpus.records import load_bibliography, load_pole
from ptce_mono.corpus.referentiel import load_all_referentiels

REPO = Path(__file__).resolve().parents[1]
FIXTURE_POLE = Path(__file__).resolve().parent / "fixtures" / "corpus" / "poles" / "plateau-essai"

settings.register_profile(
    "defaut", max_examples=200, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
settings.register_profile(
    "approfondi", max_examples=3000, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
settings.load_profile(os.environ.get("PTCE_HYPOTHESIS", "defaut"))

GRID = load_grid(REPO / "data" / "grille.yaml")
REFERENTIELS = load_all_referentiels(REPO / "data" / "referentiels")
POLE_TEXT = (FIXTURE_POLE / "pole.yaml").read_text(encoding="utf-8")
NARRATIVE_TEXT = (FIXTURE_POLE / "gouvernance.md").read_text(encoding="utf-8")

# --- strategies ---------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    # what a YAML library writes and reads back alike (no NEL nor line separators, which
    # emitters fold into spaces)
    st.text(
        st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]) | st.just("\n"), max_size=40
    ),
)
keys = st.text(
    st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=20
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)
pole_like = st.fixed_dictionaries(
    {},
    optional={
        "schema": trees,
        "identite": st.one_of(
            trees,
            st.dictionaries(
                st.sampled_from(
                    [
                        "nom",
                        "commune",
                        "code_postal",
                        "departement",
                        "region",
                        "annee_debut_cooperation",
                        "article",
                    ]
                ),
                trees,
                max_size=6,
            ),
        ),
        "classification": trees,
        "structures": st.one_of(trees, st.lists(st.dictionaries(keys, trees, max_size=4))),
        "emplois": trees,
        "referentiel": st.one_of(
            trees,
            st.fixed_dictionaries(
                {
                    "version": st.sampled_from(["2012", "1999", "x"]),
                    "scores": st.dictionaries(st.sampled_from(["a1", "b2", "zz"]), trees),
                }
            ),
        ),
        "citations": st.one_of(trees, st.dictionaries(keys, trees, max_size=4)),
        "bibliographie": st.one_of(trees, st.lists(st.dictionaries(keys, trees, max_size=4))),
        "gouvernance": trees,
        "modele_economique": trees,
    },
)
yaml_words = st.sampled_from(
    ["a:", "- ", "&x ", "*x", "!!str", "!!python/object:os.system", "!foo", "[", "]", "{", "}",
     "'", '"', "\n", "  ", "\t", "---", "...", "? ", "%YAML 1.1", "#", "|", ">", ",", "<<: *x",
     "2012-05-01", "9:30", "0x1F", ".inf", "~", "é", "\x00", "\ufeff"]
)  # fmt: skip
yamlish = st.lists(st.one_of(yaml_words, st.text(max_size=8)), max_size=40).map("".join)


def _raises_only_ptce(call, *args):
    try:
        return call(*args)
    except PtceError as exc:
        assert str(exc).strip(), "an empty message"
        assert "Traceback" not in str(exc)
        return None


def _dump(tree) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


# --- YAML ---------------------------------------------------------------------------------------


@given(st.text(max_size=400))
def test_parse_yaml_random_unicode(text: str) -> None:
    _raises_only_ptce(parse_yaml, text, "p.yaml")


@given(yamlish)
def test_parse_yaml_yaml_like_noise(text: str) -> None:
    _raises_only_ptce(parse_yaml, text, "p.yaml")


@given(trees)
def test_parse_yaml_round_trips_plain_trees(tree) -> None:
    """A plain tree written by a YAML library reads back as the same tree."""
    loaded = parse_yaml(_dump(tree), "p.yaml")
    assert loaded.data == tree


@given(st.integers(min_value=0, max_value=len(POLE_TEXT)))
def test_truncated_pole_yaml(cut: int) -> None:
    _raises_only_ptce(parse_yaml, POLE_TEXT[:cut], "pole.yaml")


@given(st.integers(min_value=MAX_YAML_DEPTH + 1, max_value=MAX_YAML_DEPTH + 2000))
def test_deep_nesting_is_refused_in_french(depth: int) -> None:
    with pytest.raises(PtceError, match="trop imbriqué"):
        parse_yaml("[" * depth + "]" * depth, "p.yaml")


# --- files: random bytes, pole folders, bibliography ---------------------------------------------


@settings(suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=600))
def test_random_bytes_as_a_data_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pole.yaml"
        path.write_bytes(data)
        text = _raises_only_ptce(read_bounded_text, path, 10_000)
        if text is not None:
            _raises_only_ptce(parse_yaml, text, path)


def _pole_folder(tmp: str, pole_yaml: bytes | str, narrative: bytes | str) -> Path:
    data = Path(tmp) / "projet" / "data"
    folder = data / "poles" / "pole-hypothese"
    folder.mkdir(parents=True)
    for name, content in (("pole.yaml", pole_yaml), ("gouvernance.md", narrative)):
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def _load_and_check(folder: Path) -> None:
    paths = ProjectPaths.at(folder.parent.parent.parent, data=folder.parent.parent)
    pole = _raises_only_ptce(load_pole, folder, GRID, paths)
    if pole is not None:  # a readable record: every rule gives problems, never an exception
        check_pole(pole, GRID, REFERENTIELS, {}, REPO / "data" / "geo")


@settings(suppress_health_check=list(HealthCheck))
@given(pole_like, st.text(max_size=300))
def test_random_pole_records_validate_without_exception(facts, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _load_and_check(_pole_folder(tmp, _dump(facts), body))


@settings(suppress_health_check=list(HealthCheck))
@given(st.one_of(st.binary(max_size=300), yamlish), st.one_of(st.binary(max_size=300), yamlish))
def test_random_pole_files(pole_yaml, narrative) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _load_and_check(_pole_folder(tmp, pole_yaml, narrative))


@settings(suppress_health_check=list(HealthCheck))
@given(st.one_of(trees, st.fixed_dictionaries({"documents": st.one_of(trees, st.lists(
    st.dictionaries(st.sampled_from(["id", "titre", "auteur", "annee", "url", "fichier"]), trees)))}),
    ).map(_dump) | yamlish)  # fmt: skip
def test_random_bibliography(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = ProjectPaths.at(Path(tmp))
        paths.data.mkdir()
        paths.bibliography_file.write_text(text, encoding="utf-8")
        docs = _raises_only_ptce(load_bibliography, paths)
        if docs is not None:
            assert all(doc.short is not None and doc.full for doc in docs.values())


# --- narratives ---------------------------------------------------------------------------------

front_matter = st.one_of(trees.map(_dump), yamlish, st.just("questions: [g1, g2]\n"))
md_words = st.sampled_from(
    ["# ", "## ", "###### ", "Titre", "\n", "\n\n", "===", "---", "```", "~~~", "> ", "- ",
     "@pole_alpen", "[@rapport-fictif-2016, p. 3]", "[@inconnue]", "\\@", "\\\\@", "<!-- x -->",
     "<script>", "   ", "\t", "é", "{#id}"]
)  # fmt: skip
markdown = st.lists(st.one_of(md_words, st.text(max_size=6)), max_size=50).map("".join)


@given(front_matter, markdown)
def test_narratives_with_front_matter(meta: str, body: str) -> None:
    doc = _raises_only_ptce(parse_markdown, f"---\n{meta}---\n{body}", "gouvernance.md")
    if doc is not None:
        assert isinstance(doc.meta, dict)


@given(st.text(max_size=300))
def test_truncated_or_random_narrative(text: str) -> None:
    _raises_only_ptce(parse_markdown, NARRATIVE_TEXT[: len(text)] + text, "gouvernance.md")


@given(markdown)
def test_demoted_narratives_have_no_heading_at_or_above_the_section(body: str) -> None:
    out = demote_headings(body)
    for found in headings(out):
        line = out.split("\n")[found.line]
        assert line.lstrip(" >").startswith("####"), line
    assert demote_headings(out).count("\n") >= out.count("\n")  # idempotent in shape


@given(markdown)
def test_only_known_citations_keep_their_at(body: str) -> None:
    known = {"rapport-fictif-2016"}
    out = escape_citations(body, known.__contains__)
    kept = {m.start() + 1 for m in CITATION_RE.finditer(out) if m.group(1) in known}
    for index, char in enumerate(out):
        if char == "@" and index not in kept:
            backslashes = len(out[:index]) - len(out[:index].rstrip("\\"))
            assert backslashes % 2 == 1, out


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_escape_citations_is_stable(text: str) -> None:
    assume("@" in text or "[" in text)
    once = escape_citations(text, lambda _k: False)
    assert escape_citations(once, lambda _k: False) == once


# --- the 2011 census tables (CSV with Table Schemas) ---------------------------------------------

CENSUS = REPO / "data" / "recensement"
INITIATIVES_TEXT = (CENSUS / "initiatives.csv").read_text(encoding="utf-8")
csv_words = st.sampled_from(
    [",", '"', '""', "\n", "\r\n", "=1+1", "-", "@x", "\x00", "é", "2011", "oui", "non", "",
     "Occitanie", "national", "labo-ess-2013", ";", "\t"]
)  # fmt: skip
csvish = st.lists(st.one_of(csv_words, st.text(max_size=6)), max_size=60).map("".join)


@settings(suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.binary(max_size=400).map(lambda b: ("bytes", b)),
        csvish.map(lambda t: ("text", t)),
        st.integers(min_value=0, max_value=len(INITIATIVES_TEXT)).map(
            lambda n: ("text", INITIATIVES_TEXT[:n])
        ),
        st.tuples(st.integers(0, len(INITIATIVES_TEXT)), csvish).map(
            lambda p: ("text", INITIATIVES_TEXT[: p[0]] + p[1] + INITIATIVES_TEXT[p[0] :])
        ),
    )
)
def test_random_census_tables(content) -> None:
    from ptce_mono.corpus.census import read_census

    kind, value = content
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(CENSUS, data / "recensement")
        target = data / "recensement" / "initiatives.csv"
        if kind == "bytes":
            target.write_bytes(value)
        else:
            target.write_text(value, encoding="utf-8")
        result = _raises_only_ptce(read_census, data, REPO / "data" / "geo")
        if result is not None:
            _census, issues = result
            assert all(issue.message for issue in issues)
