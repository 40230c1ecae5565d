"""Content of one monograph, section by section. The notebook template calls these functions.

Each ``show_*`` function displays outputs of the contract (ptce_mono.documents.display); the data work is
done by pure helpers in this module and in ``charts.monograph``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.cohort import compute_cohort, read_cohort
from ..analysis.corpus_facts import document_basis, reviewed_on
from ..analysis.coverage import (
    RULE,
    Coverage,
    answers,
    count_statuses,
    describe_counts,
    is_filled,
    pole_coverage,
    section_coverage,
)
from ..analysis.declared import objective_profile
from ..analysis.evidence import (
    INTERVIEW,
    NARRATIVE,
    Evidence,
    attributed_quotes,
    counts_by_objective,
    passage_key,
    pole_evidence,
    section_evidence,
)
from ..analysis.genre import DocumentBasis, Genre, corpus_lines, limits_paragraph, pole_genre
from ..analysis.quoted import members_value, start_value
from ..core.errors import UnknownSectionError
from ..core.fr import (
    UNDOCUMENTED,
    format_date,
    format_euros,
    format_number,
    format_percent,
    is_undocumented,
    plural,
    typography,
    undocumented,
)
from ..core.layout import pole_file
from ..core.paths import ProjectPaths
from ..corpus import schema
from ..corpus.answer_settings import load_settings
from ..corpus.bibliography import cite, cited_ids, csl_items, narrative_citations, pole_documents
from ..corpus.geo import territory_label
from ..corpus.grid import Grid, Section, load_grid
from ..corpus.identity import DEFAULT_IDENTITY, ProjectIdentity, load_identity
from ..corpus.records import CITATION_RE, Corpus, Pole, load_bibliography, load_pole, strip_comments
from ..corpus.referentiel import (
    DEFAULT_VERSION,
    Objective,
    Referentiel,
    load_all_referentiels,
    version_or_default,
)
from .citation import DocumentCitation, cite_block, colophon, to_mapping
from .display import (
    escape_markdown_html,
    show_bibliography,
    show_document,
    show_markdown,
    show_rows,
)
from .fieldwork_blocks import attribution_of


@dataclass(frozen=True)
class MonographContext:
    pole: Pole
    corpus: Corpus
    referentiel: Referentiel
    cohort: Mapping[str, Any]
    build_date: str
    evidence: tuple[Evidence, ...] = ()  # coded against the référentiel (evidence.pole_evidence)
    identity: ProjectIdentity = DEFAULT_IDENTITY  # data/projet.yaml
    # Closing date of the pole's review round (``ptce-mono relecture``); None: not reviewed.
    reviewed_on: dt.date | None = None
    today: dt.date = dt.date(1970, 1, 1)

    @property
    def grid(self) -> Grid:
        return self.corpus.grid

    @property
    def basis(self) -> DocumentBasis:
        """What this document rests on (documents, interviews, answers, accounts)."""
        return document_basis(self.pole, self.corpus, len(self.evidence))

    @property
    def genre(self) -> Genre:
        return pole_genre(self.basis, self.reviewed_on)


def load(
    data_dir: str | Path,
    slug: str,
    referentiel_version: str = DEFAULT_VERSION,
    cohort_file: str = "",
) -> MonographContext:
    """Load the pole and what it is compared with. ``cohort_file`` is written by the build."""
    paths = ProjectPaths.at(Path(data_dir).resolve().parent, data=data_dir)
    referentiel_version = version_or_default(referentiel_version)  # the template's default: ""
    grid = load_grid(paths.grid_file)
    if not slug:  # opened alone in JupyterLab: show the first pole
        slug = sorted(p.name for p in paths.poles.iterdir() if pole_file(p).is_file())[0]
    referentiels = load_all_referentiels(paths.referentiels)
    corpus: Corpus | None = None
    if not (cohort_file and Path(cohort_file).is_file()):
        from ..checks.validate import corpus_from_report, validate_corpus

        # the cohort of the readable poles: one unreadable record never stops this monograph
        corpus = corpus_from_report(paths, validate_corpus(paths), readable=True)
    # the pole is read once: taken from the validated corpus when there is one
    known = [p for p in corpus.poles if p.slug == slug] if corpus is not None else []
    pole = known[0] if known else load_pole(paths.pole_dir(slug), grid)
    version = pole.referentiel_version or referentiel_version
    ref = referentiels[version] if version in referentiels else referentiels[referentiel_version]
    if corpus is None:
        cohort = read_cohort(Path(cohort_file))
        corpus = Corpus(paths, grid, referentiels, load_bibliography(paths), (pole,))
    else:
        cohort = compute_cohort(corpus.poles, ref, load_settings(paths))
    from ..analysis.group import comparison_group

    cohort = comparison_group(cohort, pole.slug)  # never compared with a group holding it
    today = dt.date.today()
    return MonographContext(
        pole, corpus, ref, cohort, format_date(today.year, today.month, today.day),
        tuple(pole_evidence(pole, ref, grid)), load_identity(paths.data), reviewed_on(pole), today,
    )  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def _v(value: Any) -> str:
    """A fact for display: escaped, or « non documenté »."""
    if value is None or value == "" or value == []:
        return UNDOCUMENTED
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(_v(v) for v in value)
    return escape_markdown_html(str(value))


def render_citations(text: str, corpus: Corpus, pole: Pole) -> str:
    """``[@id, passage]`` as pandoc citations of the documents the pole may cite (citeproc
    formats them and links them to their bibliography entry); other ``@`` stay text."""
    return narrative_citations(text, pole_documents(corpus, pole))


def narrative_markdown(ctx: MonographContext, section_id: str) -> str:
    narrative = ctx.pole.narratives.get(section_id)
    if narrative is None or narrative.is_empty:
        return ""
    from ..corpus.narrative import narrative_markdown as safe_markdown

    def known(key: str) -> bool:
        return ctx.corpus.document(key, ctx.pole) is not None

    # the narrative rules apply here, where the narrative becomes Markdown: headings demoted,
    # raw HTML as text, an @ that is not a known [@clé] as text (see ptce_mono.corpus.narrative)
    return typography(render_citations(safe_markdown(narrative.text, known), ctx.corpus, ctx.pole))


def reading_of(pole: Pole, cite: Mapping[str, Any] | None) -> str:
    """« lecture du projet : identification » when a citation marks the value as the
    project's reading of its source, else ''."""
    if not isinstance(cite, Mapping) or cite.get("lecture") not in schema.LECTURES:
        return ""
    return f"lecture du projet : {schema.LECTURES[cite['lecture']]}"


