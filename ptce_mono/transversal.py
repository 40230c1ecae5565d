"""Content of the transversal analysis, part by part. notebooks/analyse-transversale.ipynb calls
these functions, one per cell; statistics come from ``aggregate``, figures from ``charts.transversal`` and
every output goes through ``display`` (the output contract). Each statistic shows its base n."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import aggregate as agg
from .cohort import compute_cohort
from .coverage import Coverage
from .display import escape_markdown_html, show_figure, show_markdown, show_rows
from .fr import UNDOCUMENTED, format_date, format_number, format_percent, typography
from .participation.settings import load_settings
from .paths import ProjectPaths
from .records import Corpus, Pole
from .referentiel import DEFAULT_VERSION, Referentiel


@dataclass(frozen=True)
class TransversalContext:
    paths: ProjectPaths
    corpus: Corpus
    referentiel: Referentiel
    year: int
    build_date: str
    excluded: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)

    @property
    def poles(self) -> tuple[Pole, ...]:
        return self.corpus.poles


def load(data_dir: str | Path, referentiel_version: str = DEFAULT_VERSION) -> TransversalContext:
    """The valid poles of the corpus in ``data_dir`` (invalid records are left out and named)."""
    from .referentiel import load_referentiel
    from .validate import corpus_from_report, validate_corpus

    data = Path(data_dir).resolve()
    paths = ProjectPaths.at(data.parent, data=data)
    report = validate_corpus(paths)
    corpus = corpus_from_report(paths, report)
    ref = load_referentiel(paths.referentiels, referentiel_version)
    today = dt.date.today()
    valid = {p.slug for p in corpus.poles}
    return TransversalContext(
        paths=paths, corpus=corpus, referentiel=ref, year=today.year,
        build_date=format_date(today.year, today.month, today.day),
        excluded=tuple(sorted(p.slug for p in report.poles if p.slug not in valid)),
        names={p.slug: p.name for p in corpus.poles},
    )  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def base(n: int, unit: str = "pôles") -> str:
    """« n = 4 pôles », with « effectif trop faible » when under the threshold."""
    note = agg.low_base_note(n)
    return f"n = {format_number(n)} {unit}" + (f" ; {note}" if note else "")


def _pct(value: float | None, decimals: int = 0) -> str:
    return format_percent(value, decimals, UNDOCUMENTED)


def _num(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals, UNDOCUMENTED)


def _md(text: str) -> None:
    show_markdown(typography(text))


def _distribution_table(
    dist: agg.Distribution, id: str, caption: str, what: str, percent: bool = True
) -> None:
    unit = dist.unit
    cap = f"{caption} ({base(dist.n_poles) if unit == 'pôles' else base(dist.n, unit)}"
    if unit != "pôles":
        cap += f" de {format_number(dist.n_poles)} pôles"
    if dist.undocumented:
        cap += f" ; {format_number(dist.undocumented)} {unit} sans l'information"
    cap += ")"
    if not dist.items:
        rows: list[Sequence[Any]] = [(UNDOCUMENTED, "0", "—")]
    else:
        rows = [(escape_markdown_html(s.label), format_number(s.count), _pct(s.percent))
                for s in dist.items]  # fmt: skip
    show_rows([what, f"Nombre de {unit}", f"Part des {unit}"], rows, id, cap, align="lrr")


def _distribution_figure(dist: agg.Distribution, id: str, title: str, caption: str) -> None:
    from .charts.transversal import build_distribution

    unit = dist.unit
    items = ", ".join(f"{s.label} {_pct(s.percent)}" for s in dist.items[:6]) or UNDOCUMENTED
    show_figure(
        build_distribution(dist, title), id,
        f"{caption} ({base(dist.n, unit)})",
        f"Diagramme en barres horizontales : {title.lower()}, en part des {unit} ({items}).",
    )  # fmt: skip


def _summary_row(label: str, s: agg.Summary, unit: str = "", decimals: int = 0) -> list[str]:
    fmt = (lambda v: _pct(v, decimals)) if unit == "%" else (lambda v: _num(v, decimals))
    return [label, format_number(s.n), fmt(s.median), fmt(s.minimum), fmt(s.maximum)]


# --- parts -----------------------------------------------------------------------------------


def show_title(ctx: TransversalContext) -> None:
    n = len(ctx.poles)
    lines = [
        "# Analyse transversale des PTCE",
        "",
        f"**Analyse transversale** — {base(n)} — {ctx.build_date}",
        "",
        "Le plan d'action de 2013 prévoit la « réalisation des monographies et d'une analyse transversale », "
        "ainsi qu'une typologie des PTCE (Le Labo de l'ESS et al., 2013, axe 2, action 2.1). "
        "Ce document rassemble les faits publics des fiches de pôles : chaque chiffre indique "
        "le nombre de pôles (et, le cas échéant, de structures) sur lequel il repose ; un "
        f"chiffre qui repose sur moins de {agg.LOW_BASE} pôles est marqué comme d'effectif "
        "trop faible. Ce qui n'est pas documenté est signalé comme tel.",
    ]
    if ctx.excluded:
        lines += [
            "",
            f"*Fiches invalides laissées de côté ({len(ctx.excluded)}) : "
            + ", ".join(ctx.excluded)
            + " (voir la commande ptce-mono validate).*",
        ]
    _md("\n".join(lines))


def show_panorama(ctx: TransversalContext) -> None:
    from .charts.transversal import build_map
    from .geo import load_departements

    poles = ctx.poles
    _md("## 1. Panorama des pôles")
    deps = agg.poles_by_departement(poles)
    counts = {s.key: s.count for s in deps.items}
    known = load_departements(ctx.paths.geo)
    listed = ", ".join(
        f"{known[s.key].name if s.key in known else s.key} ({s.count})" for s in deps.items
    )
    show_figure(
        build_map(counts, ctx.paths.geo), "carte",
        f"Pôles par département ({base(deps.n, 'pôles localisés')}"
        + (f" ; {deps.undocumented} sans département documenté" if deps.undocumented else "")
        + ")",
        "Carte de la France métropolitaine par département, colorée selon le nombre de pôles, "
        f"avec un point au centre de chaque département concerné : {listed or 'aucun'}.",
    )  # fmt: skip
    regions = agg.poles_by_region(poles)
    _distribution_table(regions, "regions", "Pôles par région", "Région")
    for dist, id, caption, what in (
        (agg.poles_by_famille(poles), "familles", "Pôles par famille d'activité", "Famille"),
        (agg.poles_by_territoire(poles), "territoires",
         "Pôles par type de territoire (un pôle peut en avoir plusieurs)", "Type de territoire"),
        (agg.poles_by_origine(poles), "origines", "Pôles par origine de la coopération", "Origine"),
    ):  # fmt: skip
        _distribution_table(dist, id, caption, what)
    age = agg.cooperation_age(poles, ctx.year)
    show_rows(
        ["Mesure", "Pôles", "Médiane", "Minimum", "Maximum"],
        [_summary_row(f"Âge de la coopération en {ctx.year} (années)", age)],
        "anciennete",
        f"Ancienneté de la coopération, depuis l'année de début documentée ({base(age.n)})",
        align="lrrrr",
    )


def show_census(ctx: TransversalContext) -> None:
    """The 2011 census (data/recensement): map of candidates by région next to the pôles
    témoins, and the counts of Annex 2 against those of § 2.2."""
    from .census import compare_counts, count_by_region_2016, has_census, load_census
    from .charts.transversal import build_census_map
    from .errors import CensusError

    _md("### Les candidatures de 2011 et les pôles témoins")
    census = None
    if has_census(ctx.paths.data):
        try:
            census = load_census(ctx.paths.data, ctx.paths.geo)
        except CensusError as exc:
            _md(f"*Recensement illisible : {escape_markdown_html(str(exc))}*")
            return
    if census is None:
        _md("*Recensement 2011 non disponible (dossier data/recensement absent).*")
        return
    by_region = count_by_region_2016(census)
    temoins = agg.poles_by_departement([p for p in ctx.poles if p.get("statut.pole_temoin_2012")])
    national = len(census.initiatives) - sum(by_region.values())
    _md(
        f"L'annexe 2 du plan d'action de 2013 liste {format_number(len(census.initiatives))} "
        "initiatives ayant répondu à l'appel à candidatures de fin 2011, dont "
        f"{format_number(national)} nationales (sans région) ; le § 2.2 du même plan compte les "
        "candidatures par région (Le Labo de l'ESS et al., 2013, annexe 2 et § 2.2). La carte "
        "les rapporte aux régions de 2016, à côté des pôles témoins du corpus "
        f"({base(temoins.n, 'pôles témoins localisés')})."
    )
    show_figure(
        build_census_map(by_region, {s.key: s.count for s in temoins.items}, ctx.paths.geo),
        "carte-recensement",
        "Initiatives candidates en 2011 par région (découpage de 2016) et pôles témoins de 2012",
        "Carte de la France métropolitaine : chaque région est colorée selon le nombre "
        "d'initiatives de l'annexe 2 ("
        + ", ".join(f"{r} : {format_number(n)}" for r, n in sorted(by_region.items()))
        + ") ; un point marque chaque département qui compte un pôle témoin du corpus.",
    )  # fmt: skip
    rows = [
        [
            escape_markdown_html(c.region_before_2016), escape_markdown_html(c.region),
            format_number(c.listed),
            "non citée" if c.announced is None else format_number(c.announced),
            "écart" if c.differs else "",
        ]
        for c in compare_counts(census)
    ]  # fmt: skip
    show_rows(
        ["Région (avant 2016)", "Région (2016)", "Annexe 2", "§ 2.2", ""], rows, "recensement",
        "Initiatives par région : liste de l'annexe 2 et candidatures du § 2.2 (une ligne du "
        "§ 2.2 qui nomme plusieurs régions est lue comme ce nombre pour chacune : lecture du "
        "projet)", align="llrrl",
    )  # fmt: skip


def show_consolidated(ctx: TransversalContext) -> None:
    poles = ctx.poles
    _md(
        "## 2. Chiffres consolidés\n\nÀ la manière de l'enquête d'analyse des PTCE du Labo de "
        "l'ESS (données 2015, publiée en 2017) : composition des pôles, mutualisations, valeurs "
        "fondatrices, animation et emplois."
    )
    statuses = agg.legal_statuses(poles)
    _distribution_table(statuses, "statuts", "Statuts juridiques des structures membres",
                        "Statut juridique")  # fmt: skip
    _distribution_figure(statuses, "statuts", "Statuts juridiques des structures",
                         "Statuts juridiques des structures membres")  # fmt: skip
    iae = agg.iae_share(poles)
    _distribution_table(iae, "iae", "Structures d'insertion par l'activité économique", "")
    mutual = agg.mutualisations(poles)
    _distribution_table(mutual, "mutualisations", "Mutualisations par type, en part des pôles",
                        "Mutualisation")  # fmt: skip
    _distribution_figure(mutual, "mutualisations", "Mutualisations par type",
                         "Mutualisations par type, en part des pôles")  # fmt: skip
    values = agg.valeurs(poles)
    _distribution_table(values, "valeurs", "Valeurs fondatrices (libellés exacts des fiches)",
                        "Valeur")  # fmt: skip
    show_animation(ctx)
    show_jobs(ctx)


def show_animation(ctx: TransversalContext) -> None:
    from .charts.transversal import build_animation

    rows, summary = agg.animation_shares(ctx.poles)
    table = [
        (escape_markdown_html(r.name), str(r.year), _num(r.etp, 1), _num(r.etp_animation, 1),
         _pct(r.percent, 1))
        for r in sorted(rows, key=lambda r: r.name)
    ]  # fmt: skip
    if not table:
        table = [(UNDOCUMENTED, "—", "—", "—", "—")]
    show_rows(
        ["Pôle", "Année", "ETP", "dont animation", "Part de l'animation"], table, "animation",
        "Part des ETP consacrée à l'animation et à la coordination, dernière année documentée "
        f"(médiane {_pct(summary.median, 1)}, minimum {_pct(summary.minimum, 1)}, maximum "
        f"{_pct(summary.maximum, 1)} ; {base(summary.n)})",
        align="lrrrr",
    )  # fmt: skip
    show_figure(
        build_animation(rows, summary), "animation",
        f"Part des ETP consacrée à l'animation ({base(summary.n)})",
        "Diagramme en barres : pour chaque pôle, la part de ses équivalents temps plein "
        f"consacrée à l'animation, avec la médiane ({_pct(summary.median, 1)}).",
    )  # fmt: skip


def show_jobs(ctx: TransversalContext) -> None:
    jobs = agg.jobs_created(ctx.poles)
    per = jobs.per_pole_summary
    rows = [
        ["Emplois créés, toutes années documentées", format_number(jobs.n),
         format_number(jobs.total) if jobs.n else UNDOCUMENTED],
        ["Emplois créés, dernière année documentée de chaque pôle", format_number(jobs.n),
         format_number(jobs.total_latest) if jobs.n else UNDOCUMENTED],
        ["Emplois créés par pôle (toutes années) : médiane", format_number(per.n), _num(per.median, 1)],
        ["Emplois créés par pôle : minimum – maximum", format_number(per.n),
         f"{_num(per.minimum)} – {_num(per.maximum)}" if per.n else UNDOCUMENTED],
    ]  # fmt: skip
    show_rows(["Mesure", "Pôles", "Valeur"], rows, "emplois",
              f"Emplois créés ({base(jobs.n)})", align="lrr")  # fmt: skip


def show_survey_2017(ctx: TransversalContext) -> None:
    """The published figures of the 2017 survey beside this corpus's (same definitions)."""
    poles = ctx.poles
    statuses = agg.legal_statuses(poles)
    iae = agg.iae_share(poles)
    mutual = agg.mutualisations(poles)
    values = agg.valeurs(poles)
    _, anim = agg.animation_shares(poles)

    def status(*keys: str) -> str:
        count = sum(s.count for s in statuses.items if s.key in keys)
        return (_pct(100 * count / statuses.n) + f" ({base(statuses.n, 'structures')})"
                if statuses.n else UNDOCUMENTED)  # fmt: skip

    def share(dist: agg.Distribution, key: str) -> str:
        s = dist.share(key)
        if not dist.n:
            return UNDOCUMENTED
        return _pct(s.percent if s else 0.0) + f" ({base(dist.n, dist.unit)})"

    ours = {
        "Structures d'insertion par l'activité économique": share(iae, "iae"),
        "Statut associatif": status("association"),
        "SARL": status("sarl"),
        "SCIC": status("scic"),
        "Collectivités territoriales": status("collectivite", "epci"),
        "Valeur : coopération": share(values, "coopération"),
        "Valeur : mutualisation": share(values, "mutualisation"),
        "Valeur : lien social et solidarité": share(values, "solidarité"),
        "Mutualisation de compétences": share(mutual, "competences"),
        "Mutualisation de connaissances": share(mutual, "connaissances"),
        "Mutualisation de lieux": share(mutual, "lieux"),
        "Mutualisation de moyens matériels": share(mutual, "moyens-materiels"),
        "Mutualisation de moyens financiers": share(mutual, "moyens-financiers"),
        "Part des ETP consacrée à l'animation": (
            f"médiane {_pct(anim.median, 1)}, de {_pct(anim.minimum, 1)} à "
            f"{_pct(anim.maximum, 1)} ({base(anim.n)})" if anim.n else UNDOCUMENTED
        ),
        "Pôles consolidés": base(len(poles)),
    }  # fmt: skip
    rows = [(label, f"{value} {scope}".strip(), ours.get(label, "—"))
            for label, value, scope in agg.SURVEY_2017]  # fmt: skip
    show_rows(
        ["Indicateur", "Enquête 2017 (données 2015)", "Ce corpus"], rows, "enquete-2017",
        "Rappel des chiffres publiés de l'enquête d'analyse des PTCE du Labo de l'ESS (ASH, 2017) "
        "et chiffres du corpus ; pour la valeur que l'article nomme « le [renforcement du] lien "
        "social et la solidarité », le corpus compte le libellé exact solidarité ; la ligne des "
        "collectivités réunit collectivités et EPCI",
    )  # fmt: skip


