"""Content of the transversal analysis, part by part. notebooks/analyse-transversale.ipynb calls
these functions, one per cell; statistics come from ``aggregate`` and ``typology``, figures from
``charts.transversal``, and every output goes through ``display`` (the output contract).

Rules kept everywhere: each figure rests on a base n printed with it; a fact a record does not
give is *non documenté*, never 0; nothing is charted for fewer than :data:`aggregate.LOW_BASE`
poles (a sentence with n instead, and no alt text for a chart not drawn); text between
guillemets is verbatim from a cited source. Figures and tables are numbered in the order they
appear (as the renderers number them) and listed at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis import aggregate as agg
from ..analysis.cohort import compute_cohort
from ..analysis.coverage import RULE, Coverage
from ..core.fr import (
    UNDOCUMENTED,
    agree_plural_unit,
    format_date,
    format_number,
    format_percent,
    plural,
    typography,
    words,
)
from ..core.paths import ProjectPaths
from ..corpus.answer_settings import load_settings
from ..corpus.bibliography import CorpusBibliography, cite, corpus_bibliography, keyed_csl_items
from ..corpus.records import Corpus, Pole
from ..corpus.referentiel import (
    DEFAULT_VERSION,
    Referentiel,
    principal_objectives,
    version_or_default,
)
from .display import escape_markdown_html, show_bibliography, show_figure, show_markdown, show_rows


@dataclass
class Numbering:
    """Figures and tables in the order they are shown: (number, id, caption)."""

    figures: list[tuple[int, str, str]] = field(default_factory=list)
    tables: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def next_figure(self) -> int:
        return len(self.figures) + 1

    @property
    def next_table(self) -> int:
        return len(self.tables) + 1


@dataclass(frozen=True)
class TransversalContext:
    paths: ProjectPaths
    corpus: Corpus
    referentiel: Referentiel
    year: int
    build_date: str
    excluded: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    numbering: Numbering = field(default_factory=Numbering)
    findings: list[str] = field(default_factory=list)  # provisional lessons, each with its n
    bibliography: CorpusBibliography | None = None  # every document the analysis may cite
    cited: set[str] = field(default_factory=set)  # keys cited so far, listed at the end
    fictional: tuple[str, ...] = ()  # demonstration poles left out (fictif: true)

    @property
    def poles(self) -> tuple[Pole, ...]:
        return self.corpus.poles


def load(data_dir: str | Path, referentiel_version: str = DEFAULT_VERSION) -> TransversalContext:
    """The valid poles of the corpus in ``data_dir`` (invalid records are left out and named)."""
    from ..checks.validate import corpus_from_report, validate_corpus
    from ..corpus.referentiel import load_referentiel

    data = Path(data_dir).resolve()
    paths = ProjectPaths.at(data.parent, data=data)
    referentiel_version = version_or_default(referentiel_version)  # the notebook's default: ""
    report = validate_corpus(paths)
    corpus = corpus_from_report(paths, report)
    valid = {p.slug for p in corpus.poles}
    fictional = tuple(sorted(p.slug for p in corpus.poles if p.fictional))
    corpus = real_poles_only(corpus)
    ref = load_referentiel(paths.referentiels, referentiel_version)
    today = dt.date.today()
    return TransversalContext(
        paths=paths, corpus=corpus, referentiel=ref, year=today.year,
        build_date=format_date(today.year, today.month, today.day),
        excluded=tuple(sorted(p.slug for p in report.poles if p.slug not in valid)),
        names={p.slug: p.name for p in corpus.poles},
        bibliography=corpus_bibliography(corpus), fictional=fictional,
    )  # fmt: skip


def real_poles_only(corpus: Corpus) -> Corpus:
    """The corpus without its fictional demonstration poles: never counted among the PTCE."""
    from dataclasses import replace

    return replace(corpus, poles=tuple(p for p in corpus.poles if not p.fictional))


# --- helpers ---------------------------------------------------------------------------------


def base(n: int, unit: str = "pôles") -> str:
    """« n = 4 pôles », with the low-base note when under the threshold."""
    note = agg.low_base_note(n)
    return f"n = {format_number(n)} {agree_plural_unit(n, unit)}" + (f" ; {note}" if note else "")


def _pct(value: float | None, decimals: int = 0) -> str:
    return format_percent(value, decimals, UNDOCUMENTED)


def _num(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals, UNDOCUMENTED)


def _md(text: str) -> None:
    show_markdown(typography(text))


def share_text(count: int, n: int, unit: str = "pôles", n_poles: int | None = None) -> str:
    """« 3 sur 12 pôles documentés (25 %) »: a share always with its documented base; the
    percentage only from 3 poles; never « 0 % » (a value no record mentions is non documenté)."""
    poles = n if n_poles is None else n_poles
    documented = "documentées" if unit == "structures" else "documentés"
    if not n:
        return f"{UNDOCUMENTED} (n = 0)"
    of_n = f"{format_number(n)} {agree_plural_unit(n, f'{unit} {documented}')}"  # 1 structure documentée
    if poles < agg.LOW_BASE:
        return f"effectif trop faible ({format_number(count)} sur {of_n}, {plural(poles, 'pôle')})"
    if not count:
        return f"{UNDOCUMENTED} : aucune des {plural(n, 'fiche')} ne le mentionne"
    return f"{format_number(count)} sur {of_n} ({format_percent(100.0 * count / n)})"


def _table(
    ctx: TransversalContext, columns: Sequence[str], rows: Sequence[Sequence[Any]], id: str,
    caption: str, align: Sequence[str] = (),
) -> int:  # fmt: skip
    number = ctx.numbering.next_table
    ctx.numbering.tables.append((number, id, caption))
    show_rows(columns, rows, id, caption, align)
    return number


def _figure(
    ctx: TransversalContext, n: int, build: Callable[[], Any], id: str, caption: str, alt: str,
    what: str,
) -> int | None:  # fmt: skip
    """Draw the figure only from :data:`aggregate.LOW_BASE` poles; else say why, with n."""
    if n < agg.LOW_BASE:
        why = (f"il reposerait sur {plural(n, 'pôle')} (n = {n}), moins de {agg.LOW_BASE}"
               if n else "une seule modalité ou aucun pôle documenté (n = 0 pour un graphique)")  # fmt: skip
        _md(f"*Pas de graphique pour {what} : {why}.*")
        return None
    number = ctx.numbering.next_figure
    ctx.numbering.figures.append((number, id, caption))
    show_figure(build(), id, caption, alt)
    return number


def _refer(ctx: TransversalContext, n: int, text: str) -> None:
    """Refer to the figure about to be drawn (only when it will be: n >= LOW_BASE)."""
    if n >= agg.LOW_BASE:
        _md(f"La figure {ctx.numbering.next_figure} {text}.")


def _learn(ctx: TransversalContext, sentence: str) -> None:
    """Keep a provisional lesson for the closing part (the sentence carries its n)."""
    ctx.findings.append(sentence)


def _names(slugs: Sequence[str], names: dict[str, str]) -> str:
    items = [escape_markdown_html(names.get(s, s)) for s in slugs]
    return ", ".join(items[:-1]) + " et " + items[-1] if len(items) > 1 else "".join(items)


def _bibliography(ctx: TransversalContext) -> CorpusBibliography:
    return ctx.bibliography or corpus_bibliography(ctx.corpus)


def _cite(ctx: TransversalContext, doc_id: str, passage: str = "", slug: str | None = None) -> str:
    """A pandoc citation of a document of the bibliography (formatted and linked by citeproc
    as in the monographs, and listed at the end); plain text for an unknown document."""
    keys = _bibliography(ctx).pole_keys(slug)
    if doc_id in keys:
        ctx.cited.add(keys[doc_id])
    return cite(doc_id, passage, keys, keys)


# --- parts -----------------------------------------------------------------------------------


def show_title(ctx: TransversalContext) -> None:
    n = len(ctx.poles)
    lines = [
        "# Analyse transversale des PTCE",
        "",
        f"**Analyse transversale** — {base(n)} — {ctx.build_date}",
        "",
        "Le plan d'action de 2013 prévoit, pour juillet à novembre 2013, la « réalisation des "
        "monographies et d'une analyse transversale », et en attend « une définition stabilisée "
        "et une typologie des PTCE » ; les sept catégories de la grille d'analyse « seront "
        "consolidées par croisement avec les indicateurs du référentiel PTCE » "
        f"{_cite(ctx, 'labo-ess-2013', 'axe 2, action 2.1')}. Ce document rassemble les faits "
        "publics des fiches de pôles dans cet esprit : il reproduit d'abord la typologie publiée "
        f"en 2014 {_cite(ctx, 'podlewski-2014', '§ II.1')}, puis parcourt les "
        f"{words(len(ctx.corpus.grid.sections), 'catégorie')} de la grille, le référentiel, "
        "les chiffres consolidés et la complétude de la documentation, avant des "
        "enseignements provisoires.",
        "",
        "**Conventions.** Chaque chiffre indique le nombre de pôles (n) sur lequel il repose, "
        "et une part est toujours calculée sur les pôles dont la fiche documente le fait. "
        f"*{UNDOCUMENTED.capitalize()}* signifie que la fiche ne donne pas le fait : ce n'est "
        f"jamais zéro. Un chiffre qui repose sur moins de {agg.LOW_BASE} pôles est marqué "
        f"*effectif trop faible* et n'est jamais représenté par un graphique. Le texte entre "
        "guillemets est recopié mot pour mot de la source citée. Les figures et tableaux sont "
        "numérotés et listés à la fin du document.",
    ]
    if ctx.fictional:
        lines += [
            "",
            f"*Pôle{'s' if len(ctx.fictional) > 1 else ''} fictif{'s' if len(ctx.fictional) > 1 else ''} "
            f"de démonstration laissé{'s' if len(ctx.fictional) > 1 else ''} de côté, jamais "
            "compté parmi les PTCE : " + ", ".join(ctx.fictional) + ".*",
        ]
    if ctx.excluded:
        lines += [
            "",
            f"*Fiches invalides laissées de côté ({len(ctx.excluded)}) : "
            + ", ".join(ctx.excluded)
            + " (voir la commande ptce-mono validate).*",
        ]
    _md("\n".join(lines))


def _distribution_rows(dist: agg.Distribution) -> list[list[str]]:
    return [
        [escape_markdown_html(s.label), format_number(s.count),
         _pct(s.percent) if dist.n_poles >= agg.LOW_BASE else "effectif trop faible"]
        for s in dist.items
    ]  # fmt: skip


def _distribution(ctx: TransversalContext, dist: agg.Distribution, id: str, caption: str,
                  what: str) -> None:  # fmt: skip
    """A distribution as a table on its documented base, or a sentence when nothing is."""
    total = dist.n_poles + (dist.undocumented if dist.unit == "pôles" else 0)
    if not dist.items:
        _md(f"*{caption} : {UNDOCUMENTED} pour les {format_number(total or len(ctx.poles))} "
            "pôles (n = 0).*")  # fmt: skip
        return
    unit = dist.unit
    if unit == "pôles":
        cap = f"{caption} ({base(dist.n_poles)} documentés"
        if dist.undocumented:
            cap += f", {format_number(dist.undocumented)} {UNDOCUMENTED}"
            cap += "s" if dist.undocumented > 1 else ""
    else:
        cap = (f"{caption} ({plural(dist.n, 'structure')} dont le fait est documenté, dans "
               f"{base(dist.n_poles)}")  # fmt: skip
        if dist.undocumented:
            cap += f" ; {plural(dist.undocumented, 'structure')} sans l'information"
    cap += ")"
    documented = "documentées" if unit == "structures" else "documentés"
    _table(ctx, [what, f"Nombre de {unit}", f"Part des {unit} {documented}"],
           _distribution_rows(dist), id, cap, align="lrr")  # fmt: skip


def show_panorama(ctx: TransversalContext) -> None:
    from ..corpus.geo import load_departements
    from .charts.transversal import build_map

    poles = ctx.poles
    deps = agg.poles_by_departement(poles)
    counts = {s.key: s.count for s in deps.items}
    known = load_departements(ctx.paths.geo)
    listed = ", ".join(
        f"{known[s.key].name if s.key in known else s.key} ({s.count})" for s in deps.items
    )
    figure, table = ctx.numbering.next_figure, ctx.numbering.next_table
    _md(
        "## 1. Panorama des pôles\n\n"
        f"La figure {figure} situe les {plural(deps.n, 'pôle')} dont le département est "
        f"documenté ; le tableau {table} les répartit par région."
    )
    _figure(
        ctx, deps.n, lambda: build_map(counts, ctx.paths.geo), "carte",
        f"Pôles par département ({base(deps.n, 'pôles localisés')}"
        + (f" ; {deps.undocumented} sans département documenté" if deps.undocumented else "")
        + ")",
        "Carte de la France métropolitaine par département, colorée selon le nombre de pôles "
        "(légende : 1, 2, 3 pôles ou plus), avec un point par département concerné et un "
        f"agrandissement de Paris et de la petite couronne : {listed or 'aucun'}.",
        "la carte des pôles",
    )  # fmt: skip
    _distribution(ctx, agg.poles_by_region(poles), "regions", "Pôles par région", "Région")
    age = agg.cooperation_age(poles, ctx.year)
    if age.n:
        _table(ctx, ["Mesure", "Pôles", "Médiane", "Minimum", "Maximum"],
               [[f"Âge de la coopération en {ctx.year} (années)", format_number(age.n),
                 _num(age.median), _num(age.minimum), _num(age.maximum)]],
               "anciennete",
               f"Ancienneté de la coopération, depuis l'année de début documentée ({base(age.n)}"
               f" documentés sur {format_number(len(poles))})", align="lrrrr")  # fmt: skip
    else:
        _md(f"*Ancienneté de la coopération : {UNDOCUMENTED} (aucune fiche ne donne l'année de "
            f"début ; n = 0 sur {format_number(len(poles))} pôles).*")  # fmt: skip


def _quote(extract: Any, ctx: TransversalContext, source: str) -> str:
    return f"« {escape_markdown_html(extract.shown)} » {_cite(ctx, source, extract.passage)}"


def show_typology_2014(ctx: TransversalContext) -> None:
    """The 2014 typology: the published figures beside the ones recomputed from the records."""
    from ..analysis.typology import (
        PUBLICATION_FILE,
        PUBLICATIONS_DIR,
        cell,
        load_publication,
        reproduce,
    )

    path = ctx.paths.data / PUBLICATIONS_DIR / PUBLICATION_FILE
    head = "## 2. La typologie de 2014, reproduite depuis les fiches\n\n"
    if not path.is_file():
        _md(head + f"*Les chiffres publiés de la typologie de 2014 ne sont pas disponibles "
            f"(fichier data/{PUBLICATIONS_DIR}/{PUBLICATION_FILE} absent) : pas de "
            "reproduction.*")  # fmt: skip
        return
    publication = load_publication(path)
    rep = reproduce(publication, ctx.poles)
    src = publication.source
    first, second = ctx.numbering.next_table, ctx.numbering.next_table + 1
    text = [
        head,
        f"L'article de 2014 dresse une première typologie de ses douze études de cas de pôles "
        f"témoins {_cite(ctx, src, publication.passage)}. Le tableau {first} met chaque "
        "chiffre publié en regard du même chiffre recalculé depuis les fiches de ces pôles ; le "
        f"tableau {second} donne le codage de chaque pôle. Ce qu'une fiche ne dit pas reste "
        f"*{UNDOCUMENTED}*, jamais compté comme un non. La vérification n'est pas indépendante "
        "quand les fiches ont été codées d'après ce même article : le tableau dit d'où vient "
        "chaque valeur, et un accord entre deux chiffres de même source ne confirme rien.",
    ]
    if rep.missing:
        text.append(
            f"\n\n*Fiches absentes du corpus ({len(rep.missing)} des {len(publication.poles)} "
            "pôles de l'article) : " + escape_markdown_html(", ".join(c.name for c in rep.missing))
            + ".*"
        )  # fmt: skip
    _md("".join(text))
    rows = [
        [escape_markdown_html(c.dimension.title), escape_markdown_html(c.dimension.published),
         escape_markdown_html(c.recomputed), f"{format_number(c.n)} sur {format_number(rep.n)}",
         _provenance_cell(c), c.status]
        for c in rep.comparisons
    ]  # fmt: skip
    _table(ctx, ["Dimension", f"Publié {_cite(ctx, src)}", "Recalculé depuis les fiches",
                 "Pôles documentés", "D'où viennent les valeurs des fiches", "Comparaison"],
           rows, "typologie-2014",
           f"Typologie des douze études de cas : chiffres publiés et chiffres recalculés depuis "
           f"les fiches ({base(rep.n)} de l'article présents dans le corpus)",
           align="lllrll")  # fmt: skip
    _md(_comparison_notes(rep))
    dims = [d for d in publication.dimensions if d.id != "structures"]
    coding_rows = [
        [escape_markdown_html(p.name)]
        + [cell(rep.coding[p.slug][d.id], _labels(d), rep.readings[p.slug][d.id]) for d in dims]
        for p in rep.found
    ]
    _table(ctx, ["Pôle", *(_column(d.id, d.title) for d in dims)], coding_rows,
           "typologie-poles",
           f"Codage de chaque pôle de l'article d'après sa fiche ({base(rep.n)} ; "
           f"{UNDOCUMENTED} : la fiche ne donne pas le fait ; lecture du projet : codage "
           "ou identification par l'équipe, non énoncé par la source)")  # fmt: skip
    quotes = [f"- {escape_markdown_html(d.title)} : " + " ; ".join(
        _quote(e, ctx, src) for e in d.extracts) for d in publication.dimensions]  # fmt: skip
    _md("**Les passages de l'article.**\n\n" + "\n".join(quotes))
    _learn(ctx, typology_finding(rep))


def _provenance_cell(comparison: Any) -> str:
    """Where the records' values on a dimension come from: the compared article itself, a
    reading of the project, or an independent source (counts of documented poles)."""
    from ..analysis.typology import FROM_SOURCE, INDEPENDENT, READING

    origins = [comparison.provenance.get(s) for s in comparison.documented]
    parts = [
        f"{label} : {format_number(origins.count(kind))}"
        for kind, label in ((FROM_SOURCE, "l'article lui-même"), (READING, "lecture du projet"),
                            (INDEPENDENT, "source indépendante"))
        if origins.count(kind)
    ]  # fmt: skip
    return " ; ".join(parts) or "aucune fiche documentée"


def _comparison_notes(rep: Any) -> str:
    """Per dimension, why the comparison says what it says, then what the figures show."""
    lines = [
        "**Ce que chaque comparaison peut dire.** Une différence n'est appelée écart qu'entre "
        "le chiffre publié et des valeurs indépendantes de l'article, sur au moins trois pôles "
        "documentés ; une valeur reprise de l'article ne peut pas le confirmer, une lecture du "
        "projet ne peut pas le contredire, et des membres que l'article compte sans les nommer "
        "rendent son chiffre non vérifiable.",
        "",
    ]
    for c in rep.comparisons:
        title = escape_markdown_html(c.dimension.title)
        text = f"- *{title}* — {c.status} : {escape_markdown_html(c.reason)}."
        if c.differences:
            text += " Les chiffres des fiches : " + " ".join(
                escape_markdown_html(d) for d in c.differences
            )
        if c.dimension.remark:
            text += f" Remarque : {escape_markdown_html(c.dimension.remark)}"
        lines.append(text)
    return "\n".join(lines)


def typology_finding(rep: Any) -> str:
    """The conclusion on the 2014 typology: only real comparisons are counted as such."""
    from ..analysis.typology import AGREES, DIFFERS, TAKEN

    total = len(rep.comparisons)
    compared = [c for c in rep.comparisons if c.is_comparison]
    taken = sum(1 for c in rep.comparisons if c.status == TAKEN)
    unverifiable = total - len(compared) - taken
    base_text = f"(n = {rep.n} pôles de l'article présents dans le corpus)"
    if not compared:
        return (
            f"Aucune des {total} dimensions de la typologie de 2014 ne peut encore être comparée "
            f"à des données indépendantes de l'article : {taken} "
            f"{'reprennent' if taken > 1 else 'reprend'} l'article lui-même (l'accord ne le "
            f"confirme pas) et {unverifiable} "
            f"{_not_verifiable(unverifiable)} {base_text}."
        )
    agree = sum(1 for c in compared if c.status == AGREES)
    differ = sum(1 for c in compared if c.status == DIFFERS)
    return (
        f"Sur les {total} dimensions de la typologie de 2014, {len(compared)} "
        f"{'se comparent' if len(compared) > 1 else 'se compare'} à des données indépendantes "
        f"de l'article : {agree} concordant{'es' if agree > 1 else 'e'}, {differ} en écart ; "
        f"{taken} {'reprennent' if taken > 1 else 'reprend'} l'article et {unverifiable} "
        f"{_not_verifiable(unverifiable)} {base_text}."
    )


def _not_verifiable(count: int) -> str:
    return "ne sont pas vérifiables" if count > 1 else "n'est pas vérifiable"


def _labels(dimension: Any) -> dict[str, str]:
    from ..corpus import schema

    if dimension.id == "famille":
        return dict(schema.FAMILLES_ACTIVITE)
    if dimension.id == "territoire":
        return dict(schema.TYPES_TERRITOIRE)
    if dimension.id == "origine":
        return dict(schema.ORIGINES)
    if dimension.id in ("groupements", "lieu", "laureats"):
        return {"groupement-employeurs": "oui", "lieux": "oui", "laureat": "lauréat"}
    return {}


def _column(dimension_id: str, title: str) -> str:
    return {"anciennete": "Ancienneté en 2011 (ans)", "lieu": "Lieu partagé",
            "groupements": "Groupement d'employeurs", "laureats": "Appel à projets 2013"}.get(
        dimension_id, title)  # fmt: skip


def show_classification(ctx: TransversalContext) -> None:
    from .charts.transversal import build_dendrogram

    evidence = _evidence(ctx)
    result = agg.cluster_poles(ctx.poles, ctx.referentiel, evidence)
    lines = ["## 3. Classification exploratoire", "", escape_markdown_html(result.message)]
    lines += ["", _classification_left_out(ctx, result)]
    if result.ok:
        lines += ["", f"La figure {ctx.numbering.next_figure} montre l'arbre de classification, "
                  f"le tableau {ctx.numbering.next_table} les groupes."]  # fmt: skip
    _md("\n".join(lines))
    if not result.ok:
        return
    _figure(
        ctx, result.n, lambda: build_dendrogram(result, ctx.names), "classification",
        f"Classification exploratoire des pôles sur {result.variables} variables ({base(result.n)})",
        "Arbre de classification (dendrogramme horizontal) : une ligne par pôle, nom complet à "
        "gauche, les pôles les plus semblables réunis le plus tôt.",
        "la classification",
    )  # fmt: skip
    groups = [[str(g), escape_markdown_html(ctx.names.get(s, s))]
              for s, g in sorted(result.groups.items(), key=lambda x: (x[1], ctx.names.get(x[0], x[0])))]  # fmt: skip
    _table(ctx, ["Groupe", "Pôle"], groups, "groupes",
           f"Groupes de la classification exploratoire ({base(result.n)})")  # fmt: skip
    sizes = sorted({g for g in result.groups.values()})
    biggest = max(sizes, key=lambda g: sum(1 for v in result.groups.values() if v == g))
    count = sum(1 for v in result.groups.values() if v == biggest)
    _learn(ctx, f"La classification exploratoire, sur {result.variables} variables, réunit "
                f"{count} pôles sur {result.n} dans son plus grand groupe (n = {result.n} "
                "pôles documentés sur toutes les variables retenues).")  # fmt: skip


def _classification_left_out(ctx: TransversalContext, result: agg.PoleClustering) -> str:
    """The variables and poles a classification leaves out, each with why, and what is never a
    variable (coded evidence)."""
    parts = []
    if result.left_out:
        parts.append(
            "Variables non retenues : "
            + " ; ".join(
                f"{b.label} (documentée pour {plural(k, 'pôle')} avec les variables retenues, "
                f"il en faut {agg.MIN_CLUSTER_POLES})"
                for b, k in result.left_out
            )
            + "."
        )
    if result.left_out_poles:
        groups: dict[tuple[str, ...], list[str]] = {}
        for slug, missing in result.left_out_poles:
            groups.setdefault(missing, []).append(escape_markdown_html(ctx.names.get(slug, slug)))
        parts.append(
            f"{plural(len(result.left_out_poles), 'pôle non classé', 'pôles non classés')}, "
            "leur fiche ne documentant pas toutes les variables retenues : "
            + " ; ".join(
                f"sans {' ni '.join(m)} : {', '.join(names)}" for m, names in groups.items()
            )
            + "."
        )
    poles = {p.slug: p for p in ctx.poles}
    readings = sum(
        1 for slug in result.slugs for block in result.used
        if _reading_key(poles[slug], block.id)
    )  # fmt: skip
    if readings:
        parts.append(
            f"Parmi les valeurs classées, {plural(readings, 'valeur est', 'valeurs sont')} une "
            "lecture du projet (codage, identification ou inférence), non un énoncé des sources."
        )
    sources = {
        str(entry.get("source"))
        for slug in result.slugs for block in result.used
        if isinstance(entry := poles[slug].get("citations", {}).get(block.id), Mapping)
        and entry.get("source")
    }  # fmt: skip
    if len(sources) == 1:
        only = next(iter(sources))
        parts.append(
            f"Toutes les valeurs classées viennent d'un même document {_cite(ctx, only)} : la "
            "classification regroupe les pôles selon ce qu'il en dit, elle ne le vérifie pas."
        )
    parts.append(agg.NOT_CLASSIFIED)
    return " ".join(parts)


def _reading_key(pole: Pole, dotted: str) -> str | None:
    """The ``lecture`` of the citation of a field, when the value is the project's reading."""
    citations = pole.get("citations", {})
    entry = citations.get(dotted) if isinstance(citations, Mapping) else None
    value = entry.get("lecture") if isinstance(entry, Mapping) else None
    return str(value) if value else None


