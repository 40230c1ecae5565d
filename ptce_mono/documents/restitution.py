"""The restitution sheet of a pole for its members (two pages, HTML and PDF): their profile by
objective against the cohort, divergences between their categories, changes since the previous
wave, and questions for the collective discussion.

:func:`restitution_content` is pure (data in, texts and rows out); :func:`write_restitution`
renders it with ``templates/restitution.html`` (Jinja2) and ``templates/restitution.typ``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.cells import group_label
from ..analysis.group import group_phrase, no_comparison_sentence
from ..analysis.scores import LOW_BASE, WaveScores
from ..analysis.waves import wave_link
from ..core.atomic import write_bytes_atomic, write_text_atomic
from ..core.fr import format_date, format_number, plural, typographic
from ..corpus.answer_labels import DECLARED, DOCUMENTED, DONT_KNOW_LABEL
from ..corpus.answer_settings import Settings, Vocabulary
from ..corpus.referentiel import Referentiel
from ..corpus.scale import scale_text
from ..render.sheet import SHEET_TIMEOUT, compile_sheet
from .answer_blocks import categories_note, cell

CHANGE = 0.5  # a change of at least half a point of median is reported
FOLDER = "restitutions"


def fmt(value: float | None) -> str:
    return format_number(value, 1) if value is not None else "—"


@dataclass(frozen=True)
class Content:
    """Everything the two pages say, as plain texts and rows (no markup)."""

    title: str
    subtitle: str
    intro: str
    sufficient: bool
    low_base: str
    profile_caption: str
    profile_rows: list[list[str]]
    profile_head: list[str]
    categories_head: list[str]
    categories_note: str
    categories_rows: list[list[str]]
    divergences: list[str]
    divergence_rule: str
    changes_title: str
    changes_head: list[str]
    changes_rows: list[list[str]]
    changes_note: str
    scale_quoted: str
    scale_explained: str
    scale_declaration: str
    questions: list[str]
    footer: str
    profile_alt: str = ""
    figure_svg: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


def _category_phrase(scores: WaveScores, vocabulary: Vocabulary) -> str:
    """Counts of the groups shown on their own only (small categories are never counted)."""
    return " ; ".join(
        f"{group_label(g, vocabulary)} : {n}" for g, n in scores.category_counts.items()
    )


def _questions(
    scores: WaveScores, previous: WaveScores | None, cohort: Mapping[str, Any],
    ref: Referentiel, vocabulary: Vocabulary,
) -> list[str]:  # fmt: skip
    labels = {o.id: o.short_label for o in ref.objectives}
    questions = []
    for d in scores.divergences:
        questions.append(
            f"Sur l'objectif {d.objective} ({labels[d.objective]}), les répondants « "
            f"{group_label(d.high, vocabulary)} » (médiane {fmt(d.high_median)}) et « "
            f"{group_label(d.low, vocabulary)} » ({fmt(d.low_median)}) ne voient pas le pôle de "
            "la même façon : qu'est-ce qui explique cet écart ?"
        )
    median = cohort.get("median") or {}
    gaps = [
        (s.median - median[o], o)
        for o, s in scores.objectives.items()
        if s.median is not None and median.get(o) is not None
    ]
    if gaps and cohort.get("comparable"):
        gap, objective = max(gaps, key=lambda g: (abs(g[0]), g[1]))
        if abs(gap) >= CHANGE:
            side = "au-dessus" if gap > 0 else "en dessous"
            questions.append(
                f"Le pôle se situe {side} de la médiane des autres pôles sur l'objectif {objective} "
                f"({labels[objective]}) : est-ce un choix, une force à faire connaître ou un "
                "manque à combler ?"
            )
    unsure = [(scores.dont_know.get(i.id, 0), i.id) for i in ref.indicators if i.label is not None]
    if unsure:
        count, indicator = max(unsure, key=lambda u: (u[0], u[1]))
        if count:
            questions.append(
                f"L'indicateur {indicator} a reçu le plus de « {DONT_KNOW_LABEL} » ({count} sur "
                f"{scores.respondents}) : l'information sur ce point circule-t-elle assez entre "
                "les membres ?"
            )
    if previous is not None and wave_link(previous, scores).comparable:
        moves = [
            (s.median - previous.objectives[o].median, o)
            for o, s in scores.objectives.items()
            if s.median is not None and previous.objectives[o].median is not None
        ]
        if moves:
            move, objective = max(moves, key=lambda m: (abs(m[0]), m[1]))
            if abs(move) >= CHANGE:
                verb = "progressé" if move > 0 else "reculé"
                questions.append(
                    f"L'objectif {objective} ({labels[objective]}) a {verb} de {fmt(abs(move))} "
                    f"point depuis la vague {previous.wave} : qu'est-ce qui a changé, et qu'en "
                    "retenir pour la suite ?"
                )
    questions.append(
        "Parmi les indicateurs dont le libellé est illisible dans la source, lesquels le pôle "
        "voudrait-il formuler lui-même pour la prochaine vague ?"
    )
    return questions


def _changes(
    scores: WaveScores, previous: WaveScores | None, ref: Referentiel
) -> tuple[list[str], list[list[str]], str, str]:
    """(head, rows, note, title): an « évolution » only when :func:`wave_link` allows it,
    otherwise the two waves side by side as two snapshots."""
    if previous is None:
        return [], [], "Première vague du pôle : rien à mettre en regard.", "Vagues précédentes"
    link = wave_link(previous, scores)
    rows: list[list[str]] = []
    if link.comparable:
        note = (
            f"{link.sentence} Les deux vagues ont au moins {plural(scores.minimum, 'répondant')} et les "
            "mêmes catégories détaillées : leurs médianes peuvent être rapprochées. Sont "
            f"signalés les écarts de médiane d'au moins {fmt(CHANGE)} point."
        )
        head = ["Objectif", f"Vague {previous.wave}", f"Vague {scores.wave}", "Écart", "Tendance"]
        for o in ref.objectives:
            before, after = previous.objectives[o.id], scores.objectives[o.id]
            if before.median is None or after.median is None:
                continue
            delta = after.median - before.median
            trend = "hausse" if delta >= CHANGE else "baisse" if delta <= -CHANGE else "stable"
            rows.append([f"{o.id}. {o.short_label}", f"{fmt(before.median)} (n = {before.n})",
                         f"{fmt(after.median)} (n = {after.n})",
                         ("+" if delta > 0 else "") + fmt(delta), trend])  # fmt: skip
        return head, rows, note, "Évolution depuis la vague précédente"
    why = (
        f"l'une des deux vagues a un {LOW_BASE}"
        if not (previous.sufficient and scores.sufficient)
        else "les catégories détaillées ne sont pas les mêmes d'une vague à l'autre"
    )
    note = (
        f"{link.sentence} Les deux vagues sont montrées côte à côte, comme deux photographies : "
        f"{why}, et leurs répondants diffèrent ; l'écart entre elles ne se lit pas comme une "
        "évolution."
    )
    head = ["Objectif", f"Vague {previous.wave}", f"Vague {scores.wave}"]

    def shown(w: WaveScores, o: str) -> str:
        stat = w.objectives[o]
        if not w.sufficient:
            return LOW_BASE
        return f"{fmt(stat.median)} (n = {stat.n})" if stat.median is not None else "—"

    rows = [[f"{o.id}. {o.short_label}", shown(previous, o.id), shown(scores, o.id)]
            for o in ref.objectives]  # fmt: skip
    return head, rows, note, "Deux vagues côte à côte"


def restitution_content(
    pole_name: str, waves: Sequence[WaveScores], cohort: Mapping[str, Any], ref: Referentiel,
    settings: Settings, vocabulary: Vocabulary, today: str,
) -> Content:  # fmt: skip
    """The sheet for the latest of ``waves`` (oldest first), set against the one before.

    ``cohort`` is the pole's comparison group (:func:`ptce_mono.analysis.group.
    comparison_group`): the other poles only, and no comparison below three of them."""
    scores = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    comparable = bool(cohort.get("comparable"))
    median, q1, q3, counts = (cohort.get(k) or {} for k in ("median", "q1", "q3", "n"))

    def own(o: str) -> list[str]:
        stat = scores.objectives[o]
        shown = scores.sufficient and stat.median is not None
        return [fmt(stat.median) if shown else "—",
                f"{fmt(stat.q1)} – {fmt(stat.q3)}" if shown else "—", str(stat.n)]  # fmt: skip

    def others(o: str) -> list[str]:
        if not comparable:
            return []
        return [fmt(median.get(o)),
                f"{fmt(q1.get(o))} – {fmt(q3.get(o))}" if q1.get(o) is not None else "—",
                str(counts.get(o, 0))]  # fmt: skip

    profile_rows = [[f"{o.id}. {o.short_label}", *own(o.id), *others(o.id)] for o in ref.objectives]
    profile_head = ["Objectif", "Médiane du pôle", "Écart interquartile", "n répondants"]
    if comparable:
        profile_head += ["Médiane des autres pôles", "Écart interquartile", "n pôles"]
    groups = list(scores.by_category)
    categories_rows = [
        [f"{o.id}. {o.short_label}", *[cell(scores.by_category[g][o.id]) for g in groups]]
        for o in ref.objectives
    ] if groups else []  # fmt: skip
    labels = {o.id: o.short_label for o in ref.objectives}
    divergences = [
        f"Objectif {d.objective} ({labels[d.objective]}) : {group_label(d.high, vocabulary)} "
        f"{fmt(d.high_median)} contre {group_label(d.low, vocabulary)} {fmt(d.low_median)} "
        f"(écart de {fmt(d.gap)} point)."
        for d in scores.divergences
    ]
    changes_head, changes_rows, changes_note, changes_title = _changes(scores, previous, ref)
    phrase = _category_phrase(scores, vocabulary)
    comparison = (
        f"Pour chaque objectif principal, la médiane des répondants est mise en regard de celle "
        f"des {group_phrase(cohort)} (ce pôle n'en fait pas partie)."
        if comparable
        else no_comparison_sentence(cohort)
    )
    text = scale_text(ref, readers=True)
    content = Content(
        title=f"Restitution du référentiel d'action — {pole_name}",
        subtitle=(
            f"Vague {scores.wave} — {plural(scores.respondents, 'répondant')}"
            + (f" ({phrase})" if phrase else "")
            + f" — référentiel {ref.version}"
        ),
        intro=(
            f"Ce document rend aux membres du pôle ce qu'ils ont répondu au questionnaire du "
            f"référentiel d'action des PTCE. Les scores sont « {DECLARED} » : ce sont des "
            f"déclarations, pas des notes ni des mesures de performance, à ne pas confondre avec "
            f"les éléments « {DOCUMENTED} ». {comparison}"
        ),
        sufficient=scores.sufficient,
        low_base=(
            f"{LOW_BASE.capitalize()} : {plural(scores.respondents, 'répondant')} pour un minimum "
            f"de {settings.minimum}. Le profil du pôle n'est ni calculé ni comparé aux autres "
            "pôles ; une nouvelle vague avec davantage de répondants le permettra."
        ),
        profile_caption=(
            f"Médiane et écart interquartile par objectif : le pôle "
            f"({plural(scores.respondents, 'répondant')})"
            + (f" et les {group_phrase(cohort)}" if comparable else "")
        ),
        profile_head=profile_head,
        profile_rows=profile_rows,
        categories_head=[
            "Objectif",
            *[f"{group_label(g, vocabulary)} (n = {scores.category_counts[g]})" for g in groups],
        ],
        categories_rows=categories_rows,
        categories_note=categories_note(scores),
        divergences=divergences,
        divergence_rule=(
            f"écart d'au moins {fmt(settings.divergence)} point entre les médianes de deux "
            f"catégories d'au moins {plural(settings.category_threshold, 'répondant')}"
        ),
        changes_title=changes_title,
        changes_head=changes_head,
        changes_rows=changes_rows,
        changes_note=changes_note,
        scale_quoted=text.quoted,
        scale_explained=text.explained,
        scale_declaration=text.declaration,
        questions=_questions(scores, previous, cohort, ref, vocabulary)
        if scores.sufficient
        else [
            "Comment mobiliser davantage de membres (salarié·es, bénévoles, partenaires, "
            "habitant·es) pour la prochaine vague ?"
        ],
        footer=f"ptce-mono — restitution produite le {today} — vague {scores.wave}",
        profile_alt=(
            f"Graphique : pour chacun des {len(ref.objectives)} objectifs principaux, la médiane "
            "des réponses du pôle et leur écart interquartile"
            + (f", en regard de ceux des {group_phrase(cohort)}" if comparable else "")
            + " ; les valeurs sont données dans le tableau qui suit."
        ),
    )
    return typeset(content)


def typeset(content: Content) -> Content:
    """Every text of the sheet through the project's typography (curly apostrophes, French
    spacing): the same function as the monographs and the site."""

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return typographic(value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return Content(**{k: (v if k in ("figure_svg", "extras") else fix(v))
                      for k, v in content.__dict__.items()})  # fmt: skip


def profile_svg(scores: WaveScores, cohort: Mapping[str, Any], ref: Referentiel) -> str:
    """The profile figure through the project's one figure pipeline (typographic apostrophes,
    text as paths, fixed ids, no date: byte-identical between runs)."""
    import matplotlib.pyplot as plt

    from .charts.declared import build_profile
    from .charts.svg import figure_svg

    fig = build_profile(ref, scores.objectives, cohort, scores.respondents)
    try:
        return figure_svg(fig)
    finally:
        plt.close(fig)


def render_html(content: Content, templates: Path) -> str:
    from markupsafe import Markup

    from ..render.templating import french_environment
    from .charts.svg import inline_svg

    env = french_environment(templates)
    css = (templates / "restitution.css").read_text(encoding="utf-8")
    return env.get_template("restitution.html").render(
        c=content,
        css=Markup(css),
        figure=Markup(inline_svg(content.figure_svg)),  # our own SVG
    )


def render_pdf(
    content: Content, templates: Path, out: Path, timeout: float = SHEET_TIMEOUT
) -> bytes:
    """The PDF, by the project's one guarded Typst compiler (time limit, PDF/UA-1)."""
    data = {k: v for k, v in content.__dict__.items() if k not in ("figure_svg", "extras")}
    data["has_figure"] = bool(content.figure_svg)
    files = {"profil.svg": content.figure_svg.encode("utf-8")} if content.figure_svg else {}
    return compile_sheet(templates / "restitution.typ", data, "restitution.json", out, files,
                         timeout)  # fmt: skip


def restitution_paths(monographs: Path, slug: str) -> tuple[Path, Path]:
    folder = monographs / FOLDER
    return folder / f"{slug}.html", folder / f"{slug}.pdf"


def write_restitution(
    content: Content, templates: Path, html: Path, pdf: Path, timeout: float = SHEET_TIMEOUT
) -> None:
    """Render both files first, then put them in place (a failure keeps the previous ones)."""
    html_text = render_html(content, templates)
    pdf_bytes = render_pdf(content, templates, pdf, timeout)
    write_text_atomic(html, html_text)
    write_bytes_atomic(pdf, pdf_bytes)


def today_label() -> str:
    import datetime as dt

    today = dt.date.today()
    return format_date(today.year, today.month, today.day)
