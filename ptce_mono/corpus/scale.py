"""The answer scale as the respondents and the readers of a restitution see it (pure).

The source's wording is quoted as such: the 2013 plan (Annex 3, « Importance des indicateurs
du référentiel ») labels only two levels, « niveau 4 = probabilité importante » and « niveau 1
= très peu important », mixing probability and importance. The project adds a plain
explanation of every level, marked as its own, and says that a score is a member's
declaration, never a mark given to the pole.
"""

from __future__ import annotations

from dataclasses import dataclass

from .referentiel import Referentiel

SOURCE = "plan d'action de 2013, annexe 3"
# The project's plain words for a four-level scale (its reading, not the source's).
FOUR_LEVELS = ("compte très peu", "compte un peu", "compte assez", "compte beaucoup")
DECLARATION = (
    "Chaque réponse est une déclaration : ce que la personne qui répond pense de la place de "
    "l'indicateur dans le pôle. Ce n'est pas une note donnée au pôle, ni une mesure de sa "
    "performance."
)


@dataclass(frozen=True)
class ScaleText:
    quoted: str  # the source's wording, quoted
    explained: str  # the project's plain explanation, marked as the project's
    levels: tuple[tuple[int, str], ...]  # (value, the project's plain words)
    declaration: str


def plain_levels(ref: Referentiel) -> tuple[tuple[int, str], ...]:
    low, high = ref.scale.minimum, ref.scale.maximum
    if high - low == 3:
        return tuple((low + k, FOUR_LEVELS[k]) for k in range(4))
    words = []
    for value in range(low, high + 1):
        if value == low:
            words.append((value, "compte très peu"))
        elif value == high:
            words.append((value, "compte beaucoup"))
        else:
            words.append((value, f"niveau intermédiaire ({value - low} sur {high - low})"))
    return tuple(words)


def scale_text(ref: Referentiel, readers: bool = False) -> ScaleText:
    """The scale for respondents (questionnaires), or for ``readers`` of the results (the
    restitution, the monograph): the same words, told about the respondents."""
    labels = ref.scale.labels
    quoted_parts = [f"« niveau {v} = {labels[v]} »" for v in sorted(labels, reverse=True)]
    if quoted_parts:
        quoted = (
            f"La source ({SOURCE}) ne nomme que {'ce niveau' if len(labels) < 2 else 'ces niveaux'}"
            f" : {' ; '.join(quoted_parts)}."
        )
    else:
        quoted = f"La source ({SOURCE}) ne nomme aucun niveau de l'échelle."
    levels = plain_levels(ref)
    explained = (
        "Explication du projet (ce n'est pas le texte de la source) : pour chaque indicateur, "
        + ("les membres ont répondu" if readers else "répondez")
        + f" de {ref.scale.minimum} à {ref.scale.maximum} selon ce qu'il représente "
        "aujourd'hui pour le pôle — "
        + " ; ".join(f"{v} : l'indicateur {w}" for v, w in levels)
        + " — ou « ne sait pas »."
    )
    return ScaleText(quoted, explained, levels, DECLARATION)


def scale_note(ref: Referentiel) -> str:
    """The scale in one paragraph (Markdown-safe: no markup characters)."""
    text = scale_text(ref, readers=True)
    return f"*Échelle des réponses.* {text.quoted} {text.explained} {text.declaration}"
