"""Property-based tests of what issue 28 added to every importer (Hypothesis): random CSV text
(quotes, separators, control characters, line breaks), random archive members and random names
give either a clean read or the project's own French error, never another exception; the name
normalisation finds a name whatever form it is written in."""

from __future__ import annotations

import contextlib
import csv
import io
import unicodedata
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptce_mono.core.errors import AnswersImportError, PtceError
from ptce_mono.core.names import contains, fold, substitute

SETTINGS = settings(max_examples=80, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
CELL = st.text(alphabet=st.sampled_from(list('ab é,;"\n\r\t\x00\x0b\x1b\u2028\x92=')), max_size=12)


@SETTINGS
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=6), st.booleans())
def test_any_csv_is_read_or_refused_in_french(rows: list[list[str]], corrupt: bool) -> None:
    from ptce_mono.importers.answers import read_submissions
    from ptce_mono.importers.tabular import read_csv

    out = io.StringIO()
    csv.writer(out).writerows([["id", "document", "tag", "content"], *rows])
    text = out.getvalue()
    if corrupt:  # drop one quote: an unbalanced file
        text = text.replace('"', "", 1)
    with _tmp() as folder:
        path = folder / "export.csv"
        path.write_bytes(text.encode("utf-8"))
        try:
            export = read_csv(path)
        except PtceError:
            pass
        else:
            for segment in export.segments:
                assert "\x00" not in segment.text and "\x1b" not in segment.text
        with contextlib.suppress(AnswersImportError, PtceError):
            read_submissions(path, [])


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from(["project.qde", "Sources/a.txt", "x"]))
def test_any_qdpx_member_is_read_or_refused_in_french(data: bytes, name: str) -> None:
    from ptce_mono.importers.qdpx import read_qdpx

    with _tmp() as folder:
        path = folder / "p.qdpx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, data)
        with contextlib.suppress(PtceError):
            read_qdpx(path)


NAME = st.text(alphabet=st.sampled_from(list("aeiouléèçÉÀßØ -'’")), min_size=3, max_size=14)


@SETTINGS
@given(NAME, st.sampled_from(["NFC", "NFD", "upper", "lower", "nbsp"]))
def test_a_name_is_found_and_replaced_in_any_written_form(name: str, form: str) -> None:
    words = name.split()
    if not words or not any(c.isalpha() for c in name):
        return
    name = " ".join(words)
    written = {
        "NFC": unicodedata.normalize("NFC", name),
        "NFD": unicodedata.normalize("NFD", name),
        "upper": name.upper(),
        "lower": name.lower(),
        "nbsp": name.replace(" ", "\u00a0"),
    }[form]
    text = f"Avant, {written} ; après."
    assert contains(text, name)
    replaced = substitute(text, [(name, "[rôle]")])
    assert "[rôle]" in replaced and not contains(replaced.replace("[rôle]", ""), name)
    assert replaced.startswith("Avant, ") and replaced.endswith(" ; après.")
    assert fold(written).split() == fold(name).split()


class _tmp:
    def __enter__(self) -> Path:
        import tempfile

        self.dir = tempfile.TemporaryDirectory()
        return Path(self.dir.name)

    def __exit__(self, *args: object) -> None:
        self.dir.cleanup()


@SETTINGS
@given(st.text(max_size=300), st.text(max_size=40))
def test_a_stored_interview_reads_back_exactly(text: str, document: str) -> None:
    """What the importer writes (libyaml's emitter) is read back unchanged by validate."""
    from ptce_mono.corpus.excerpts import Excerpt, InterviewExcerpts, parse_interview_text, to_yaml
    from ptce_mono.importers.importcheck import CONTROLS, SOFT_BREAKS

    if CONTROLS.search(text + document) or SOFT_BREAKS.search(text + document):
        return  # refused or changed by the importer before anything is stored
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text + document):
        return
    interview = InterviewExcerpts(document, "élu local", "2025-04-03", True, "export", "Taguette",
                                  (Excerpt("e1", ("c",), "origine", (), text),))  # fmt: skip
    back = parse_interview_text(to_yaml(interview), Path("e.yaml"))
    assert back.excerpts[0].text == text
    assert back.document == (document or "e")