def _finding_rows(finding: agg.SectionFinding) -> list[list[str]]:
    rows = []
    for fact in finding.facts:
        recurrent = "; ".join(
            f"{escape_markdown_html(s.label)} : {share_text(s.count, fact.n)}"
            for s in fact.recurrent[:4]
        )
        if not fact.n:
            recurrent = UNDOCUMENTED
        elif not recurrent:
            recurrent = (
                "aucune valeur partagée par deux pôles"
                if fact.values
                else "valeurs propres à chaque pôle"
            )
        rows.append([escape_markdown_html(fact.label),
                     f"{format_number(fact.n)} sur {format_number(fact.total)}", recurrent])  # fmt: skip
    return rows


def _excerpt_markdown(ctx: TransversalContext, excerpt: agg.Excerpt, section_title: str) -> str:
    """A sentence of a monograph, its citations as in the monograph (citeproc, linked to the
    bibliography at the end) and any other markup shown as text."""
    from ..corpus.bibliography import narrative_citations
    from ..corpus.narrative import narrative_markdown
    from ..corpus.records import CITATION_RE, strip_comments

    keys = _bibliography(ctx).pole_keys(excerpt.slug)
    sentence = " ".join(strip_comments(excerpt.text).split())
    ctx.cited.update(keys[m.group(1)] for m in CITATION_RE.finditer(sentence) if m.group(1) in keys)
    safe = narrative_markdown(sentence, lambda key: key in keys)
    text = typography(narrative_citations(safe, keys, keys))
    return f"> {text}\n>\n> — monographie : {escape_markdown_html(excerpt.name)}, {section_title.lower()}"


