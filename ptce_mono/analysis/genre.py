"""What a pole document is, computed from its evidence (pure).

- « dossier documentaire »: the document rests on published documents only;
- « monographie »: fieldwork too (interviews, accounts entered from the pole, answers to the
  questionnaire);
- « monographie relue par le pôle »: a review round with the pole's actors is closed.

The review round is recorded elsewhere (``ptce-mono relecture``): callers pass its closing date
as ``reviewed_on`` (None while no round is closed). Nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..core.fr import format_number, plural


class Genre(Enum):
    DOSSIER = "dossier documentaire"
    MONOGRAPHIE = "monographie"
    RELUE = "monographie relue par le pôle"

    @property
    def label(self) -> str:
        """The genre as a heading or label: « Dossier documentaire »."""
        return self.value[:1].upper() + self.value[1:]

    @property
    def lead(self) -> str:
        """One sentence saying what such a document is."""
        return GENRE_LEADS[self]


GENRE_LEADS = {
    Genre.DOSSIER: (
        "Ce dossier documentaire rassemble ce que disent du pôle des documents publiés ; aucun "
        "travail de terrain (entretien, questionnaire, comptes fournis par le pôle) ne le "
        "complète encore. C'est un document préparatoire à une monographie, pas une monographie."
    ),
    Genre.MONOGRAPHIE: (
        "Cette monographie croise des documents publiés et un travail de terrain auprès du "
        "pôle ; ses acteurs ne l'ont pas encore relue."
    ),
    Genre.RELUE: (
        "Cette monographie croise des documents publiés et un travail de terrain auprès du "
        "pôle ; ses acteurs l'ont relue."
    ),
}


@dataclass(frozen=True)
class Interview:
    role: str
    date: str = ""  # ISO date as stored (may be empty)


@dataclass(frozen=True)
class AnswerWave:
    name: str
    n: int


@dataclass(frozen=True)
class DocumentBasis:
    """The corpus one pole document rests on (see ``ptce_mono.analysis.corpus_facts`` for its reading)."""

    documents: tuple[tuple[str, int | None], ...] = ()  # (title, year) of each cited document
    interviews: tuple[Interview, ...] = ()
    waves: tuple[AnswerWave, ...] = ()
    account_years: tuple[int, ...] = ()
    sections_total: int = 0
    sections_missing: int = 0
    sections_partial: int = 0
    readings: int = 0  # values marked as the project's reading of a source
    coded_passages: int = 0

    @property
    def answers(self) -> int:
        return sum(w.n for w in self.waves)

    @property
    def has_fieldwork(self) -> bool:
        return bool(self.interviews) or self.answers > 0 or bool(self.account_years)

    @property
    def document_years(self) -> list[int]:
        return sorted({y for _, y in self.documents if y is not None})


def pole_genre(evidence: DocumentBasis, reviewed_on: dt.date | None = None) -> Genre:
    """The genre of a pole document: reviewed, else with fieldwork, else documentary."""
    if reviewed_on is not None:
        return Genre.RELUE
    return Genre.MONOGRAPHIE if evidence.has_fieldwork else Genre.DOSSIER


def _years(years: Sequence[int]) -> str:
    if not years:
        return ""
    low, high = min(years), max(years)
    return f"{low}" if low == high else f"{low} à {high}"


def corpus_lines(evidence: DocumentBasis) -> list[str]:
    """One phrase per kind of evidence, with counts and dates (for « Comment ce document a été
    fait »). Absent kinds say « aucun »."""
    docs = evidence.documents
    years = evidence.document_years
    if not docs:
        lines = ["aucun document publié"]
    elif not years:
        lines = [plural(len(docs), "document publié", "documents publiés")]
    elif len(years) == 1:
        lines = [f"{plural(len(docs), 'document publié', 'documents publiés')} en {years[0]}"]
    else:
        lines = [
            f"{plural(len(docs), 'document publié', 'documents publiés')} de {years[0]} "
            f"à {years[-1]}"
        ]
    if evidence.interviews:
        roles = Counter(i.role for i in evidence.interviews)
        by_role = ", ".join(f"{role} : {format_number(n)}" for role, n in sorted(roles.items()))
        dates = sorted(i.date[:4] for i in evidence.interviews if i.date[:4].isdigit())
        when = f", menés en {_years([int(d) for d in dates])}" if dates else ""
        lines.append(f"{plural(len(evidence.interviews), 'entretien')} ({by_role}){when}")
    else:
        lines.append("aucun entretien")
    if evidence.waves:
        waves = ", ".join(f"{w.name} (n = {format_number(w.n)})" for w in evidence.waves)
        lines.append(f"{plural(len(evidence.waves), 'vague', 'vagues')} de questionnaire : {waves}")
    else:
        lines.append("aucune vague de questionnaire")
    if evidence.account_years:
        lines.append(
            f"comptes annuels de {plural(len(evidence.account_years), 'exercice', 'exercices')} "
            f"({_years(list(evidence.account_years))})"
        )
    else:
        lines.append("aucun compte annuel")
    return lines


def limits_paragraph(
    evidence: DocumentBasis, genre: Genre, build_year: int, reviewed_on: dt.date | None = None
) -> str:
    """« Limites »: what the document cannot say, generated from what is missing."""
    parts: list[str] = []
    if not evidence.interviews:
        parts.append(
            "aucun entretien n'a été mené : le document ne rapporte pas la parole des acteurs "
            "du pôle, seulement ce que des documents publiés en disent"
        )
    if evidence.answers == 0:
        parts.append(
            "aucun questionnaire n'a été rempli par les membres : le référentiel n'y est lu "
            "qu'à travers les passages codés par l'équipe, sans score déclaré"
        )
    if not evidence.account_years:
        parts.append("aucun compte annuel n'est saisi : le modèle économique n'est pas chiffré")
    years = evidence.document_years
    if years and build_year - max(years) >= 2:
        parts.append(
            f"le document publié le plus récent date de {max(years)} : la situation du pôle "
            "a pu changer depuis"
        )
    if evidence.sections_missing:
        parts.append(
            f"{format_number(evidence.sections_missing)} section"
            f"{'s' if evidence.sections_missing > 1 else ''} de la grille sur "
            f"{format_number(evidence.sections_total)} "
            f"{'restent' if evidence.sections_missing > 1 else 'reste'} sans aucune source"
        )
    if evidence.readings:
        parts.append(
            f"{plural(evidence.readings, 'valeur est une lecture', 'valeurs sont des lectures')} "
            "du projet (identification, inférence ou codage), signalée"
            f"{'s' if evidence.readings > 1 else ''} comme telle"
            f"{'s' if evidence.readings > 1 else ''}, non un énoncé de la source"
        )
    if reviewed_on is None:
        parts.append("les acteurs du pôle n'ont pas relu ce document")
    if not parts:
        return "Aucune limite propre à ce document n'est repérée par l'outil ; ses sources sont citées."
    text = " ; ".join(parts)
    return text[:1].upper() + text[1:] + "."
