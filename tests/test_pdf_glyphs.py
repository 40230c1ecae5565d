"""PDF font fallback (issue 28): a character that no font of the PDF can draw (emoji, rare
scripts) never fails the document; it is replaced by its code point and the build names the
file and line where it is written. Real Typst, real build."""

from __future__ import annotations

from pathlib import Path

import pytest

from ptce_mono.render.embedded import GLYPH_NOTES_SUFFIX, compile_typst
from tests.conftest import make_project, run_cli
from tests.pdftext import pdf_text

RARE = ["ᚠᛇᚻ", "𓀀", "😀", "🏳️‍🌈", "ꦲꦏ꧀ꦱꦫ", "\U0001f9ea"]


@pytest.mark.parametrize("text", RARE)
def test_a_missing_glyph_never_fails_the_pdf(tmp_path: Path, text: str) -> None:
    typ = tmp_path / "doc.typ"
    typ.write_text(
        '#set document(title: "Essai")\n#set text(lang: "fr", font: ("Libertinus Serif",))\n'
        f"Avant {text} après.\n",
        encoding="utf-8",
    )
    out = tmp_path / "doc.pdf"
    compile_typst(typ, out, tmp_path, 120)
    assert out.is_file() and out.stat().st_size > 0
    shown = pdf_text(out)
    assert "Avant" in shown and "après" in shown


@pytest.mark.slow
def test_a_narrative_with_a_rare_script_builds_its_pdf_and_is_named(tmp_path: Path, runner) -> None:
    project = make_project(tmp_path / "projet")
    folder = sorted(p for p in project.poles.iterdir() if (p / "pole.yaml").is_file())[0]
    narrative = sorted(folder.glob("*.md"))[0]
    text = narrative.read_text(encoding="utf-8").rstrip("\n")
    narrative.write_text(text + "\n\nLe logo ᚠᛇᚻ 𓀀 du pôle.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = run_cli(runner, project, "build", folder.name, "-j", "1", "--to", "pdf")
    assert result.exit_code == 0, result.output
    pdf = project.output(folder.name, "pdf")
    assert pdf.is_file()
    assert "(U+16A0" in pdf_text(pdf)
    assert f"{narrative}, ligne {line}" in result.output
    assert "n'existe dans aucune police du PDF" in result.output
    assert not list(project.monographs.glob(f"*{GLYPH_NOTES_SUFFIX}"))
