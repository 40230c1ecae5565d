"""What ``validate`` says of a pole's review rounds: a round file that cannot be read (an
error naming the file and the line), a remark set aside or discussed without the team's answer
(a warning: both positions are published), and the remarks still open (listed by ``validate``
with their file and line, so that none is forgotten)."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import DataFileError
from ..core.problems import Problem, Severity
from ..corpus.review_store import DISCUSSED, SET_ASIDE, load_rounds

WARNING = Severity.WARNING


def check_reviews(pole_folder: Path) -> list[Problem]:
    """The errors and warnings of the pole's round files."""
    try:
        rounds = load_rounds(pole_folder)
    except DataFileError as exc:
        return [Problem(p.path, p.line, "relecture", p.message, p.severity, p.where)
                for p in exc.problems]  # fmt: skip
    warnings: list[Problem] = []
    for review in rounds:
        for remark in review.remarks:
            if remark.status in (DISCUSSED, SET_ASIDE) and not remark.answer:
                warnings.append(Problem(
                    review.path or pole_folder, remark.line, f"remarques.{remark.id}",
                    f"remarque {remark.status} sans « reponse » : la position de l'équipe est "
                    "publiée à côté de celle du pôle", WARNING,
                ))  # fmt: skip
    return warnings


def open_remarks(pole_folder: Path) -> list[Problem]:
    """Every open remark, as a warning: round file, line, remark id, a short description."""
    try:
        rounds = load_rounds(pole_folder)
    except DataFileError:
        return []  # reported as an error by check_reviews
    out: list[Problem] = []
    for review in rounds:
        for remark in review.remarks:
            if remark.is_open:
                text = remark.text if len(remark.text) <= 70 else remark.text[:69] + "…"
                out.append(Problem(
                    review.path or pole_folder, remark.line, f"remarques.{remark.id}",
                    f"remarque ouverte ({remark.kind}, section {remark.section or 'début'}, "
                    f"{remark.author}) : « {text} »", WARNING,
                ))  # fmt: skip
    return out