def _reading_suffix(pole: Pole, dotted: str | None) -> str:
    citations = pole.get("citations", {})
    cite = citations.get(dotted) if dotted and isinstance(citations, Mapping) else None
    text = reading_of(pole, cite)
    return f" *({text})*" if text else ""


# A chart of fewer values says less than a sentence (the values stay in their table).
MIN_CHART_VALUES = 3

Row = tuple[str, Any, str | None]  # label, value, dotted path of the field (for its citation)


def _documented_rows(rows: list[Row]) -> list[Row]:
    """Only the rows whose value is documented: tables never list what the sources do not say."""
    return [row for row in rows if is_filled(row[1]) and row[1] != "—"]


def _facts_table(rows: list[Row], id: str, caption: str, pole: Pole) -> None:
    """Documented values only, each followed by the reading marker of its citation."""
    shown = [(label, _v(value) + _reading_suffix(pole, dotted))
             for label, value, dotted in _documented_rows(rows)]  # fmt: skip
    if len(shown) == 1:  # one fact: a sentence, never a one-row table
        show_markdown(f"{shown[0][0]} : {shown[0][1]}.")
    elif shown:
        show_rows(["Élément", "Valeur"], shown, id, caption)


def _lower_first(text: str) -> str:
    """« Année » → « année », « ETP » stays (an acronym)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def single_row_sentence(columns: list[str], row: list[str], caption: str) -> str:
    """A table of one row said as a sentence: « Emploi par année : année 2014, ETP 18,0. »."""
    cells = ", ".join(f"{_lower_first(c)} {v}" for c, v in zip(columns, row, strict=True))
    return f"{caption} : {cells}."


def _rows(columns: list[str], rows: list[list[str]], id: str, caption: str, align: str) -> None:
    """A table, or a sentence when it would hold a single row."""
    if len(rows) == 1:
        show_markdown(typography(single_row_sentence(columns, rows[0], caption)))
    else:
        show_rows(columns, rows, id, caption, align)


def _documented_columns(
    columns: list[str], rows: list[list[str]], align: str, keep: int = 1
) -> tuple[list[str], list[list[str]], str]:
    """Drop the columns (after the first ``keep``) whose every cell is « non documenté »."""
    kept = [
        i for i in range(len(columns))
        if i < keep or any(not is_undocumented(r[i]) for r in rows)
    ]  # fmt: skip
    return (
        [columns[i] for i in kept],
        [[r[i] for i in kept] for r in rows],
        "".join(align[i] for i in kept),
    )


def _label(vocabulary: dict[str, str], value: Any) -> str | None:
    return schema.label(vocabulary, value) if value else None


# --- blocks shown by the template ---------------------------------------------------------------


FICTIONAL_NOTICE = (
    "**Pôle fictif.** Ce pôle, ses documents, ses entretiens, ses comptes et ses réponses sont "
    "inventés pour montrer une monographie avec son terrain ; il ne décrit aucune organisation "
    "ni aucune personne réelle et n'est jamais compté parmi les PTCE (analyse transversale, "
    "cohorte)."
)


def show_title(ctx: MonographContext) -> None:
    """Title, genre, territory and date, and the lead paragraph saying what the document is."""
    pole = ctx.pole
    genre = ctx.genre
    others = pole.get("identite.autres_noms", [])
    lines = [
        f"# {escape_markdown_html(pole.name)}",
        "",
        f"**{genre.label}** — {escape_markdown_html(territory_label(ctx.corpus.paths.geo, pole))} — {ctx.build_date}",
    ]
    if others:
        lines += ["", f"Autres noms : {_v(others)}{_reading_suffix(pole, 'identite.autres_noms')}"]
    if pole.fictional:
        lines += ["", FICTIONAL_NOTICE]
    lines += [
        "",
        f"{genre.lead} Le document suit la "
        f"{escape_markdown_html(ctx.grid.title[:1].lower() + ctx.grid.title[1:])}. Chaque section documentée se termine par une "
        f"lecture *Au regard du référentiel* d'action (version {ctx.referentiel.version}). Les "
        "faits qu'aucune source ne donne ne sont pas affichés : la partie *État de la "
        "documentation* dit pour chaque section ce qui reste à documenter.",
    ]
    show_document(document_meta(ctx))
    show_markdown(typography("\n".join(lines)))
    show_review(ctx)


def show_review(ctx: MonographContext, section_id: str | None = None) -> None:
    """« Relue par le pôle le … » under the title, or in a section the pole commented."""
    from .review_blocks import rounds_of, section_line, title_line

    rounds = rounds_of(ctx.pole.folder)
    line = title_line(rounds) if section_id is None else section_line(rounds, section_id)
    if line:
        show_markdown(line)


def _citation(ctx: MonographContext) -> DocumentCitation:
    genre = ctx.genre
    return DocumentCitation(
        stem=ctx.pole.slug,
        title=f"{ctx.pole.name}, pôle territorial de coopération économique",
        genre=genre.label,
        identity=ctx.identity,
        year=ctx.today.year,
        date=ctx.today.isoformat(),
    )


def document_meta(ctx: MonographContext) -> dict[str, Any]:
    """What the renderer and the build learn from the notebook: the genre (the PDF's and HTML's
    overline) and the citation entry (the build writes it as BibTeX, RIS and CSL-JSON)."""
    return {"surtitre": ctx.genre.label, "genre": ctx.genre.value,
            "citation": to_mapping(_citation(ctx))}  # fmt: skip


def how_made(ctx: MonographContext) -> str:
    """« Comment ce document a été fait »: corpus with counts and dates, team and institution,
    grid and référentiel versions, review, then « Limites » generated from what is missing."""
    basis, identity = ctx.basis, ctx.identity
    team = escape_markdown_html(identity.authors)
    if identity.institution:  # never nested parentheses: the team may carry its own
        team += f" ; institution : {escape_markdown_html(identity.institution)}"
    review = (
        f"relu par les acteurs du pôle, tour de relecture clos le "
        f"{format_date(ctx.reviewed_on.year, ctx.reviewed_on.month, ctx.reviewed_on.day)}"
        if ctx.reviewed_on
        else "pas encore relu par les acteurs du pôle"
    )
    lines = [
        "## Comment ce document a été fait",
        "",
        f"- **Corpus** : {' ; '.join(corpus_lines(basis))}.",
        f"- **Équipe** : {team}.",
        f"- **Méthode** : {escape_markdown_html(ctx.grid.title)} (version {ctx.grid.version}) ; "
        f"référentiel d'action des PTCE, version {ctx.referentiel.version} ; chaque fait cite son "
        "document source et son passage.",
        f"- **Relecture** : {review}.",
        "",
        f"**Limites.** {limits_paragraph(basis, ctx.genre, ctx.today.year, ctx.reviewed_on)}",
    ]
    return typography("\n".join(lines))


def show_how_made(ctx: MonographContext) -> None:
    show_markdown(how_made(ctx))


def show_identity(ctx: MonographContext) -> None:
    p = ctx.pole
    s = schema
    rows: list[Row] = [
        ("Commune", p.get("identite.commune"), "identite.commune"),
        ("Code postal", p.get("identite.code_postal"), "identite.code_postal"),
        ("Département", p.get("identite.departement"), "identite.departement"),
        ("Région", p.get("identite.region"), "identite.region"),
        ("Site web", p.get("identite.site_web"), "identite.site_web"),
        ("Début de la coopération", start_value(p), "identite.annee_debut_cooperation"),
        ("Formalisation", p.get("identite.annee_formalisation"), "identite.annee_formalisation"),
        ("Structure porteuse", p.get("identite.structure_porteuse"), "identite.structure_porteuse"),
        ("Forme juridique", p.get("identite.forme_juridique"), "identite.forme_juridique"),
        ("Famille d'activité", _label(s.FAMILLES_ACTIVITE, p.get("classification.famille_activite")), "classification.famille_activite"),
        ("Type de territoire",
         [s.label(s.TYPES_TERRITOIRE, t) for t in p.get("classification.type_territoire", [])],
         "classification.type_territoire"),
        ("Origine", _label(s.ORIGINES, p.get("classification.origine")), "classification.origine"),
        ("Pôle témoin 2012", p.get("statut.pole_temoin_2012"), "statut.pole_temoin_2012"),
        ("Lauréat de l'appel à projets", p.get("statut.laureat_aap", []), "statut.laureat_aap"),
        ("Structures membres", members_value(p), None),
    ]  # fmt: skip
    show_markdown("## Fiche d'identité")
    _facts_table(rows, "identite", f"Fiche d'identité {escape_markdown_html(p.of_name)}", p)


def show_section_heading(ctx: MonographContext, section_id: str) -> None:
    section = _section(ctx, section_id)
    show_markdown(f"## {section.number}. {typography(section.title)}")


def show_narrative(ctx: MonographContext, section_id: str) -> None:
    text = narrative_markdown(ctx, section_id)
    if text:
        show_markdown(text)


def _section(ctx: MonographContext, section_id: str) -> Section:
    section = ctx.grid.section(section_id)
    if section is None:
        raise UnknownSectionError(section_id)
    return section


def _facts_finalites(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    _facts_table(
        [
            ("Valeurs fondatrices", p.get("valeurs", []), "valeurs"),
            ("Famille d'activité", _label(s.FAMILLES_ACTIVITE, p.get("classification.famille_activite")), "classification.famille_activite"),
        ],
        "finalites", "Finalités et valeurs déclarées", p,
    )  # fmt: skip


def _event_sentence(ctx: MonographContext, event: Mapping[str, Any]) -> str:
    when = format_date(event["annee"], event.get("mois"))
    source = _source_short(ctx, event)  # a pandoc citation prints its own parentheses
    source = source if source.startswith(("[@", "(")) else f"({source})"
    return f"Un seul événement daté est documenté : {when}, {_v(event.get('libelle'))} {source}."


def _facts_origine(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    _facts_table(
        [
            ("Origine", _label(s.ORIGINES, p.get("classification.origine")), "classification.origine"),
            ("Structure porteuse", p.get("identite.structure_porteuse"), "identite.structure_porteuse"),
            ("Début de la coopération", start_value(p), "identite.annee_debut_cooperation"),
            ("Formalisation", p.get("identite.annee_formalisation"), "identite.annee_formalisation"),
        ],
        "origine", "Origine de la coopération", p,
    )  # fmt: skip
    # an event dated by its year only comes after the dated months of that year
    events = sorted(
        p.list_of("evenements"), key=lambda e: (e.get("annee") or 0, e.get("mois") or 13)
    )
    if len(events) == 1:
        show_markdown(typography(_event_sentence(ctx, events[0])))
    elif 1 < len(events) < MIN_CHART_VALUES:
        show_markdown(
            f"{plural(len(events), 'événement daté', 'événements datés').capitalize()} : le "
            "[](#tbl-chronologie) les date et donne la source de chacun."
        )
    elif events:
        show_markdown(
            f"{plural(len(events), 'événement daté', 'événements datés').capitalize()} : la "
            "frise ([](#fig-chronologie)) les situe dans le temps, le [](#tbl-chronologie) "
            "donne la source de chacun."
        )
        charts.show_timeline(events, p.of_name)
    if len(events) > 1:
        show_rows(
            ["Date", "Événement", "Source"],
            [
                (format_date(e["annee"], e.get("mois")), _v(e.get("libelle")), _source_short(ctx, e))
                for e in events
            ],
            "chronologie", "Chronologie de la coopération",
        )  # fmt: skip


def _facts_structuration(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    mutual = p.get("mutualisations", [])
    _facts_table(
        [
            ("Mutualisations", [s.label(s.MUTUALISATIONS, m) for m in mutual], "mutualisations"),
            ("Type de territoire", [s.label(s.TYPES_TERRITOIRE, t) for t in p.get("classification.type_territoire", [])], "classification.type_territoire"),
            ("Pôle témoin 2012", p.get("statut.pole_temoin_2012"), "statut.pole_temoin_2012"),
            ("Lauréat de l'appel à projets", p.get("statut.laureat_aap", []), "statut.laureat_aap"),
            ("Forme juridique du pôle", p.get("identite.forme_juridique"), "identite.forme_juridique"),
        ],
        "structuration", "Facteurs de structuration documentés", p,
    )  # fmt: skip


def _structure_cells(st: Mapping[str, Any]) -> list[str]:
    s = schema
    return [
        _v(st.get("nom")),
        _label(s.STATUTS_JURIDIQUES, st.get("statut_juridique")) or UNDOCUMENTED,
        _label(s.FAMILLES_STRUCTURE, st.get("famille")) or undocumented(feminine=True),
        _v(st.get("iae")) if st.get("iae") is not None else undocumented(feminine=True),
    ]


def _facts_leadership(ctx: MonographContext, charts: Any) -> None:
    p = ctx.pole
    _facts_table([("Structure porteuse", p.get("identite.structure_porteuse"), "identite.structure_porteuse")],
                 "porteur", "Structure porteuse", p)  # fmt: skip
    structures = p.list_of("structures")
    if not structures:
        return
    columns, rows, align = _documented_columns(
        ["Structure", "Statut juridique", "Famille", "IAE"],
        [_structure_cells(st) for st in structures], "llll",
    )  # fmt: skip
    _rows(columns, rows, "structures", f"Structures membres ({plural(len(structures), 'structure')})",
          align)  # fmt: skip
    if not charts.show_composition(structures):
        families = sum(1 for st in structures if st.get("famille"))
        statuses = sum(1 for st in structures if st.get("statut_juridique"))
        show_markdown(typography(
            f"Les sources nomment {plural(len(structures), 'structure membre', 'structures membres')} ; "
            f"la famille est documentée pour {format_number(families) if families else 'aucune'}, "
            f"le statut juridique pour {format_number(statuses) if statuses else 'aucune'} : trop "
            "peu de valeurs distinctes pour une figure de la composition du pôle."
        ))  # fmt: skip


def _facts_gouvernance(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    _facts_table(
        [
            ("Instances", p.get("gouvernance.instances", []), "gouvernance.instances"),
            ("Collèges", p.get("gouvernance.colleges", []), "gouvernance.colleges"),
            ("Place des citoyens", p.get("gouvernance.place_citoyens"), "gouvernance.place_citoyens"),
            ("Rôle des collectivités", _label(s.ROLES_COLLECTIVITES, p.get("gouvernance.role_collectivites")), "gouvernance.role_collectivites"),
        ],
        "gouvernance", "Gouvernance du pôle", p,
    )  # fmt: skip


def _facts_modele_economique(ctx: MonographContext, charts: Any) -> None:
    from .fieldwork_blocks import show_accounts

    p, s = ctx.pole, schema
    # comptes.yaml: revenue mix and public share, with n years, each year citing its source
    show_accounts(p.require_accounts(), pole_documents(ctx.corpus, ctx.pole))
    resources = sorted(
        p.list_of("ressources"), key=lambda r: (r.get("annee") or 0, str(r.get("nature")))
    )
    if not resources:
        return
    columns, rows, align = _documented_columns(
        ["Année", "Nature", "Montant", "Part"],
        [
            [
                str(r.get("annee")),
                s.label(s.NATURES_RESSOURCE, r.get("nature")),
                format_euros(r.get("montant"), missing=UNDOCUMENTED),
                format_percent(r.get("part"), missing=undocumented(feminine=True)),
            ]
            for r in resources
        ],
        "llrr", keep=2,
    )  # fmt: skip
    _rows(columns, rows, "ressources", "Ressources par nature et par année", align)
    values = [r for r in resources if r.get("montant") is not None or r.get("part") is not None]
    if len(values) >= MIN_CHART_VALUES:
        charts.show_resources(values)


def _employment_cells(e: Mapping[str, Any]) -> list[str]:
    return [
        str(e.get("annee")),
        format_number(e.get("etp"), 1, UNDOCUMENTED),
        format_number(e.get("etp_animation"), 1, UNDOCUMENTED),
        animation_share(e),
        format_number(e.get("emplois_crees"), 0, undocumented(plural=True)),
        format_number(e.get("emplois_insertion"), 0, undocumented(plural=True)),
    ]


def _facts_impacts(ctx: MonographContext, charts: Any) -> None:
    employment = sorted(ctx.pole.list_of("emploi"), key=lambda e: e.get("annee") or 0)
    if not employment:
        return
    columns, rows, align = _documented_columns(
        ["Année", "ETP", "ETP d'animation", "Part de l'animation", "Emplois créés", "Emplois d'insertion"],
        [_employment_cells(e) for e in employment], "lrrrrr",
    )  # fmt: skip
    _rows(columns, rows, "emploi", "Emploi par année", align)
    if sum(1 for e in employment if e.get("etp") is not None) >= MIN_CHART_VALUES:
        charts.show_employment([e for e in employment if e.get("etp") is not None])


# One small function per grid section: what structured facts, tables and charts it shows. Each
# shows only documented values, and only fields that the section's guiding questions name.
SECTION_FACTS: dict[str, Callable[[MonographContext, Any], None]] = {
    "finalites": _facts_finalites,
    "origine": _facts_origine,
    "structuration": _facts_structuration,
    "leadership": _facts_leadership,
    "gouvernance": _facts_gouvernance,
    "modele-economique": _facts_modele_economique,
    "impacts": _facts_impacts,
}


def show_section_facts(ctx: MonographContext, section_id: str) -> None:
    """The structured facts, tables and charts relevant to one grid section."""
    from .charts import monograph as charts

    show = SECTION_FACTS.get(section_id)
    if show is not None:
        show(ctx, charts)


def _objective_heading(objective: Objective) -> str:
    return f"**{objective.id}. {escape_markdown_html(objective.label[:1].upper() + objective.label[1:])}**"


QUOTE_LIMIT = 180  # characters of a quoted passage shown under « Au regard du référentiel »


def _short_quote(quote: str) -> str:
    """A verbatim quote, cut at a word boundary with « […] » when long."""
    if len(quote) <= QUOTE_LIMIT:
        return f"« {quote} »"
    cut = quote[:QUOTE_LIMIT].rsplit(" ", 1)[0].rstrip(",;: ")
    return f"« {cut} […] »"


def _indicator_label(ctx: MonographContext, indicator_id: str | None) -> str:
    indicator = ctx.referentiel.indicator(indicator_id) if indicator_id else None
    if indicator is None:
        return "l'objectif dans son ensemble"
    if indicator.label:
        return f"{indicator.id} (« {escape_markdown_html(indicator.label)} »)"
    return f"{indicator.id} (libellé illisible dans la source)"


def _evidence_lines(ctx: MonographContext, items: list[Evidence]) -> list[str]:
    """One line per passage: the indicators it is coded for, the passage, its citation."""
    by_passage: dict[tuple[Any, ...], list[Evidence]] = {}
    for item in items:
        by_passage.setdefault((item.path, item.line, item.field), []).append(item)
    lines = []
    for group in by_passage.values():
        first = group[0]
        what = " ; ".join(dict.fromkeys(_indicator_label(ctx, e.indicator) for e in group))
        if first.origin == INTERVIEW:
            who = attribution_of(first.role, first.date)
            lines.append(f"- {what} : {_short_quote(escape_markdown_html(first.text))} — "
                         f"*{escape_markdown_html(who)}*")  # fmt: skip
            continue
        quoted = attributed_quotes(first.text) if first.origin == NARRATIVE else ()
        if quoted:
            # each passage with its own citation: passages of different sources never joined
            passage = " ; ".join(
                _short_quote(escape_markdown_html(q))
                + (f" {_render_cite(ctx, *cite)}" if cite and cite[0] else "")
                for q, cite in quoted[:2]
            )
            lines.append(f"- {what} : {passage}")
            continue
        passage = escape_markdown_html(strip_citations(first.text))
        cites = " ".join(
            _render_cite(ctx, src, where) for src, where in dict.fromkeys(first.citations) if src
        )
        lines.append(f"- {what} : {passage}{f' {cites}' if cites else ''}")
    return lines


def _render_cite(ctx: MonographContext, source: str, where: str) -> str:
    return render_citations(f"[@{source}, {where}]" if where else f"[@{source}]", ctx.corpus,
                            ctx.pole)  # fmt: skip


# A level-4 heading: it closes each section without crowding the table of contents.
READING_HEADING = "#### Au regard du référentiel"


def referentiel_reading(ctx: MonographContext, section: Section) -> str:
    """« Au regard du référentiel »: the principal objectives the grid links to the section, and
    for each the indicators with evidence and the passages cited (the team's reading)."""
    ref = ctx.referentiel
    items = section_evidence(ctx.evidence, section.id)
    linked = [o for o in ref.objectives if o.id in section.objectives]
    others = [
        o for o in ref.objectives
        if o.id not in section.objectives and any(e.objective == o.id for e in items)
    ]  # fmt: skip
    lines = [f"{READING_HEADING}", ""]
    if not items:
        names = " et ".join(f"{o.id} (« {o.label} »)" for o in linked)
        lines.append(
            f"La grille rattache cette section aux objectifs principaux {names} du référentiel "
            f"(version {ref.version}) ; aucun passage n'y est encore codé."
            if linked else "Aucun passage de cette section n'est encore codé au regard du référentiel."
        )  # fmt: skip
        return typography("\n".join(lines))
    lines += ["*Lecture proposée par l'équipe de recherche.*", ""]
    for objective in [*linked, *others]:
        found = [e for e in items if e.objective == objective.id]
        lines.append(_objective_heading(objective))
        lines.append("")
        if found:
            lines += _evidence_lines(ctx, found)
        else:
            lines.append("- aucun passage n'est encore codé pour cet objectif.")
        lines.append("")
    return typography("\n".join(lines).rstrip())


def show_referentiel_reading(ctx: MonographContext, section_id: str) -> None:
    show_markdown(referentiel_reading(ctx, _section(ctx, section_id)))


def show_section(ctx: MonographContext, section_id: str) -> None:
    """One grid section: heading, narrative, documented facts with tables and charts, then the
    reading « Au regard du référentiel ». A section with neither narrative nor fact is one line."""
    section = _section(ctx, section_id)
    coverage = section_coverage(ctx.pole, section)
    if coverage.status is Coverage.MISSING and not has_content(ctx.pole, section):
        show_markdown(
            f"## {section.number}. {typography(section.title)}\n\n*Section à documenter.*"
        )
        return
    show_section_heading(ctx, section_id)
    if coverage.status is Coverage.MISSING:
        show_markdown(
            "*Section à documenter : ce qui suit ne répond encore à aucune de ses questions "
            "directrices.*"
        )
    show_narrative(ctx, section_id)
    show_section_facts(ctx, section_id)
    show_voices(ctx, section_id)
    show_referentiel_reading(ctx, section_id)
    show_review(ctx, section_id)


def has_content(pole: Pole, section: Section) -> bool:
    """A narrative, retained excerpts or a filled field to show, whatever they answer."""
    return section_coverage(pole, section).has_narrative or any(
        is_filled(pole.get(f)) for f in section.fields
    )


def show_voices(ctx: MonographContext, section_id: str) -> None:
    """« Paroles d'acteurs »: retained interview excerpts, by role and date (fieldwork)."""
    from .fieldwork_blocks import show_voices as show

    show(ctx.pole.interviews, ctx.pole.private_names(), section_id)


def animation_share(entry: Mapping[str, Any]) -> str:
    etp, anim = entry.get("etp"), entry.get("etp_animation")
    if not etp or anim is None:
        return undocumented(feminine=True)  # « la part »
    return format_percent(100.0 * anim / etp)


def _source_short(ctx: MonographContext, item: Mapping[str, Any]) -> str:
    """The citation of a listed fact (an event, a resource…), linked to the bibliography."""
    source = item.get("source")
    if not source:
        return "non sourcé"
    known = pole_documents(ctx.corpus, ctx.pole)
    reading = reading_of(ctx.pole, item)
    marker = f" *({reading})*" if reading else ""
    # cite() escapes the passage for pandoc (raw HTML is off in the reader) and leaves a known
    # key's citation intact: escaping the whole would turn the citation into text.
    passage = strip_comments(str(item.get("passage") or ""))
    return cite(str(source), passage, known) + marker


_CITATION_WITH_SPACE = re.compile(r"\s*" + CITATION_RE.pattern)


def strip_citations(text: str) -> str:
    """The text without its ``[@source, passage]`` citations (given apart)."""
    return _CITATION_WITH_SPACE.sub("", text).strip()


def show_referentiel(ctx: MonographContext) -> None:
    """Evidence per principal objective (the team's reading) and, only where members declared
    scores, the radar of the 9 principal objectives against the cohort median."""
    from .charts import monograph as charts

    ref = ctx.referentiel
    show_markdown(f"## Profil au regard du référentiel d'action (version {ref.version})")
    counts = counts_by_objective(ctx.evidence, ref)
    total = sum(counts.values())
    if total:
        show_markdown(
            "Chaque section documentée se termine par *Au regard du référentiel* : les passages "
            f"des sources que l'équipe de recherche rapproche des indicateurs du référentiel "
            f"{ref.version}. C'est une lecture proposée par l'équipe, ni un énoncé des sources, ni "
            "un score déclaré par les membres."
            + (
                " Le rattachement des indicateurs aux objectifs principaux est une reconstruction "
                "du projet (voir la note du référentiel)."
                if any(i.reconstructed for i in ref.indicators)
                else ""
            )
        )
    if total >= 2:
        passages = len({passage_key(e) for e in ctx.evidence})
        charts.show_evidence(ref, counts, ctx.pole.of_name, passages)
        empty = [o.id for o in ref.objectives if not counts[o.id]]
        if empty:
            show_markdown(f"Aucun passage n'est encore codé pour {_objectives_phrase(empty)}.")
    elif total == 1:
        only = next(o for o in ref.objectives if counts[o.id])
        show_markdown(typography(
            f"Un seul passage est codé au regard du référentiel, pour l'objectif {only.id} "
            f"(« {only.label} ») : trop peu pour une figure."
        ))  # fmt: skip
    else:
        show_markdown(
            "Aucun passage des récits, des faits ni des entretiens n'est encore codé au regard du "
            "référentiel."
        )
    if show_declared_scores(ctx):
        return
    scores = ctx.pole.scores
    if not scores:
        show_markdown(
            "Aucun score déclaré par les membres n'est documenté pour ce pôle : le radar des "
            "scores n'est pas tracé."
        )
        return
    profile = objective_profile(scores, ref)
    charts.show_radar(ref, profile, ctx.cohort)
    rows = []
    for objective in ref.objectives:
        for indicator in objective.indicators:
            value = scores.get(indicator.id)
            if value is None:
                continue
            rows.append(
                (
                    indicator.id,
                    escape_markdown_html(objective.short_label),
                    escape_markdown_html(indicator.display),
                    format_number(value, 0),
                )
            )
    show_rows(
        ["Indicateur", "Objectif", "Libellé", f"Score ({ref.scale.minimum}–{ref.scale.maximum})"],
        rows, "indicateurs", f"Scores déclarés par indicateur (référentiel {ref.version})",
        align="lllr",
    )  # fmt: skip
    if any(i.reconstructed for i in ref.indicators):
        show_markdown(
            "*Le rattachement des indicateurs aux objectifs principaux, et la place des "
            "indicateurs dont le libellé est illisible dans la source, sont une reconstruction "
            "du projet (voir la note du référentiel).*"
        )


def _objectives_phrase(ids: list[str]) -> str:
    if len(ids) == 1:
        return f"l'objectif {ids[0]}"
    return "les objectifs " + ", ".join(ids[:-1]) + f" et {ids[-1]}"


def documentation_state(ctx: MonographContext) -> str:
    """« État de la documentation »: per section its status and its open guiding questions."""
    coverages = pole_coverage(ctx.pole, ctx.grid)
    lines = [
        "## État de la documentation",
        "",
        f"Sections : {describe_counts(count_statuses(coverages))}. {RULE} Les questions "
        "directrices encore ouvertes sont le travail de terrain qui reste à mener.",
        "",
    ]
    for c in coverages:
        lines.append(f"**{c.section.number}. {c.section.title}** — {c.status.value}")
        lines.append("")
        for q in c.section.questions:
            kinds = answers(ctx.pole, c.section, q)
            state = f"documentée ({', '.join(kinds)})" if kinds else "ouverte"
            lines.append(f"- {q.text} — *{state}*")
        if not c.undocumented:
            lines.append("- toutes les questions directrices sont documentées.")
        lines.append("")
    return typography("\n".join(lines).rstrip())


def show_documentation_state(ctx: MonographContext) -> None:
    show_markdown(documentation_state(ctx))
    show_review_discussion(ctx)


def show_review_discussion(ctx: MonographContext) -> None:
    """« Points de discussion avec le pôle »: the remarks of the pole not integrated."""
    from .review_blocks import discussion_part, rounds_of

    titles = {s.id: f"{s.number}. {s.title}" for s in ctx.grid.sections}
    people = ctx.pole.private_table().people
    part = discussion_part(rounds_of(ctx.pole.folder), titles, people)
    if part:
        show_markdown(part)


def show_declared_scores(ctx: MonographContext) -> bool:
    """The scores declared by the pole's members (waves of answers), when it has some."""
    from ..corpus.answer_settings import load_vocabulary
    from .answer_blocks import show_declared

    paths = ctx.corpus.paths
    return show_declared(
        ctx.pole, ctx.referentiel, ctx.cohort, load_settings(paths), load_vocabulary(paths)
    )


def show_sources(ctx: MonographContext) -> None:
    """The bibliography: every document the record cites, formatted by citeproc (author-date,
    French) where the text's citations link to; passages stay in the citations."""
    show_markdown("## Sources")
    known = pole_documents(ctx.corpus, ctx.pole)
    cited = [i for i in cited_ids(ctx.pole) if i in known]
    if not cited:
        show_markdown("*Aucune source n'est citée par la fiche de ce pôle.*")
        return
    show_bibliography(csl_items(known[i] for i in cited))
    readings = project_readings(ctx)
    if readings:
        lines = [
            "**Lectures du projet.** Ces valeurs ne sont pas énoncées telles quelles par la "
            "source : ce sont des identifications, inférences ou codages de l'équipe, "
            "rattachés au passage qu'ils lisent.",
            "",
        ]
        lines += [
            f"- {escape_markdown_html(label)} — {escape_markdown_html(text)} : "
            f"{escape_markdown_html(note)}"
            for label, text, note in readings
        ]
        show_markdown(typography("\n".join(lines)))


def project_readings(ctx: MonographContext) -> list[tuple[str, str, str]]:
    """(field label, « lecture du projet : … », note) for every citation marked as a reading."""
    out = []
    citations = ctx.pole.get("citations", {})
    if isinstance(citations, Mapping):
        for key, cite in citations.items():
            text = reading_of(ctx.pole, cite)
            if text:
                spec = schema.field_at(str(key))
                label = spec.label.split(" (")[0] if spec else str(key)
                out.append((label, text, str(cite.get("note") or "")))
    for key in ("structures", "ressources", "emploi", "evenements"):
        spec = schema.field_at(f"{key}.0")
        for index, item in enumerate(ctx.pole.list_of(key), start=1):
            text = reading_of(ctx.pole, item)
            if text:
                label = f"{spec.label if spec else key} {index}"
                out.append((label, text, str(item.get("note") or "")))
    return out


def how_to_cite(ctx: MonographContext) -> str:
    """« Pour citer ce document » and the citation files the build writes next to it."""
    return cite_block(_citation(ctx))


def show_how_to_cite(ctx: MonographContext) -> None:
    show_markdown(how_to_cite(ctx))


def show_provenance(
    ctx: MonographContext, inputs_hash: str = "", template_version: str = ""
) -> None:
    """The colophon: one short paragraph (never a page of its own)."""
    show_markdown(colophon(
        template_version, inputs_hash,
        f"grille {ctx.grid.version}, référentiel {ctx.referentiel.version}", ctx.build_date,
    ))  # fmt: skip
