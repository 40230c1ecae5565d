"""What a monograph says of its review by the pole (pure Markdown builders, and the ``show_*``
calls of :mod:`ptce_mono.documents.monograph`): « Relue par le pôle le … » on the first page and in each
section concerned, and « Points de discussion avec le pôle », where every remark the team did
not integrate is kept with both positions (disagreement is data in action research)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..analysis.review_state import (
    ReviewSummary,
    counts_phrase,
    french_day,
    review_line,
    review_summary,
)
from ..core.fr import typography
from ..corpus.pseudonymise import Person, replace_names
from ..corpus.review_store import (
    DISCUSSED,
    INTEGRATED,
    OPEN,
    SET_ASIDE,
    Remark,
    Round,
    load_rounds,
    reviews_dir,
)

DISCUSSION_HEADING = "## Points de discussion avec le pôle"
_STATUS_LABEL = {
    DISCUSSED: "point discuté",
    SET_ASIDE: "remarque écartée par l'équipe",
    OPEN: "réponse de l'équipe à venir",
    INTEGRATED: "intégrée au texte",
}
_KIND_LABEL = {
    "commentaire": "commente",
    "insertion": "propose d'ajouter",
    "suppression": "propose de retirer",
}


def literal(text: str) -> str:
    """Text from a returned document, shown as text: French typography, then every Markdown
    sign escaped (no link, emphasis, citation or HTML can come from a comment)."""
    text = typography(" ".join(text.split()))
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~^$@&])", r"\\\1", text)


def latest_round(rounds: Sequence[Round]) -> Round | None:
    summary = review_summary(rounds)
    return next((r for r in rounds if summary and r.id == summary.round_id), None)


def title_line(rounds: Sequence[Round]) -> str:
    """« *Relue par le pôle le … (n remarques : …).* », or "" when nothing came back."""
    summary = review_summary(rounds)
    if summary is None:
        return ""
    more = " Voir « Points de discussion avec le pôle »." if _discussed(rounds) else ""
    return f"*{review_line(summary)}.{more}*"


def _section_summary(summary: ReviewSummary, remarks: Sequence[Remark]) -> ReviewSummary:
    count = {
        s: sum(1 for r in remarks if r.status == s)
        for s in (OPEN, INTEGRATED, DISCUSSED, SET_ASIDE)
    }
    return ReviewSummary(summary.round_id, summary.sent, summary.read, summary.closed, len(remarks),
                         count[INTEGRATED], count[DISCUSSED], count[SET_ASIDE], count[OPEN])  # fmt: skip


def section_line(rounds: Sequence[Round], section_id: str) -> str:
    """The same line for one section, with the remarks on that section; "" when none."""
    summary = review_summary(rounds)
    review = latest_round(rounds)
    if summary is None or review is None:
        return ""
    remarks = [r for r in review.remarks if r.section == section_id]
    if not remarks:
        return ""
    mine = _section_summary(summary, remarks)
    return (f"*Section relue par le pôle le {french_day(summary.read)} "
            f"({counts_phrase(mine)} sur cette section).*")  # fmt: skip


def _discussed(rounds: Sequence[Round]) -> list[Remark]:
    review = latest_round(rounds)
    return [r for r in review.remarks if r.status != INTEGRATED] if review else []


def discussion_part(
    rounds: Sequence[Round], titles: Mapping[str, str], people: Sequence[Person] = ()
) -> str:
    """« Points de discussion avec le pôle »: both positions of every remark not integrated.

    ``people`` (the pole's private table) are replaced by their roles in everything shown, the
    team's answers included: a name typed by hand in a round file is never published."""
    summary = review_summary(rounds)
    remarks = _discussed(rounds)
    review = latest_round(rounds)
    if summary is None or review is None or not remarks:
        return ""
    titles = {**{s.id: s.title for s in review.sent.sections}, **titles}
    lines = [
        DISCUSSION_HEADING,
        "",
        f"Le pôle a relu cette monographie le {french_day(summary.read)} "
        f"({counts_phrase(summary)}). Les remarques que l'équipe n'a pas intégrées au texte "
        "sont gardées ici avec les deux positions : en recherche-action, un désaccord est une "
        "donnée. Les auteurs sont désignés par leur rôle dans le pôle.",
        "",
    ]
    for remark in remarks:
        if people:
            remark = replace(remark, **{k: replace_names(getattr(remark, k), people)
                                        for k in ("passage", "text", "answer", "author")})  # fmt: skip
        title = titles.get(remark.section) or "début du document"
        placed = "" if remark.placed == "passage" else " (texte modifié depuis l'envoi)"
        lines.append(
            f"**{literal(title)}**{placed} — {_STATUS_LABEL.get(remark.status, remark.status)}"
        )
        lines.append("")
        if remark.passage:
            lines.append(f"> {literal(remark.passage)}")
            lines.append("")
        said = remark.text.strip()
        end = "" if said.endswith((".", "!", "?", "…")) else "."
        lines.append(f"- Position du pôle ({literal(remark.author)}, {french_day(remark.date)}) : "
                     f"{_KIND_LABEL.get(remark.kind, 'commente')} « {literal(said)} »{end}")  # fmt: skip
        answer = literal(remark.answer) if remark.answer else "*réponse à venir*"
        lines.append(f"- Position de l'équipe : {answer}")
        lines.append("")
    return "\n".join(lines).rstrip()


# --- cells of the monograph ----------------------------------------------------------------------

_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], list[Round]]] = {}


def rounds_of(pole_folder: Path) -> list[Round]:
    """The pole's rounds, read once per cell run while the files do not change."""
    folder = reviews_dir(pole_folder)
    stamp = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.yaml"))
    ) if folder.is_dir() else ()  # fmt: skip
    cached = _cache.get(pole_folder)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load_rounds(pole_folder))
        _cache[pole_folder] = cached
    return cached[1]
