"""Pole records: ``data/poles/<slug>/pole.yaml`` plus one Markdown narrative per grid section."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import (
    DataFileError,
    MissingPoleFileError,
    PtceError,
    UnknownPoleError,
)
from ..core.fr import of_name
from ..core.layout import POLE_FILE, waves_dir
from ..core.paths import ProjectPaths, check_slug, is_safe_slug
from ..core.yamlio import LoadedYaml, MarkdownDoc, load_markdown, load_yaml
from .accounts import Accounts, accounts_fields, load_accounts
from .answer_store import Wave, load_waves
from .excerpts import (
    InterviewExcerpts,
    load_interviews,
    published_excerpts,
    question_counts,
    section_counts,
)
from .grid import Grid, load_grid
from .narrative import CITATION_RE
from .pseudonymise import PrivateTable, load_private_table
from .referentiel import Referentiel, load_all_referentiels, version_or_default
from .schema import PRIVATE_KEYS

_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.DOTALL)
# Evidence coding against the référentiel: « {réf. a1, b2} » ends a paragraph (see evidence.py).
EVIDENCE_MARKER_RE = re.compile(r"[ \t]*\{\s*r[ée]f\.?\s*([^{}]*)\}", re.IGNORECASE)


def strip_comments(text: str) -> str:
    """Remove HTML comments (guiding questions, private notes): they are never published."""
    return _COMMENT.sub("", text) if "<!--" in text else text


def blank_comments(text: str) -> str:
    """HTML comments replaced by as many line breaks: line numbers of the rest are kept."""
    return _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def strip_evidence_markers(text: str) -> str:
    """The text as readers see it: evidence markers « {réf. …} » removed."""
    return EVIDENCE_MARKER_RE.sub("", text) if "{" in text else text  # the regex is slow


@dataclass(frozen=True)
class Narrative:
    """The researcher's text for one grid section."""

    section: str
    path: Path
    doc: MarkdownDoc

    @property
    def text(self) -> str:
        """Public text: comments and evidence markers removed, surrounding blank lines trimmed."""
        return strip_evidence_markers(strip_comments(self.doc.body)).strip()

    @property
    def is_empty(self) -> bool:
        return not self.text

    @property
    def questions(self) -> tuple[str, ...]:
        value = self.doc.meta.get("questions") or []
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    @property
    def cited_sources(self) -> tuple[str, ...]:
        return tuple(m.group(1) for m in CITATION_RE.finditer(self.text))


@dataclass(frozen=True)
class Document:
    """One entry of a bibliography."""

    id: str
    title: str
    author: str = ""
    year: int | None = None
    publisher: str = ""
    file: str = ""
    url: str = ""
    short_title: str = ""
    accessed: str = ""  # consultation date of a web page (ISO), « consulte » in the file

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Document:
        return cls(
            id=str(raw.get("id", "")),
            title=str(raw.get("titre", "")),
            author=str(raw.get("auteur") or ""),
            year=raw.get("annee") if isinstance(raw.get("annee"), int) else None,
            publisher=str(raw.get("editeur") or ""),
            file=str(raw.get("fichier") or ""),
            url=str(raw.get("url") or ""),
            short_title=str(raw.get("titre_court") or ""),
            accessed=str(raw.get("consulte") or ""),
        )

    @property
    def short(self) -> str:
        """Author-date form as the CSL style prints it: « Le Labo de l'ESS et al., 2013 »,
        « Podlewski, 2014 » for an author written « Podlewski, Thomas-André »."""
        who = self.author or self.short_title or self.title
        if self.author.count(",") == 1 and "(" not in self.author:
            who = self.author.split(",")[0].strip()
        return f"{who}, {self.year}" if self.year else who

    @property
    def full(self) -> str:
        """The whole reference; the working file a source was read from is never shown."""
        parts = [p for p in (self.author, f"« {self.title} »", self.publisher) if p]
        if self.year:
            parts.append(str(self.year))
        return ", ".join(parts) + "."