def show_grid_findings(ctx: TransversalContext) -> None:
    """Per grid category: documented poles, recurrent facts (n and base), quoted excerpts."""
    findings = agg.section_findings(ctx.poles, ctx.corpus.grid)
    n = len(ctx.poles)
    categories = words(len(ctx.corpus.grid.sections), "catégorie")
    _md(
        f"## 4. Les {categories} de la grille d'analyse\n\n"
        "Pour chaque catégorie : combien de pôles sont documentés, les faits qui reviennent d'une "
        "fiche à l'autre (une valeur est dite récurrente quand au moins deux pôles la partagent ; "
        "sa part est calculée sur les pôles dont la fiche donne le fait), puis ce que disent les "
        "monographies, en phrases citées avec leur source."
    )
    for finding in findings:
        number = ctx.numbering.next_table
        lines = [
            f"### 4.{finding.number} {escape_markdown_html(finding.title)}",
            "",
            f"Documentée pour {plural(finding.documented, 'pôle')}, partielle pour "
            f"{format_number(finding.partial)}, à documenter pour "
            f"{format_number(finding.missing)} (n = {format_number(n)} pôles). Faits de la "
            f"catégorie : tableau {number}.",
        ]
        _md("\n".join(lines))
        _table(ctx, ["Fait", "Pôles documentés", "Valeurs récurrentes (part du documenté)"],
               _finding_rows(finding), f"grille-{finding.section_id}",
               f"{finding.title} : faits des fiches ({base(n)})", align="lrl")  # fmt: skip
        excerpts = agg.section_excerpts(ctx.poles, finding.section_id)
        if excerpts:
            blocks = [_excerpt_markdown(ctx, e, finding.title) for e in excerpts]
            _md("**Ce que disent les monographies**\n\n" + "\n\n".join(blocks))
        else:
            _md("**Ce que disent les monographies** : aucun récit de cette catégorie ne cite "
                f"encore de source (n = 0 sur {format_number(n)} pôles).")  # fmt: skip
    if findings and n:
        _learn(ctx, grid_finding(findings, n))
        full = sum(1 for f in findings if f.documented)
        _learn(ctx, f"{full} des {len(findings)} catégories "
                    f"{'sont entièrement documentées' if full > 1 else 'est entièrement documentée'}"
                    f" pour au moins un pôle (n = {n} pôles).")  # fmt: skip


