"""What the site shows, computed from the corpus: pure functions, no HTML, no private field."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..analysis.coverage import (
    Coverage,
    StatusCounts,
    count_statuses,
    describe_counts,
    pole_coverage,
)
from ..analysis.quoted import members_value, start_value
from ..corpus.geo import Departement
from ..corpus.grid import Grid
from ..corpus.records import Corpus, Document, Pole
from ..corpus.schema import (
    FAMILLES_ACTIVITE,
    FAMILLES_STRUCTURE,
    LECTURES,
    ORIGINES,
    STATUTS_JURIDIQUES,
    TYPES_TERRITOIRE,
    label,
)


def sort_key(text: str) -> str:
    """Alphabetical order that ignores accents and case (« Écoles » next to « Ecoles »)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def safe_url(value: Any) -> str | None:
    """An http(s) address to link to, or None (``javascript:`` and the like are never links)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "<>\"' "):
        return text
    return None


def _label(vocabulary: dict[str, str], value: Any) -> str:
    """The reader's label of a vocabulary value, '' when absent (never « — » nor the key)."""
    return label(vocabulary, str(value)) if value else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class StructureRow:
    name: str
    statut: str
    famille: str
    iae: bool | None


@dataclass(frozen=True)
class SectionRow:
    number: int
    title: str
    status: str  # Coverage value: documentée / partielle / à documenter
    css: str


@dataclass(frozen=True)
class PoleCard:
    """The public identity card of a pole (never any private field)."""

    slug: str
    name: str
    other_names: tuple[str, ...]
    commune: str
    code_postal: str
    departement: str
    departement_name: str
    region: str
    site_web: str | None
    site_web_text: str
    debut: str
    formalisation: str
    structure_porteuse: str
    forme_juridique: str
    famille: str
    famille_label: str
    territoires: tuple[tuple[str, str], ...]
    origine_label: str
    temoin: bool
    laureat: tuple[int, ...]
    structures: tuple[StructureRow, ...]
    sections: tuple[SectionRow, ...]
    coverage: StatusCounts  # sections per status, from coverage.section_coverage

    @property
    def coverage_text(self) -> str:
        """« Sections : 2 documentées, 3 partielles et 2 à documenter, sur 7 sections »."""
        return describe_counts(self.coverage)

    has_html: bool
    has_pdf: bool
    members: str = ""  # an approximate member count read in a source (quoted.members_value)
    relecture: str = ""  # « Relue par le pôle le … (…) », or "" (review.state.review_line)
    relecture_etat: str = "non-relue"  # filter value: relue, en-cours, non-relue
    fictional: bool = False  # a demonstration pole: shown, labelled, never counted
    genre: str = "Dossier documentaire"  # genre.Genre label of the pole's document
    readings: tuple[tuple[str, str], ...] = ()  # (dotted field, « lecture du projet : … »)

    def reading(self, dotted: str) -> str:
        """The reading marker of a field's value (« lecture du projet : inférence »), or ''."""
        return dict(self.readings).get(dotted, "")

    @property
    def facts(self) -> list[tuple[str, str, str]]:
        """(label, value, reading marker) of every documented fact of the identity card: an
        absent value is left out, never shown as « — »."""
        dep = (f"{self.departement_name} ({self.departement})" if self.departement_name
               else self.departement)  # fmt: skip
        commune = (
            f"{self.commune} ({self.code_postal})"
            if self.commune and self.code_postal
            else self.commune
        )
        rows = [
            ("Commune", commune, "identite.commune"),
            ("Département", dep, "identite.departement"),
            ("Région", self.region, "identite.region"),
            ("Début de la coopération", self.debut, "identite.annee_debut_cooperation"),
            ("Formalisation", self.formalisation, "identite.annee_formalisation"),
            ("Structure porteuse", self.structure_porteuse, "identite.structure_porteuse"),
            ("Forme juridique", self.forme_juridique, "identite.forme_juridique"),
            ("Famille d’activité", self.famille_label, "classification.famille_activite"),
            ("Type de territoire", ", ".join(lab for _, lab in self.territoires),
             "classification.type_territoire"),
            ("Origine", self.origine_label, "classification.origine"),
            ("Pôle témoin 2012", "oui" if self.temoin else "", "statut.pole_temoin_2012"),
            ("Lauréat d’un appel à projets", ", ".join(str(y) for y in self.laureat),
             "statut.laureat_aap"),
        ]  # fmt: skip
        return [(label, value, self.reading(dotted)) for label, value, dotted in rows if value]

    @property
    def territoire_values(self) -> str:
        return " ".join(v for v, _ in self.territoires)

    @property
    def territoire_labels(self) -> str:
        return ", ".join(lab for _, lab in self.territoires)

    @property
    def lieu(self) -> str:
        dep = f"{self.departement_name} ({self.departement})" if self.departement_name else ""
        return ", ".join(p for p in (self.commune, dep) if p)

    @property
    def statut_labels(self) -> list[str]:
        out = ["Pôle témoin 2012"] if self.temoin else []
        if self.laureat:
            out.append("Lauréat AAP " + ", ".join(str(y) for y in self.laureat))
        return out