def show_referentiel(ctx: TransversalContext) -> None:
    from .charts.transversal import build_indicator_means, build_objective_profile

    ref = ctx.referentiel
    scored = agg.scored_poles(ctx.poles, ref)
    _md(
        f"## 3. Le référentiel d'action à travers les pôles (version {ref.version})\n\n"
        f"{base(len(scored))} noté(s) avec cette version. Comme l'annexe 3 du plan d'action de "
        "2013, qui classe les indicateurs selon leur importance moyenne (de « moins de 4 » à "
        "« 5,6 et plus », sur une échelle qu'elle ne précise pas), les indicateurs sont rangés "
        "par score moyen et regroupés en classes ; les seuils sont ici adaptés à l'échelle de "
        f"{ref.scale.minimum} à {ref.scale.maximum} retenue pour noter les pôles (classes de "
        "0,5 point), ils ne reprennent pas ceux de l'annexe."
    )
    stats = agg.indicator_means(ctx.poles, ref)
    rows = []
    for label, group in agg.indicator_classes(stats):
        for s in group:
            rows.append([label, s.id, escape_markdown_html(s.label), _num(s.mean, 2),
                         format_number(s.summary.n), _num(s.summary.std, 2),
                         _num(s.summary.minimum), _num(s.summary.maximum)])  # fmt: skip
    unscored = [s.id for s in stats if s.mean is None]
    if not rows:
        rows = [["—", "—", "aucun indicateur noté", UNDOCUMENTED, "0", "—", "—", "—"]]
    caption = f"Score moyen des indicateurs, par classe ({base(len(scored))})"
    if unscored:
        caption += f" ; {len(unscored)} indicateur(s) noté(s) par aucun pôle"
    show_rows(["Classe", "Indicateur", "Libellé", "Moyenne", "Pôles", "Écart type", "Min.",
               "Max."], rows, "indicateurs", caption, align="lllrrrrr")  # fmt: skip
    show_figure(
        build_indicator_means(stats, ref), "indicateurs",
        f"Score moyen par indicateur, du plus élevé au plus faible ({base(len(scored))})",
        "Diagramme en barres horizontales du score moyen de chaque indicateur noté, avec "
        "l'étendue minimum–maximum entre les pôles.",
    )  # fmt: skip
    summaries = agg.objective_summaries(ctx.poles, ref)
    profile_rows = [
        [f"{o.id}. {o.short_label}", format_number(summaries[o.id].n), _num(summaries[o.id].mean, 2),
         _num(summaries[o.id].median, 2), _num(summaries[o.id].std, 2),
         _num(summaries[o.id].minimum, 2), _num(summaries[o.id].maximum, 2)]
        for o in ref.objectives
    ]  # fmt: skip
    show_rows(["Objectif principal", "Pôles", "Moyenne", "Médiane", "Écart type", "Min.", "Max."],
              profile_rows, "objectifs",
              f"Profil par objectif principal : moyenne de ses indicateurs, puis dispersion entre "
              f"pôles ({base(len(scored))})", align="lrrrrrr")  # fmt: skip
    show_figure(
        build_objective_profile(summaries, ref), "objectifs",
        f"Profil moyen des pôles par objectif principal ({base(len(scored))})",
        "Diagramme en barres du score moyen de chacun des neuf objectifs principaux, avec "
        "l'étendue minimum–maximum entre les pôles.",
    )  # fmt: skip


