"""Small-cell protection (pure): which groups of respondents may have results of their own.

The members of a pole know each other: a result computed over one or two people tells who
answered what. The rules, applied wherever answers are shown:

- a category with fewer than ``seuil_categorie`` respondents (3 by default) has no result of
  its own and its count is not shown (« effectif trop faible »);
- such categories are pooled in « autres catégories », shown only when the pool reaches the
  threshold;
- secondary suppression: when the pool stays under the threshold, the difference between the
  pole's result and its shown categories would still reveal it, so the smallest shown category
  joins the pool (repeatedly); when nothing is left to tell apart from the whole pole, no
  category is shown at all;
- inside a shown group, a result (per objective) over fewer respondents than the threshold is
  not shown either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..corpus.answer_settings import Vocabulary

OTHERS = "_autres"  # id of the pooled group; no category id starts with « _ »
OTHERS_LABEL = "autres catégories"
SMALL = "effectif trop faible"


@dataclass(frozen=True)
class Groups:
    """The publishable groups of a wave: categories shown on their own, and the pool."""

    shown: tuple[str, ...]  # category ids, each with at least the threshold
    pooled: tuple[str, ...]  # category ids inside « autres catégories » (or hidden)
    pool_shown: bool  # the pool reaches the threshold and is shown as one group

    @property
    def groups(self) -> tuple[str, ...]:
        return self.shown + ((OTHERS,) if self.pool_shown else ())


def publishable_groups(counts: Mapping[str, int], threshold: int) -> Groups:
    """Apply the rules of the module to {category: respondents}."""
    shown = sorted((c for c, n in counts.items() if n >= threshold), key=lambda c: c)
    pooled = sorted(c for c, n in counts.items() if 0 < n < threshold)
    pool = sum(counts[c] for c in pooled)
    while pooled and pool < threshold and shown:
        smallest = min(shown, key=lambda c: (counts[c], c))
        shown.remove(smallest)
        pooled.append(smallest)
        pool += counts[smallest]
    if not shown:  # a pool of every respondent is the pole itself: nothing to break down
        return Groups((), tuple(sorted(pooled)), False)
    return Groups(tuple(shown), tuple(sorted(pooled)), bool(pooled) and pool >= threshold)


def group_label(group: str, vocabulary: Vocabulary) -> str:
    return OTHERS_LABEL if group == OTHERS else vocabulary.category_label(group)
