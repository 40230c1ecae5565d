"""A returned review document read by pandoc (``--track-changes=all``): its marker (pole and
version sent), the original text of each section, and every comment and tracked insertion or
deletion with the passage it is attached to, its section, its author (a name, as the word
processor wrote it: the importer turns it into a role) and its date.

The file is checked by :mod:`.safety` first; pandoc's JSON is then walked in document order.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ReviewError, ToolFailedError
from ..core.tools import run_tool
from .review_safety import check_docx

# The section id of what comes before the first heading of a review document.
FRONT_SECTION = "debut"

MARKER_RE = re.compile(
    r"Identifiant\s+du\s+pôle\s*:\s*(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\s*[—–-]+\s*"
    r"version\s*:?\s*(?P<version>[0-9a-f]{12})",
    re.IGNORECASE,
)
PASSAGE_LIMIT = 400  # characters of a passage kept around a remark
PANDOC_TIMEOUT = 120.0


def normalise(text: str) -> str:
    """Text for comparison: NFC, no-break spaces as spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def heading_key(text: str) -> str:
    """A heading compared without case, accents, numbering or punctuation."""
    text = normalise(text).replace("’", "'")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def anchor_of(title: str, grid_titles: dict[str, str]) -> str:
    """``1. Finalités`` → ``finalites`` (the grid id when the heading is a grid section), else
    the heading in ASCII kebab-case."""
    key = heading_key(re.sub(r"^\d+\.\s*", "", title))
    if key in grid_titles:
        return grid_titles[key]
    return heading_key(title).replace(" ", "-") or "section"


@dataclass
class RawRemark:
    kind: str  # commentaire, insertion, suppression
    section: str  # heading text (original) of the level-2 section, "" before the first one
    passage: str
    text: str
    author: str
    date: str
    order: int


@dataclass
class ReturnedDocument:
    path: Path
    slug: str = ""
    version: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # heading (original) → original text
    remarks: list[RawRemark] = field(default_factory=list)


# --- pandoc's JSON as a stream of events ---------------------------------------------------------

_CONTAINERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
               "SmallCaps")  # fmt: skip


def _attrs(attr: Any) -> tuple[list[str], dict[str, str]]:
    try:
        return list(attr[1]), {str(k): str(v) for k, v in attr[2]}
    except (TypeError, IndexError, ValueError):
        return [], {}


def _events(node: Any) -> Iterator[tuple[str, Any]]:
    """(kind, value) in reading order: ("text", str), ("break", None), ("header", (level,
    inlines)), ("comment", attrs + text), ("comment-end", id), ("ins"/"del", (attrs, events))."""
    if isinstance(node, list):
        for item in node:
            yield from _events(item)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        yield "text", str(content)
    elif kind in ("Space", "SoftBreak", "LineBreak"):
        yield "text", " "
    elif kind in ("Code", "Math", "RawInline"):
        yield "text", str(content[1]) if isinstance(content, list) and len(content) > 1 else ""
    elif kind == "Header" and isinstance(content, list) and len(content) == 3:
        yield "break", None
        yield "header", (content[0], content[2])
        yield "break", None
    elif kind == "Span" and isinstance(content, list) and len(content) == 2:
        classes, attrs = _attrs(content[0])
        if "comment-start" in classes:
            text = "".join(v for k, v in _events(content[1]) if k == "text")
            yield "comment", {**attrs, "text": text}
        elif "comment-end" in classes:
            yield "comment-end", attrs.get("id", "")
        elif "insertion" in classes or "paragraph-insertion" in classes:
            yield "ins", (attrs, list(_events(content[1])))
        elif "deletion" in classes or "paragraph-deletion" in classes:
            yield "del", (attrs, list(_events(content[1])))
        else:
            yield from _events(content[1])
    elif kind in _CONTAINERS or kind in ("Plain", "Para"):
        yield from _events(content)
        if kind in ("Plain", "Para"):
            yield "break", None
    elif kind == "Image":
        return  # a figure's description is rewritten by word processors: not compared
    elif kind == "Link" and isinstance(content, list) and len(content) == 3:
        yield from _events(content[1])
    elif kind == "Quoted" and isinstance(content, list) and len(content) == 2:
        yield "text", "« " if content[0].get("t") == "DoubleQuote" else "‘"
        yield from _events(content[1])
        yield "text", " »" if content[0].get("t") == "DoubleQuote" else "’"
    elif kind == "Cite" and isinstance(content, list) and len(content) == 2:
        yield from _events(content[1])
    elif kind in ("Note",):
        return  # footnotes are read where they are kept, not in the running text
    elif kind in ("CodeBlock", "RawBlock"):
        yield "break", None
    elif isinstance(content, (list, dict)):  # lists, tables, quotes, divs, figures…
        yield from _events(content)
        if kind not in _CONTAINERS:
            yield "break", None


