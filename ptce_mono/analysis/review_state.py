"""Where a pole's review stands (pure): counts by status, the date the pole read the text, and
whether the round is closed. ``review_state`` is the one call other documents need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.fr import format_date, plural
from ..corpus.review_store import DISCUSSED, INTEGRATED, OPEN, SET_ASIDE, Remark, Round


@dataclass(frozen=True)
class ReviewSummary:
    """The latest round that came back from the pole (or None), in figures."""

    round_id: str
    sent: str  # date sent, AAAA-MM-JJ
    read: str  # date the pole read it (latest remark or return), AAAA-MM-JJ
    closed: str  # closing date, or "" while remarks are open
    total: int
    integrated: int
    discussed: int
    set_aside: int
    open: int

    @property
    def is_closed(self) -> bool:
        return bool(self.closed)


def _latest_returned(rounds: Sequence[Round]) -> Round | None:
    returned = [r for r in rounds if r.returns]
    return max(returned, key=lambda r: (r.sent.date, r.id)) if returned else None


def _read_date(review: Round) -> str:
    """The latest remark's date (when the members wrote); without remark, the return's."""
    remarks = [r.date[:10] for r in review.remarks if r.date]
    returns = [r.date[:10] for r in review.returns if r.date]
    return max(remarks or returns or [review.sent.date])


def review_summary(rounds: Sequence[Round]) -> ReviewSummary | None:
    """Figures of the latest round with at least one return; None when none came back."""
    review = _latest_returned(rounds)
    if review is None:
        return None
    remarks: Sequence[Remark] = review.remarks
    count = {
        s: sum(1 for r in remarks if r.status == s)
        for s in (OPEN, INTEGRATED, DISCUSSED, SET_ASIDE)
    }
    read = _read_date(review)
    closed = "" if count[OPEN] else (review.closed or read)
    return ReviewSummary(review.id, review.sent.date, read, closed, len(remarks), count[INTEGRATED],
                         count[DISCUSSED], count[SET_ASIDE], count[OPEN])  # fmt: skip


def review_state(rounds: Sequence[Round]) -> str | None:
    """The date (AAAA-MM-JJ) the latest returned round was closed: the pole read the text and
    every remark has the team's answer; None otherwise (nothing returned, or remarks open).

    The date is the explicit ``cloture`` of the round, else the day the pole read it."""
    summary = review_summary(rounds)
    return summary.closed if summary and summary.is_closed else None


def french_day(iso: str) -> str:
    """``2026-12-04`` → « 4 décembre 2026 » (the text as is when it is not a date)."""
    try:
        year, month, day = (int(p) for p in iso[:10].split("-"))
        return format_date(year, month, day)
    except ValueError:
        return iso


def counts_phrase(summary: ReviewSummary) -> str:
    """« 3 remarques : 1 intégrée, 1 discutée, 1 ouverte » (only the statuses present, and
    « aucune remarque » for a text read without remark)."""
    if not summary.total:
        return "aucune remarque"
    parts = [plural(summary.integrated, "intégrée"), plural(summary.discussed, "discutée")]
    if summary.set_aside:
        parts.append(plural(summary.set_aside, "écartée"))
    parts.append(plural(summary.open, "ouverte"))
    return f"{plural(summary.total, 'remarque')} : {', '.join(parts)}"


def review_line(summary: ReviewSummary) -> str:
    """« Relue par le pôle le 4 décembre 2026 (3 remarques : 1 intégrée, …) »."""
    return f"Relue par le pôle le {french_day(summary.read)} ({counts_phrase(summary)})"


def status_line(slug: str, rounds: Sequence[Round]) -> str | None:
    """One line of ``ptce-mono status`` on a pole's review; None when it was never sent."""
    if not rounds:
        return None
    summary = review_summary(rounds)
    last = max(rounds, key=lambda r: (r.sent.date, r.id))
    if summary is None:
        return (f"{slug} : envoyée en relecture le {french_day(last.sent.date)} "
                f"(version {last.sent.version}), pas encore de retour")  # fmt: skip
    if summary.is_closed:
        head = f"{slug} : relue par le pôle le {french_day(summary.read)}, relecture close"
    else:
        head = (f"{slug} : relue par le pôle le {french_day(summary.read)}, "
                "réponses de l'équipe en cours")  # fmt: skip
    line = f"{head} ({counts_phrase(summary)})"
    if last.id != summary.round_id and not last.returns:
        line += f" ; nouvelle version envoyée le {french_day(last.sent.date)}, sans retour"
    return line


