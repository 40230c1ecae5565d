"""The import pipeline: read an export, resolve its codes, pseudonymise, store per interview."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import INTERVIEWS_REFUSED, FieldworkError, UnknownPoleError
from ..core.layout import pole_file
from ..core.limits import MAX_CODED_PASSAGES, excerpt
from ..core.lock import data_lock
from ..core.names import same_name
from ..core.paths import ProjectPaths
from ..core.problems import Problem, located
from ..core.suggest import did_you_mean
from ..core.yamlio import load_yaml
from ..corpus.codes import CodeMap, load_code_map
from ..corpus.excerpts import (
    Change,
    Excerpt,
    InterviewExcerpts,
    excerpt_id,
    excerpts_dir,
    file_stem,
    merge,
    parse_interview,
    parse_interview_text,
    to_yaml,
)
from ..corpus.grid import load_grid
from ..corpus.interview_dates import iso_date
from ..corpus.pseudonymise import load_private_table, person_names, replace_names
from ..corpus.referentiel import DEFAULT_VERSION, available_versions, load_referentiel, pole_version
from .importstore import store_import
from .interview_formats import read_export
from .segments import Export, Interview, Segment

UNKNOWN_ROLE = "personne interrogée (rôle non renseigné)"


@dataclass
class ImportReport:
    tool: str
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    uncoded: list[str] = field(default_factory=list)
    flagged: dict[str, list[str]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def short_hash(document: str) -> str:
    """Keeps two interviews of people with the same role in separate files."""
    return hashlib.sha1(document.encode("utf-8")).hexdigest()[:6]


def load_mapping(path: Path) -> dict[str, str]:
    """``documents:`` and ``cas:`` → pole slug, from a YAML mapping for a whole project."""
    loaded = load_yaml(path)
    data = loaded.data if isinstance(loaded.data, dict) else {}
    mapping: dict[str, str] = {}
    for key in ("documents", "cas"):
        part = data.get(key) or {}
        if not isinstance(part, dict):
            raise FieldworkError(path, f"« {key} » : dictionnaire nom → pôle attendu", "ligne 1")
        mapping.update({str(k): str(v) for k, v in part.items()})
    if not mapping:
        raise FieldworkError(
            path, "ni « documents » ni « cas » : aucun entretien rattaché", "ligne 1"
        )
    return mapping


def _sections(segment: Segment, codes: CodeMap) -> list[tuple[str, tuple[str, ...]]]:
    """(section, indicators) for a segment: one entry per distinct section its codes name."""
    meanings = [m for m in (codes.resolve(c) for c in segment.codes) if m is not None]
    indicators = tuple(dict.fromkeys(i for m in meanings for i in m.indicators))
    direct = [m.section for m in meanings if m.section and not m.indicators]
    sections = list(dict.fromkeys(direct or [m.section for m in meanings if m.section]))
    return [(s, indicators) for s in sections]


def code_problems(
    export: Export, codes: CodeMap, segments: Iterable[Segment] | None = None, scope: str = ""
) -> list[Problem]:
    """Every code must file its excerpt somewhere; a typo gets the nearest known codes.
    One problem per unknown code, at its first passage (the others listed in it).
    ``segments`` (default: the whole export) are those of one pole, ``scope`` says which pole
    and référentiel version their codes were read against."""
    unknown: dict[str, list[str]] = {}
    for segment in export.segments if segments is None else segments:
        for code in segment.codes:
            if codes.resolve(code) is None:
                places = unknown.setdefault(code, [])
                if segment.where not in places:
                    places.append(segment.where)
    problems = []
    for code, places in unknown.items():
        hint = did_you_mean(code, codes.names())
        advice = f"{hint} Sinon, ajoutez-le" if hint else "ajoutez-le"
        also = ", ".join(places[1:11]) + (", …" if len(places) > 11 else "")
        problems.append(located(
            Path(export.path),
            f"code « {excerpt(code)} » inconnu : ni la grille ni data/codes.yaml ne le rattachent "
            f"à une section{scope} ; {advice} à data/codes.yaml" + (f" (aussi : {also})" if also else ""),
            places[0],
        ))  # fmt: skip
    return problems


def _mapped(mapping: Mapping[str, str], name: str) -> str | None:
    """The pole of a document or case name, however it is written (NFC/NFD, case, accents)."""
    if name in mapping:
        return mapping[name]
    return next((slug for key, slug in mapping.items() if same_name(key, name)), None)


def _pole_of(
    export: Export, segment: Segment, pole: str | None, mapping: Mapping[str, str]
) -> str | None:
    if pole:
        return pole
    case = export.interviews.get(segment.document, Interview(segment.document)).case
    return _mapped(mapping, segment.document) or (_mapped(mapping, case) if case else None)


def unmapped_problem(export: Export, segment: Segment, mapping: Mapping[str, str]) -> Problem:
    hint = did_you_mean(segment.document, list(mapping))
    return located(
        Path(export.path),
        f"le document « {excerpt(segment.document)} » n'est rattaché à aucun pôle par la "
        "correspondance" + (f" ; {hint}" if hint else ""),
        segment.where,
    )


def _date(raw: str, document: str, report: ImportReport) -> str:
    """The interview date as an ISO date; kept as written (with a notice) when not a date."""
    if not raw.strip():
        return ""
    found = iso_date(raw)
    if found is None:
        report.notices.append(
            f"date « {excerpt(raw.strip())} » de l'entretien « {excerpt(document)} » non reconnue comme une date : "
            "gardée telle quelle (écrivez-la AAAA-MM-JJ, par exemple 2026-02-05)."
        )
        return raw.strip()
    return found


def volume_problems(export: Export) -> list[Problem]:
    """The same limit as validate and build: refused before anything is written."""
    if len(export.segments) <= MAX_CODED_PASSAGES:
        return []
    return [Problem(
        Path(export.path), None, "",
        f"{len(export.segments)} passages codés : plus que la limite de "
        f"{MAX_CODED_PASSAGES} par import ; découpez l'export (par pôle ou par entretien)",
    )]  # fmt: skip


def stored_name(role: str, document: str) -> str:
    """The stored file's name: the interviewee's role and a digest of the document name, never
    the document or export name (which often hold the person's name)."""
    return f"entretien-{file_stem(role)}-{short_hash(document)}.yaml"


def export_label(path: Path) -> str:
    """How the stored file names its export: the format and a digest of its content, never its
    file name (« Entretien Jeanne Martin.qdpx »)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        digest = "inconnue"
    return f"export {path.suffix.lower().lstrip('.') or 'sans extension'}, empreinte {digest}"


def _previous_file(folder: Path, document: str, wanted: Path) -> Path | None:
    """The stored file of ``document`` under its current or an earlier name (named after the
    document before: renamed on this import)."""
    if wanted.is_file():
        return wanted
    return next(iter(sorted(folder.glob(f"*-{short_hash(document)}.yaml"))), None)


def import_interviews(
    paths: ProjectPaths,
    export_path: Path,
    pole: str | None = None,
    mapping: Mapping[str, str] | None = None,
    end: str = "auto",
    flag_names: bool = True,
    format: str | None = None,
) -> ImportReport:
    """Import coded excerpts into the poles' ``entretiens/`` folders; all or nothing, under the
    project's data lock (read, merge and write happen while it is held: no lost update).
    Every problem of the export is reported at once: its bad rows or elements, then the
    unknown codes and unmapped documents of the others. ``format`` names the reader
    (``--format``); by default the file's format is detected."""
    try:
        export = read_export(export_path, end, format)
    except FieldworkError as exc:
        if exc.export is None:  # the file itself cannot be read
            raise FieldworkError.collected(exc.problems, INTERVIEWS_REFUSED) from exc
        found = [*exc.problems, *export_problems(paths, exc.export, pole, mapping)]
        found.sort(key=lambda p: p.line or 0)  # in the order of the file (stable otherwise)
        raise FieldworkError.collected(found, INTERVIEWS_REFUSED) from exc
    return import_export(paths, export, export_label(export_path), pole, mapping, flag_names)


def code_maps(
    paths: ProjectPaths, slugs: Iterable[str]
) -> tuple[dict[str, str], dict[str, CodeMap]]:
    """The référentiel version of each pole (``pole → version``) and one code map per version:
    a pole's codes are read against its own version. An unknown pole is refused."""
    grid = load_grid(paths.grid_file)
    versions: dict[str, str] = {}
    maps: dict[str, CodeMap] = {}
    for slug in slugs:
        folder = paths.pole_dir(slug)
        if not pole_file(folder).is_file():
            raise UnknownPoleError(slug, paths.poles)
        version = versions[slug] = pole_version(folder)
        if version not in maps:
            maps[version] = load_code_map(
                paths.data, grid, load_referentiel(paths.referentiels, version)
            )
    return versions, maps


def export_problems(
    paths: ProjectPaths, export: Export, pole: str | None, mapping: Mapping[str, str] | None
) -> list[Problem]:
    """What the project says of an export: the unknown codes of its segments (read against
    their pole's référentiel version; a document no mapping files under a pole against the
    default version), its documents no mapping files under a pole, its volume (each a problem
    naming the row or element), every one at once."""
    unmapped: list[Problem] = []
    unmapped_documents: set[str] = set()
    orphans: list[Segment] = []  # the segments of the unmapped documents
    by_pole: dict[str, list[Segment]] = {}
    for segment in export.segments:
        slug = _pole_of(export, segment, pole, mapping or {})
        if slug is None:
            if segment.document not in unmapped_documents:
                unmapped_documents.add(segment.document)
                unmapped.append(unmapped_problem(export, segment, mapping or {}))
            orphans.append(segment)
        else:
            by_pole.setdefault(slug, []).append(segment)
    versions, maps = code_maps(paths, by_pole)
    several = len(available_versions(paths.referentiels)) > 1
    problems: list[Problem] = []
    for slug, segments in by_pole.items():
        scope = f" (pôle {slug}, référentiel {versions[slug]})" if several else ""
        problems += code_problems(export, maps[versions[slug]], segments, scope)
    if orphans:  # their pole is unknown: their codes are still checked, all at once
        if DEFAULT_VERSION not in maps:
            grid = load_grid(paths.grid_file)
            ref = load_referentiel(paths.referentiels, DEFAULT_VERSION)
            maps[DEFAULT_VERSION] = load_code_map(paths.data, grid, ref)
        scope = f" (référentiel {DEFAULT_VERSION} par défaut)" if several else ""
        problems += code_problems(export, maps[DEFAULT_VERSION], orphans, scope)
    problems += unmapped
    problems.sort(key=lambda p: p.line or 0)  # in the order of the file (stable otherwise)
    return problems + volume_problems(export)


def import_export(
    paths: ProjectPaths,
    export: Export,
    source_file: str,
    pole: str | None = None,
    mapping: Mapping[str, str] | None = None,
    flag_names: bool = True,
) -> ImportReport:
    """Import an export already read (a file, or Taguette's API): same checks, all or nothing,
    under the project's data lock. ``source_file`` is how the stored files name the export
    (never its file name, which may hold a person's name)."""
    with data_lock(paths.data):
        return _import_locked(paths, export, source_file, pole, mapping, flag_names)


def _import_locked(
    paths: ProjectPaths,
    export: Export,
    source_file: str,
    pole: str | None,
    mapping: Mapping[str, str] | None,
    flag_names: bool,
) -> ImportReport:
    grid = load_grid(paths.grid_file)
    problems = export_problems(paths, export, pole, mapping)
    if problems:
        raise FieldworkError.collected(problems, INTERVIEWS_REFUSED)
    report = ImportReport(export.tool, notices=list(export.notices), uncoded=list(export.uncoded))
    by_pole: dict[str, dict[str, list[Segment]]] = {}
    for segment in export.segments:
        slug = _pole_of(export, segment, pole, mapping or {})
        assert slug is not None  # checked by export_problems
        by_pole.setdefault(slug, {}).setdefault(segment.document, []).append(segment)
    versions, maps = code_maps(paths, by_pole)
    files: dict[Path, str] = {}
    renamed: list[Path] = []
    label = source_file
    for slug, documents in by_pole.items():
        folder = paths.pole_dir(slug)
        codes = maps[versions[slug]]
        table = load_private_table(paths.data, slug)
        for document, segments in documents.items():
            meta = export.interviews.get(document, Interview(document))
            note = table.interview(document)
            taken: set[str] = set()
            excerpts = []
            for segment in segments:
                text = replace_names(unicodedata.normalize("NFC", segment.text), table.people)
                flagged = tuple(person_names(text)) if flag_names else ()
                if flagged:
                    report.flagged.setdefault(document, []).extend(
                        n for n in flagged if n not in report.flagged.get(document, [])
                    )
                for section, indicators in _sections(segment, codes):
                    excerpts.append(
                        Excerpt(
                            id=excerpt_id(f"{document}\0{section}", text, taken),
                            codes=segment.codes,
                            section=section,
                            indicators=indicators,
                            text=text,
                            flagged=flagged,
                        )
                    )
            consent = meta.consent if meta.consent is not None else (note.consent if note else None)
            # Document names often hold the interviewee's name: pseudonymised too.
            shown = replace_names(unicodedata.normalize("NFC", document), table.people)
            if flag_names:
                for name in person_names(shown):
                    if name not in report.flagged.get(document, []):
                        report.flagged.setdefault(document, []).append(name)
            role = meta.role or (note.role if note else "") or UNKNOWN_ROLE
            new = InterviewExcerpts(
                document=shown,
                role=role,
                date=_date(meta.date or (note.date if note else ""), shown, report),
                consent=bool(consent),
                source_file=label,
                tool=export.tool,
                excerpts=tuple(excerpts),
            )
            path = excerpts_dir(folder) / stored_name(role, document)
            previous = _previous_file(excerpts_dir(folder), document, path)
            old = parse_interview(previous, grid.section_ids) if previous else None
            if previous is not None and previous != path:
                renamed.append(previous)
            merged, change = merge(old, new, path, table.names())
            if previous is not None and previous != path:
                change.new_file = False
            text = to_yaml(merged)
            parse_interview_text(text, path, grid.section_ids)  # what validate will read
            files[path] = text
            report.changes.append(change)
    report.written = store_import(paths.data, files, remove=renamed)
    return report