def grid_finding(findings: Sequence[agg.SectionFinding], n: int) -> str:
    """Which category is best and least documented, counted on guiding questions answered
    (pole × question), with each question's count: a category is never called documented on
    the strength of one question while another stays open everywhere."""
    ranked = sorted(findings, key=lambda f: (-sum(f.answered), f.number))
    best, worst = ranked[0], ranked[-1]

    def counts(finding: agg.SectionFinding) -> str:
        values = [format_number(k) for k in finding.answered]
        listed = ", ".join(values[:-1]) + f" et {values[-1]}" if len(values) > 1 else values[0]
        return f"ses questions directrices sont documentées pour {listed} des {n} pôles"

    text = (
        f"La catégorie la mieux documentée est *{best.title}* : {counts(best)} ; la moins "
        f"documentée est *{worst.title}* : {counts(worst)} (n = {n})."
    )
    open_everywhere = sum(1 for f in findings for k in f.answered if not k)
    if open_everywhere:
        text += (
            f" {plural(open_everywhere, 'question directrice', 'questions directrices')} sur "
            f"{sum(len(f.answered) for f in findings)} ne "
            f"{'sont documentées' if open_everywhere > 1 else 'est documentée'} pour aucun pôle "
            f"(n = {n})."
        )
    return text


def _chartable(dist: agg.Distribution) -> int:
    """The base n a distribution chart would rest on; 0 when it has a single category (a lone
    bar at 100 % says nothing a sentence does not)."""
    return dist.n_poles if len(dist.items) >= 2 else 0