def pole_review_state(pole_folder: Path) -> str | None:
    """:func:`review_state` of one pole folder (``data/poles/<slug>``): the date its latest
    returned review round was closed, or None. A broken round file counts as none (``validate``
    reports it)."""
    return review_states([pole_folder])[pole_folder.name]


def review_states(folders: Sequence[Path]) -> dict[str, str | None]:
    """slug → :func:`review_state` of each pole folder (a broken round file counts as none)."""
    from ..core.errors import DataFileError
    from ..corpus.review_store import load_rounds

    out: dict[str, str | None] = {}
    for folder in folders:
        try:
            out[folder.name] = review_state(load_rounds(folder))
        except DataFileError:
            out[folder.name] = None
    return out


@dataclass(frozen=True)
class CorpusReviews:
    """How many monographs their pole read (pure aggregate, with its n)."""

    n: int  # poles in the analysis
    closed: int  # review closed: every remark answered
    in_progress: int  # returned, remarks still open
    sent: int  # sent, nothing back yet
    remarks: int
    integrated: int
    discussed: int
    set_aside: int
    open: int


def corpus_reviews(rounds_by_pole: Mapping[str, Sequence[Round]]) -> CorpusReviews:
    summaries = {s: review_summary(r) for s, r in rounds_by_pole.items()}
    done = [x for x in summaries.values() if x is not None]
    return CorpusReviews(
        n=len(rounds_by_pole),
        closed=sum(1 for x in done if x.is_closed),
        in_progress=sum(1 for x in done if not x.is_closed),
        sent=sum(1 for s, x in summaries.items() if x is None and rounds_by_pole[s]),
        remarks=sum(x.total for x in done),
        integrated=sum(x.integrated for x in done),
        discussed=sum(x.discussed for x in done),
        set_aside=sum(x.set_aside for x in done),
        open=sum(x.open for x in done),
    )


def corpus_reviews_text(c: CorpusReviews) -> str:
    """The paragraph of the transversal analysis on the review of the monographs."""
    if not (c.closed or c.in_progress or c.sent):
        if c.n == 1:
            return "La monographie n'a pas encore été relue par son pôle (n = 1)."
        return (f"Aucune des {c.n} monographies n'a encore été relue par son pôle "
                f"(n = {c.n}).")  # fmt: skip
    text = (
        f"{plural(c.closed, 'monographie relue', 'monographies relues')} par leur pôle, "
        f"relecture close, sur {c.n} ; {plural(c.in_progress, 'relecture')} en cours "
        f"(remarques encore sans réponse) ; {plural(c.sent, 'monographie envoyée', 'monographies envoyées')} "
        f"sans retour (n = {c.n})."
    )
    if c.remarks:
        parts = [plural(c.integrated, "intégrée"), plural(c.discussed, "discutée")]
        if c.set_aside:
            parts.append(plural(c.set_aside, "écartée"))
        parts.append(plural(c.open, "ouverte"))
        text += (f" Les pôles ont fait {plural(c.remarks, 'remarque')} : {', '.join(parts)} ; "
                 "celles que l'équipe n'a pas intégrées sont gardées, avec les deux positions, "
                 "dans les « Points de discussion avec le pôle » de chaque monographie.")  # fmt: skip
    return text
