"""Stored excerpts: one plain YAML file per source interview in
``data/poles/<slug>/entretiens/``, reviewable and diffable.

Re-importing the same export rewrites nothing; an updated export replaces that interview's
excerpts and says what changed; the researcher's curation (``retenu``, ``noms_verifies``) is
kept for excerpts whose text did not change. Writing is staged: every file is written to a
temporary name first, then all are renamed, so a failed import loses nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import FieldworkError
from ..yamlio import load_yaml
from .pseudonymise import contains_name

EXCERPTS_DIR = "entretiens"
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
        return [n for n in self.flagged if n not in self.verified and contains_name(self.text, [n])]


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

    @property
    def touched(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.new_file)


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


class _Dumper(yaml.SafeDumper):
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


def parse_interview(path: Path, sections: Sequence[str] = ()) -> InterviewExcerpts:
    """Read one stored file; errors name the file and the line."""
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("extraits"), list):
        raise FieldworkError(path, "« extraits » : une liste est attendue", "ligne 1")
    excerpts = []
    for index, raw in enumerate(data["extraits"]):
        line = loaded.line_of(f"extraits.{index}") or 1
        if not isinstance(raw, dict) or not raw.get("id") or not isinstance(raw.get("texte"), str):
            raise FieldworkError(
                path, "chaque extrait a un « id » et un « texte »", f"ligne {line}"
            )
        section = str(raw.get("section") or "")
        if sections and section not in sections:
            raise FieldworkError(
                path,
                f"section « {section} » inconnue de la grille",
                f"ligne {loaded.line_of(f'extraits.{index}.section') or line}",
            )
        retained = raw.get("retenu", False)
        if not isinstance(retained, bool):
            raise FieldworkError(
                path,
                "« retenu » vaut true ou false",
                f"ligne {loaded.line_of(f'extraits.{index}.retenu') or line}",
            )
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
    source = data.get("import") if isinstance(data.get("import"), dict) else {}
    return InterviewExcerpts(
        document=str(data.get("document") or path.stem),
        role=str(data.get("role") or ""),
        date=str(data.get("date") or ""),
        consent=data.get("consentement") is True,
        source_file=str(source.get("fichier") or ""),
        tool=str(source.get("outil") or ""),
        excerpts=tuple(excerpts),
        path=path,
    )


def excerpts_dir(pole_folder: Path) -> Path:
    return pole_folder / EXCERPTS_DIR


def load_interviews(pole_folder: Path, sections: Sequence[str] = ()) -> list[InterviewExcerpts]:
    folder = excerpts_dir(pole_folder)
    if not folder.is_dir():
        return []
    return [parse_interview(p, sections) for p in sorted(folder.glob("*.yaml"))]


# --- merge and write ------------------------------------------------------------------------


def merge(
    old: InterviewExcerpts | None, new: InterviewExcerpts, path: Path
) -> tuple[InterviewExcerpts, Change]:
    """``new`` with the researcher's curation of ``old`` kept, and what changed."""
    change = Change(new.document, path, new_file=old is None)
    previous = {e.id: e for e in old.excerpts} if old else {}
    kept = []
    for excerpt in new.excerpts:
        before = previous.get(excerpt.id)
        if before is None:
            change.added.append(excerpt.id)
            kept.append(excerpt)
            continue
        excerpt = replace(excerpt, retained=before.retained, verified=before.verified)
        same = (before.codes, before.section, before.indicators, before.flagged) == (
            excerpt.codes,
            excerpt.section,
            excerpt.indicators,
            excerpt.flagged,
        )
        if same:
            change.unchanged += 1
        else:
            change.changed.append(excerpt.id)
        kept.append(excerpt)
    new_ids = {e.id for e in new.excerpts}
    change.removed = [i for i in previous if i not in new_ids]
    return replace(new, excerpts=tuple(kept), path=path), change


def write_all(files: Mapping[Path, str]) -> list[Path]:
    """Write every file, or none: all go to temporary files first, then are renamed.

    Files whose content is already identical are left alone; returns those written.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            if path.is_file() and path.read_text(encoding="utf-8") == text:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(tmp, 0o644)
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)
    return [path for _, path in staged]


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
    counts: dict[str, int] = {}
    for _, excerpt in published_excerpts(load_interviews(pole_folder, sections)):
        counts[excerpt.section] = counts.get(excerpt.section, 0) + 1
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


def indicator_evidence(interviews: Iterable[InterviewExcerpts]) -> dict[str, list[ExcerptEvidence]]:
    """Indicator or objective id → the published excerpts coded with it (pure).

    Consumed by the référentiel evidence display: « documenté par l'équipe de recherche ».
    """
    evidence: dict[str, list[ExcerptEvidence]] = {}
    for interview, excerpt in published_excerpts(interviews):
        for indicator in excerpt.indicators:
            evidence.setdefault(indicator, []).append(
                ExcerptEvidence(
                    indicator,
                    excerpt.id,
                    excerpt.section,
                    interview.role,
                    interview.date,
                    excerpt.text,
                )
            )
    return evidence