@dataclass
class _Open:
    attrs: dict[str, str]
    section: str
    start: int  # position in the section's original text
    order: int


class _Reader:
    def __init__(self, path: Path) -> None:
        self.doc = ReturnedDocument(path)
        self.section = ""
        self.parts: dict[str, list[str]] = {"": []}
        self.paragraph: list[str] = []  # original text of the paragraph being read
        self.pending: list[tuple[str, dict[str, str], str, int]] = []  # ins/del of the paragraph
        self.open: dict[str, _Open] = {}
        self.order = 0

    def _position(self) -> int:
        return len("".join(self.parts[self.section])) + len("".join(self.paragraph))

    def feed(self, events: Any) -> None:
        for kind, value in events:
            if kind == "text":
                self.paragraph.append(value)
            elif kind == "break":
                self._end_paragraph()
            elif kind == "header":
                level, inlines = value
                title = normalise(_original(inlines))
                if level == 1:  # the title: what follows is the front page
                    self._end_paragraph()
                    self.section = ""
                elif level == 2 and title:
                    self.section = title
                    self.parts.setdefault(title, [])
                else:
                    self.paragraph.append(title)
            elif kind == "comment":
                self.order += 1
                ident = value.get("id", str(self.order))
                self.open[ident] = _Open(value, self.section, self._position(), self.order)
            elif kind == "comment-end":
                self._close_comment(str(value))
            elif kind in ("ins", "del"):
                attrs, inner = value
                text = "".join(v for k, v in inner if k == "text")
                self.order += 1
                self.pending.append((kind, attrs, text, self.order))
                if kind == "del":
                    self.paragraph.append(text)  # deleted text is part of the original
        self._end_paragraph()
        for ident in list(self.open):  # a comment never closed covers the rest of its section
            self._close_comment(ident)
        self.doc.sections = {k: normalise("".join(v)) for k, v in self.parts.items()}

    def _end_paragraph(self) -> None:
        text = "".join(self.paragraph)
        if text.strip():
            self.parts[self.section].append(text + "\n")
        passage = normalise(text)[:PASSAGE_LIMIT]
        for kind, attrs, changed, order in self.pending:
            if not normalise(changed):
                continue  # a paragraph mark or a space: nothing a reader could answer
            self.doc.remarks.append(RawRemark(
                "insertion" if kind == "ins" else "suppression", self.section, passage,
                normalise(changed), attrs.get("author", ""), attrs.get("date", ""), order,
            ))  # fmt: skip
        self.pending = []
        self.paragraph = []

    def _close_comment(self, ident: str) -> None:
        opened = self.open.pop(ident, None)
        if opened is None:
            return
        whole = "".join(self.parts.get(opened.section, []))
        if opened.section == self.section:
            whole += "".join(self.paragraph)
        passage = normalise(whole[opened.start :])
        self.doc.remarks.append(RawRemark(
            "commentaire", opened.section, passage[:PASSAGE_LIMIT],
            normalise(opened.attrs.get("text", "")), opened.attrs.get("author", ""),
            opened.attrs.get("date", ""), opened.order,
        ))  # fmt: skip


def _original(inlines: Any) -> str:
    """Text of ``inlines`` as it was sent: insertions left out, deletions kept."""
    out = []
    for kind, value in _events(inlines):
        if kind == "text":
            out.append(value)
        elif kind == "del":
            out.append("".join(v for k, v in value[1] if k == "text"))
    return "".join(out)


def parse_pandoc_json(path: Path, ast: Any) -> ReturnedDocument:
    """The returned document from pandoc's JSON (pure: the tests feed it directly too)."""
    if not isinstance(ast, dict) or not isinstance(ast.get("blocks"), list):
        raise ReviewError(path, "document illisible : contenu inattendu")
    reader = _Reader(path)
    reader.feed(_events(ast["blocks"]))
    doc = reader.doc
    match = MARKER_RE.search(doc.sections.get("", "")) or MARKER_RE.search(
        " ".join(doc.sections.values())
    )
    if match:
        doc.slug, doc.version = match.group("slug").lower(), match.group("version").lower()
    doc.remarks.sort(key=lambda r: r.order)
    return doc


def read_docx(path: Path, pandoc: str) -> ReturnedDocument:
    """Check then read the returned DOCX ``path`` with pandoc; French errors naming the file."""
    check_docx(path)
    try:
        proc = run_tool([pandoc, str(path), "-f", "docx", "-t", "json", "--track-changes=all"],
                        name="pandoc", timeout=PANDOC_TIMEOUT)  # fmt: skip
    except ToolFailedError as exc:
        raise ReviewError(path, f"document illisible par pandoc ({exc.reason}) ; rien n'a été "
                          "enregistré") from exc  # fmt: skip
    try:
        ast = json.loads(proc.stdout)
    except ValueError as exc:
        raise ReviewError(path, "document illisible : sortie de pandoc inattendue") from exc
    return parse_pandoc_json(path, ast)