@dataclass(frozen=True)
class ReadFailure:
    """A file of the pole folder that could not be read: kept with the pole (and its cache),
    reported by ``validate``, raised again by whatever needs the file (:meth:`error`)."""

    path: Path
    line: int | None
    detail: str

    @classmethod
    def of(cls, exc: DataFileError) -> ReadFailure:
        return cls(exc.path, exc.line, exc.detail)

    def error(self) -> DataFileError:
        return DataFileError(self.path, self.detail, self.line)


class PrivateOnDemand:
    """The pole's private table (``data/prive/<slug>/personnes.yaml``), read the first time
    something asks for it and kept for the life of the process; never pickled, so the cache
    of checked poles holds no name (a pole read back from it reads the table again)."""

    __slots__ = ("_error", "_table", "data_dir", "slug")

    def __init__(self, data_dir: Path, slug: str) -> None:
        self.data_dir = data_dir
        self.slug = slug
        self._table: PrivateTable | None = None
        self._error: PtceError | None = None

    def get(self) -> PrivateTable:
        if self._error is not None:
            raise self._error
        if self._table is None:
            try:
                self._table = load_private_table(self.data_dir, self.slug)
            except PtceError as exc:
                self._error = exc
                raise
        return self._table

    def __reduce__(self) -> tuple[type[PrivateOnDemand], tuple[Path, str]]:
        return (PrivateOnDemand, (self.data_dir, self.slug))


@dataclass(frozen=True)
class Pole:
    """A pole as read once from its folder: the record's facts (``facts`` keeps the YAML as
    typed), its narratives, its stored interviews, accounts and answer waves, and on demand
    its private table. Everything downstream takes them from here, never from the folder."""

    slug: str
    folder: Path
    facts: Mapping[str, Any]
    source: LoadedYaml
    narratives: Mapping[str, Narrative] = field(default_factory=dict)
    extra_files: tuple[Path, ...] = ()
    paths: ProjectPaths | None = None
    voices: Mapping[str, int] = field(default_factory=dict)  # section → retained excerpts
    # guiding question → published excerpts coded with it (coverage.answers)
    coded_questions: Mapping[str, int] = field(default_factory=dict)
    # record fields (« ressources », « emploi ») the pole's accounts document (coverage.answers)
    account_fields: frozenset[str] = frozenset()
    # (interview, excerpt) retained and publishable, the private names kept out
    published_excerpts: tuple[Any, ...] = ()
    interviews: tuple[InterviewExcerpts, ...] = ()  # entretiens/*.yaml, each parsed once
    accounts: Accounts | None = None  # comptes.yaml; None when absent or unreadable
    accounts_failure: ReadFailure | None = None
    waves: tuple[Wave, ...] = ()  # referentiel/*.yaml, oldest first; () when one is unreadable
    waves_failure: ReadFailure | None = None
    private: PrivateOnDemand | None = field(default=None, repr=False, compare=False)

    def require_accounts(self) -> Accounts | None:
        """The accounts (None when the pole has none); raise when they could not be read."""
        if self.accounts_failure is not None:
            raise self.accounts_failure.error()
        return self.accounts

    def require_waves(self) -> tuple[Wave, ...]:
        """Every answer wave; raise when one could not be read."""
        if self.waves_failure is not None:
            raise self.waves_failure.error()
        return self.waves

    def private_table(self) -> PrivateTable:
        """The private table, read once on demand (never published); raise
        :class:`FieldworkError` naming the file when it cannot be read."""
        if self.private is None:  # a pole built by hand (tests): where its folder says
            data = (self.paths or paths_of(self.folder)).data
            object.__setattr__(self, "private", PrivateOnDemand(data, self.slug))
        assert self.private is not None
        return self.private.get()

    def private_names(self) -> tuple[str, ...]:
        return self.private_table().names()

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.facts
        for part in dotted.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return default
        return default if node is None else node

    @property
    def path(self) -> Path:
        return self.source.path

    def line_of(self, dotted: str) -> int | None:
        return self.source.line_of(dotted)

    @property
    def name(self) -> str:
        name = str(self.get("identite.nom", self.slug))
        if self.fictional and "fictif" not in name.lower():  # labelled wherever it is named
            return f"{name} (pôle fictif)"
        return name

    @property
    def fictional(self) -> bool:
        """A pole invented for the demonstration (``fictif: true``): shown, labelled as such,
        never counted among the real PTCE (transversal analysis, cohort)."""
        return self.get("fictif") is True

    @property
    def article(self) -> str | None:
        """The article the name takes (« le », « la », « les », « l' »), when the record gives it."""
        value = self.get("identite.article")
        return str(value) if value else None

    @property
    def of_name(self) -> str:
        """« du Périscope », « des Écosolies », « d'Alpen »: the name after « de »."""
        return of_name(self.name, self.article)

    @property
    def referentiel_version(self) -> str | None:
        """The version the record names (``referentiel.version``), None when it names none."""
        version = self.get("referentiel.version")
        return str(version) if version is not None else None

    @property
    def referentiel_version_or_default(self) -> str:
        """The version the pole is read against: the one its record names, else the default."""
        return version_or_default(self.referentiel_version)

    @property
    def scores(self) -> dict[str, float]:
        raw = self.get("referentiel.scores", {})
        if not isinstance(raw, Mapping):
            return {}
        return {
            str(k): v
            for k, v in raw.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }

    def list_of(self, key: str) -> list[Mapping[str, Any]]:
        value = self.get(key, [])
        return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []

    def public_facts(self) -> dict[str, Any]:
        """The facts without any field marked private in the schema."""
        return {k: v for k, v in self.facts.items() if k not in PRIVATE_KEYS}

    @property
    def local_bibliography(self) -> list[Document]:
        return [Document.from_raw(d) for d in self.list_of("bibliographie")]

    def input_files(self) -> list[Path]:
        """Every file of the pole folder, sorted (what the cache key covers); a link leading
        outside the project is never read."""
        paths = self.paths or paths_of(self.folder)
        return sorted(
            p
            for p in self.folder.rglob("*")
            if p.is_file() and not p.name.startswith(".") and paths.contains(p)
        )


