"""The static report site: ``site/`` from the corpus, the rendered monographs and the data.

One Jinja2 environment (autoescape, StrictUndefined) over ``templates/site/``; every file is
written through :class:`~ptce_mono.site.write.SiteWriter` (``safe_child``, atomic, unchanged
bytes are not rewritten). Whatever has not been produced yet is shown as such, never a crash.
No private field (contacts, entretiens, notes) nor HTML comment of a narrative is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..analysis.coverage import StatusCounts
from ..core.errors import SiteTemplatesMissingError
from ..core.paths import ProjectPaths, check_slug
from ..pipeline.plan import TRANSVERSAL
from .write import SiteWriter

SITE_TITLE = "Monographies des PTCE"

GUIDE = Path("docs") / "guide.md"
STATIC = "static"
MANAGED_FOLDERS = ("poles", "pdf", "donnees", STATIC)
NAV = (
    ("accueil", "index.html", "Accueil"),
    ("poles", "poles/index.html", "Pôles"),
    ("analyse", "analyse-transversale.html", "Analyse transversale"),
    ("recensement", "recensement.html", "Recensement 2011"),
    ("methodologie", "methodologie.html", "Méthode"),
    ("donnees", "donnees/index.html", "Données"),
    ("sources", "sources.html", "Sources"),
    ("recherche", "recherche.html", "Recherche"),
)
# In-text citations of the site's own pages, formatted by citeproc (see site.references).
CITATIONS = {
    "plan-action": "[@labo-ess-2013, axe 2, action 2.1]",
    "typologie": "@podlewski-2014",
    "recensement": "[@labo-ess-2013, annexe 2 et § 2.2]",
}
GEO_CREDIT = "IGN — Admin Express COG 2018, via france-geojson (G. David), Licence Ouverte"


@dataclass
class SiteReport:
    """What a run did: files written (changed) and left unchanged, index rebuilt or not."""

    root: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: int = 0
    indexed: bool = False
    missing: list[str] = field(default_factory=list)  # monographs not produced yet (slugs)

    @property
    def pages_written(self) -> int:
        return sum(1 for p in self.written if p.endswith(".html"))

    @property
    def pages_unchanged(self) -> int:
        return sum(1 for p in self.unchanged if p.endswith(".html"))

    def summary(self) -> str:
        from ..core.fr import plural

        text = (
            f"{plural(self.pages_written, 'page écrite', 'pages écrites')}, "
            f"{plural(self.pages_unchanged, 'page inchangée', 'pages inchangées')}"
        )
        if self.missing:
            pending = plural(
                len(self.missing),
                "monographie non encore produite",
                "monographies non encore produites",
            )
            text += f", {pending}"
        return text


@cache
def make_environment(folder: Path) -> Any:
    """The site's Jinja2 environment, built once per templates folder (the project's one
    factory, :func:`ptce_mono.render.templating.french_environment`)."""
    from ..render.templating import french_environment

    env = french_environment(folder, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)  # fmt: skip
    env.globals.update(site_title=SITE_TITLE, nav=NAV, geo_credit=GEO_CREDIT)
    return env


class SiteBuilder:
    """Renders each page of the site into ``paths.site``."""

    def __init__(self, paths: ProjectPaths) -> None:
        from ..checks.validate import corpus_from_report, validate_corpus

        self.paths = paths
        self.documents = paths.site_documents_cache  # see embed.load_document
        self.folder = paths.templates / "site"
        if not self.folder.is_dir():
            raise SiteTemplatesMissingError(self.folder)
        self.env = make_environment(self.folder.resolve())
        # every readable record; one that cannot be read or leaves the project is never published
        self.corpus = corpus_from_report(paths, validate_corpus(paths), readable=True)
        self.writer = SiteWriter(paths.site)
        self.cards = self._cards()
        self._references: Any = None

    @property
    def references(self) -> Any:
        """The bibliography and the citations of the site, formatted once by citeproc."""
        if self._references is None:
            from ..corpus.bibliography import corpus_bibliography
            from .references import format_references

            bib = corpus_bibliography(self.corpus)
            self._references = format_references(bib, self.paths.templates, CITATIONS)
        return self._references

    # --- helpers --------------------------------------------------------------------------

    def _cards(self) -> list[Any]:
        from ..analysis.corpus_facts import document_basis, reviewed_on
        from ..analysis.genre import pole_genre
        from ..corpus.geo import load_departements
        from .model import make_card, sort_key

        departements = load_departements(self.paths.geo)
        cards = []
        for pole in self.corpus.poles:
            slug = check_slug(pole.slug)
            cards.append(
                make_card(
                    pole,
                    self.corpus.grid,
                    departements,
                    has_html=self.paths.monograph(slug, ".html").is_file(),
                    has_pdf=self.paths.monograph(slug, ".pdf").is_file(),
                    review=pole_review(pole.folder),
                    genre=pole_genre(document_basis(pole, self.corpus), reviewed_on(pole)).label,
                )
            )
        return sorted(cards, key=lambda c: sort_key(c.name))

    def page(self, relative: str, template: str, current: str, **context: Any) -> None:
        depth = relative.count("/")
        html = self.env.get_template(template).render(
            root="../" * depth, current=current, **context
        )
        self.writer.write_text(relative, html)

    # --- pages ----------------------------------------------------------------------------

    def static_files(self) -> None:
        base = self.folder / STATIC
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            self.writer.copy_file(path, f"{STATIC}/{path.relative_to(base).as_posix()}")

    def home(self) -> None:
        from ..corpus.geo import load_departements
        from .map import MapMarker, render_map

        departements = load_departements(self.paths.geo)
        from .model import real_cards

        real = real_cards(self.cards)  # a fictional demonstration pole is never counted
        markers = [MapMarker(c.slug, c.name, c.departement, f"poles/{c.slug}.html")
                   for c in real]  # fmt: skip
        centroids = {code: (d.lon, d.lat) for code, d in departements.items()}
        svg, off_map = render_map(self.paths.geo, markers, centroids)
        sections = StatusCounts()
        for card in real:
            sections = sections + card.coverage
        counts = {
            "poles": len(real),
            "regions": len({c.region for c in real if c.region}),
            "monographies": sum(1 for c in real if c.has_html),
            "sections": sections.documented,
            "sections_partial": sections.partial,
            "sections_total": sections.total,
        }
        self.page("index.html", "index.html", "accueil", counts=counts, carte=svg,
                  hors_carte=off_map, cards=self.cards, references=self.references)  # fmt: skip

    def pole_list(self) -> None:
        from .model import filter_options

        self.page("poles/index.html", "poles.html", "poles", cards=self.cards,
                  options=filter_options(self.cards))  # fmt: skip

    def pole_pages(self) -> list[str]:
        from ..pipeline.withdraw import publishable
        from .embed import load_document

        missing = []
        for card in self.cards:
            allowed = publishable(self.paths, card.slug)  # never republish a protected name
            document = (
                load_document(self.paths.monograph(card.slug, ".html"), self.documents)
                if allowed
                else None
            )
            if document is None:
                missing.append(card.slug)
            pdf = None
            if card.has_pdf and allowed:
                pdf = f"pdf/{card.slug}.pdf"
                self.writer.copy_file(self.paths.monograph(card.slug, ".pdf"), pdf)
            self._citation_files(card.slug, "poles/")
            self.page(f"poles/{card.slug}.html", "pole.html", "poles", card=card,
                      document=document, pdf=pdf)  # fmt: skip
        return missing

    def _citation_files(self, stem: str, folder: str) -> None:
        """The document's BibTeX, RIS and CSL-JSON files, next to its page (its « Pour citer »
        links to them by their bare name)."""
        from ..documents.citation import CITATION_SUFFIXES

        for suffix in CITATION_SUFFIXES:
            source = self.paths.output(stem, suffix)
            if source.is_file():
                self.writer.copy_file(source, f"{folder}{stem}.{suffix}")

    def transversal(self) -> None:
        from ..pipeline.withdraw import publishable
        from .embed import load_document

        html = self.paths.output(TRANSVERSAL, "html")
        source_pdf = self.paths.output(TRANSVERSAL, "pdf")
        pdf = None
        if not publishable(self.paths, TRANSVERSAL, [c.slug for c in self.cards]):
            html = source_pdf = self.paths.monographs / ".retiree"  # never a file: not shown
        if source_pdf.is_file():
            pdf = f"pdf/{TRANSVERSAL}.pdf"
            self.writer.copy_file(source_pdf, pdf)
        self._citation_files(TRANSVERSAL, "")
        self.page(f"{TRANSVERSAL}.html", "analyse.html", "analyse",
                  document=load_document(html, self.documents), pdf=pdf,
                  n_poles=sum(not c.fictional for c in self.cards))  # fmt: skip

    def census(self) -> None:
        """The 2011 census: filterable table, map of candidates by région with the pôles
        témoins, and the § 2.2 counts side by side (a notice when data/recensement is absent)."""
        from ..core.errors import CensusError
        from ..corpus.census import has_census, load_census, national_count
        from ..corpus.geo import load_departements
        from .census import census_rows, comparison_rows, legend, region_classes, region_options
        from .map import MapMarker, render_map

        census = None
        if has_census(self.paths.data):
            try:
                census = load_census(self.paths.data, self.paths.geo)
            except CensusError:
                census = None
        if census is None:
            self.page("recensement.html", "recensement.html", "recensement", rows=[])
            return
        departements = load_departements(self.paths.geo)
        names = {c.slug: c.name for c in self.cards}
        rows = census_rows(census, names)
        classes = region_classes(census)
        fills = {code: classes.get(d.region, "") for code, d in departements.items()}
        temoins = [c for c in self.cards if c.temoin]
        markers = [MapMarker(c.slug, c.name, c.departement, f"poles/{c.slug}.html")
                   for c in temoins]  # fmt: skip
        centroids = {code: (d.lon, d.lat) for code, d in departements.items()}
        svg, _ = render_map(self.paths.geo, markers, centroids, fills=fills,
                            title="Initiatives candidates en 2011 par région, et pôles témoins de 2012")  # fmt: skip
        self.page("recensement.html", "recensement.html", "recensement", rows=rows,
                  options=region_options(rows),
                  comparaison=comparison_rows(census, _temoins_by_region(temoins, departements)),
                  legende=legend(), carte=svg, national=national_count(census),
                  temoins=sum(1 for c in temoins if c.departement in centroids),
                  temoins_total=len(temoins), references=self.references)  # fmt: skip

    def methodology(self) -> None:
        """« Méthode », for readers: how the corpus is made, the evidence rule, the genres of
        the documents and their limits, then the grid and the référentiels. The tool's guide
        (docs/guide.md) is for the researchers who use ptce-mono and is not published here."""
        from ..analysis.genre import GENRE_LEADS, Genre
        from ..corpus.schema import LECTURES

        def field_label(dotted: str) -> str:
            from ..corpus.schema import field_at

            node = field_at(dotted)
            return node.label if node is not None else dotted

        def source_label(key: str) -> str:
            doc = self.corpus.bibliography.get(key)
            return doc.short if doc is not None else "source non référencée"

        referentiels = [self.corpus.referentiels[v] for v in sorted(self.corpus.referentiels)]
        latest = referentiels[-1] if referentiels else None
        objectives = {o.id: o for o in latest.objectives} if latest else {}
        genres = [(g.label, GENRE_LEADS[g], sum(1 for c in self.cards if c.genre == g.label))
                  for g in Genre]  # fmt: skip
        self.page("methodologie.html", "methodologie.html", "methodologie",
                  grid=self.corpus.grid, referentiels=referentiels, latest=latest,
                  objectives=objectives, field_label=field_label, source_label=source_label,
                  genres=genres, lectures=list(LECTURES.values()), n_poles=len(self.cards),
                  n_documents=len(self.corpus.bibliography))  # fmt: skip

    def data(self) -> None:
        from .data import DATAPACKAGE, load_package

        package = load_package(self.paths.export)
        citation = package is not None and (self.paths.export / "CITATION.cff").is_file()
        if package is not None:
            for resource in package.resources:
                self._download(resource.file)
            if package.has_descriptor:
                self.writer.copy_file(self.paths.export / DATAPACKAGE, f"donnees/{DATAPACKAGE}")
            if citation:  # how to cite the data
                self.writer.copy_file(self.paths.export / "CITATION.cff", "donnees/CITATION.cff")
        self.page("donnees/index.html", "donnees.html", "donnees", package=package,
                  citation=citation)  # fmt: skip

    def _download(self, name: str) -> None:
        """A file of the data package offered for download; in a CSV, a text cell that a
        spreadsheet would run as a formula is neutralised (see dataset.FORMULA_NOTE)."""
        source = self.paths.export / name
        if not name.endswith(".csv"):
            self.writer.copy_file(source, f"donnees/{name}")
            return
        from ..core.limits import MAX_CSV_BYTES, read_bounded_text
        from ..documents.dataset import neutralise_formulas

        text = read_bounded_text(source, MAX_CSV_BYTES, "tableau CSV")
        self.writer.write_text(f"donnees/{name}", neutralise_formulas(text))

    def sources(self) -> None:
        from ..corpus.bibliography import corpus_bibliography
        from .model import source_entries

        bib = corpus_bibliography(self.corpus)
        entries = source_entries(self.corpus)
        formatted = {}
        for e in entries:
            key = bib.pole_keys(e.owner).get(e.id) if e.document else None
            if key is not None and self.references.entry(key) is not None:
                formatted[(e.id, e.owner)] = self.references.entry(key)
        names = {c.slug: c.name for c in self.cards}
        self.page("sources.html", "sources.html", "sources", entries=entries, names=names,
                  formatted=formatted)  # fmt: skip

    def search(self) -> None:
        self.page("recherche.html", "recherche.html", "recherche")


def build_site(paths: ProjectPaths, search: bool = True) -> SiteReport:
    """Write (or update) the whole site under ``paths.site``; return what changed.

    ``search=False`` skips the Pagefind index (for quick tests of the pages alone)."""
    from .search import BUNDLE, index_site, keep_index

    builder = SiteBuilder(paths)
    writer = builder.writer
    paths.site.mkdir(parents=True, exist_ok=True)
    builder.static_files()
    builder.home()
    builder.pole_list()
    missing = builder.pole_pages()
    builder.transversal()
    builder.census()
    builder.methodology()
    builder.data()
    builder.sources()
    builder.search()
    removed = writer.prune(MANAGED_FOLDERS)
    pages_changed = removed > 0 or any(p.endswith(".html") for p in writer.written)
    indexed = False
    if search:
        indexed = index_site(writer, force=pages_changed)
        if indexed:  # files of the previous index that the new one no longer has
            removed += writer.prune((BUNDLE,), top_suffixes=())
        else:
            keep_index(writer)
    return SiteReport(
        root=paths.site,
        written=list(writer.written),
        unchanged=list(writer.unchanged),
        removed=removed,
        indexed=indexed,
        missing=missing,
    )


def _temoins_by_region(cards: Any, departements: Any) -> dict[str, int]:
    """Pôles témoins per pre-2016 région, from their département (unlocated ones left out)."""
    counts: dict[str, int] = {}
    for card in cards:
        dep = departements.get(card.departement)
        if dep is not None:
            counts[dep.region_before_2016] = counts.get(dep.region_before_2016, 0) + 1
    return counts


def pole_review(folder: Path) -> Any:
    """The pole's review summary (None when nothing came back, or its rounds are unreadable:
    ``validate`` reports those)."""
    from ..analysis.review_state import review_summary
    from ..core.errors import DataFileError
    from ..corpus.review_store import load_rounds

    try:
        return review_summary(load_rounds(folder))
    except DataFileError:
        return None
