"""Validation of a pole's fieldwork: stored excerpts (publishable only with consent and with no
flagged or private name left) and accounts. Returns :class:`~ptce_mono.core.problems.Problem`s,
never raises for bad data."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import DataFileError
from ..core.problems import Problem
from ..corpus.accounts import source_problems
from ..corpus.excerpts import publication_problems
from ..corpus.grid import Grid
from ..corpus.records import Pole

PRIVATE_NAME_IN_NARRATIVE = "nom d'une personne de la table privée dans le récit"


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # private notes: never published


def narrative_names(pole: Pole, names: tuple[str, ...] | list[str]) -> list[Problem]:
    """A name of the private table written in a narrative, in any form (outside the HTML
    comments, which are never published): the pole is not publishable until it is replaced."""
    from ..core.names import find

    problems: list[Problem] = []
    if not names:
        return problems
    for narrative in pole.narratives.values():
        body = narrative.doc.body
        hidden = [m.span() for m in _COMMENT.finditer(body)]
        lines: set[int] = set()
        for name in names:
            for start, _ in find(body, name):
                if any(a <= start < b for a, b in hidden):
                    continue
                lines.add(narrative.doc.body_line + body.count("\n", 0, start))
        for line in sorted(lines):
            problems.append(Problem(narrative.path, line, "recit",
                             f"{PRIVATE_NAME_IN_NARRATIVE} : non publiable (remplacez-le par "
                             "son rôle)"))  # fmt: skip
    return problems


def _bibliography_ids(pole: Pole) -> set[str]:
    """Ids of the shared bibliography and of the pole's own (empty when unreadable: the
    bibliography's own check reports it)."""
    from ..corpus.records import load_bibliography

    try:
        shared = set(load_bibliography(pole.paths))
    except DataFileError:
        shared = set()
    return shared | {doc.id for doc in pole.local_bibliography}


def _as_field(error: DataFileError, field: str) -> list[Problem]:
    """The problems of a file that could not be read, under ``field`` (what the file is)."""
    return [Problem(p.path, p.line, p.field or field, p.message, p.severity, p.where)
            for p in error.problems]  # fmt: skip


def check_fieldwork(pole: Pole, grid: Grid, data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    try:
        accounts = pole.require_accounts()
    except DataFileError as exc:
        problems += _as_field(exc, "comptes")
    else:
        if accounts is not None:
            known = _bibliography_ids(pole)
            problems += [
                Problem(accounts.path, line, field, message)
                for line, field, message in source_problems(accounts, known)
            ]
    interviews = pole.interviews  # an unreadable one makes the pole unreadable (validate)
    try:
        names = pole.private_names()
    except DataFileError as exc:
        problems += _as_field(exc, "entretiens")
        return problems
    problems += narrative_names(pole, names)
    for interview in interviews:
        for excerpt in interview.excerpts:
            if not excerpt.retained:
                continue
            for problem in publication_problems(interview, excerpt, names):
                problems.append(
                    Problem(
                        interview.path or pole.folder,
                        excerpt.line,
                        f"extraits.{excerpt.id}",
                        f"extrait retenu « {excerpt.id} » non publiable : {problem}",
                    )
                )
    return problems
