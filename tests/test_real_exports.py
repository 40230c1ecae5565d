"""Exports written by the tools themselves (tests/fixtures/exports-reels/, with their source and
licence): the importers read them as the tools write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from ptce_mono.fieldwork.excerpts import load_interviews
from ptce_mono.fieldwork.importer import import_interviews, read_export
from tests.conftest import FIXTURES, make_project

REAL = FIXTURES / "exports-reels"
TAGUETTE = REAL / "taguette" / "highlights-interesting.csv"


def test_taguette_highlights_csv_as_taguette_writes_it() -> None:
    """Taguette's own test of its CSV export: CRLF line ends, a backslash in a tag name, one
    highlight with two tags written as two rows."""
    assert TAGUETTE.read_bytes().count(b"\r\n") == 4
    export = read_export(TAGUETTE)
    rows = [(s.document, s.codes, s.text) for s in export.segments]
    assert rows == [
        ("otherdoc", ("interesting\\places",), "diff"),
        ("otherdoc", ("interesting", "people"), "tent"),
    ]
    assert export.uncoded == () and export.notices == ()


def test_taguette_real_export_is_imported_into_a_pole(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "projet")
    slug = sorted(p.name for p in paths.poles.iterdir())[0]
    codes = {
        "codes": {
            "interesting": {"section": "origine"},
            "interesting\\places": {"section": "gouvernance"},
            "people": {"section": "gouvernance"},
        }
    }
    (paths.data / "codes.yaml").write_text(
        yaml.safe_dump(codes, allow_unicode=True), encoding="utf-8"
    )
    export = tmp_path / TAGUETTE.name
    shutil.copy2(TAGUETTE, export)
    import_interviews(paths, export, pole=slug, flag_names=False)
    (interview,) = load_interviews(paths.poles / slug)
    assert interview.document == "otherdoc" and interview.tool == "Taguette"
    found = sorted((e.section, e.text, e.codes) for e in interview.excerpts)
    assert found == [
        ("gouvernance", "diff", ("interesting\\places",)),
        ("gouvernance", "tent", ("interesting", "people")),
        ("origine", "tent", ("interesting", "people")),
    ]
