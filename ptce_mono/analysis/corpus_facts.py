"""The corpus one pole document rests on, as read with the pole (documents cited,
interviews, answer waves, accounts) for :mod:`ptce_mono.analysis.genre`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..corpus import schema
from ..corpus.bibliography import cited_ids
from ..corpus.records import Corpus, Pole
from .coverage import count_statuses, pole_coverage
from .genre import AnswerWave, DocumentBasis, Interview

LISTED = ("structures", "ressources", "emploi", "evenements")


def reading_count(pole: Pole) -> int:
    """How many values are marked as the project's reading of their source."""
    count = 0
    citations = pole.get("citations", {})
    if isinstance(citations, Mapping):
        count += sum(
            1 for c in citations.values()
            if isinstance(c, Mapping) and c.get("lecture") in schema.LECTURES
        )  # fmt: skip
    for key in LISTED:
        count += sum(1 for item in pole.list_of(key) if item.get("lecture") in schema.LECTURES)
    return count


def document_basis(pole: Pole, corpus: Corpus, coded_passages: int = 0) -> DocumentBasis:
    """What the pole's document rests on. Fieldwork files that cannot be read count as absent
    here: ``validate`` reports them, and the sections that show them fail with their message."""
    documents = []
    for key in cited_ids(pole):
        doc = corpus.document(key, pole)
        if doc is not None:
            documents.append((doc.short_title or doc.title, doc.year))
    interviews = tuple(Interview(i.role, i.date) for i in pole.interviews)
    waves = tuple(AnswerWave(w.wave, w.n) for w in pole.waves)  # () when one is unreadable
    accounts = pole.accounts  # None when unreadable
    years = tuple(sorted(y.year for y in accounts.years)) if accounts else ()
    counts = count_statuses(pole_coverage(pole, corpus.grid))
    return DocumentBasis(
        documents=tuple(documents),
        interviews=interviews,
        waves=waves,
        account_years=years,
        sections_total=len(corpus.grid.sections),
        sections_missing=counts.missing,
        sections_partial=counts.partial,
        readings=reading_count(pole),
        coded_passages=coded_passages,
    )


def reviewed_on(pole: Pole) -> dt.date | None:
    """Closing date of the pole's review round with its actors, or None.

    The one place the review round (``ptce-mono relecture``, stored under the pole's folder)
    reaches the genre: monographs, site and transversal analysis all ask here. A round is
    closed when the pole returned it and every remark has the team's answer
    (:func:`ptce_mono.analysis.review_state.review_state`)."""
    from .review_state import pole_review_state

    closed = pole_review_state(pole.folder)
    return dt.date.fromisoformat(closed[:10]) if closed else None