def show_typology(ctx: TransversalContext) -> None:
    from .charts.transversal import build_dendrogram

    _md(
        "## 4. Vers une typologie\n\nCroisement de la famille d'activité, du type de territoire "
        "et de l'origine de la coopération, les trois dimensions de la première typologie des "
        "douze pôles témoins (Podlewski, 2014, § II.1)."
    )
    table = agg.typology(ctx.poles)
    rows = [[*list(r[:3]), format_number(r[3])] for r in table] or [
        [UNDOCUMENTED, UNDOCUMENTED, UNDOCUMENTED, "0"]
    ]
    show_rows(["Famille d'activité", "Type de territoire", "Origine", "Pôles"], rows, "typologie",
              f"Pôles par famille d'activité, type de territoire et origine ({base(len(ctx.poles))})",
              align="lllr")  # fmt: skip
    clustering = agg.cluster_profiles(ctx.poles, ctx.referentiel)
    _md(f"*{clustering.message}*")
    if clustering.ok:
        show_figure(
            build_dendrogram(clustering, ctx.names), "dendrogramme",
            f"Classification exploratoire des profils par objectif (Ward, {base(clustering.n)})",
            "Dendrogramme de la classification ascendante hiérarchique des pôles selon leur "
            "profil sur les neuf objectifs principaux.",
        )  # fmt: skip
        groups = [[str(g), escape_markdown_html(ctx.names.get(s, s))]
                  for s, g in sorted(clustering.groups.items(), key=lambda x: (x[1], x[0]))]  # fmt: skip
        show_rows(["Groupe", "Pôle"], groups, "groupes",
                  f"Groupes de la classification exploratoire ({base(clustering.n)})")  # fmt: skip


