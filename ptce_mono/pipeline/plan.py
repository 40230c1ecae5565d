"""What each output depends on today: one function that ``build`` and ``status`` both use.

``current_inputs`` reads each pole folder once and computes the comparison cohorts without
writing anything, so ``status`` can call it freely; ``build`` adds its own options (formats,
engine) before hashing. Both therefore agree on what is stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.cohort import cohort_digest, compute_cohort
from ..core import layout
from ..core.fingerprint import is_up_to_date, key_of, notebook_digest, shared_inputs, tree_digest
from ..core.paths import ProjectPaths
from ..corpus.records import Corpus

TRANSVERSAL = "analyse-transversale"
BUILD_OPTIONS = ("formats", "moteur")  # inputs that come from the command line, not the files

# Every top-level entry of data/ that an output reads, and the plan inputs that carry it
# (tests/test_plan_inputs.py builds a project, records every file read under data/ and fails
# when one is read without changing these inputs, or when data/ holds an undeclared entry).
DATA_INPUTS: dict[str, tuple[str, ...]] = {
    layout.POLES_DIR: ("pole", "cohorte", "poles"),
    layout.GRID_FILE: ("grille",),
    layout.REFERENTIELS_DIR: ("referentiels",),
    layout.BIBLIOGRAPHY_FILE: ("bibliographie",),
    layout.PARTICIPATION_DIR: ("participation",),
    layout.GEO_DIR: ("geo",),
    layout.PUBLICATIONS_DIR: ("publications",),
    layout.CENSUS_DIR: ("recensement",),
    layout.PRIVATE_DIR: (
        "prive",
    ),  # by digest only: a name added makes the outputs it protects stale
    layout.IDENTITY_FILE: ("projet",),  # the project's identity (team, licence, address)
}
# Entries of data/ that no output reads, and why (shown by nothing until an import uses them).
NOT_OUTPUT_INPUTS: dict[str, str] = {
    layout.CODES_FILE: "lu par « import entretiens » seulement : la section de chaque extrait est "
    "écrite dans le dossier du pôle, qui est l'entrée de sa monographie",
}


@dataclass(frozen=True)
class CurrentInputs:
    """Today's inputs of every output, by stem (pole slugs and the transversal analysis)."""

    by_stem: dict[str, dict[str, str]]
    cohorts: dict[str, dict[str, Any]]  # version → cohort (what the build writes to disk)
    pole_digests: dict[str, str]

    def key(self, stem: str, formats: tuple[str, ...] | list[str], engine: str) -> str:
        return key_of(with_options(self.by_stem[stem], formats, engine))


def with_options(inputs: Mapping[str, str], formats: Any, engine: str) -> dict[str, str]:
    return {**inputs, "formats": ",".join(formats), "moteur": engine}


def _notebook(path: Path) -> str:
    return notebook_digest(path) if path.is_file() else "absent"


def private_digest(paths: ProjectPaths, slug: str) -> str:
    """Digest of the pole's private table (``data/prive/<slug>/``): a name added to it makes
    the outputs it protects stale. Only the digest enters the manifest, never the content."""
    return tree_digest(paths.private / slug)


def current_inputs(
    paths: ProjectPaths, corpus: Corpus, digests: Mapping[str, str] | None = None
) -> CurrentInputs:
    """Inputs of each valid pole's monograph and of the transversal analysis (pure reads).

    ``digests`` are the pole folders' digests when validation already computed them."""
    shared = shared_inputs(paths)
    from ..corpus.answer_settings import load_settings

    settings = load_settings(paths)
    cohorts = {
        v: compute_cohort(corpus.poles, ref, settings) for v, ref in corpus.referentiels.items()
    }
    cohort_keys = {v: cohort_digest(c) for v, c in cohorts.items()}
    template = _notebook(paths.template_notebook)
    known = digests or {}
    digests = {pole.slug: known.get(pole.slug) or tree_digest(pole.folder) for pole in corpus.poles}
    by_stem: dict[str, dict[str, str]] = {}
    for pole in corpus.poles:
        version = pole.referentiel_version_or_default
        by_stem[pole.slug] = {
            **shared,
            "modele": template,
            "pole": digests[pole.slug],
            "cohorte": cohort_keys.get(version, "absent"),
            "prive": private_digest(paths, pole.slug),
        }
    by_stem[TRANSVERSAL] = {
        **shared,
        "modele": _notebook(paths.transversal_notebook),
        "poles": key_of(digests),
        "geo": tree_digest(paths.geo),
        "publications": tree_digest(paths.publications),
        "prive": key_of({pole.slug: private_digest(paths, pole.slug) for pole in corpus.poles}),
        "recensement": tree_digest(paths.census),
    }
    return CurrentInputs(by_stem, cohorts, digests)


def outputs_of(paths: ProjectPaths, stem: str, formats: Any) -> list[Path]:
    return [paths.output(stem, ext) for ext in ("ipynb", *formats)]


def is_stale(
    paths: ProjectPaths,
    current: CurrentInputs,
    stem: str,
    manifest: Mapping[str, Any] | None,
    formats: Any,
    engine: str,
) -> bool:
    """True when ``stem`` must be built again with these options."""
    key = current.key(stem, formats, engine)
    recorded = [Path(p) for p in ((manifest or {}).get("outputs") or {}).values()]
    return not is_up_to_date(manifest, key, [*outputs_of(paths, stem, formats), *recorded])
