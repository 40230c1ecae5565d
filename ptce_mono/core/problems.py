"""One problem in an input file, and its one French rendering.

Every checker (validation, the 2011 census, stored answers, review rounds, fieldwork) and every
importer (interviews, answers, review documents) says what is wrong with a file as a
:class:`Problem`: the file, where in it (a line or a row, a field or a column, or another
place such as a sheet cell or an XML element), a severity and a French message. They are
rendered by :func:`render_problem` only, one line each::

    data/poles/x/pole.yaml:12: identite.annee_creation: une année (nombre entier) est attendue
    export.csv:5: code « zzz » inconnu : …
    export.qdpx: élément <PlainTextSelection guid="…"> (ligne 67) : positions 139–2370 hors …

and a list of them by :func:`render_report`. The exception that carries a list of problems is
:class:`ptce_mono.core.errors.ProblemsError`. This module imports nothing from the package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One problem of one file.

    ``line``: the line of a text file, or the row of a table (header = 1); ``field``: the
    field (dotted key) or the column; ``where``: any other place in the file that is not a
    line of it (« feuille « réponses », cellule D3 », « élément <Code guid=…> (ligne 4) »)."""

    path: Path
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.ERROR
    where: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, root: Path | None = None) -> str:
        return render_problem(self, root)

    def __str__(self) -> str:
        return render_problem(self)


# « ligne 12 » alone, or inside a place (« feuille « x », ligne 3, cellule D3 »): the line of
# the file. « (ligne 67) » after an XML element is a line of the archive's member: kept as text.
_LINE = re.compile(r"(?:^|, )ligne (\d+)(?=,|$)")


def located(
    path: Path | str, message: str, where: str = "", line: int | None = None, field: str = "",
    severity: Severity = Severity.ERROR,
) -> Problem:  # fmt: skip
    """A problem from a place written as text (« ligne 4 », « feuille « x », ligne 4,
    cellule B4 »): the line number is taken out of it, the rest stays the place."""
    found = _LINE.search(where) if line is None else None
    if found:
        line = int(found.group(1))
        where = (where[: found.start()] + where[found.end() :]).strip(" ,")
    return Problem(Path(path), line, field, message, severity, where)


def shown_path(path: Path, root: Path | None = None) -> Path:
    """``path`` relative to the project root when it is inside (links are shown where they
    are, not where they lead), else as given."""
    if root is None:
        return path
    for candidate, base in ((path.absolute(), root.absolute()), (path.resolve(), root.resolve())):
        try:
            return candidate.relative_to(base)
        except ValueError:
            continue
    return path


def render_problem(problem: Problem, root: Path | None = None) -> str:
    """``fichier:ligne: [endroit :] [champ:] message`` — the one line of every problem."""
    shown = shown_path(problem.path, root)
    head = f"{shown}:{problem.line}" if problem.line else f"{shown}"
    where = f" {problem.where} :" if problem.where else ""
    field = f" {problem.field}:" if problem.field else ""
    prefix = "" if problem.severity is Severity.ERROR else "avertissement : "
    return f"{head}:{where}{field} {prefix}{problem.message}"


def count_label(count: int) -> str:
    """« un problème », « 3 problèmes »."""
    return "un problème" if count == 1 else f"{count} problèmes"


def render_report(problems: Sequence[Problem], intro: str = "", root: Path | None = None) -> str:
    """Every problem, one line each: alone when there is one and no ``intro``; else the
    intro with the count (where it says ``{n}``, else at its end: « import refusé
    (3 problèmes) : ») followed by one line per problem."""
    lines = [render_problem(p, root) for p in problems]
    if len(lines) == 1 and not intro:
        return lines[0]
    count = count_label(len(lines))
    if not intro:
        head = count
    elif "{n}" in intro:
        head = intro.replace("{n}", f"({count})")
    else:
        head = f"{intro} ({count})"
    return f"{head} :\n" + "\n".join(lines)


def render_first(problems: Sequence[Problem], root: Path | None = None, see: str = "") -> str:
    """One line for a place that shows only one: the first problem, and how many others
    (« (et 2 autres problèmes : voir ptce-mono validate) » with ``see``)."""
    others = len(problems) - 1
    if others < 1:
        return render_problem(problems[0], root)
    count = "1 autre problème" if others == 1 else f"{others} autres problèmes"
    return f"{render_problem(problems[0], root)} (et {count}{f' : {see}' if see else ''})"


def errors_of(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


__all__ = [
    "Problem",
    "Severity",
    "count_label",
    "errors_of",
    "located",
    "render_first",
    "render_problem",
    "render_report",
    "shown_path",
]