@dataclass(frozen=True)
class Corpus:
    """All that monographs are computed from."""

    paths: ProjectPaths
    grid: Grid
    referentiels: Mapping[str, Referentiel]
    bibliography: Mapping[str, Document]
    poles: tuple[Pole, ...]

    def pole(self, slug: str) -> Pole:
        for pole in self.poles:
            if pole.slug == slug:
                return pole
        raise UnknownPoleError(slug, self.paths.poles)

    def document(self, source_id: str, pole: Pole | None = None) -> Document | None:
        if pole is not None:
            for doc in pole.local_bibliography:
                if doc.id == source_id:
                    return doc
        return self.bibliography.get(source_id)


def parse_pole_facts(loaded: LoadedYaml) -> Mapping[str, Any]:
    if loaded.data is None:
        return {}
    if not isinstance(loaded.data, dict):
        raise DataFileError(
            loaded.path, "la fiche doit être un dictionnaire de champs (clé: valeur)", 1
        )
    return loaded.data


def paths_of(folder: Path) -> ProjectPaths:
    """The layout a pole folder ``<data>/poles/<slug>`` belongs to (its data folder's parent
    is taken as the project root)."""
    data = folder.parent.parent
    return ProjectPaths.at(data.absolute().parent, data=data)


def load_pole(folder: Path, grid: Grid, paths: ProjectPaths | None = None) -> Pole:
    """Load one pole folder; raise :class:`DataFileError` when a file cannot be parsed, or
    :class:`OutsideProjectError` for a folder or file that is a link leading outside the
    project (``paths``: the project, by default the one ``folder`` lies in)."""
    paths = paths or paths_of(folder)
    slug = folder.name
    paths.check_inside(folder)
    if not (folder / POLE_FILE).exists() and folder.is_dir():
        raise MissingPoleFileError(folder / POLE_FILE)
    loaded = load_yaml(paths.check_inside(folder / POLE_FILE))
    facts = parse_pole_facts(loaded)
    narratives: dict[str, Narrative] = {}
    known = {s.filename: s.id for s in grid.sections}
    extras = []
    for md in sorted(folder.glob("*.md")):
        if md.name in known:
            doc = load_markdown(paths.check_inside(md))
            narratives[known[md.name]] = Narrative(known[md.name], md, doc)
        else:
            extras.append(md)
    interviews = tuple(load_interviews(folder, grid.section_ids))  # unreadable: raises
    private = PrivateOnDemand(paths.data, slug)
    published = _publishable(interviews, private)
    accounts, accounts_failure = _accounts(folder)
    waves, waves_failure = _waves(folder)
    questions = [q.id for s in grid.sections for q in s.questions]
    return Pole(
        slug=slug, folder=folder, facts=facts, source=loaded, narratives=narratives,
        extra_files=tuple(extras), paths=paths, voices=section_counts(published),
        coded_questions=question_counts(published, questions),
        account_fields=accounts_fields(accounts) if accounts else frozenset(),
        published_excerpts=tuple(published), interviews=interviews, accounts=accounts,
        accounts_failure=accounts_failure, waves=waves, waves_failure=waves_failure,
        private=private,
    )  # fmt: skip


