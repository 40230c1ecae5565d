"""Stored excerpts: one plain YAML file per source interview in
``data/poles/<slug>/entretiens/``, reviewable and diffable.

Re-importing the same export rewrites nothing; an updated export replaces that interview's
excerpts and says what changed; the researcher's curation (``retenu``, ``noms_verifies``) is
kept for excerpts whose text did not change. Writing is staged: every file is written to a
temporary name first, then all are renamed, so a failed import loses nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..core.atomic import write_files_atomic
from ..core.errors import DataFileError, FieldworkError
from ..core.layout import INTERVIEWS_DIR, interviews_dir
from ..core.limits import WRITTEN_LIMITS
from ..core.memo import TextMemo
from ..core.names import fold
from ..core.problems import Problem
from ..core.yamlio import LoadedYaml, parse_yaml, read_text
from .pseudonymise import contains_name

EXCERPTS_DIR = INTERVIEWS_DIR
REWRITE_RATIO = 0.6  # similarity above which a changed passage is the same one, rewritten
HEADER = (
    "# Extraits codés d'un entretien, écrits par « ptce-mono import interviews ».\n"
    "# Les noms des personnes de la table privée sont remplacés par leur rôle. À relire :\n"
    "# « retenu: true » choisit un extrait pour la monographie ; « noms_verifies » liste les noms\n"
    "# signalés qui ne désignent pas une personne à protéger (lieu, personnalité publique).\n"
)


@dataclass(frozen=True)
class Excerpt:
    id: str
    codes: tuple[str, ...]
    section: str
    indicators: tuple[str, ...]
    text: str
    flagged: tuple[str, ...] = ()
    verified: tuple[str, ...] = ()
    retained: bool = False
    line: int = 0

    def unresolved_names(self) -> list[str]:
        """Flagged names still in the text and not declared harmless by the researcher."""
        verified = {fold(" ".join(v.split())) for v in self.verified}
        return [
            n
            for n in self.flagged
            if fold(" ".join(n.split())) not in verified and contains_name(self.text, [n])
        ]


@dataclass(frozen=True)
class InterviewExcerpts:
    """One stored file: an interview and its excerpts."""

    document: str
    role: str
    date: str
    consent: bool
    source_file: str
    tool: str
    excerpts: tuple[Excerpt, ...]
    path: Path | None = None


@dataclass
class Change:
    """What an import did to one interview file."""

    document: str
    path: Path
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    new_file: bool = False
    rewritten: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.rewritten or self.new_file)


def file_stem(document: str) -> str:
    """« Entretien n°2 (Éole) » → ``entretien-n2-eole`` (« ° » has no ASCII form)."""
    ascii_text = unicodedata.normalize("NFKD", document).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return (stem or "entretien")[:80]


def excerpt_id(document: str, text: str, taken: set[str]) -> str:
    base = hashlib.sha1(f"{document}\0{' '.join(text.split())}".encode()).hexdigest()[:10]
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


# --- YAML form ------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value or len(value) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(interview: InterviewExcerpts) -> str:
    data: dict[str, Any] = {
        "document": interview.document,
        "import": {"fichier": interview.source_file, "outil": interview.tool},
        "role": interview.role,
        "date": interview.date,
        "consentement": interview.consent,
        "extraits": [
            {
                "id": e.id,
                "codes": list(e.codes),
                "section": e.section,
                "indicateurs": list(e.indicators),
                "texte": e.text,
                "noms_signales": list(e.flagged),
                "noms_verifies": list(e.verified),
                "retenu": e.retained,
            }
            for e in interview.excerpts
        ],
    }
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


# Interviews parsed, by file and sections: a monograph reads a pole's interviews many times.
_parsed: TextMemo[InterviewExcerpts] = TextMemo()


def parse_interview(path: Path, sections: Sequence[str] = ()) -> InterviewExcerpts:
    """Read one stored file; errors name the file and the line."""
    text = read_text(path, WRITTEN_LIMITS.max_bytes, "fichier YAML")
    known = _parsed.get((path, tuple(sections)), text)
    if known is not None:  # the same text, already parsed in this process
        return known
    _count_read(path)
    return parse_interview_text(text, path, sections)


# --- how many times each interview file is read (the bench reports it; goal: once) -----------

READS_LOG_ENV = "PTCE_MONO_LECTURES_ENTRETIENS"  # a file: one line per read, every process
_reads: Counter[str] = Counter()


def _count_read(path: Path) -> None:
    key = os.path.realpath(path)
    _reads[key] += 1
    log = os.environ.get(READS_LOG_ENV)
    if log:  # appended in one write: lines of parallel processes never mix
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{os.getpid()}\t{key}\n".encode("utf-8", "surrogateescape"))
        finally:
            os.close(fd)


def reads_by_path() -> dict[str, int]:
    """Interview file (real path) → times this process parsed it since :func:`reset_reads`."""
    return dict(_reads)


def reset_reads() -> None:
    _reads.clear()


def logged_reads(log: Path) -> dict[str, int]:
    """Interview file → times it was parsed by every process that wrote to ``log``."""
    counts: Counter[str] = Counter()
    if log.is_file():
        for line in log.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
            if "\t" in line:
                counts[line.split("\t", 1)[1]] += 1
    return dict(counts)


def parse_interview_text(text: str, path: Path, sections: Sequence[str] = ()) -> InterviewExcerpts:
    """What :func:`parse_interview` would read from ``text`` (an importer checks what it writes
    with it, so that validate and build never refuse an imported file)."""
    read = _interview(parse_yaml(text, path, WRITTEN_LIMITS), path, sections)
    _parsed.put((path, tuple(sections)), text, read)
    return read


def _interview(loaded: LoadedYaml, path: Path, sections: Sequence[str]) -> InterviewExcerpts:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("extraits"), list):
        raise FieldworkError(path, "« extraits » : une liste est attendue", "ligne 1")
    excerpts = []
    problems: list[Problem] = []  # every bad excerpt of the file, not only the first
    for index, raw in enumerate(data["extraits"]):
        line = loaded.line_of(f"extraits.{index}") or 1
        if not isinstance(raw, dict) or not raw.get("id") or not isinstance(raw.get("texte"), str):
            problems.append(Problem(path, line, "", "chaque extrait a un « id » et un « texte »"))
            continue
        section = str(raw.get("section") or "")
        if sections and section not in sections:
            problems.append(Problem(
                path, loaded.line_of(f"extraits.{index}.section") or line, "",
                f"section « {section} » inconnue de la grille",
            ))  # fmt: skip
        retained = raw.get("retenu", False)
        if not isinstance(retained, bool):
            problems.append(Problem(
                path, loaded.line_of(f"extraits.{index}.retenu") or line, "",
                "« retenu » vaut true ou false",
            ))  # fmt: skip
            continue
        excerpts.append(
            Excerpt(
                id=str(raw["id"]),
                codes=_strings(raw.get("codes")),
                section=section,
                indicators=_strings(raw.get("indicateurs")),
                text=raw["texte"],
                flagged=_strings(raw.get("noms_signales")),
                verified=_strings(raw.get("noms_verifies")),
                retained=retained,
                line=line,
            )
        )
    if problems:
        raise FieldworkError.collected(problems)
    source = data.get("import") if isinstance(data.get("import"), dict) else {}
    return InterviewExcerpts(
        document=str(data.get("document") or path.stem),
        role=str(data.get("role") or ""),
        date=_stored_date(data.get("date")),
        consent=data.get("consentement") is True,
        source_file=str(source.get("fichier") or ""),
        tool=str(source.get("outil") or ""),
        excerpts=tuple(excerpts),
        path=path,
    )


def _stored_date(value: object) -> str:
    """The interview date as an ISO date, whatever an older import or a hand wrote
    (« 2026-02-05T00:00:00Z », a YAML date); what is not a date is kept as written."""
    from .interview_dates import iso_date

    if value is None or value == "":
        return ""
    return iso_date(value) or str(value)


def excerpts_dir(pole_folder: Path) -> Path:
    return interviews_dir(pole_folder)


def load_interviews(pole_folder: Path, sections: Sequence[str] = ()) -> list[InterviewExcerpts]:
    folder = excerpts_dir(pole_folder)
    if not folder.is_dir():
        return []
    interviews, problems = [], []
    for path in sorted(folder.glob("*.yaml")):  # every unreadable file named, not the first
        try:
            interviews.append(parse_interview(path, sections))
        except DataFileError as exc:
            problems += exc.problems
    if problems:
        raise FieldworkError.collected(problems)
    return interviews


# --- merge and write ------------------------------------------------------------------------


def _bare(text: str) -> str:
    """The text without any whitespace: whitespace changes never make another passage."""
    return re.sub(r"\s+", "", text)


def _name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where in ``text`` (bare) the given names (bare, any case) and « [rôle] » placeholders are."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]", text)]
    for name in names:
        bare = _bare(name)
        if bare:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(bare), text, re.I)]
    return spans


def same_passage(before: str, after: str, names: Iterable[str] = ()) -> bool:
    """True when ``after`` differs from ``before`` only by whitespace and by names replaced
    (a flagged or listed name becoming « [rôle] » or another wording, or the reverse)."""
    old, new = _bare(before), _bare(after)
    if old == new:
        return True
    listed = tuple(names)
    old_spans, new_spans = _name_spans(old, listed), _name_spans(new, listed)
    if not old_spans and not new_spans:
        return False

    def covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
        if start == end:
            return any(s <= start <= e for s, e in spans)
        return all(any(s <= i < e for s, e in spans) for i in range(start, end))

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if not (covered(old_spans, i1, i2) or covered(new_spans, j1, j2)):
            return False
    return True


def rewritten_passage(before: str, after: str) -> bool:
    """True when ``after`` is recognisably the same passage, changed (cut, extended, reworded)."""
    old, new = _bare(before), _bare(after)
    if not old or not new:
        return False
    if old in new or new in old:
        return True
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio() >= REWRITE_RATIO


def _match(
    old: InterviewExcerpts | None, new: InterviewExcerpts, names: Iterable[str]
) -> tuple[dict[int, Excerpt], dict[int, Excerpt]]:
    """New excerpt index → the stored excerpt it continues: same id, or same passage (names
    fixed, whitespace) in the same section; and index → a stored passage it rewrites."""
    same: dict[int, Excerpt] = {}
    rewritten: dict[int, Excerpt] = {}
    if old is None:
        return same, rewritten
    free = {e.id: e for e in old.excerpts}
    for index, excerpt in enumerate(new.excerpts):
        if excerpt.id in free:
            same[index] = free.pop(excerpt.id)
    listed = tuple(names)
    for index, excerpt in enumerate(new.excerpts):
        if index in same:
            continue
        for before in free.values():
            forms = (*before.flagged, *excerpt.flagged, *listed)
            if before.section == excerpt.section and same_passage(before.text, excerpt.text, forms):
                same[index] = free.pop(before.id)
                break
    for index, excerpt in enumerate(new.excerpts):
        if index in same:
            continue
        for before in free.values():
            if before.section == excerpt.section and rewritten_passage(before.text, excerpt.text):
                rewritten[index] = free.pop(before.id)
                break
    return same, rewritten


def merge(
    old: InterviewExcerpts | None,
    new: InterviewExcerpts,
    path: Path,
    names: Iterable[str] = (),
) -> tuple[InterviewExcerpts, Change]:
    """``new`` with the researcher's curation of ``old`` kept, and what changed.

    An excerpt keeps its id, « retenu » and « noms_verifies » when its passage is the same up to
    whitespace and names replaced (``names``: the private table's forms; flagged names count
    too). A passage that really changed (cut, extended) gets a new id and is reported in
    ``rewritten``: the researcher decides again whether to retain it.
    """
    change = Change(new.document, path, new_file=old is None)
    same, rewritten = _match(old, new, names)
    used = {e.id for i, e in enumerate(new.excerpts) if i not in same}
    kept = []
    for index, excerpt in enumerate(new.excerpts):
        before = same.get(index)
        if before is None:
            if index in rewritten:
                change.rewritten.append((rewritten[index].id, excerpt.id))
            else:
                change.added.append(excerpt.id)
            kept.append(excerpt)
            continue
        ident = excerpt.id if before.id in used and before.id != excerpt.id else before.id
        excerpt = replace(excerpt, id=ident, retained=before.retained, verified=before.verified)
        unchanged = (before.codes, before.section, before.indicators, before.flagged) == (
            excerpt.codes,
            excerpt.section,
            excerpt.indicators,
            excerpt.flagged,
        )
        if unchanged and before.text == excerpt.text:
            change.unchanged += 1
        else:
            change.changed.append(excerpt.id)
        kept.append(excerpt)
    matched = {e.id for e in (*same.values(), *rewritten.values())}
    change.removed = [e.id for e in (old.excerpts if old else ()) if e.id not in matched]
    return replace(new, excerpts=tuple(kept), path=path), change


def write_all(files: Mapping[Path, str]) -> list[Path]:
    """Write every file, or none (:func:`ptce_mono.core.atomic.write_files_atomic`); files whose
    content is already identical are left alone; returns those written."""
    if not files:
        return []
    return write_files_atomic(files, next(iter(files)).parent)


# --- what monographs, validation and the référentiel evidence read -----------------------------


def publication_problems(
    interview: InterviewExcerpts, excerpt: Excerpt, private_names: Iterable[str] = ()
) -> list[str]:
    """Why a retained excerpt may not be published (French), empty when it may."""
    problems = []
    if not interview.consent:
        problems.append("le consentement à citer l'entretien n'est pas enregistré")
    unresolved = excerpt.unresolved_names()
    if unresolved:
        problems.append("nom signalé encore présent : " + ", ".join(unresolved))
    listed = contains_name(excerpt.text, private_names)
    if listed:
        problems.append("contient le nom d'une personne de la table privée")
    return problems


def published_excerpts(
    interviews: Iterable[InterviewExcerpts],
    section: str | None = None,
    private_names: Iterable[str] = (),
) -> list[tuple[InterviewExcerpts, Excerpt]]:
    """Retained excerpts that may be published, optionally for one grid section."""
    names = tuple(private_names)
    return [
        (interview, e)
        for interview in interviews
        for e in interview.excerpts
        if e.retained
        and (section is None or e.section == section)
        and not publication_problems(interview, e, names)
    ]


def retained_counts(pole_folder: Path, sections: Sequence[str] = ()) -> dict[str, int]:
    """Section → number of retained, publishable excerpts (counted in the section's status)."""
    return section_counts(published_excerpts(load_interviews(pole_folder, sections)))


def section_counts(published: Iterable[tuple[InterviewExcerpts, Excerpt]]) -> dict[str, int]:
    """Section → number of published excerpts (pure)."""
    counts: dict[str, int] = {}
    for _, excerpt in published:
        counts[excerpt.section] = counts.get(excerpt.section, 0) + 1
    return counts


def _code_keys(code: str) -> set[str]:
    """A code as written and its last level (« grille/origine-2 » → also « origine-2 »)."""
    key = " ".join(str(code).split()).lower()
    keys = {key}
    for sep in ("/", "\\", "::", ">"):
        if sep in key:
            keys.add(key.rsplit(sep, 1)[1].strip())
    return keys


def question_counts(
    published: Iterable[tuple[InterviewExcerpts, Excerpt]], questions: Iterable[str]
) -> dict[str, int]:
    """Guiding question id → published excerpts coded with it (pure). An excerpt coded with a
    question answers it (``coverage.answers``); each excerpt counts once."""
    wanted = {q.lower(): q for q in questions}
    counts: dict[str, int] = {}
    for _, excerpt in published:
        found = {wanted[k] for code in excerpt.codes for k in _code_keys(code) if k in wanted}
        for question in found:
            counts[question] = counts.get(question, 0) + 1
    return counts


@dataclass(frozen=True)
class ExcerptEvidence:
    """An excerpt as evidence for a référentiel indicator (or principal objective)."""

    indicator: str
    excerpt_id: str
    section: str
    role: str
    date: str
    text: str
    path: Path | None = None
    line: int = 0


def indicator_evidence(
    interviews: Iterable[InterviewExcerpts], private_names: Iterable[str] = ()
) -> dict[str, list[ExcerptEvidence]]:
    """Indicator or objective id → the published excerpts coded with it (pure)."""
    return excerpt_evidence(published_excerpts(interviews, private_names=private_names))


def excerpt_evidence(
    published: Iterable[tuple[InterviewExcerpts, Excerpt]],
) -> dict[str, list[ExcerptEvidence]]:
    """Indicator or objective id → the published excerpts coded with it (pure), in order.

    Read by ``evidence.pole_evidence``: the excerpts reach « Au regard du référentiel », the
    pole's profile figure and the transversal matrix, attributed by role and date."""
    evidence: dict[str, list[ExcerptEvidence]] = {}
    for interview, excerpt in published:
        for indicator in dict.fromkeys(excerpt.indicators):
            evidence.setdefault(indicator, []).append(
                ExcerptEvidence(
                    indicator,
                    excerpt.id,
                    excerpt.section,
                    interview.role,
                    interview.date,
                    excerpt.text,
                    interview.path,
                    excerpt.line,
                )
            )
    return evidence
