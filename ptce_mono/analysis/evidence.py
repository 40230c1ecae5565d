"""Evidence coded against the référentiel d'action, read from narratives and facts. Pure functions.

A researcher codes evidence by hand:

- in a narrative, a paragraph ends with a marker ``{réf. a1, b2}`` naming indicators (``a1``) or
  principal objectives (``b``) the paragraph bears on; the marker is removed from the text shown
  to readers (``records.strip_evidence_markers``), the paragraph's citations and quoted passages
  become the evidence;
- in ``pole.yaml``, an entry of ``citations:`` may carry ``referentiel: [a1]``: the cited field
  (its value, its source and passage) is the evidence;
- an interview excerpt coded with an indicator (``ref-a1``, or a code mapped in
  ``data/codes.yaml``), retained and publishable: the passage, attributed by role and date.

A passage is counted once per principal objective, however many of its indicators it is coded
for (:func:`passage_key`).

Coding is always the research team's reading of a source (« lecture proposée par l'équipe »),
never a statement of the source, and stays distinct from the scores declared by members.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corpus.grid import Grid
from ..corpus.records import (
    CITATION_RE,
    EVIDENCE_MARKER_RE,
    Narrative,
    Pole,
    blank_comments,
    strip_evidence_markers,
)
from ..corpus.referentiel import Referentiel

READING = "lecture proposée par l'équipe"
NARRATIVE = "récit"
FACT = "fiche"
INTERVIEW = "entretien"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_ID = re.compile(r"^[a-z][0-9]*$")


@dataclass(frozen=True)
class Marker:
    """One ``{réf. …}`` marker as written, with where it stands (for validation)."""

    path: Path
    line: int
    ids: tuple[str, ...]
    raw: str
    final: bool  # the marker ends its paragraph
    paragraph: str  # the paragraph as readers see it (markers removed)
    section: str


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: pole × principal objective × indicator × passage."""

    pole: str  # slug
    objective: str  # principal objective id, a to i
    indicator: str | None  # indicator id (a1…), None when coded at the objective level
    section: str | None  # grid section of the narrative or of the field
    origin: str  # NARRATIVE or FACT
    text: str  # the paragraph (markers removed), or « label : value » for a fact
    quotes: tuple[str, ...]  # passages quoted « … » from the source, verbatim
    citations: tuple[tuple[str, str], ...]  # (source id, passage locator)
    path: Path
    line: int | None
    field: str | None = None  # dotted field path for a fact
    reading: str = READING
    role: str = ""  # for an interview excerpt: who speaks (a role, never a name)
    date: str = ""  # for an interview excerpt: the interview's date


def passage_key(item: Evidence) -> tuple[Any, ...]:
    """One passage of one pole: the same narrative paragraph, field or excerpt."""
    return (item.pole, item.path, item.line, item.field)


def split_ids(raw: str) -> tuple[str, ...]:
    """« a1, b2 ; c » -> ('a1', 'b2', 'c')."""
    parts = re.split(r"[,;\s]+", raw.strip())
    return tuple(p.strip().lower() for p in parts if p.strip())


def _paragraphs(body: str) -> Iterable[tuple[int, str]]:
    """(offset in lines, paragraph) for each non-blank paragraph of a comment-free body."""
    start = 0
    for match in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = match.start() if match else len(body)
        chunk = body[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip("\n \t"))
            yield body[: start + lead].count("\n"), chunk.strip()
        if match:
            start = match.end()


def narrative_markers(narrative: Narrative) -> list[Marker]:
    """Every marker of a narrative, with its line in the file."""
    body = blank_comments(narrative.doc.body)
    markers = []
    for offset, paragraph in _paragraphs(body):
        shown = strip_evidence_markers(paragraph).strip()
        for match in EVIDENCE_MARKER_RE.finditer(paragraph):
            line = narrative.doc.body_line + offset + paragraph[: match.start()].count("\n")
            final = not strip_evidence_markers(paragraph[match.end() :]).strip()
            markers.append(
                Marker(narrative.path, line, split_ids(match.group(1)), match.group(0).strip(),
                       final, shown, narrative.section)
            )  # fmt: skip
    return markers


def resolve(ids: Sequence[str], ref: Referentiel) -> list[tuple[str, str | None]]:
    """(objective, indicator or None) for each id known to ``ref``; unknown ids are skipped."""
    objectives = {o.id for o in ref.objectives}
    out = []
    for item in ids:
        indicator = ref.indicator(item)
        if indicator is not None:
            out.append((indicator.objective, indicator.id))
        elif item in objectives:
            out.append((item, None))
    return out


def unknown_ids(ids: Sequence[str], ref: Referentiel) -> list[str]:
    known = {o.id for o in ref.objectives} | {i.id for i in ref.indicators}
    return [i for i in ids if i not in known]


