"""The restitution sheet of a pole for its members (two pages, HTML and PDF): their profile by
objective against the cohort, divergences between their categories, changes since the previous
wave, and questions for the collective discussion.

:func:`restitution_content` is pure (data in, texts and rows out); :func:`write_restitution`
renders it with ``templates/restitution.html`` (Jinja2) and ``templates/restitution.typ``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_bytes_atomic, write_text_atomic
from ..fr import format_date, format_number, plural
from ..referentiel import Referentiel
from . import DECLARED, DOCUMENTED, DONT_KNOW_LABEL
from .scores import LOW_BASE, WaveScores
from .settings import Settings, Vocabulary

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
    categories_head: list[str]
    categories_note: str
    categories_rows: list[list[str]]
    divergences: list[str]
    divergence_rule: str
    changes_head: list[str]
    changes_rows: list[list[str]]
    changes_note: str
    questions: list[str]
    footer: str
    figure_svg: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


def _category_phrase(scores: WaveScores, vocabulary: Vocabulary) -> str:
    parts = [
        f"{vocabulary.category_label(c)} : {n}" for c, n in sorted(scores.category_counts.items())
    ]
    return " ; ".join(parts)


def _questions(
    scores: WaveScores, previous: WaveScores | None, cohort: Mapping[str, Any],
    ref: Referentiel, vocabulary: Vocabulary,
) -> list[str]:  # fmt: skip
    labels = {o.id: o.short_label for o in ref.objectives}
    questions = []
    for d in scores.divergences:
        questions.append(
            f"Sur l'objectif {d.objective} ({labels[d.objective]}), les répondants « "
            f"{vocabulary.category_label(d.high)} » (médiane {fmt(d.high_median)}) et « "
            f"{vocabulary.category_label(d.low)} » ({fmt(d.low_median)}) ne voient pas le pôle de "
            "la même façon : qu'est-ce qui explique cet écart ?"
        )
    median = cohort.get("median") or {}
    gaps = [
        (s.median - median[o], o)
        for o, s in scores.objectives.items()
        if s.median is not None and median.get(o) is not None
    ]
    if gaps and int(cohort.get("poles", 0) or 0) > 0:
        gap, objective = max(gaps, key=lambda g: (abs(g[0]), g[1]))
        if abs(gap) >= CHANGE:
            side = "au-dessus" if gap > 0 else "en dessous"
            questions.append(
                f"Le pôle se situe {side} de la médiane des pôles sur l'objectif {objective} "
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
    if previous is not None and previous.sufficient:
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


def restitution_content(
    pole_name: str, waves: Sequence[WaveScores], cohort: Mapping[str, Any], ref: Referentiel,
    settings: Settings, vocabulary: Vocabulary, today: str,
) -> Content:  # fmt: skip
    """The sheet for the latest of ``waves`` (oldest first), compared with the one before."""
    scores = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    n_poles = int(cohort.get("poles", 0) or 0)
    median, q1, q3, counts = (cohort.get(k) or {} for k in ("median", "q1", "q3", "n"))
    profile_rows = [
        [
            f"{o.id}. {o.short_label}",
            fmt(scores.objectives[o.id].median) if scores.sufficient else "—",
            (f"{fmt(scores.objectives[o.id].q1)} – {fmt(scores.objectives[o.id].q3)}"
             if scores.sufficient and scores.objectives[o.id].n else "—"),
            str(scores.objectives[o.id].n),
            f"{fmt(median.get(o.id))}" if median.get(o.id) is not None else "—",
            f"{fmt(q1.get(o.id))} – {fmt(q3.get(o.id))}" if q1.get(o.id) is not None else "—",
            str(counts.get(o.id, 0)),
        ]
        for o in ref.objectives
    ]  # fmt: skip
    shown = [c for c, n in sorted(scores.category_counts.items()) if n >= settings.category_minimum]
    categories_rows = [
        [f"{o.id}. {o.short_label}"]
        + [
            f"{fmt(scores.by_category[c][o.id].median)} (n = {scores.by_category[c][o.id].n})"
            if scores.by_category[c][o.id].n else "—"
            for c in shown
        ]
        for o in ref.objectives
    ] if scores.sufficient else []  # fmt: skip
    labels = {o.id: o.short_label for o in ref.objectives}
    divergences = [
        f"Objectif {d.objective} ({labels[d.objective]}) : {vocabulary.category_label(d.high)} "
        f"{fmt(d.high_median)} contre {vocabulary.category_label(d.low)} {fmt(d.low_median)} "
        f"(écart de {fmt(d.gap)} point)."
        for d in scores.divergences
    ]
    changes_rows: list[list[str]] = []
    changes_note = "Première vague du pôle : pas encore d'évolution à montrer."
    if previous is not None:
        changes_note = (
            f"Vague {previous.wave} ({plural(previous.respondents, 'répondant')}) et vague "
            f"{scores.wave} ({plural(scores.respondents, 'répondant')}). Sont signalés les "
            f"écarts de médiane d'au moins {fmt(CHANGE)} point."
        )
        for o in ref.objectives:
            before, after = previous.objectives[o.id], scores.objectives[o.id]
            if previous.sufficient and scores.sufficient and before.median is not None \
                    and after.median is not None:  # fmt: skip
                delta = after.median - before.median
                trend = "hausse" if delta >= CHANGE else "baisse" if delta <= -CHANGE else "stable"
                changes_rows.append([f"{o.id}. {o.short_label}",
                                     f"{fmt(before.median)} (n = {before.n})",
                                     f"{fmt(after.median)} (n = {after.n})",
                                     ("+" if delta > 0 else "") + fmt(delta), trend])  # fmt: skip
        if not changes_rows:
            changes_note += f" L'une des deux vagues a un {LOW_BASE} : pas de comparaison."
    return Content(
        title=f"Restitution du référentiel d'action — {pole_name}",
        subtitle=(
            f"Vague {scores.wave} — {plural(scores.respondents, 'répondant')} "
            f"({_category_phrase(scores, vocabulary)}) — référentiel {ref.version}"
        ),
        intro=(
            f"Ce document rend aux membres du pôle ce qu'ils ont répondu au questionnaire du "
            f"référentiel d'action des PTCE. Les scores sont « {DECLARED} » : ce sont des "
            f"perceptions, à ne pas confondre avec les éléments « {DOCUMENTED} ». Pour chaque "
            "objectif principal, la médiane des répondants est comparée à celle des pôles de la "
            f"cohorte ayant au moins {settings.minimum} répondants ({plural(n_poles, 'pôle')})."
        ),
        sufficient=scores.sufficient,
        low_base=(
            f"{LOW_BASE.capitalize()} : {plural(scores.respondents, 'répondant')} pour un minimum "
            f"de {settings.minimum}. Le profil du pôle n'est ni calculé ni comparé à la cohorte ; "
            "une nouvelle vague avec davantage de répondants le permettra."
        ),
        profile_caption=(
            f"Médiane et écart interquartile par objectif : le pôle (n = {scores.respondents} "
            f"répondants) et la cohorte (n = {n_poles} pôles au-dessus du seuil)"
        ),
        profile_rows=profile_rows,
        categories_head=["Objectif", *[vocabulary.category_label(c) for c in shown]],
        categories_rows=categories_rows,
        categories_note=(
            f"Médiane par objectif des catégories d'au moins {settings.category_minimum} "
            "répondants (n = répondants de la catégorie ayant noté l'objectif)."
        ),
        divergences=divergences,
        divergence_rule=(
            f"écart d'au moins {fmt(settings.divergence)} point entre les médianes de deux "
            "catégories"
        ),
        changes_head=[
            "Objectif",
            f"Vague {previous.wave}" if previous else "Avant",
            f"Vague {scores.wave}",
            "Écart",
            "Tendance",
        ],
        changes_rows=changes_rows,
        changes_note=changes_note,
        questions=_questions(scores, previous, cohort, ref, vocabulary)
        if scores.sufficient
        else [
            "Comment mobiliser davantage de membres (salarié·es, bénévoles, partenaires, "
            "habitant·es) pour la prochaine vague ?"
        ],
        footer=f"ptce-mono — restitution produite le {today} — vague {scores.wave}",
    )


def profile_svg(scores: WaveScores, cohort: Mapping[str, Any], ref: Referentiel) -> str:
    import matplotlib.pyplot as plt

    from .charts import build_profile

    fig = build_profile(ref, scores.objectives, cohort, scores.respondents)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def render_html(content: Content, templates: Path) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(templates)), autoescape=True,
                      undefined=StrictUndefined)  # fmt: skip
    css = (templates / "restitution.css").read_text(encoding="utf-8")
    return env.get_template("restitution.html").render(
        c=content,
        css=Markup(css),
        figure=Markup(content.figure_svg),  # our own SVG
    )


def render_pdf(content: Content, templates: Path, out: Path) -> bytes:
    from .paper import compile_typst

    data = {k: v for k, v in content.__dict__.items() if k not in ("figure_svg", "extras")}
    data["has_figure"] = bool(content.figure_svg)
    files = {"profil.svg": content.figure_svg.encode("utf-8")} if content.figure_svg else {}
    return compile_typst(templates / "restitution.typ", data, "restitution.json", out, files)


def restitution_paths(monographs: Path, slug: str) -> tuple[Path, Path]:
    folder = monographs / FOLDER
    return folder / f"{slug}.html", folder / f"{slug}.pdf"


def write_restitution(content: Content, templates: Path, html: Path, pdf: Path) -> None:
    """Render both files first, then put them in place (a failure keeps the previous ones)."""
    html_text = render_html(content, templates)
    pdf_bytes = render_pdf(content, templates, pdf)
    write_text_atomic(html, html_text)
    write_bytes_atomic(pdf, pdf_bytes)


def today_label() -> str:
    import datetime as dt

    today = dt.date.today()
    return format_date(today.year, today.month, today.day)


def build_restitution(paths: Any, slug: str, wave: str | None = None) -> tuple[Path, Path]:
    """Write the restitution sheet of ``slug`` for ``wave`` (default: its latest wave)."""
    from ..cohort import compute_cohort
    from ..errors import PtceError, UnknownWaveError
    from ..records import load_corpus
    from ..referentiel import DEFAULT_VERSION
    from .declared import pole_wave_scores
    from .settings import load_settings, load_vocabulary
    from .store import wave_names

    corpus = load_corpus(paths)
    pole = corpus.pole(slug)
    names = wave_names(pole.folder)
    if not names:
        raise PtceError(
            f"aucune réponse au questionnaire du référentiel pour le pôle « {slug} » "
            f"(dossier {pole.folder / 'referentiel'} vide) : importez-les d'abord avec la "
            "commande ptce-mono import answers."
        )
    if wave is not None and wave not in names:
        raise UnknownWaveError(slug, wave, names)
    settings = load_settings(paths)
    version = pole.referentiel_version or DEFAULT_VERSION
    waves_all = [w for refv in corpus.referentiels.values()
                 for w in pole_wave_scores(pole, refv, settings)]  # fmt: skip
    chosen = wave or names[-1]
    scored = [w for w in waves_all if w.wave <= chosen]
    version = scored[-1].version if scored else version
    ref = corpus.referentiels[version]
    scored = [w for w in scored if w.version == version]
    cohort = compute_cohort(corpus.poles, ref, settings)
    content = restitution_content(pole.name, scored, cohort, ref, settings,
                                  load_vocabulary(paths), today_label())  # fmt: skip
    if content.sufficient:
        content = Content(
            **{**content.__dict__, "figure_svg": profile_svg(scored[-1], cohort, ref)}
        )
    html, pdf = restitution_paths(paths.monographs, slug)
    write_restitution(content, paths.templates, html, pdf)
    return html, pdf


def build_restitutions(paths: Any, slugs: Sequence[str]) -> dict[str, str]:
    """Restitution sheets of the ``slugs`` that have answers (what ``build`` calls after the
    monographs); return {slug: French error} for those that failed."""
    from ..errors import PtceError
    from .store import wave_names

    failed = {}
    for slug in slugs:
        if not wave_names(paths.poles / slug):
            continue
        try:
            build_restitution(paths, slug)
        except PtceError as exc:
            failed[slug] = str(exc)
    return failed
