"""What every reader of a QDA export produces: coded segments of interview documents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.errors import FieldworkError
from ..core.problems import Problem


@dataclass(frozen=True)
class Interview:
    """What the export says about one source document (the interview)."""

    document: str
    case: str = ""
    role: str = ""
    date: str = ""
    consent: bool | None = None


@dataclass(frozen=True)
class Segment:
    """One coded passage: the document it comes from, its codes and its exact text.

    ``where`` locates it in the export (``ligne 4``, ``<PlainTextSelection guid="…">``) for
    error messages; ``key`` identifies it within its document (offsets or the tool's id).
    """

    document: str
    codes: tuple[str, ...]
    text: str
    where: str
    key: str = ""


@dataclass(frozen=True)
class Export:
    """A whole export: segments plus what is known of each interview."""

    path: str
    tool: str
    segments: tuple[Segment, ...]
    interviews: dict[str, Interview] = field(default_factory=dict)
    uncoded: tuple[str, ...] = ()  # where-strings of segments carrying no code at all
    notices: tuple[str, ...] = ()  # French remarks on the file itself (encoding…)


@dataclass(frozen=True)
class ExportOptions:
    """What the command says about how to read an export (the context of every interview
    reader): ``end`` is the ``endPosition`` convention of REFI-QDA selections."""

    end: str = "auto"


def refused(problems: Sequence[Problem], export: Export | None) -> FieldworkError:
    """The error listing every problem of an export; it carries what could be read of it
    (``export``: the rows or selections without a problem), so that the importer adds the
    problems of their codes and poles to the same report."""
    error = FieldworkError.collected(problems)
    error.export = export
    return error