def _outermost(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost « … » passage of ``text`` (« » may nest)."""
    spans, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "«":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, index))
    return spans


def quotes_of(text: str) -> tuple[str, ...]:
    """The outermost « … » passages of a text, outside its citations (« » may nest)."""
    text = CITATION_RE.sub("", text)
    quotes = (text[a:b].strip() for a, b in _outermost(text))
    return tuple(q for q in quotes if q)


def attributed_quotes(text: str) -> tuple[tuple[str, tuple[str, str] | None], ...]:
    """Each outermost « … » passage of ``text`` with the citation that follows it (the first
    ``[@source, passage]`` after it), so that passages of different sources are never joined
    as one; None when no citation follows."""
    cites = list(CITATION_RE.finditer(text))
    # guillemets inside a citation's passage are not the text's: masked, positions kept
    masked = CITATION_RE.sub(lambda m: "\0" * len(m.group(0)), text)
    out: list[tuple[str, tuple[str, str] | None]] = []
    for start, end in _outermost(masked):
        if text[start:end].strip():
            after = next((m for m in cites if m.start() >= end), None)
            cite = (after.group(1), (after.group(2) or "").strip()) if after else None
            out.append((text[start:end].strip(), cite))
    return tuple(out)


def citations_of(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((m.group(1), (m.group(2) or "").strip()) for m in CITATION_RE.finditer(text))


def field_sections(grid: Grid, dotted: str) -> list[str]:
    """Grid sections whose guiding questions (or fields) name ``dotted`` or its parent list."""
    base = re.sub(r"\.\d+.*$", "", dotted)
    out = []
    for section in grid.sections:
        names = set(section.fields) | {f for q in section.questions for f in q.fields}
        if dotted in names or base in names:
            out.append(section.id)
    return out


def fact_citation_codes(pole: Pole) -> dict[str, tuple[str, ...]]:
    """field path -> ids named by ``referentiel:`` in its ``citations:`` entry."""
    citations = pole.get("citations", {})
    out: dict[str, tuple[str, ...]] = {}
    if not isinstance(citations, Mapping):
        return out
    for key, cite in citations.items():
        if isinstance(cite, Mapping) and cite.get("referentiel") is not None:
            raw = cite["referentiel"]
            items = raw if isinstance(raw, list) else [raw]
            out[str(key)] = tuple(str(i).strip().lower() for i in items if str(i).strip())
    return out


def _fact_text(pole: Pole, dotted: str) -> str:
    from ..corpus.schema import field_at

    spec = field_at(dotted)
    value: Any = pole.get(dotted)
    if isinstance(value, Mapping):
        value = value.get("libelle") or value.get("nom") or ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if spec is not None and spec.choices and isinstance(value, str):
        value = spec.choices.get(value, value)
    label = spec.label if spec is not None else dotted
    return f"{label} : {value}"


def pole_evidence(pole: Pole, ref: Referentiel, grid: Grid) -> list[Evidence]:
    """All evidence of one pole, in reading order (sections of the grid, then facts).

    Ids unknown to ``ref`` are ignored here; ``validate`` reports them with file and line.
    """
    out: list[Evidence] = []
    for section in grid.sections:
        narrative = pole.narratives.get(section.id)
        if narrative is None:
            continue
        for marker in narrative_markers(narrative):
            for objective, indicator in resolve(marker.ids, ref):
                out.append(
                    Evidence(pole.slug, objective, indicator, section.id, NARRATIVE,
                             marker.paragraph, quotes_of(marker.paragraph),
                             citations_of(marker.paragraph), marker.path, marker.line)
                )  # fmt: skip
    citations = pole.get("citations", {})
    for dotted, ids in fact_citation_codes(pole).items():
        cite = citations.get(dotted, {})
        source = (str(cite.get("source") or ""), str(cite.get("passage") or ""))
        passage = str(cite.get("passage") or "")
        sections = field_sections(grid, dotted)
        for objective, indicator in resolve(ids, ref):
            out.append(
                Evidence(pole.slug, objective, indicator, sections[0] if sections else None, FACT,
                         _fact_text(pole, dotted), quotes_of(passage), (source,), pole.path,
                         pole.line_of(f"citations.{dotted}.referentiel"), dotted)
            )  # fmt: skip
    out += interview_evidence(pole, ref)
    return out


def interview_evidence(pole: Pole, ref: Referentiel) -> list[Evidence]:
    """The pole's published interview excerpts coded with indicators or objectives of ``ref``."""
    from ..corpus.excerpts import excerpt_evidence

    out = []
    for items in excerpt_evidence(pole.published_excerpts).values():
        for item in items:
            for objective, indicator in resolve((item.indicator,), ref):
                text = " ".join(item.text.split())
                out.append(
                    Evidence(pole.slug, objective, indicator, item.section or None, INTERVIEW,
                             text, (text,), (), item.path or pole.folder, item.line,
                             f"extrait {item.excerpt_id}", READING, item.role, item.date)
                )  # fmt: skip
    return out


def corpus_evidence(
    poles: Iterable[Pole], referentiels: Mapping[str, Referentiel], grid: Grid, default: str
) -> list[Evidence]:
    """Evidence of every pole, each read against its own référentiel version."""
    out: list[Evidence] = []
    for pole in poles:
        ref = referentiels.get(pole.referentiel_version or default) or referentiels.get(default)
        if ref is not None:
            out += pole_evidence(pole, ref, grid)
    return out


def by_objective(evidence: Iterable[Evidence], ref: Referentiel) -> dict[str, list[Evidence]]:
    """Principal objective id (a…i, in the référentiel's order) -> its evidence."""
    out: dict[str, list[Evidence]] = {o.id: [] for o in ref.objectives}
    for item in evidence:
        out.setdefault(item.objective, []).append(item)
    return out


def counts_by_objective(evidence: Iterable[Evidence], ref: Referentiel) -> dict[str, int]:
    """Principal objective -> passages coded for it (each once, whatever its indicators), all 9
    listed."""
    out = {}
    for objective, items in by_objective(evidence, ref).items():
        out[objective] = len({passage_key(e) for e in items})
    return out


def section_evidence(evidence: Iterable[Evidence], section_id: str) -> list[Evidence]:
    return [e for e in evidence if e.section == section_id]