COVERAGE_CSS = {
    Coverage.DOCUMENTED: "documentee",
    Coverage.PARTIAL: "partielle",
    Coverage.MISSING: "manquante",
}


def _years(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(sorted(v for v in value if isinstance(v, int) and not isinstance(v, bool)))


def card_readings(pole: Pole) -> tuple[tuple[str, str], ...]:
    """Dotted field → « lecture du projet : … » for every value marked as the project's reading."""
    citations = pole.get("citations", {})
    if not isinstance(citations, Mapping):
        return ()
    return tuple(
        (str(key), f"lecture du projet : {LECTURES[cite['lecture']]}")
        for key, cite in citations.items()
        if isinstance(cite, Mapping) and cite.get("lecture") in LECTURES
    )


def make_card(
    pole: Pole,
    grid: Grid,
    departements: Mapping[str, Departement],
    has_html: bool,
    has_pdf: bool,
    review: Any = None,
    genre: str = "Dossier documentaire",
) -> PoleCard:
    """The card of ``pole``; ``review`` is its :class:`~ptce_mono.analysis.review_state.ReviewSummary`
    (None when nothing came back from the pole)."""
    dep_code = _text(pole.get("identite.departement"))
    dep = departements.get(dep_code)
    region = _text(pole.get("identite.region")) or (dep.region if dep else "")
    famille = _text(pole.get("classification.famille_activite"))
    types = pole.get("classification.type_territoire", [])
    types = [str(t) for t in types] if isinstance(types, list) else []
    other = pole.get("identite.autres_noms", [])
    structures = tuple(
        StructureRow(
            name=_text(s.get("nom")),
            statut=_label(STATUTS_JURIDIQUES, s.get("statut_juridique")),
            famille=_label(FAMILLES_STRUCTURE, s.get("famille")),
            iae=s.get("iae") if isinstance(s.get("iae"), bool) else None,
        )
        for s in pole.list_of("structures")
    )
    coverage = pole_coverage(pole, grid)
    site_web = _text(pole.get("identite.site_web"))
    return PoleCard(
        slug=pole.slug,
        name=pole.name,
        other_names=tuple(str(n) for n in other) if isinstance(other, list) else (),
        commune=_text(pole.get("identite.commune")),
        code_postal=_text(pole.get("identite.code_postal")),
        departement=dep_code,
        departement_name=dep.name if dep else "",
        region=region,
        site_web=safe_url(site_web),
        site_web_text=site_web,
        debut=_text(start_value(pole)),
        formalisation=_text(pole.get("identite.annee_formalisation")),
        structure_porteuse=_text(pole.get("identite.structure_porteuse")),
        forme_juridique=_text(pole.get("identite.forme_juridique")),
        famille=famille,
        famille_label=_label(FAMILLES_ACTIVITE, famille or None),
        territoires=tuple((t, label(TYPES_TERRITOIRE, t)) for t in types),
        origine_label=_label(ORIGINES, pole.get("classification.origine")),
        temoin=pole.get("statut.pole_temoin_2012") is True,
        laureat=_years(pole.get("statut.laureat_aap")),
        structures=structures,
        members=_members(pole),
        sections=tuple(
            SectionRow(c.section.number, c.section.title, c.status.value, COVERAGE_CSS[c.status])
            for c in coverage
        ),
        coverage=count_statuses(coverage),
        has_html=has_html,
        has_pdf=has_pdf,
        **review_fields(review),
        fictional=pole.fictional,
        genre=genre,
        readings=card_readings(pole),
    )


REVIEW_FILTER = (("relue", "Relue par le pôle"), ("en-cours", "Relecture en cours"),
                 ("non-relue", "Pas encore relue"))  # fmt: skip


def review_fields(review: Any) -> dict[str, str]:
    """The card's review label and filter value from a ReviewSummary (or None)."""
    if review is None:
        return {}
    from ..analysis.review_state import review_line

    state = "relue" if review.is_closed else "en-cours"
    return {"relecture": review_line(review), "relecture_etat": state}


@dataclass(frozen=True)
class FilterOption:
    value: str
    label: str


def real_cards(cards: Iterable[PoleCard]) -> list[PoleCard]:
    """The cards of real poles: what the site counts and maps (never a fictional pole)."""
    return [c for c in cards if not c.fictional]


def filter_options(cards: Iterable[PoleCard]) -> dict[str, list[FilterOption]]:
    """Choices of the list filters: only values some pole has, in reading order."""
    cards = list(cards)
    regions = sorted({c.region for c in cards if c.region}, key=sort_key)
    familles = {c.famille: c.famille_label for c in cards if c.famille}
    territoires = {v: lab for c in cards for v, lab in c.territoires}
    return {
        "region": [FilterOption(r, r) for r in regions],
        "famille": [FilterOption(v, lab) for v, lab in sorted(familles.items(),
                                                               key=lambda i: sort_key(i[1]))],
        "territoire": [FilterOption(v, lab) for v, lab in sorted(territoires.items(),
                                                                  key=lambda i: sort_key(i[1]))],
        "relecture": [FilterOption(v, lab) for v, lab in REVIEW_FILTER],
        "genre": [FilterOption(g, g) for g in sorted({c.genre for c in cards}, key=sort_key)],
    }  # fmt: skip


# --- sources -------------------------------------------------------------------------------


def _walk_sources(node: Any, found: set[str]) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "source" and isinstance(value, str) and value:
                found.add(value)
            else:
                _walk_sources(value, found)
    elif isinstance(node, list):
        for item in node:
            _walk_sources(item, found)


def cited_sources(pole: Pole) -> set[str]:
    """Ids of the documents a pole cites: in its public facts and its narratives."""
    found: set[str] = set()
    _walk_sources({k: v for k, v in pole.public_facts().items() if k != "bibliographie"}, found)
    for narrative in pole.narratives.values():
        found.update(narrative.cited_sources)
    return found


@dataclass(frozen=True)
class SourceEntry:
    id: str
    document: Document | None
    owner: str | None  # slug of the pole whose own bibliography holds it (None: common)
    citing: tuple[tuple[str, str], ...]  # (slug, name) of the poles that cite it
    method: tuple[str, ...] = ()  # method documents citing it (grid, référentiels)

    @property
    def link(self) -> str | None:
        return safe_url(self.document.url) if self.document else None


def method_citations(corpus: Corpus) -> dict[str, list[str]]:
    """Source id -> the method documents (grid, référentiels) that cite it."""
    found: dict[str, list[str]] = {}
    cited = [(corpus.grid.source, "la grille d'analyse")]
    cited += [(r.source, f"le référentiel {v}") for v, r in sorted(corpus.referentiels.items())]
    for source, what in cited:
        source_id = str(source.get("source") or "")
        if source_id and what not in found.setdefault(source_id, []):
            found[source_id].append(what)
    return found


def source_entries(corpus: Corpus) -> list[SourceEntry]:
    """Every document of the common and per-pole bibliographies, and every id cited."""
    method = method_citations(corpus)
    citing: dict[str, list[Pole]] = {}
    for pole in corpus.poles:
        for source_id in cited_sources(pole):
            citing.setdefault(source_id, []).append(pole)
    entries: dict[tuple[str, str | None], SourceEntry] = {}

    def who(source_id: str, only: Pole | None = None) -> tuple[tuple[str, str], ...]:
        poles = [p for p in citing.get(source_id, []) if only is None or p is only]
        return tuple((p.slug, p.name) for p in sorted(poles, key=lambda p: sort_key(p.name)))

    local_ids: set[str] = set()
    for pole in corpus.poles:
        for doc in pole.local_bibliography:
            local_ids.add(doc.id)
            entries[(doc.id, pole.slug)] = SourceEntry(doc.id, doc, pole.slug, who(doc.id, pole))
    for doc in corpus.bibliography.values():
        users = tuple(
            (p.slug, p.name)
            for p in sorted(citing.get(doc.id, []), key=lambda p: sort_key(p.name))
            if not any(d.id == doc.id for d in p.local_bibliography)
        )
        entries[(doc.id, None)] = SourceEntry(
            doc.id, doc, None, users, tuple(method.get(doc.id, ()))
        )
    for source_id in [*citing, *method]:
        known = source_id in corpus.bibliography or source_id in local_ids
        if not known:
            entries[(source_id, None)] = SourceEntry(
                source_id, None, None, who(source_id), tuple(method.get(source_id, ()))
            )
    return sorted(entries.values(), key=lambda e: (e.owner is not None, sort_key(e.id)))


def _members(pole: Pole) -> str:
    """The approximate member count read in a source, when the record holds one."""
    from ..analysis.quoted import approximations

    value = members_value(pole)
    return str(value) if "structures" in approximations(pole) else ""