def show_coverage(ctx: TransversalContext) -> None:
    from .charts.transversal import build_coverage_heatmap

    grid = ctx.corpus.grid
    matrix = agg.coverage_matrix(ctx.poles, grid)
    counts = agg.coverage_counts(matrix)
    n = len(ctx.poles)
    _md(
        "## 5. Complétude de la documentation\n\nPour chaque section de la grille d'analyse "
        "et chaque pôle : documentée (récit et toutes les questions directrices), partielle, "
        "ou non documentée. Les cases grises et jaunes indiquent où le travail de terrain reste "
        "à faire."
    )
    slugs = sorted((p.slug for p in ctx.poles), key=lambda s: ctx.names.get(s, s))
    labels = {s.id: f"{s.number}. {s.title}" for s in grid.sections}
    rows = [
        [labels[sid], *(row[s].value for s in slugs),
         format_number(counts[sid][Coverage.DOCUMENTED]), format_number(counts[sid][Coverage.MISSING])]
        for sid, row in matrix.items()
    ]  # fmt: skip
    show_rows(
        ["Section", *(escape_markdown_html(ctx.names.get(s, s)) for s in slugs), "Documentée",
         "Non documentée"], rows, "completude",
        f"Documentation des sections de la grille par pôle ({base(n)})",
    )  # fmt: skip
    show_figure(
        build_coverage_heatmap(matrix, labels, ctx.names), "completude",
        f"Complétude de la documentation : sections de la grille × pôles ({base(n)})",
        "Carte de chaleur : une ligne par section de la grille, une colonne par pôle, en vert "
        "les sections documentées, en jaune les partielles, en gris les non documentées.",
    )  # fmt: skip