def show_census(ctx: TransversalContext) -> None:
    """The 2011 census (data/recensement): map of candidates by région next to the pôles
    témoins, and the counts of Annex 2 against those of § 2.2."""
    from ..core.errors import CensusError
    from ..corpus.census import (
        census_refusal,
        compare_counts,
        count_by_region_2016,
        has_census,
        load_census,
    )
    from .charts.transversal import build_census_map

    _md("### Les candidatures de 2011 et les pôles témoins")
    census = None
    if has_census(ctx.paths.data):
        try:
            census = load_census(ctx.paths.data, ctx.paths.geo)
        except CensusError as exc:
            _md(f"*Recensement illisible : {escape_markdown_html(census_refusal(exc))}*")
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
        f"candidatures par région {_cite(ctx, 'labo-ess-2013', 'annexe 2 et § 2.2')}. La figure "
        f"{ctx.numbering.next_figure} les rapporte aux régions de 2016, à côté des pôles témoins "
        f"du corpus ({base(temoins.n, 'pôles témoins localisés')}) ; le tableau "
        f"{ctx.numbering.next_table} met les deux décomptes côte à côte."
    )
    initiatives = len(census.initiatives)
    _figure(
        ctx, initiatives,
        lambda: build_census_map(by_region, {s.key: s.count for s in temoins.items}, ctx.paths.geo),
        "carte-recensement",
        "Initiatives candidates en 2011 par région (découpage de 2016 ; n = "
        f"{format_number(initiatives)} initiatives) et pôles témoins de 2012 "
        f"({base(temoins.n, 'pôles témoins localisés')})",
        "Carte de la France métropolitaine : chaque région est colorée selon le nombre "
        "d'initiatives de l'annexe 2 ("
        + ", ".join(f"{r} : {format_number(n)}" for r, n in sorted(by_region.items()))
        + ") ; un point marque chaque département qui compte un pôle témoin du corpus.",
        "les candidatures de 2011",
    )  # fmt: skip
    _census_table(ctx, census, compare_counts)


def _census_table(ctx: TransversalContext, census: Any, compare_counts: Any) -> None:
    """Annex 2 against § 2.2 per région, and the project's reading that Annex 2 leaves out the
    pôles témoins (shown as a reading, with what it changes, never as the source's word)."""
    from ..corpus.census import temoins_by_region
    from ..corpus.geo import load_departements

    temoins, unlocated = temoins_by_region(ctx.poles, load_departements(ctx.paths.geo))
    comparisons = compare_counts(census, temoins)
    rows = [
        [
            escape_markdown_html(c.region_before_2016), escape_markdown_html(c.region),
            format_number(c.listed),
            "non citée" if c.announced is None else format_number(c.announced),
            "égal" if not c.differs else "écart",
            format_number(c.temoins),
            "égal" if c.equal_with_temoins else ("non comparable" if c.announced is None else "écart"),
        ]
        for c in comparisons
    ]  # fmt: skip
    cited = [c for c in comparisons if c.announced is not None]
    equal = sum(1 for c in cited if not c.differs)
    equal_with = sum(1 for c in cited if c.equal_with_temoins)
    located = sum(temoins.values())
    note = (
        f"*Lecture du projet : l'annexe 2 paraît ne pas compter les pôles témoins. Si l'on "
        f"ajoute à l'annexe 2 les {format_number(located)} pôles témoins du corpus dont le "
        f"département est connu, {format_number(equal_with)} des {format_number(len(cited))} "
        f"régions citées au § 2.2 ont le même nombre dans les deux documents, contre "
        f"{format_number(equal)} sans eux. La source ne le dit pas : c'est une lecture, non un "
        "constat."
    )
    if unlocated:
        names = ", ".join(escape_markdown_html(ctx.names.get(s, s)) for s in unlocated)
        note += f" Sans département documenté, donc non compté : {names}."
    _md(note + "*")
    _table(
        ctx, ["Région (avant 2016)", "Région (2016)", "Annexe 2", "§ 2.2", "Annexe 2 / § 2.2",
              "Pôles témoins du corpus", "Avec les pôles témoins (lecture du projet)"],
        rows, "recensement",
        "Initiatives par région : liste de l'annexe 2 et candidatures du § 2.2 (une ligne du "
        "§ 2.2 qui nomme plusieurs régions est lue comme ce nombre pour chacune : lecture du "
        "projet ; dernière colonne : l'annexe 2 plus les pôles témoins, lecture du projet)",
        align="llrrlrl",
    )  # fmt: skip