def _publishable(
    interviews: tuple[InterviewExcerpts, ...], private: PrivateOnDemand
) -> list[tuple[InterviewExcerpts, Any]]:
    """The retained excerpts that may be published, the private table's names kept out. An
    unusable private table (malformed YAML included) publishes nothing and never makes the pole
    unreadable: ``validate`` reports it with its line and ``build`` withdraws the pole's
    outputs, whether the pole was read again or taken from the cache of checked poles."""
    if not interviews:
        return []
    try:
        names = private.get().names()
    except DataFileError:  # FieldworkError, or YAML that cannot be parsed
        return []
    return published_excerpts(interviews, private_names=names)


def _accounts(folder: Path) -> tuple[Accounts | None, ReadFailure | None]:
    try:
        return load_accounts(folder), None
    except DataFileError as exc:  # reported by validate; documents nothing meanwhile
        return None, ReadFailure.of(exc)


def _waves(folder: Path) -> tuple[tuple[Wave, ...], ReadFailure | None]:
    try:
        return tuple(load_waves(folder)), None
    except DataFileError as exc:  # reported by validate (participation.check)
        return (), ReadFailure.of(exc)
    except PtceError as exc:
        return (), ReadFailure(waves_dir(folder), None, str(exc))


def pole_folders(paths: ProjectPaths) -> list[Path]:
    if not paths.poles.is_dir():
        return []
    return sorted(p for p in paths.poles.iterdir() if p.is_dir() and not p.name.startswith("."))


def select_folders(paths: ProjectPaths, slugs: Iterable[str] | None) -> list[Path]:
    """Folders for ``slugs`` (all when None); unsafe or unknown slugs raise."""
    if not slugs:
        return pole_folders(paths)
    folders = []
    for slug in slugs:
        check_slug(slug)
        folder = paths.pole_dir(slug)
        if not folder.is_dir():  # a folder without pole.yaml is reported by the loader
            raise UnknownPoleError(slug, paths.poles)
        folders.append(folder)
    return folders


def load_bibliography(paths: ProjectPaths) -> dict[str, Document]:
    path = paths.bibliography_file
    if not path.exists():
        return {}
    data = load_yaml(paths.check_inside(path)).data or {}
    docs = data.get("documents", []) if isinstance(data, dict) else []
    if not isinstance(docs, list):
        raise DataFileError(path, "documents : une liste est attendue")
    return {d.id: d for d in (Document.from_raw(raw) for raw in docs if isinstance(raw, dict))}


def load_corpus(paths: ProjectPaths, slugs: Iterable[str] | None = None) -> Corpus:
    """Load grid, référentiels, bibliography and poles. Raises on the first unreadable file:
    run :func:`ptce_mono.checks.validate.validate_corpus` first for a full report."""
    grid = load_grid(paths.grid_file)
    poles = []
    for folder in select_folders(paths, slugs):
        if not is_safe_slug(folder.name):
            check_slug(folder.name)
        poles.append(load_pole(folder, grid, paths))
    return Corpus(
        paths=paths,
        grid=grid,
        referentiels=load_all_referentiels(paths.referentiels),
        bibliography=load_bibliography(paths),
        poles=tuple(poles),
    )
