"""The rules of a narrative's Markdown, shared by ``validate`` (which reports) and by the
monograph (which applies them where a narrative becomes Markdown). Pure functions.

- A narrative sits under its grid section's heading (level 2; the monograph's own sub-headings
  would be level 3): its own headings, ATX (``# Titre``) or setext (``Titre`` underlined with
  ``===`` or ``---``), are demoted below both (``#`` becomes ``####``, ``##`` becomes ``#####``),
  never promoted, and so never enter the table of contents (two levels deep once the renderer
  has dropped the title).
- A line ``---`` after a blank line is a horizontal rule, never the start of a YAML metadata
  block that pandoc would read (it becomes ``* * *``, the same rule).
- ``@mot`` is a citation only inside ``[@clé, passage]`` with a key of the bibliography; any
  other ``@`` is ordinary text (escaped ``\\@``), so that pandoc never sees a citation that the
  bibliography does not hold, whether citations are rendered by ptce_mono or by citeproc.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

SECTION_LEVEL = 2  # « ## 3. Gouvernance » in the monograph
SHIFT = SECTION_LEVEL + 1  # below the section and below any sub-heading of the monograph's own
MAX_LEVEL = 6

CITATION_RE = re.compile(r"\[@([A-Za-z0-9_.:-]+)(?:\s*,\s*([^\]]*))?\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3}(?:>[ \t]?)*)(#{1,6})([ \t]+|$)(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE_DASHES = re.compile(r"^ {0,3}-{3,}[ \t]*$")
_AT = re.compile(r"(\\*)@")
_STRAY_AT = re.compile(r"(?<![\w\\])@([A-Za-z0-9_](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_])?)")


@dataclass(frozen=True)
class Finding:
    """Something a narrative holds that the renderer changes: 0-based line, kind, detail."""

    line: int
    kind: str  # "titre" | "citation"
    detail: str


def _code_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks (where nothing is a heading)."""
    inside: str | None = None
    out: set[int] = set()
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if inside is not None:
            out.add(index)
            if match and match.group(1)[0] == inside[0] and len(match.group(1)) >= len(inside):
                inside = None
        elif match:
            inside = match.group(1)
            out.add(index)
    return out


def _demoted(level: int) -> int:
    return min(level + SHIFT, MAX_LEVEL)


def headings(text: str) -> list[Finding]:
    """The headings of a narrative, ATX or setext, with their line."""
    lines = text.split("\n")
    code = _code_lines(lines)
    found = []
    for index, line in enumerate(lines):
        if index in code:
            continue
        atx = _ATX.match(line)
        if atx and (atx.group(3) or not atx.group(4)):
            found.append(Finding(index, "titre", atx.group(4).strip().strip("#").strip()))
        elif (
            _SETEXT.match(line)
            and index > 0
            and index - 1 not in code
            and lines[index - 1].strip()
            and not _ATX.match(lines[index - 1])
        ):
            found.append(Finding(index - 1, "titre", lines[index - 1].strip()))
    return found


def demote_headings(text: str) -> str:
    """Every heading of ``text`` one level below the section heading or deeper (ATX form);
    a ``---`` line after a blank line becomes ``* * *`` (a rule, never a metadata block)."""
    lines = text.split("\n")
    code = _code_lines(lines)
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in code:
            out.append(line)
            continue
        atx = _ATX.match(line)
        if atx and (atx.group(3) or not atx.group(4)):
            level = _demoted(len(atx.group(2)))
            out.append(f"{atx.group(1)}{'#' * level} {atx.group(4)}".rstrip())
            continue
        setext = _SETEXT.match(line)
        previous = out[-1] if out else ""
        if (
            setext
            and index > 0
            and index - 1 not in code
            and previous.strip()
            and (not _ATX.match(previous))
        ):
            level = _demoted(1 if setext.group(1)[0] == "=" else 2)
            out[-1] = f"{'#' * level} {previous.strip()}"
            if len(out) > 1 and out[-2].strip():
                out.insert(len(out) - 1, "")  # a heading needs a blank line before it
            continue
        if _RULE_DASHES.match(line):
            out.append("* * *")
            continue
        out.append(line)
    return "\n".join(out)


def _escape_at(text: str) -> str:
    """Every ``@`` of ``text`` as ordinary text (``\\@``), already escaped ones kept."""
    return _AT.sub(lambda m: m.group(1) + ("" if len(m.group(1)) % 2 else "\\") + "@", text)


def escape_citations(text: str, is_known: Callable[[str], bool]) -> str:
    """Keep ``[@clé, passage]`` for known keys; every other ``@`` becomes ordinary text."""
    out: list[str] = []
    last = 0
    for match in CITATION_RE.finditer(text):
        out.append(_escape_at(text[last : match.start()]))
        if is_known(match.group(1)):
            passage = match.group(2)
            rest = f", {_escape_at(passage)}" if passage is not None else ""
            out.append(f"[@{match.group(1)}{rest}]")
        else:
            out.append(_escape_at(match.group(0)))
        last = match.end()
    out.append(_escape_at(text[last:]))
    return "".join(out)


def stray_citations(text: str) -> list[Finding]:
    """``@mot`` that pandoc could read as a citation but that is not a ``[@clé, passage]``
    (whose key, known or not, is checked against the bibliography elsewhere)."""
    kept = {m.start() + 1 for m in CITATION_RE.finditer(text)}
    found = []
    for match in _STRAY_AT.finditer(text):
        if match.start() not in kept:
            found.append(Finding(text[: match.start()].count("\n"), "citation", match.group(1)))
    return found


def narrative_markdown(text: str, is_known: Callable[[str], bool]) -> str:
    """The Markdown of a narrative under its section: raw HTML shown as text, headings
    demoted, metadata fences neutralised, unknown ``@`` as text."""
    return demote_headings(escape_citations(text.replace("<", "&lt;"), is_known))