def show_consolidated(ctx: TransversalContext) -> None:
    poles = ctx.poles
    _md(
        "## 5. Chiffres consolidés\n\nÀ la manière de l'enquête d'analyse des PTCE du Labo de "
        "l'ESS (données 2015, publiée en 2017) : composition des pôles, mutualisations, valeurs "
        f"fondatrices, animation et emplois. Le tableau {ctx.numbering.next_table} rappelle ses "
        "chiffres publiés à côté de ceux du corpus."
    )
    show_survey_2017(ctx)
    statuses = agg.legal_statuses(poles)
    _distribution(ctx, statuses, "statuts", "Statuts juridiques des structures membres",
                  "Statut juridique")  # fmt: skip
    from .charts.transversal import build_distribution

    _refer(ctx, _chartable(statuses), "représente ces statuts")
    _figure(ctx, _chartable(statuses), lambda: build_distribution(statuses, "Statuts juridiques"),
            "statuts", f"Statuts juridiques des structures membres ({base(statuses.n_poles)})",
            "Diagramme en barres horizontales des statuts juridiques, en part des structures "
            "dont le statut est documenté.", "les statuts juridiques")  # fmt: skip
    mutual = agg.mutualisations(poles)
    _distribution(ctx, mutual, "mutualisations", "Mutualisations mentionnées par les fiches",
                  "Mutualisation")  # fmt: skip
    _refer(ctx, _chartable(mutual), "représente ces mutualisations")
    _figure(ctx, _chartable(mutual), lambda: build_distribution(mutual, "Mutualisations"),
            "mutualisations", f"Mutualisations mentionnées, en part des pôles dont les "
            f"mutualisations sont documentées ({base(mutual.n_poles)})",
            "Diagramme en barres horizontales des types de mutualisation mentionnés.",
            "les mutualisations")  # fmt: skip
    _distribution(ctx, agg.valeurs(poles), "valeurs",
                  "Valeurs fondatrices (libellés exacts des fiches)", "Valeur")  # fmt: skip
    show_animation(ctx)
    show_jobs(ctx)


def show_public_funding(ctx: TransversalContext) -> None:
    """Median share of public funding across poles with accounts, with its n."""
    from ..corpus.accounts import public_funding_summary
    from .fieldwork_blocks import public_funding_markdown

    summary = public_funding_summary(p.require_accounts() for p in ctx.poles)
    _md(public_funding_markdown(summary))


def show_animation(ctx: TransversalContext) -> None:
    from .charts.transversal import build_animation

    rows, summary = agg.animation_shares(ctx.poles)
    if not rows:
        _md(f"*Part des ETP consacrée à l'animation : {UNDOCUMENTED} (aucune fiche ne donne "
            f"à la fois les ETP et les ETP d'animation ; n = 0 sur {len(ctx.poles)} pôles).*")  # fmt: skip
        return
    table = [
        (escape_markdown_html(r.name), str(r.year), _num(r.etp, 1), _num(r.etp_animation, 1),
         _pct(r.percent, 1))
        for r in sorted(rows, key=lambda r: r.name)
    ]  # fmt: skip
    _table(ctx, ["Pôle", "Année", "ETP", "dont animation", "Part de l'animation"], table,
           "animation",
           "Part des ETP consacrée à l'animation et à la coordination, dernière année documentée "
           f"(médiane {_pct(summary.median, 1)} ; {base(summary.n)})", align="lrrrr")  # fmt: skip
    _refer(ctx, summary.n, "représente la part de l'animation pôle par pôle")
    _figure(ctx, summary.n, lambda: build_animation(rows, summary), "animation",
            f"Part des ETP consacrée à l'animation ({base(summary.n)})",
            "Diagramme en barres : pour chaque pôle, la part de ses équivalents temps plein "
            f"consacrée à l'animation, avec la médiane ({_pct(summary.median, 1)}).",
            "la part de l'animation")  # fmt: skip


def show_jobs(ctx: TransversalContext) -> None:
    from ..analysis.quoted import jobs_readings, jobs_readings_text

    jobs = agg.jobs_created(ctx.poles)
    readings = jobs_readings(list(ctx.poles))
    if readings:  # an approximate value read in a source documents the pole, and says so
        _md(escape_markdown_html(jobs_readings_text(readings, len(ctx.poles))))
    if not jobs.n:
        _md(f"*Emplois créés, en nombre : aucune fiche n'en donne (n = 0 sur {len(ctx.poles)} "
            "pôles).*")  # fmt: skip
        return
    per = jobs.per_pole_summary
    rows = [
        ["Emplois créés, toutes années documentées", format_number(jobs.n), format_number(jobs.total)],
        ["Emplois créés, dernière année documentée de chaque pôle", format_number(jobs.n),
         format_number(jobs.total_latest)],
        ["Emplois créés par pôle (toutes années) : médiane", format_number(per.n), _num(per.median, 1)],
    ]  # fmt: skip
    _table(ctx, ["Mesure", "Pôles", "Valeur"], rows, "emplois",
           f"Emplois créés ({base(jobs.n)} documentés sur {len(ctx.poles)})", align="lrr")  # fmt: skip


# Published figures of the 2017 survey: what the percentage is of, as the article says it.
SURVEY_SECTION = "« Secteurs d'activité multiples »"  # the survey article's part quoted


def show_survey_2017(ctx: TransversalContext) -> None:
    """The published figures of the 2017 survey beside this corpus's, each on its own base."""
    poles = ctx.poles
    statuses = agg.legal_statuses(poles)
    iae = agg.iae_share(poles)
    mutual = agg.mutualisations(poles)
    values = agg.valeurs(poles)
    _, anim = agg.animation_shares(poles)

    def status(*keys: str) -> str:
        count = sum(s.count for s in statuses.items if s.key in keys)
        return share_text(count, statuses.n, "structures", statuses.n_poles)

    def share(dist: agg.Distribution, key: str) -> str:
        s = dist.share(key)
        return share_text(s.count if s else 0, dist.n, dist.unit, dist.n_poles)

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
            f"{_pct(anim.maximum, 1)} ({base(anim.n)})" if anim.n else f"{UNDOCUMENTED} (n = 0)"
        ),
        "Pôles consolidés": base(len(poles)),
    }  # fmt: skip
    rows = [(label, f"{value} {scope}".strip(), ours.get(label, UNDOCUMENTED))
            for label, value, scope in agg.SURVEY_2017]  # fmt: skip
    _table(ctx, ["Indicateur", "Enquête 2017 (données 2015)", "Ce corpus"], rows, "enquete-2017",
           "Chiffres publiés de l'enquête d'analyse des PTCE du Labo de l'ESS "
           f"{_cite(ctx, 'ash-2017')} et "
           "chiffres du corpus ; pour les mutualisations, l'article ne dit pas si les parts "
           "portent sur les pôles ou sur les structures ; pour la valeur que l'article nomme "
           "« le [renforcement du] lien social et la solidarité », le corpus compte le libellé "
           "exact solidarité ; la ligne des collectivités réunit collectivités et EPCI")  # fmt: skip
    _md(
        "L'article de 2017 cite ainsi les valeurs fondatrices : « la coopération (91 %), la "
        "mutualisation (82 %), le [renforcement du] lien social et la solidarité (67 %) sont "
        "les principales valeurs fondatrices qui ont prévalu au lancement des 24 PTCE "
        f"répondants » {_cite(ctx, 'ash-2017', SURVEY_SECTION)} ; les "
        "crochets sont dans l'article. Pour les mutualisations (« compétences (79 %) », "
        "« de lieux (58 %) »…), il ne précise pas si la part est celle des pôles ou des "
        "structures : ce tableau ne tranche pas."
    )


def _evidence(ctx: TransversalContext) -> list[Any]:
    """Evidence coded against the référentiel (pole × objective × indicator × passage)."""
    from ..analysis.evidence import corpus_evidence

    return list(corpus_evidence(ctx.poles, ctx.corpus.referentiels, ctx.corpus.grid,
                                ctx.referentiel.version))  # fmt: skip


