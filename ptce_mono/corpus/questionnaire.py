"""The questionnaire of one pole and one wave, built from the référentiel version in force.

Pure: no file is read or written here. The XLSForm, the fillable XLSX and the paper PDF are
three renderings of the same :class:`Questionnaire`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.errors import PtceError
from ..core.fr import typographic
from .answer_labels import DONT_KNOW, DONT_KNOW_LABEL
from .answer_settings import Choice, Vocabulary
from .referentiel import Referentiel
from .scale import ScaleText, plain_levels, scale_text

UNREADABLE = "libellé illisible dans la source : indicateur non formulé"
WAVE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def check_wave(wave: str) -> str:
    """A wave is a dated campaign: ``AAAA-MM`` or ``AAAA-MM-JJ``."""
    if not WAVE_RE.match(wave):
        raise PtceError(
            f"vague « {wave} » invalide : une vague est une campagne datée, "
            "sous la forme AAAA-MM ou AAAA-MM-JJ (ex. « 2025-03 »)."
        )
    return wave


@dataclass(frozen=True)
class Item:
    """One indicator as asked. ``label`` is the source's wording, or None when unreadable."""

    id: str
    objective: str
    label: str | None

    @property
    def text(self) -> str:
        return self.label or f"({UNREADABLE})"


@dataclass(frozen=True)
class Section:
    """A principal objective and its indicators."""

    id: str
    label: str
    general: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: str
    slug: str
    pole_name: str
    wave: str
    scale: tuple[Choice, ...]  # the answers offered, « ne sait pas » last
    sections: tuple[Section, ...]
    vocabulary: Vocabulary
    scale_words: ScaleText | None = None  # the source's wording and the project's explanation

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for s in self.sections for i in s.items)

    @property
    def form_id(self) -> str:
        return f"referentiel-{self.version}-{self.slug}-{self.wave}"

    @property
    def instructions(self) -> str:
        low, high = self.scale[0], self.scale[-2]
        return typographic(
            f"Pour chaque indicateur du référentiel d'action des PTCE (version {self.version}), "
            f"indiquez de {low.id} à {high.id} ce qu'il représente pour le pôle « {self.pole_name} »,"
            f" ou « {DONT_KNOW_LABEL} ». Vos réponses sont enregistrées sous un identifiant "
            "pseudonyme : n'écrivez ni votre nom ni votre adresse. Vous pourrez demander le "
            "retrait de vos réponses à l'équipe qui anime la campagne."
        )

    @property
    def scale_explanation(self) -> str:
        """The source's wording quoted, the project's explanation (marked), the declaration."""
        if self.scale_words is None:
            return ""
        w = self.scale_words
        return typographic(f"{w.quoted} {w.explained} {w.declaration}")


def scale_choices(ref: Referentiel) -> tuple[Choice, ...]:
    """« 1 — compte très peu », « 2 — compte un peu »… in the project's plain words (the
    source's own wording is quoted beside them, :attr:`Questionnaire.scale_explanation`),
    then « ne sait pas »."""
    choices = [Choice(str(value), f"{value} — {words}") for value, words in plain_levels(ref)]
    return (*choices, Choice(DONT_KNOW, DONT_KNOW_LABEL))


def build_questionnaire(
    ref: Referentiel, vocabulary: Vocabulary, slug: str, pole_name: str, wave: str
) -> Questionnaire:
    sections = tuple(
        Section(
            id=o.id,
            label=o.label,
            general=next(g.label for g in ref.general_objectives if g.id == o.general),
            items=tuple(Item(i.id, o.id, i.label) for i in o.indicators),
        )
        for o in ref.objectives
    )
    return Questionnaire(
        version=ref.version, title=ref.title, slug=slug, pole_name=pole_name,
        wave=check_wave(wave), scale=scale_choices(ref), sections=sections, vocabulary=vocabulary,
        scale_words=scale_text(ref),
    )  # fmt: skip