def show_poles_vs_cohort(ctx: TransversalContext) -> None:
    from .charts.transversal import build_small_multiples

    ref = ctx.referentiel
    by_pole = agg.profiles(ctx.poles, ref)
    cohort = compute_cohort(ctx.poles, ref, load_settings(ctx.paths))
    _md(
        "## 6. Chaque pôle au regard de l'ensemble\n\nProfil de chaque pôle noté sur les neuf "
        f"objectifs principaux, comparé à la médiane des pôles ({base(cohort['poles'])})."
    )
    items = sorted(((ctx.names.get(s, s), pr) for s, pr in by_pole.items()), key=lambda x: x[0])
    show_figure(
        build_small_multiples(ref, items, cohort), "poles-cohorte",
        f"Profil de chaque pôle et médiane des pôles ({base(cohort['poles'])})",
        f"Petits diagrammes en radar, un par pôle noté ({len(items)}), superposant le profil "
        "du pôle sur les neuf objectifs principaux et la médiane de l'ensemble.",
    )  # fmt: skip
    unscored = [p.name for p in ctx.poles if p.slug not in by_pole]
    if unscored:
        _md(f"*Pôles sans score du référentiel {ref.version} ({len(unscored)}) : "
            + escape_markdown_html(", ".join(sorted(unscored))) + ".*")  # fmt: skip