def show_referentiel(ctx: TransversalContext) -> None:
    from .charts.transversal import build_evidence_heatmap

    ref = ctx.referentiel
    evidence = _evidence(ctx)
    matrix = agg.evidence_matrix(evidence, ref)
    per_objective = agg.poles_with_evidence(matrix, ref)
    n = len(matrix)
    _md(
        f"## 6. Le référentiel d'action à travers les pôles (version {ref.version})\n\n"
        "Deux sources distinctes : les éléments de preuve codés par l'équipe de recherche dans "
        "les récits, les fiches et les extraits d'entretiens retenus (lecture proposée par "
        "l'équipe, pas un énoncé des sources ; un passage compte une fois par objectif, quel que "
        "soit le nombre de ses indicateurs), et les scores déclarés par les membres des pôles, "
        "présentés seulement là où ils existent."
    )
    if n:
        order = sorted(matrix, key=lambda s: ctx.names.get(s, s).lower())
        rows = [[escape_markdown_html(ctx.names.get(s, s))]
                + [str(matrix[s][o.id]) if matrix[s][o.id] else "" for o in ref.objectives]
                for s in order]  # fmt: skip
        rows.append(["Pôles avec preuve"] + [str(per_objective[o.id]) for o in ref.objectives])
        figure, table = ctx.numbering.next_figure, ctx.numbering.next_table
        _md(f"Le tableau {table} compte, pour chaque pôle dont des passages sont codés, les "
            f"passages codés par objectif principal (— : aucun passage codé, ce qui ne veut "
            f"pas dire que le pôle ne poursuit pas l'objectif) ; la figure {figure} les "
            "représente quand au moins trois pôles sont codés.")  # fmt: skip
        _table(ctx, ["Pôle", *(o.id for o in ref.objectives)], rows, "preuves",
               f"Éléments de preuve codés par pôle et objectif principal ({base(n)} avec au "
               f"moins un passage codé sur {len(ctx.poles)}) ; objectifs : "
               + ", ".join(f"{o.id}. {o.short_label}" for o in ref.objectives),
               align="l" + "r" * len(ref.objectives))  # fmt: skip
        _figure(ctx, n, lambda: build_evidence_heatmap(matrix, ref, ctx.names), "preuves",
                f"Éléments de preuve par pôle et objectif principal ({base(n)}) ; objectifs : "
                + ", ".join(f"{o.id}. {o.short_label}" for o in ref.objectives),
                "Carte de chaleur : une ligne par pôle codé (nom complet), une colonne par "
                "objectif principal, la couleur croît avec le nombre de passages codés.",
                "les éléments de preuve")  # fmt: skip
        best = max(ref.objectives, key=lambda o: per_objective[o.id])
        _learn(ctx, f"L'objectif principal le plus souvent étayé par des passages codés est "
                    f"*{best.short_label}* : {per_objective[best.id]} pôles sur {n} pôles "
                    f"codés (n = {n}).")  # fmt: skip
    else:
        _md(f"*Aucun passage n'est encore codé au regard du référentiel (n = 0 sur "
            f"{len(ctx.poles)} pôles) : pas de matrice des preuves.*")  # fmt: skip
    show_scores(ctx)


def show_scores(ctx: TransversalContext) -> None:
    from .charts.transversal import build_indicator_means, build_objective_profile

    ref = ctx.referentiel
    scored = agg.scored_poles(ctx.poles, ref)
    if not scored:
        _md(f"*Scores déclarés : aucun pôle n'est noté avec la version {ref.version} du "
            f"référentiel (n = 0 sur {len(ctx.poles)} pôles).*")  # fmt: skip
        return
    _md(
        f"**Scores déclarés** ({base(len(scored))}). Comme l'annexe 3 du plan d'action de 2013, "
        "qui classe les indicateurs selon leur importance moyenne (de « moins de 4 » à « 5,6 et "
        "plus », sur une échelle qu'elle ne précise pas), les indicateurs sont rangés par score "
        "moyen et regroupés en classes ; les seuils sont ici adaptés à l'échelle de "
        f"{ref.scale.minimum} à {ref.scale.maximum} retenue pour noter les pôles, ils ne "
        "reprennent pas ceux de l'annexe."
    )
    stats = agg.indicator_means(ctx.poles, ref)
    rows = []
    for label, group in agg.indicator_classes(stats):
        for s in group:
            rows.append([label, s.id, escape_markdown_html(s.label), _num(s.mean, 2),
                         format_number(s.summary.n), _num(s.summary.minimum),
                         _num(s.summary.maximum)])  # fmt: skip
    _table(ctx, ["Classe", "Indicateur", "Libellé", "Moyenne", "Pôles", "Min.", "Max."], rows,
           "indicateurs", f"Score moyen des indicateurs, par classe ({base(len(scored))})",
           align="lllrrrr")  # fmt: skip
    _refer(ctx, len(scored), "range les indicateurs par score moyen")
    _figure(ctx, len(scored), lambda: build_indicator_means(stats, ref), "indicateurs",
            f"Score moyen par indicateur ({base(len(scored))})",
            "Diagramme en barres horizontales du score moyen de chaque indicateur noté, avec "
            "l'étendue minimum–maximum entre les pôles.", "les scores par indicateur")  # fmt: skip
    summaries = agg.objective_summaries(ctx.poles, ref)
    _table(ctx, ["Objectif principal", "Pôles", "Moyenne", "Médiane", "Min.", "Max."],
           [[f"{o.id}. {o.short_label}", format_number(summaries[o.id].n),
             _num(summaries[o.id].mean, 2), _num(summaries[o.id].median, 2),
             _num(summaries[o.id].minimum, 2), _num(summaries[o.id].maximum, 2)]
            for o in ref.objectives], "objectifs",
           f"Profil par objectif principal ({base(len(scored))})", align="lrrrrr")  # fmt: skip
    _refer(ctx, len(scored), "donne le profil moyen par objectif principal")
    _figure(ctx, len(scored), lambda: build_objective_profile(summaries, ref), "objectifs",
            f"Profil moyen des pôles par objectif principal ({base(len(scored))})",
            f"Diagramme en barres du score moyen de chacun des {principal_objectives(ref)}, avec "
            "l'étendue minimum–maximum entre les pôles.", "le profil par objectif")  # fmt: skip
    show_poles_vs_cohort(ctx)


def show_poles_vs_cohort(ctx: TransversalContext) -> None:
    from ..analysis.group import comparison_group
    from .charts.transversal import build_small_multiples

    ref = ctx.referentiel
    by_pole = agg.profiles(ctx.poles, ref)
    cohort = compute_cohort(ctx.poles, ref, load_settings(ctx.paths))
    slugs = sorted(by_pole, key=lambda s: (ctx.names.get(s, s), s))
    items = [(ctx.names.get(s, s), by_pole[s]) for s in slugs]
    groups = [comparison_group(cohort, s) for s in slugs]  # each pole against the others only
    _refer(ctx, len(items), "compare chaque pôle noté à la médiane des autres pôles")
    _figure(ctx, len(items), lambda: build_small_multiples(ref, items, cohort, groups=groups),
            "poles-cohorte",
            f"Profil de chaque pôle noté et médiane des autres pôles ({base(cohort['poles'])} ; "
            "sans médiane quand moins de 3 autres pôles sont au-dessus du seuil)",
            f"Petits diagrammes en radar, un par pôle noté ({len(items)}), superposant le profil "
            f"du pôle sur les {principal_objectives(ref)} et la médiane des autres pôles.",
            "les profils des pôles notés")  # fmt: skip


