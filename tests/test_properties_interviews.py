"""Property-based tests (Hypothesis) of every interview importer (issue 26): REFI-QDA projects
(.qdpx), Taguette highlights (CSV, XLSX) and QualCoder coded text (CSV).

Whatever the structure and content — random bytes, random columns and cells, random XML
trees with random positions, codes, names and variables — an import either succeeds and stores
files that read back with every excerpt's text, or stops with the project's own French error
(a ``PtceError`` naming the file); never another exception, and after a failure the pole's
``entretiens/`` folder is byte for byte what it was (never a partial write). Fictional data.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_mono.core.errors import PtceError
from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.excerpts import load_interviews
from ptce_mono.corpus.grid import load_grid
from ptce_mono.importers.interviews import import_interviews, read_export
from ptce_mono.importers.qdpx import NAMESPACE
from tests.test_fieldwork import QDPX, SLUG, make_terrain

DEEP = os.environ.get("PTCE_HYPOTHESIS") == "approfondi"
READER = settings(
    max_examples=1500 if DEEP else 150, deadline=None, database=None, derandomize=not DEEP,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip
IMPORT = settings(
    max_examples=400 if DEEP else 40, deadline=None, database=None, derandomize=not DEEP,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip

_WORK = Path(tempfile.mkdtemp(prefix="ptce-prop-entretiens-"))
PROJECT: ProjectPaths = make_terrain(_WORK / "projet")
SECTIONS = load_grid(PROJECT.grid_file).section_ids
KNOWN_CODES = ["gouvernance", "origine-2", "ref-g2", "impacts", "voix des habitants",
               "financements publics", "grille/modele-economique"]  # fmt: skip
NAMES = ["Maëlle Trévoux", "Bastien Corrigou", "Odile Vernasque"]

text_chars = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
texts = st.one_of(
    st.text(text_chars, max_size=60),
    st.lists(st.sampled_from(["La commune", "siège", "au conseil", ";", "«", "»", "\n", "  ",
                              "Maëlle", "Trévoux", "Odile Vernasque", "c'est", "'", '"', ",",
                              "2026-02-05T00:00:00Z", "=SOMME(A1)", "\t", "é"]),
             max_size=12).map(" ".join),
)  # fmt: skip
known_codes = st.sampled_from(KNOWN_CODES)
codes = st.one_of(known_codes, known_codes, known_codes, known_codes,
                  st.text(text_chars, max_size=15))  # fmt: skip
documents = st.one_of(st.sampled_from(["Entretien Trévoux", "Entretien Corrigou", "E3"]),
                      st.text(text_chars, max_size=30))  # fmt: skip
dates = st.one_of(st.sampled_from(["2026-02-05T00:00:00Z", "05/02/2026", "5 février 2026",
                                   "printemps", "2026-13-45", ""]), st.text(text_chars, max_size=12))  # fmt: skip


def snapshot(paths: ProjectPaths) -> dict[str, bytes]:
    folder = paths.poles / SLUG / "entretiens"
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def reset(paths: ProjectPaths) -> None:
    """Start each example from the committed QDPX imported once (so updates are exercised)."""
    shutil.rmtree(paths.poles / SLUG / "entretiens", ignore_errors=True)
    import_interviews(paths, QDPX, pole=SLUG, flag_names=False)


def check_import(path: Path) -> None:
    """The property: a clean import that reads back, or a French error and nothing written."""
    reset(PROJECT)
    before = snapshot(PROJECT)
    try:
        report = import_interviews(PROJECT, path, pole=SLUG, flag_names=False)
    except PtceError as exc:
        assert str(exc).strip(), "message vide"
        assert snapshot(PROJECT) == before, "écriture partielle après une erreur"
        leftovers = [p for p in (PROJECT.poles / SLUG / "entretiens").iterdir()
                     if p.name.startswith(".")]  # fmt: skip
        assert not leftovers, leftovers
        return
    stored = load_interviews(PROJECT.poles / SLUG, SECTIONS)
    texts_back = {e.text for i in stored for e in i.excerpts}
    for change in report.changes:
        assert change.path.is_file()
    assert all(isinstance(t, str) for t in texts_back)
    for interview in stored:
        assert len({e.id for e in interview.excerpts}) == len(interview.excerpts)


def _reader_property(path: Path) -> None:
    try:
        read_export(path)
    except PtceError as exc:
        assert str(exc).startswith(str(path)) or str(path) in str(exc), str(exc)


# --- random bytes ------------------------------------------------------------------------------


@READER
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".qdpx"]))
def test_random_bytes_never_crash_a_reader(data: bytes, suffix: str) -> None:
    path = _WORK / f"aleatoire{suffix}"
    path.write_bytes(data)
    _reader_property(path)


@READER
@given(cut=st.integers(min_value=0, max_value=5000), flip=st.integers(min_value=0, max_value=255))
def test_damaged_qdpx_never_crashes(cut: int, flip: int) -> None:
    data = bytearray(QDPX.read_bytes())
    cut = cut % len(data)
    data[cut] = flip
    path = _WORK / "abime.qdpx"
    path.write_bytes(bytes(data[: max(cut, 1) * 2]))
    _reader_property(path)


# --- tables ------------------------------------------------------------------------------------

header_names = st.sampled_from(["id", "document", "tag", "content", "File", "Coded", "Codename",
                                "Id", "Case", "FileVar_role", "FileVar_date", "CaseVar_consentement",
                                "Coder", "", "autre"])  # fmt: skip
TAGUETTE_HEADER = ["id", "document", "tag", "content"]
QUALCODER_HEADER = ["File", "Coder", "Coded", "Id", "Codename", "FileVar_role", "FileVar_date",
                    "CaseVar_consentement"]  # fmt: skip


@st.composite
def tables(
    draw: st.DrawFn, kinds: tuple[str, ...] = ("taguette", "qualcoder", "random")
) -> list[list[str]]:
    kind = draw(st.sampled_from(kinds))
    if kind == "taguette":
        header = list(TAGUETTE_HEADER)
        row = st.tuples(st.integers(0, 9).map(str), documents, codes, texts).map(list)
    elif kind == "qualcoder":
        header = list(QUALCODER_HEADER)
        row = st.tuples(documents, st.just("chercheuse"), texts, st.integers(0, 9).map(str),
                        codes, st.sampled_from(["élu local", "", "salariée"]), dates,
                        st.sampled_from(["oui", "non", "", "peut-être"])).map(list)  # fmt: skip
    else:
        header = draw(st.lists(header_names, min_size=1, max_size=8))
        row = st.lists(texts, max_size=len(header) + 2)
    rows = draw(st.lists(row, max_size=8))
    if draw(st.integers(0, 3)) == 3:  # ragged rows
        rows = [r[: draw(st.integers(0, len(r)))] if draw(st.booleans()) else r for r in rows]
    return [header, *rows]


def write_table(rows: list[list[str]], delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path = _WORK / "table.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


@IMPORT
@given(rows=tables(), delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))  # fmt: skip
def test_csv_import_is_clean_or_french_and_all_or_nothing(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    check_import(write_table(rows, delimiter, encoding))


@IMPORT
@given(rows=tables(("taguette", "taguette", "taguette", "random")), numbers=st.booleans())
def test_xlsx_import_is_clean_or_french_and_all_or_nothing(
    rows: list[list[str]], numbers: bool
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        cells: list[object] = []
        for cell in row:
            cleaned = "".join(c for c in cell if c.isprintable() or c in "\n\t")
            cells.append(
                int(cleaned) if numbers and cleaned.isascii() and cleaned.isdigit() else cleaned
            )
        sheet.append(cells)
    path = _WORK / "table.xlsx"
    book.save(path)
    check_import(path)


# --- REFI-QDA projects -------------------------------------------------------------------------


def xml_ok(text: str, keep: str = "") -> str:
    """The characters XML 1.0 allows (most of the time: a few invalid ones are left on purpose
    by the broken-XML branch)."""
    return "".join(
        c for c in text
        if c in keep or (c.isprintable() and (ord(c) < 0xFFFE) and not 0xD800 <= ord(c) < 0xE000)
    )  # fmt: skip


@st.composite
def qdpx_projects(draw: st.DrawFn) -> Path:
    code_names = draw(st.lists(codes, min_size=1, max_size=4, unique=True))
    sources = draw(st.lists(st.tuples(documents, texts.filter(str.strip)), min_size=1,
                            max_size=3))  # fmt: skip
    xml_text = st.text(st.characters(codec="utf-8", blacklist_categories=["Cs", "Cc"]), max_size=30)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<Project xmlns="{draw(st.sampled_from([NAMESPACE] * 5 + ["urn:autre"]))}">',
             "<CodeBook><Codes>"]  # fmt: skip
    for index, name in enumerate(code_names):
        clean = xml_ok(name)
        lines.append(f'<Code guid="c{index}" name={quoteattr(clean)} isCodable="true"/>')
    lines.append("</Codes></CodeBook>")
    lines.append('<Variables><Variable guid="v-date" name="date" typeOfVariable="Text"/>'
                 '<Variable guid="v-role" name="role" typeOfVariable="Text"/></Variables><Cases>')  # fmt: skip
    for index, _ in enumerate(sources):
        date = xml_ok(draw(dates))
        role = xml_ok(draw(xml_text))
        lines.append(f'<Case guid="k{index}" name="cas {index}">'
                     f'<VariableValue><VariableRef targetGUID="v-date"/><TextValue>{escape(date)}'
                     f"</TextValue></VariableValue><VariableValue><VariableRef targetGUID=\"v-role\"/>"
                     f"<TextValue>{escape(role)}</TextValue></VariableValue>"
                     f'<SourceRef targetGUID="s{index}"/></Case>')  # fmt: skip
    lines.append("</Cases><Sources>")
    members: dict[str, str] = {}
    for index, (name, text) in enumerate(sources):
        text = xml_ok(text, "\n")
        name = xml_ok(name)
        inline = draw(st.booleans())
        attr = "" if inline else f' plainTextPath="internal://s{index}.txt"'
        lines.append(f'<TextSource guid="s{index}" name={quoteattr(name)}{attr}>')
        if inline:
            lines.append(f"<PlainTextContent>{escape(text)}</PlainTextContent>")
        else:
            members[f"sources/s{index}.txt"] = text
        for number in range(draw(st.integers(0, 3))):
            if draw(st.integers(0, 4)) < 4:  # mostly a passage of the text
                start = draw(st.integers(0, max(len(text) - 1, 0)))
                end = draw(st.integers(start + 1, max(len(text), start + 1)))
            else:
                start = draw(st.integers(-2, len(text) + 2))
                end = draw(st.integers(-2, len(text) + 3))
            refs = draw(st.lists(st.integers(0, len(code_names) - (1 if number else 0)),
                                 max_size=3))  # fmt: skip
            lines.append(f'<PlainTextSelection guid="p{index}-{number}" '
                         f'startPosition="{start}" endPosition="{end}">')  # fmt: skip
            for ref in refs:
                lines.append(f'<Coding guid="g{index}-{number}-{ref}"><CodeRef targetGUID="c{ref}"/>'
                             "</Coding>")  # fmt: skip
            lines.append("</PlainTextSelection>")
        lines.append("</TextSource>")
    lines += ["</Sources>", "</Project>"]
    xml = "\n".join(lines)
    if draw(st.integers(0, 7)) == 7:  # sometimes broken XML
        xml = xml[: draw(st.integers(0, len(xml)))]
    path = _WORK / "projet.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
        for member, text in members.items():
            if draw(st.integers(0, 5)) < 5:  # sometimes a missing source file
                archive.writestr(member, text.encode("utf-8"))
    return path


@IMPORT
@given(path=qdpx_projects())
def test_qdpx_import_is_clean_or_french_and_all_or_nothing(path: Path) -> None:
    check_import(path)