def show_waves(ctx: TransversalContext) -> None:
    """Declared scores of the poles, wave by wave (n poles at each wave)."""
    from .participation.settings import load_settings
    from .participation.transversal import show_waves as show

    show(ctx.poles, ctx.referentiel, load_settings(ctx.paths))


def show_data(ctx: TransversalContext, export_dir: str | Path = "") -> None:
    """Write the public data package (when ``export_dir`` is given) and say what it holds."""
    from .dataset import build_tables, corpus_sources, table_title, write_datapackage

    tables = build_tables(ctx.corpus)
    if export_dir:
        write_datapackage(tables, Path(export_dir), corpus_sources(ctx.corpus))
    rows = [[f"{name}.csv", table_title(name), format_number(len(frame))]
            for name, frame in tables.items()]  # fmt: skip
    _md(
        "## 7. Données et sources\n\nLes tableaux de cette analyse sont publiés comme paquet de "
        "données (Frictionless Data Package, fichier datapackage.json et un fichier CSV par "
        "table, licence ODC-BY 1.0). Chaque fait provient d'un document source cité dans la "
        "fiche du pôle ; les contacts, entretiens et notes de travail n'en font jamais partie."
    )
    show_rows(["Fichier", "Table", "Lignes"], rows, "donnees",
              f"Tables du paquet de données ({base(len(ctx.poles))})", align="llr")  # fmt: skip
    docs = [ctx.corpus.bibliography.get(i) for i in ("labo-ess-2013", "podlewski-2014", "ash-2017")]
    refs = [f"- {escape_markdown_html(d.full)}" for d in docs if d is not None]
    if refs:
        _md("**Sources de la démarche**\n\n" + "\n".join(refs))