SHORT_SECTIONS = {
    "finalites": "Finalités", "origine": "Origine", "structuration": "Structuration",
    "leadership": "Leadership", "gouvernance": "Gouvernance",
    "modele-economique": "Modèle économique", "impacts": "Impacts",
}  # fmt: skip


def show_coverage(ctx: TransversalContext) -> None:
    from .charts.transversal import build_coverage_heatmap

    grid = ctx.corpus.grid
    matrix = agg.coverage_matrix(ctx.poles, grid)
    n = len(ctx.poles)
    slugs = sorted((p.slug for p in ctx.poles), key=lambda s: ctx.names.get(s, s).lower())
    labels = {s.id: f"{s.number}. {SHORT_SECTIONS.get(s.id, s.title)}" for s in grid.sections}
    first = ctx.numbering.next_table
    _md(
        "## 7. Complétude de la documentation\n\nPour chaque pôle (en ligne) et chaque section "
        "de la grille (en colonne) : documentée, partielle, ou à documenter. "
        f"{RULE} Le tableau est coupé en deux (tableaux "
        f"{first} et {first + 1}) pour tenir sur une page ; la figure "
        f"{ctx.numbering.next_figure} donne la même information en couleurs."
    )
    sections = list(matrix)
    half = (len(sections) + 1) // 2
    for part, chunk in enumerate((sections[:half], sections[half:]), start=1):
        rows = [[escape_markdown_html(ctx.names.get(s, s))]
                + [matrix[sec][s].value for sec in chunk] for s in slugs]  # fmt: skip
        rows.append(["Pôles où la section est documentée"]
                    + [str(sum(1 for s in slugs if matrix[sec][s] is Coverage.DOCUMENTED))
                       for sec in chunk])  # fmt: skip
        _table(ctx, ["Pôle", *(labels[sec] for sec in chunk)], rows, f"completude-{part}",
               f"Documentation des sections {labels[chunk[0]].split('.')[0]} à "
               f"{labels[chunk[-1]].split('.')[0]} de la grille, par pôle ({base(n)})",
               align="l" + "c" * len(chunk))  # fmt: skip
    _figure(
        ctx, n, lambda: build_coverage_heatmap(matrix, labels, ctx.names), "completude",
        f"Complétude de la documentation : pôles × sections de la grille ({base(n)})",
        "Carte de chaleur : une ligne par pôle (nom complet), une colonne par section de la "
        "grille, en vert les sections documentées, en jaune les partielles, en gris celles "
        "à documenter.",
        "la complétude",
    )  # fmt: skip
    complete = sum(
        1 for s in slugs if all(matrix[sec][s] is Coverage.DOCUMENTED for sec in sections)
    )
    if complete:
        _learn(ctx, f"{plural(complete, 'pôle')} sur {n} {'ont leurs' if complete > 1 else 'a ses'} "
                    f"{len(sections)} sections entièrement documentées (n = {n}).")  # fmt: skip
    else:
        _learn(ctx, f"Aucun des {n} pôles n'a encore ses {len(sections)} sections entièrement "
                    f"documentées (n = {n}).")  # fmt: skip
    show_reviews(ctx)


def show_reviews(ctx: TransversalContext) -> None:
    """« Relecture des monographies par les pôles »: how many the poles read and answered."""
    from ..analysis.review_state import corpus_reviews, corpus_reviews_text
    from ..corpus.review_store import load_rounds

    counts = corpus_reviews({p.slug: load_rounds(p.folder) for p in ctx.poles})
    _md("### Relecture des monographies par les pôles\n\n" + corpus_reviews_text(counts))
    if counts.closed:
        _learn(ctx, f"{plural(counts.closed, 'monographie relue', 'monographies relues')} par "
                    f"leur pôle sur {counts.n} (n = {counts.n}).")  # fmt: skip


def show_lessons(ctx: TransversalContext) -> None:
    """« Enseignements provisoires »: only what the data computes, each sentence with its n."""
    lines = [
        "## 8. Enseignements provisoires",
        "",
        "*Partie provisoire : ces constats ne disent que ce que les fiches permettent de compter "
        "aujourd'hui ; ils changeront à mesure que la documentation des pôles avancera.*",
        "",
    ]
    lines += [f"- {escape_markdown_html(s)}" for s in ctx.findings]
    if not ctx.findings:
        lines.append(f"- Aucun constat ne peut encore être tiré (n = {len(ctx.poles)} pôles).")
    _md("\n".join(lines))


def show_waves(ctx: TransversalContext) -> None:
    """Declared scores of the poles, wave by wave (n poles at each wave)."""
    from ..corpus.answer_settings import load_settings
    from .transversal_answers import show_waves as show

    show(ctx.poles, ctx.referentiel, load_settings(ctx.paths))


def show_sources(ctx: TransversalContext) -> None:
    """The bibliography of the analysis: every document it cites, formatted by citeproc with
    the style of the monographs (author-date, French), where its citations link to."""
    _md("## Sources")
    documents = _bibliography(ctx).documents
    cited = {key: documents[key] for key in sorted(ctx.cited) if key in documents}
    if not cited:
        _md("*Aucune source n'est citée.*")
        return
    show_bibliography(keyed_csl_items(cited))


def show_data(ctx: TransversalContext, export_dir: str | Path = "") -> None:
    """Write the public data package (when ``export_dir`` is given) and say what it holds."""
    from .dataset import build_tables, corpus_sources, table_title, write_datapackage

    tables = build_tables(ctx.corpus)
    if export_dir:
        write_datapackage(tables, Path(export_dir), corpus_sources(ctx.corpus))
    rows = [[f"{name}.csv", table_title(name), format_number(len(frame))]
            for name, frame in tables.items()]  # fmt: skip
    _md(
        "## 9. Données et sources\n\nLes tableaux de cette analyse sont publiés comme paquet de "
        "données (Frictionless Data Package, fichier datapackage.json et un fichier CSV par "
        "table, licence ODC-BY 1.0). Chaque fait provient d'un document source cité dans la "
        "fiche du pôle ; les contacts, entretiens et notes de travail n'en font jamais partie. "
        f"Le tableau {ctx.numbering.next_table} liste les tables."
    )
    _table(ctx, ["Fichier", "Table", "Lignes"], rows, "donnees",
           f"Tables du paquet de données ({base(len(ctx.poles))})", align="llr")  # fmt: skip
    figures = [f"{i}. {_caption(ctx, c)}" for i, _, c in ctx.numbering.figures]
    tables_list = [f"{i}. {_caption(ctx, c)}" for i, _, c in ctx.numbering.tables]
    _md("### Liste des figures\n\n" + ("\n".join(figures) or "*Aucune figure.*")
        + "\n\n### Liste des tableaux\n\n" + ("\n".join(tables_list) or "*Aucun tableau.*"))  # fmt: skip
    show_sources(ctx)


def _caption(ctx: TransversalContext, caption: str) -> str:
    """A caption listed again at the end: raw HTML as text, its citations kept."""
    from ..corpus.narrative import escape_citations
    from ..corpus.records import strip_comments

    cited = ctx.cited
    return escape_citations(strip_comments(caption).replace("<", "&lt;"), cited.__contains__)
