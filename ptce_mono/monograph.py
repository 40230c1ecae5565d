"""Content of one monograph, section by section. The notebook template calls these functions.

Each ``show_*`` function displays outputs of the contract (ptce_mono.display); the data work is
done by pure helpers in this module and in ``charts.monograph``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__, schema
from .cohort import compute_cohort, objective_profile, read_cohort
from .coverage import section_coverage
from .display import escape_markdown_html, show_markdown, show_rows
from .errors import UnknownSectionError
from .fr import UNDOCUMENTED, format_date, format_euros, format_number, format_percent, typography
from .geo import territory_label
from .grid import Grid, Section, load_grid
from .paths import ProjectPaths
from .records import CITATION_RE, Corpus, Document, Pole, load_bibliography, load_corpus, load_pole
from .referentiel import DEFAULT_VERSION, Referentiel, load_all_referentiels


@dataclass(frozen=True)
class MonographContext:
    pole: Pole
    corpus: Corpus
    referentiel: Referentiel
    cohort: Mapping[str, Any]
    build_date: str

    @property
    def grid(self) -> Grid:
        return self.corpus.grid


def load(
    data_dir: str | Path,
    slug: str,
    referentiel_version: str = DEFAULT_VERSION,
    cohort_file: str = "",
) -> MonographContext:
    """Load the pole and what it is compared with. ``cohort_file`` is written by the build."""
    paths = ProjectPaths.at(Path(data_dir).resolve().parent, data=data_dir)
    grid = load_grid(paths.grid_file)
    if not slug:  # opened alone in JupyterLab: show the first pole
        slug = sorted(p.name for p in paths.poles.iterdir() if (p / "pole.yaml").is_file())[0]
    referentiels = load_all_referentiels(paths.referentiels)
    pole = load_pole(paths.pole_dir(slug), grid)
    version = pole.referentiel_version or referentiel_version
    ref = referentiels[version] if version in referentiels else referentiels[referentiel_version]
    if cohort_file and Path(cohort_file).is_file():
        cohort = read_cohort(Path(cohort_file))
        corpus = Corpus(paths, grid, referentiels, load_bibliography(paths), (pole,))
    else:
        corpus = load_corpus(paths)
        cohort = compute_cohort(corpus.poles, ref)
    today = dt.date.today()
    return MonographContext(
        pole, corpus, ref, cohort, format_date(today.year, today.month, today.day)
    )


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
    """Replace ``[@id, passage]`` with « (Auteur, année, passage) »."""

    def repl(match: Any) -> str:
        doc = corpus.document(match.group(1), pole)
        who = doc.short if doc else match.group(1)
        passage = f", {match.group(2).strip()}" if match.group(2) else ""
        return f"({who}{passage})"

    return CITATION_RE.sub(repl, text)


def narrative_markdown(ctx: MonographContext, section_id: str) -> str:
    narrative = ctx.pole.narratives.get(section_id)
    if narrative is None or narrative.is_empty:
        return ""
    return escape_markdown_html(typography(render_citations(narrative.text, ctx.corpus, ctx.pole)))


def undocumented_statement(ctx: MonographContext, section: Section) -> str:
    coverage = section_coverage(ctx.pole, section)
    if not coverage.undocumented:
        return "*Toutes les questions directrices de cette section sont documentées.*"
    lines = ["**Questions directrices encore non documentées pour ce pôle :**", ""]
    lines += [f"- {typography(q.text)}" for q in coverage.undocumented]
    return "\n".join(lines)


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


def _facts_table(
    rows: list[tuple[str, Any, str | None]], id: str, caption: str, pole: Pole
) -> None:
    """Label, value (« non documenté » when empty) and, after a documented value, the reading
    marker of its citation (``dotted`` path in ``citations``)."""
    shown = []
    for label, value, dotted in rows:
        text = _v(value)
        if text != UNDOCUMENTED:
            text += _reading_suffix(pole, dotted)
        shown.append((label, text))
    show_rows(["Élément", "Valeur"], shown, id, caption)


# --- blocks shown by the template ---------------------------------------------------------------


def show_title(ctx: MonographContext) -> None:
    pole = ctx.pole
    others = pole.get("identite.autres_noms", [])
    lines = [
        f"# {escape_markdown_html(pole.name)}",
        "",
        f"**Monographie** — {escape_markdown_html(territory_label(ctx.corpus.paths.geo, pole))} — {ctx.build_date}",
    ]
    if others:
        lines += ["", f"Autres noms : {_v(others)}{_reading_suffix(pole, 'identite.autres_noms')}"]
    lines += [
        "",
        "Cette monographie suit la grille d'analyse commune des PTCE "
        f"({escape_markdown_html(ctx.grid.title)}) et croise ses catégories avec le référentiel "
        f"d'action (version {ctx.referentiel.version}). Ce qui n'est pas documenté par les sources "
        "est signalé comme tel.",
    ]
    show_markdown(typography("\n".join(lines)))


def show_identity(ctx: MonographContext) -> None:
    p = ctx.pole
    s = schema
    site = p.get("identite.site_web")
    rows: list[tuple[str, Any, str | None]] = [
        ("Commune", p.get("identite.commune"), "identite.commune"),
        ("Code postal", p.get("identite.code_postal"), "identite.code_postal"),
        ("Département", p.get("identite.departement"), "identite.departement"),
        ("Région", p.get("identite.region"), "identite.region"),
        ("Site web", site, "identite.site_web"),
        ("Début de la coopération", p.get("identite.annee_debut_cooperation"), "identite.annee_debut_cooperation"),
        ("Formalisation", p.get("identite.annee_formalisation"), "identite.annee_formalisation"),
        ("Structure porteuse", p.get("identite.structure_porteuse"), "identite.structure_porteuse"),
        ("Forme juridique", p.get("identite.forme_juridique"), "identite.forme_juridique"),
        ("Famille d'activité", s.label(s.FAMILLES_ACTIVITE, p.get("classification.famille_activite")),
         "classification.famille_activite"),
        ("Type de territoire",
         [s.label(s.TYPES_TERRITOIRE, t) for t in p.get("classification.type_territoire", [])],
         "classification.type_territoire"),
        ("Origine", s.label(s.ORIGINES, p.get("classification.origine")), "classification.origine"),
        ("Pôle témoin 2012", p.get("statut.pole_temoin_2012"), "statut.pole_temoin_2012"),
        ("Lauréat de l'appel à projets", p.get("statut.laureat_aap", []), "statut.laureat_aap"),
        ("Structures membres", len(p.list_of("structures")) or None, None),
    ]  # fmt: skip
    rows = [(k, None if v == "—" else v, d) for k, v, d in rows]
    show_markdown("## Fiche d'identité")
    _facts_table(rows, "identite", f"Fiche d'identité de {p.name}", p)


def show_section_heading(ctx: MonographContext, section_id: str) -> None:
    section = _section(ctx, section_id)
    show_markdown(f"## {section.number}. {typography(section.title)}")


def show_narrative(ctx: MonographContext, section_id: str) -> None:
    text = narrative_markdown(ctx, section_id)
    if text:
        show_markdown(text)
    else:
        show_markdown("*Aucun récit n'a encore été rédigé pour cette section.*")


def show_undocumented(ctx: MonographContext, section_id: str) -> None:
    show_markdown(undocumented_statement(ctx, _section(ctx, section_id)))


def _section(ctx: MonographContext, section_id: str) -> Section:
    section = ctx.grid.section(section_id)
    if section is None:
        raise UnknownSectionError(section_id)
    return section


def _facts_finalites(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    values = p.get("valeurs", [])
    _facts_table(
        [
            ("Valeurs fondatrices", values, "valeurs"),
            ("Famille d'activité", s.label(s.FAMILLES_ACTIVITE, p.get("classification.famille_activite"))
             if p.get("classification.famille_activite") else None, "classification.famille_activite"),
        ],
        "finalites", "Finalités et valeurs déclarées", p,
    )  # fmt: skip


def _facts_origine(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    _facts_table(
        [
            ("Origine", s.label(s.ORIGINES, p.get("classification.origine")) if p.get("classification.origine") else None,
             "classification.origine"),
            ("Début de la coopération", p.get("identite.annee_debut_cooperation"), "identite.annee_debut_cooperation"),
            ("Formalisation", p.get("identite.annee_formalisation"), "identite.annee_formalisation"),
        ],
        "origine", "Origine de la coopération", p,
    )  # fmt: skip
    events = sorted(
        p.list_of("evenements"), key=lambda e: (e.get("annee") or 0, e.get("mois") or 0)
    )
    if events:
        charts.show_timeline(events, p.name)
        show_rows(
            ["Date", "Événement", "Source"],
            [
                (format_date(e["annee"], e.get("mois")), _v(e.get("libelle")), _source_short(ctx, e))
                for e in events
            ],
            "chronologie", "Chronologie de la coopération",
        )  # fmt: skip
    else:
        show_markdown("*Chronologie : aucun événement daté n'est documenté.*")


def _facts_structuration(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    mutual = p.get("mutualisations", [])
    _facts_table(
        [
            ("Mutualisations", [s.label(s.MUTUALISATIONS, m) for m in mutual], "mutualisations"),
            ("Type de territoire", [s.label(s.TYPES_TERRITOIRE, t) for t in p.get("classification.type_territoire", [])],
             "classification.type_territoire"),
            ("Forme juridique du pôle", p.get("identite.forme_juridique"), "identite.forme_juridique"),
        ],
        "structuration", "Facteurs de structuration documentés", p,
    )  # fmt: skip


def _facts_leadership(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    structures = p.list_of("structures")
    if structures:
        show_rows(
            ["Structure", "Statut juridique", "Famille", "IAE"],
            [
                (
                    _v(st.get("nom")),
                    s.label(s.STATUTS_JURIDIQUES, st.get("statut_juridique")) if st.get("statut_juridique") else UNDOCUMENTED,
                    s.label(s.FAMILLES_STRUCTURE, st.get("famille")) if st.get("famille") else UNDOCUMENTED,
                    _v(st.get("iae")) if st.get("iae") is not None else UNDOCUMENTED,
                )
                for st in structures
            ],
            "structures", f"Structures membres ({len(structures)})",
        )  # fmt: skip
        charts.show_composition(structures)
    else:
        show_markdown("*Structures membres : non documentées.*")


def _facts_gouvernance(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    role = p.get("gouvernance.role_collectivites")
    _facts_table(
        [
            ("Instances", p.get("gouvernance.instances", []), "gouvernance.instances"),
            ("Collèges", p.get("gouvernance.colleges", []), "gouvernance.colleges"),
            ("Place des citoyens", p.get("gouvernance.place_citoyens"), "gouvernance.place_citoyens"),
            ("Rôle des collectivités", s.label(s.ROLES_COLLECTIVITES, role) if role else None,
             "gouvernance.role_collectivites"),
        ],
        "gouvernance", "Gouvernance du pôle", p,
    )  # fmt: skip


def _facts_modele_economique(ctx: MonographContext, charts: Any) -> None:
    p, s = ctx.pole, schema
    resources = sorted(
        p.list_of("ressources"), key=lambda r: (r.get("annee") or 0, str(r.get("nature")))
    )
    if resources:
        show_rows(
            ["Année", "Nature", "Montant", "Part"],
            [
                (
                    str(r.get("annee")),
                    s.label(s.NATURES_RESSOURCE, r.get("nature")),
                    format_euros(r.get("montant"), missing=UNDOCUMENTED),
                    format_percent(r.get("part"), missing=UNDOCUMENTED),
                )
                for r in resources
            ],
            "ressources", "Ressources par nature et par année", align="llrr",
        )  # fmt: skip
        charts.show_resources(resources)
    else:
        show_markdown("*Ressources et financements : non documentés.*")


def _facts_impacts(ctx: MonographContext, charts: Any) -> None:
    p = ctx.pole
    employment = sorted(p.list_of("emploi"), key=lambda e: e.get("annee") or 0)
    if employment:
        show_rows(
            ["Année", "ETP", "ETP d'animation", "Part de l'animation", "Emplois créés", "Emplois d'insertion"],
            [
                (
                    str(e.get("annee")),
                    format_number(e.get("etp"), 1, UNDOCUMENTED),
                    format_number(e.get("etp_animation"), 1, UNDOCUMENTED),
                    animation_share(e),
                    format_number(e.get("emplois_crees"), 0, UNDOCUMENTED),
                    format_number(e.get("emplois_insertion"), 0, UNDOCUMENTED),
                )
                for e in employment
            ],
            "emploi", "Emploi par année", align="lrrrrr",
        )  # fmt: skip
        charts.show_employment(employment)
    else:
        show_markdown("*Emploi : non documenté.*")


# One small function per grid section: what structured facts, tables and charts it shows.
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


def show_section(ctx: MonographContext, section_id: str) -> None:
    """One grid section: heading, narrative, facts with tables and charts, undocumented questions."""
    show_section_heading(ctx, section_id)
    show_narrative(ctx, section_id)
    show_section_facts(ctx, section_id)
    show_undocumented(ctx, section_id)


def animation_share(entry: Mapping[str, Any]) -> str:
    etp, anim = entry.get("etp"), entry.get("etp_animation")
    if not etp or anim is None:
        return UNDOCUMENTED
    return format_percent(100.0 * anim / etp)


def _source_short(ctx: MonographContext, item: Mapping[str, Any]) -> str:
    source = item.get("source")
    if not source:
        return "non sourcé"
    doc = ctx.corpus.document(str(source), ctx.pole)
    passage = f", {item['passage']}" if item.get("passage") else ""
    reading = reading_of(ctx.pole, item)
    marker = f" *({reading})*" if reading else ""
    return escape_markdown_html((doc.short if doc else str(source)) + passage) + marker


def show_referentiel(ctx: MonographContext) -> None:
    """Radar of the 9 principal objectives against the cohort median, and the indicator table."""
    from .charts import monograph as charts

    ref = ctx.referentiel
    show_markdown(f"## Profil au regard du référentiel d'action (version {ref.version})")
    scores = ctx.pole.scores
    if not scores:
        show_markdown(
            "*Aucun score du référentiel n'est documenté pour ce pôle : le profil ne peut pas être tracé.*"
        )
        return
    profile = objective_profile(scores, ref)
    charts.show_radar(ref, profile, ctx.cohort)
    rows = []
    for objective in ref.objectives:
        for indicator in objective.indicators:
            value = scores.get(indicator.id)
            rows.append(
                (
                    indicator.id,
                    escape_markdown_html(objective.short_label),
                    escape_markdown_html(indicator.display),
                    format_number(value, 0, UNDOCUMENTED) if value is not None else UNDOCUMENTED,
                )
            )
    show_rows(
        ["Indicateur", "Objectif", "Libellé", f"Score ({ref.scale.minimum}–{ref.scale.maximum})"],
        rows, "indicateurs", f"Scores par indicateur (référentiel {ref.version})", align="lllr",
    )  # fmt: skip
    if any(i.reconstructed for i in ref.indicators):
        show_markdown(
            "*Le rattachement des indicateurs aux objectifs principaux, et la place des "
            "indicateurs dont le libellé est illisible dans la source, sont une reconstruction "
            "du projet (voir la note du référentiel).*"
        )


def cited_documents(ctx: MonographContext) -> list[tuple[Document, list[str]]]:
    """Documents cited anywhere in the record, with the passages cited."""
    passages: dict[str, set[str]] = {}

    def add(source: Any, passage: Any) -> None:
        if isinstance(source, str) and source:
            passages.setdefault(source, set())
            if passage:
                passages[source].add(str(passage))

    citations = ctx.pole.get("citations", {})
    if isinstance(citations, Mapping):
        for cite in citations.values():
            if isinstance(cite, Mapping):
                add(cite.get("source"), cite.get("passage"))
    for key in ("structures", "ressources", "emploi", "evenements"):
        for item in ctx.pole.list_of(key):
            add(item.get("source"), item.get("passage"))
    for narrative in ctx.pole.narratives.values():
        for match in CITATION_RE.finditer(narrative.text):
            add(match.group(1), match.group(2))
    result = []
    for source_id in sorted(passages):
        doc = ctx.corpus.document(source_id, ctx.pole) or Document(id=source_id, title=source_id)
        result.append((doc, sorted(passages[source_id])))
    return result


def show_sources(ctx: MonographContext) -> None:
    show_markdown("## Sources")
    docs = cited_documents(ctx)
    if not docs:
        show_markdown("*Aucune source n'est citée par la fiche de ce pôle.*")
        return
    lines = []
    for doc, passages in docs:
        where = f" Passages cités : {'; '.join(passages)}." if passages else ""
        lines.append(f"- {escape_markdown_html(doc.full)}{escape_markdown_html(where)}")
    readings = project_readings(ctx)
    if readings:
        lines += [
            "",
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


def show_provenance(
    ctx: MonographContext, inputs_hash: str = "", template_version: str = ""
) -> None:
    lines = [
        "## Provenance",
        "",
        f"- Modèle de monographie : version {template_version or 'non indiquée'}",
        f"- Empreinte des données d'entrée : `{inputs_hash or 'non calculée (exécution hors construction)'}`",
        f"- ptce-mono {__version__}, grille {ctx.grid.version}, référentiel {ctx.referentiel.version}",
        f"- Produite le {ctx.build_date}",
    ]
    show_markdown("\n".join(lines))
