"""What monographs show of the fieldwork: « Paroles d'acteurs » per grid section (retained,
publishable excerpts attributed by role and interview date, never by name) and the accounts
in « Modèles économiques et financements »."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

from ..core.fr import format_euros, format_number, format_percent, plural, typography
from ..corpus.accounts import (
    FUNDERS,
    PRODUCT_KINDS,
    Accounts,
    PublicFundingSummary,
    public_shares,
    revenue_mix,
)
from ..corpus.excerpts import InterviewExcerpts, published_excerpts
from ..corpus.interview_dates import french_date
from .display import escape_markdown_html, show_markdown, show_rows, show_svg_figure


def interview_date(value: str) -> str:
    """« 2025-03-12 », « 2026-02-05T00:00:00Z » → « 12 mars 2025 », « 5 février 2026 »;
    what is not a date is shown as written."""
    return french_date(value)


def attribution(interview: InterviewExcerpts) -> str:
    return attribution_of(interview.role, interview.date)


def attribution_of(role: str, date: str) -> str:
    """« élu local, entretien du 3 avril 2025 »: who speaks, by role and date, never by name."""
    shown = interview_date(date)
    return f"{role}, entretien du {shown}" if shown else f"{role}, entretien"


def voices_markdown(
    interviews: Sequence[InterviewExcerpts], section_id: str, private_names: Iterable[str] = ()
) -> str:
    """The « Paroles d'acteurs » part of a section; empty when the pole has no interviews."""
    if not interviews:
        return ""
    chosen = published_excerpts(interviews, section_id, private_names)
    lines = ["### Paroles d'acteurs", ""]
    if not chosen:
        lines.append("*Aucun extrait d'entretien n'est retenu pour cette section.*")
        return "\n".join(lines)
    for interview, excerpt in chosen:
        text = " ".join(excerpt.text.split())
        lines += [
            f"> « {escape_markdown_html(text)} »",
            ">",
            f"> — *{escape_markdown_html(attribution(interview))}*",
            "",
        ]
    return typography("\n".join(lines).rstrip())


def show_voices(
    interviews: Sequence[InterviewExcerpts], private_names: Iterable[str], section_id: str
) -> None:
    """The pole's interviews and private names as read once with the pole (``records.Pole``)."""
    text = voices_markdown(interviews, section_id, private_names)
    if text:
        show_markdown(text)


# --- accounts ------------------------------------------------------------------------------


def public_share_sentence(accounts: Accounts) -> str:
    shares = public_shares(accounts)
    if not shares:
        return "*Part des financements publics : non documentée.*"
    listed = ", ".join(f"{format_percent(s)} en {y}" for y, s in shares)
    n = len(shares)
    return f"Part des subventions publiques dans les produits : {listed} (n = {plural(n, 'exercice')})."


def accounts_sources_markdown(accounts: Accounts, known: Container[str] = ()) -> str:
    """« Sources des comptes : 2022 : [@clé, passage] ; … »: each year cited like every other
    fact (citeproc formats it); a free-text source of an older file is shown as written."""
    from ..corpus.bibliography import cite

    parts = []
    for year in accounts.years:
        if year.free_text_source:
            cited = escape_markdown_html(year.source)
        else:
            cited = cite(year.source, year.passage, known)
        parts.append(f"{year.year} : {cited}")
    return f"*Sources des comptes : {' ; '.join(parts)}.*"


def show_accounts(accounts: Accounts | None, known: Container[str] = ()) -> None:
    """Revenue mix table and chart, public funding share with its n years; ``accounts``: the
    pole's, as read with it (``Pole.require_accounts``); ``known``: the documents of the
    pole's bibliographies, cited by key."""
    if accounts is None or not accounts.years:
        return
    rows = revenue_mix(accounts)
    years = [y.year for y in accounts.years]
    show_markdown("### Comptes du pôle")
    kinds = [k for k in PRODUCT_KINDS if any(r[k] for r in rows)]
    table = [[PRODUCT_KINDS[k], *(format_euros(r[k]) for r in rows)] for k in kinds]
    funders = sorted({f for y in accounts.years for f in y.subsidies}, key=list(FUNDERS).index)
    table += [
        [f"dont {FUNDERS[f]}", *(format_euros(y.subsidies.get(f, 0.0)) for y in accounts.years)]
        for f in funders
    ]
    table += [
        ["Total des produits", *(format_euros(y.total_products) for y in accounts.years)],
        ["Charges", *(format_euros(y.charges) for y in accounts.years)],
        ["Résultat", *(format_euros(y.result) for y in accounts.years)],
        ["ETP", *(_fte(y.fte) for y in accounts.years)],
        ["dont ETP d'animation", *(_fte(y.animation_fte) for y in accounts.years)],
    ]
    show_rows(
        ["Poste", *map(str, years)],
        table,
        "comptes",
        "Produits par nature, charges et effectifs par exercice",
        align="l" + "r" * len(years),
    )
    show_markdown(typography(public_share_sentence(accounts)))
    show_markdown(accounts_sources_markdown(accounts, known))
    from .charts.accounts import build_revenue_mix
    from .charts.memory import figure_svg_of

    svg = figure_svg_of(build_revenue_mix, rows)
    if svg is not None:
        span = f"{years[0]}–{years[-1]}"
        show_svg_figure(
            svg,
            "produits",
            f"Produits par nature ({span}, montants en euros)",
            f"Histogramme empilé des produits du pôle par nature, {span}, en euros.",
        )


def _fte(value: float | None) -> str:
    return format_number(value, 1, "non documenté")


def public_funding_markdown(summary: PublicFundingSummary) -> str:
    """The transversal comparison: median and range of the public share, with its n."""
    heading = "### Part des financements publics (comptes des pôles)"
    if summary.n == 0 or summary.median is None:
        return f"{heading}\n\n*Aucun pôle n'a encore de comptes annuels : comparaison impossible.*"
    years = ", ".join(map(str, summary.years))
    text = (
        f"{heading}\n\nPart des subventions publiques dans les produits du dernier exercice "
        f"connu de chaque pôle ({years}) : médiane {format_percent(summary.median)}, de "
        f"{format_percent(summary.minimum)} à {format_percent(summary.maximum)} "
        f"(n = {plural(summary.n, 'pôle')})."
    )
    return typography(text)
