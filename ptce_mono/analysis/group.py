"""The comparison group of one pole (pure): the *other* poles above the threshold.

A pole is never compared with a group that contains it, nor with fewer than
:data:`MIN_OTHER_POLES` other poles: with one or two others, their median is theirs alone and
the comparison would tell the members of a pole what another pole's members answered. The
cohort written by the build (:func:`ptce_mono.analysis.cohort.compute_cohort`) carries each pole's
profile and respondents; :func:`comparison_group` takes the pole out and recomputes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.fr import plural
from .scores import describe

MIN_OTHER_POLES = 3


def comparison_group(cohort: Mapping[str, Any], slug: str) -> dict[str, Any]:
    """The cohort without ``slug``: ``comparable`` is False (and no median) with fewer than
    :data:`MIN_OTHER_POLES` other poles."""
    profiles = {s: p for s, p in (cohort.get("profils") or {}).items() if s != slug}
    respondents = cohort.get("repondants") or {}
    objectives = list((cohort.get("median") or {}).keys())
    for profile in profiles.values():
        objectives += [o for o in profile if o not in objectives]
    comparable = len(profiles) >= MIN_OTHER_POLES
    stats = {
        o: describe(v for p in profiles.values() if (v := p.get(o)) is not None) for o in objectives
    }
    return {
        "version": cohort.get("version"),
        "pole": slug,
        "poles": len(profiles),
        "repondants": sum(int(respondents.get(s) or 0) for s in profiles),
        "comparable": comparable,
        "median": {o: s.median for o, s in stats.items()} if comparable else {},
        "q1": {o: s.q1 for o, s in stats.items()} if comparable else {},
        "q3": {o: s.q3 for o, s in stats.items()} if comparable else {},
        "n": {o: s.n for o, s in stats.items()} if comparable else {},
        "exclus": [s for s in cohort.get("exclus") or [] if s != slug],
    }


def group_phrase(group: Mapping[str, Any]) -> str:
    """« 3 autres pôles au-dessus du seuil, 14 répondants » (no article: « la médiane des … »,
    « et les … »); respondents only when the profiles come from answers."""
    n = int(group.get("poles", 0) or 0)
    respondents = int(group.get("repondants", 0) or 0)
    text = f"{plural(n, 'autre pôle', 'autres pôles')} au-dessus du seuil"
    if respondents:
        text += f", {plural(respondents, 'répondant')}"
    return text


def no_comparison_sentence(group: Mapping[str, Any]) -> str:
    """Why there is no comparison yet (fewer than 3 other poles)."""
    n = int(group.get("poles", 0) or 0)
    have = (
        "aucun autre pôle n'est"
        if n == 0
        else (f"{plural(n, 'autre pôle', 'autres pôles')} seulement {'est' if n < 2 else 'sont'}")
    )
    return (
        f"Pas encore de comparaison avec d'autres pôles : {have} au-dessus du seuil de "
        f"répondants, il en faut au moins {MIN_OTHER_POLES} (la médiane de moins de "
        f"{MIN_OTHER_POLES} pôles dirait ce qu'ont répondu leurs membres)."
    )
