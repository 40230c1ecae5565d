"""Review documents commented as a word processor writes them: python-docx's comments API (the
``w:comment`` parts Word writes) and tracked changes in ``w:ins`` / ``w:del`` runs, as Word and
LibreOffice record them. Fictional people only."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DATE = "2026-12-02T10:30:00Z"


def _paragraph(doc, contains: str):
    for paragraph in doc.paragraphs:
        if contains in paragraph.text:
            return paragraph
    raise AssertionError(f"aucun paragraphe ne contient « {contains} »")


def _run(text: str, deleted: bool = False):
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _change(tag: str, author: str, ident: int, date: str):
    element = OxmlElement(tag)
    element.set(qn("w:id"), str(ident))
    element.set(qn("w:author"), author)
    element.set(qn("w:date"), date)
    return element


def comment(doc, contains: str, text: str, author: str) -> None:
    """A comment anchored on the runs of the first paragraph containing ``contains``."""
    paragraph = _paragraph(doc, contains)
    doc.add_comment(paragraph.runs, text=text, author=author, initials=author[:1])


def track_insertion(doc, contains: str, inserted: str, author: str, ident: int,
                    date: str = DATE) -> None:  # fmt: skip
    """``inserted`` added at the end of the paragraph as a tracked insertion."""
    paragraph = _paragraph(doc, contains)
    ins = _change("w:ins", author, ident, date)
    ins.append(_run(inserted))
    paragraph._p.append(ins)


def track_deletion(doc, contains: str, word: str, author: str, ident: int,
                   date: str = DATE) -> None:  # fmt: skip
    """The first ``word`` of the paragraph marked deleted: its run split around it."""
    paragraph = _paragraph(doc, contains)
    run = next(r for r in paragraph.runs if word in r.text)
    text = run.text
    start = text.index(word)
    before, after = copy.deepcopy(run._r), copy.deepcopy(run._r)
    run._r.addprevious(before)
    run._r.addnext(after)
    for element, value in ((before, text[:start]), (after, text[start + len(word) :])):
        for t in element.iterchildren(qn("w:t")):
            t.text = value
            t.set(qn("xml:space"), "preserve")
    deletion = _change("w:del", author, ident, date)
    run._r.addprevious(deletion)
    deletion.append(run._r)
    for t in list(run._r.iterchildren(qn("w:t"))):
        deleted = OxmlElement("w:delText")
        deleted.set(qn("xml:space"), "preserve")
        deleted.text = t.text[start : start + len(word)]
        t.addprevious(deleted)
        run._r.remove(t)


def libreoffice_round_trip(src: Path, out_dir: Path) -> Path:
    """``src`` opened and saved again as DOCX by LibreOffice (headless), as a member would."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "profil-lo"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(out_dir), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    result = out_dir / src.name
    assert result.is_file(), "LibreOffice n'a pas écrit le document"
    return result
