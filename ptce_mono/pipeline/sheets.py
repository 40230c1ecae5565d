"""Restitution sheets as outputs of the plan, like the monographs.

Each pole that has stored answers has a sheet (``monographs/restitutions/<slug>.html`` and
``.pdf``) keyed by what it reads: the pole's record (``pole.yaml``: its name and référentiel
version), its answer waves (``referentiel/``), the wave shown, the comparison group it is set
against (the cohort without the pole, per référentiel version), the référentiels, the settings
of ``data/participation/``, the sheet's templates and fonts, and the code. Its manifest
(``monographs/restitutions/<slug>.manifest.json``) lets ``build`` skip it when nothing changed
and ``status`` say why it is stale.

Sheets are made from the corpus that validation has already read and from the cohorts the plan
has already computed: nothing is read again for each sheet, and a pole whose files cannot be
read (or are invalid) only fails its own sheet, with its own file named. A failure never
replaces the last good sheet (both files are rendered first, then put in place atomically).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.cohort import cohort_digest
from ..core.errors import PtceError, UnknownReferentielError, UnknownWaveError
from ..core.fingerprint import (
    STATUS_FAILED,
    STATUS_OK,
    file_digest,
    is_up_to_date,
    key_of,
    read_manifest,
    sha256_bytes,
    shared_inputs,
    tree_digest,
    write_manifest,
)
from ..core.layout import POLE_FILE, WAVES_DIR
from ..core.paths import ProjectPaths
from ..corpus.records import Corpus, Pole
from .plan import CurrentInputs

KIND = "restitution"
TEMPLATE_FILES = ("restitution.html", "restitution.typ", "restitution.css")
SHARED = ("referentiels", "participation", "paquet")  # of fingerprint.shared_inputs


def sheet_folder(paths: ProjectPaths) -> Path:
    from ..documents.restitution import FOLDER

    return paths.monographs / FOLDER


def sheet_files(paths: ProjectPaths, slug: str) -> tuple[Path, Path]:
    from ..documents.restitution import restitution_paths

    return restitution_paths(paths.monographs, slug)


def templates_digest(templates: Path) -> str:
    """The sheet's page models and the fonts of its PDF."""
    parts = {name: file_digest(templates / name) for name in TEMPLATE_FILES}
    parts["fonts"] = tree_digest(templates / "fonts")
    return sha256_bytes(key_of(parts).encode())


def wave_list(pole: Pole) -> list[str]:
    from ..corpus.answer_store import wave_names

    return wave_names(pole.folder)


def group_digest(cohorts: Mapping[str, Mapping[str, Any]], slug: str) -> str:
    """Digest of the comparison groups of ``slug`` (the cohort of each référentiel version,
    without the pole): another pole's answers change it, the pole's own do not."""
    from ..analysis.group import comparison_group

    return key_of({v: cohort_digest(comparison_group(c, slug)) for v, c in cohorts.items()})


def sheet_inputs(
    paths: ProjectPaths, corpus: Corpus, current: CurrentInputs
) -> dict[str, dict[str, str]]:
    """Today's inputs of the sheet of every valid pole that has answers, by slug (pure reads)."""
    shared = shared_inputs(paths)
    common = {k: shared[k] for k in SHARED}
    common["gabarits"] = templates_digest(paths.templates)
    out = {}
    for pole in corpus.poles:
        names = wave_list(pole)
        if not names:
            continue
        out[pole.slug] = {
            **common,
            "fiche": file_digest(pole.folder / POLE_FILE),
            "vagues": tree_digest(pole.folder / WAVES_DIR, "*.yaml"),
            "vague": names[-1],
            "cohorte": group_digest(current.cohorts, pole.slug),
        }
    return out


def read_sheet_manifest(paths: ProjectPaths, slug: str) -> dict[str, Any] | None:
    return read_manifest(sheet_folder(paths), slug)


def is_sheet_stale(
    paths: ProjectPaths, slug: str, inputs: Mapping[str, str], manifest: Mapping[str, Any] | None
) -> bool:
    return not is_up_to_date(manifest, key_of(inputs), sheet_files(paths, slug))


def record_sheet(
    paths: ProjectPaths, slug: str, inputs: Mapping[str, str], error: str | None = None
) -> None:
    """The manifest of one sheet; a failure keeps the record of the last good files."""
    now = dt.datetime.now().isoformat(timespec="seconds")
    html, pdf = sheet_files(paths, slug)
    if error is None:
        manifest: dict[str, Any] = {
            "slug": slug, "kind": KIND, "key": key_of(inputs), "inputs": dict(inputs),
            "status": STATUS_OK, "built_at": now, "error": None,
            "outputs": {"html": str(html), "pdf": str(pdf)},
        }  # fmt: skip
    else:
        previous = read_sheet_manifest(paths, slug) or {}
        manifest = {**previous, "slug": slug, "kind": KIND, "key": key_of(inputs),
                    "inputs": dict(inputs), "status": STATUS_FAILED, "failed_at": now,
                    "error": error}  # fmt: skip
    write_manifest(sheet_folder(paths), slug, manifest)


def require_wave(pole: Pole, wave: str | None) -> list[str]:
    """The pole's waves; a French error when it has none, or not ``wave``."""
    names = wave_list(pole)
    if not names:
        raise PtceError(
            f"aucune réponse au questionnaire du référentiel pour le pôle « {pole.slug} » "
            f"(dossier {pole.folder / WAVES_DIR} vide) : importez-les d'abord avec la "
            "commande ptce-mono import answers."
        )
    if wave is not None and wave not in names:
        raise UnknownWaveError(pole.slug, wave, names)
    return names


def make_sheet(
    paths: ProjectPaths, corpus: Corpus, cohorts: Mapping[str, Mapping[str, Any]], pole: Pole,
    wave: str | None = None, timeout: float | None = None,
) -> tuple[Path, Path]:  # fmt: skip
    """Write the sheet of ``pole`` for ``wave`` (default: its latest) from the validated
    ``corpus`` and the plan's ``cohorts`` (version → cohort of every valid pole)."""
    from ..analysis.declared import pole_wave_scores
    from ..analysis.group import comparison_group
    from ..checks.answers import require_valid_waves
    from ..corpus.answer_settings import load_settings, load_vocabulary
    from ..documents.restitution import (
        Content,
        profile_svg,
        restitution_content,
        today_label,
        write_restitution,
    )
    from ..render.sheet import SHEET_TIMEOUT

    names = require_wave(pole, wave)
    vocabulary = load_vocabulary(paths)
    require_valid_waves(pole.folder, corpus.referentiels, vocabulary)  # a 5 never moves a median
    settings = load_settings(paths)
    chosen = wave or names[-1]
    scored = [w for ref in corpus.referentiels.values()
              for w in pole_wave_scores(pole, ref, settings) if w.wave <= chosen]  # fmt: skip
    version = scored[-1].version if scored else pole.referentiel_version_or_default
    if version not in corpus.referentiels or version not in cohorts:
        raise UnknownReferentielError(version, sorted(corpus.referentiels))
    ref = corpus.referentiels[version]
    scored = [w for w in scored if w.version == version]
    cohort = comparison_group(cohorts[version], pole.slug)
    content = restitution_content(pole.name, scored, cohort, ref, settings, vocabulary,
                                  today_label())  # fmt: skip
    if content.sufficient:
        content = Content(
            **{**content.__dict__, "figure_svg": profile_svg(scored[-1], cohort, ref)}
        )
    html, pdf = sheet_files(paths, pole.slug)
    write_restitution(content, paths.templates, html, pdf, timeout or SHEET_TIMEOUT)
    return html, pdf


@dataclass
class SheetReport:
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # slug → French error


def build_sheets(
    paths: ProjectPaths, corpus: Corpus, current: CurrentInputs,
    wanted: Collection[str] | None = None, force: bool = False, timeout: float | None = None,
) -> SheetReport:  # fmt: skip
    """The sheets of the valid poles that have answers (``wanted`` only, when given) that are
    stale; one failure stops no other sheet."""
    report = SheetReport()
    inputs = sheet_inputs(paths, corpus, current)
    for pole in corpus.poles:
        if pole.slug not in inputs or (wanted is not None and pole.slug not in wanted):
            continue
        own = inputs[pole.slug]
        if not force and not is_sheet_stale(
            paths, pole.slug, own, read_sheet_manifest(paths, pole.slug)
        ):
            report.up_to_date.append(pole.slug)
            continue
        try:
            make_sheet(paths, corpus, current.cohorts, pole, timeout=timeout)
        except (PtceError, OSError) as exc:
            report.failed[pole.slug] = str(exc)
            record_sheet(paths, pole.slug, own, str(exc))
            continue
        record_sheet(paths, pole.slug, own)
        report.built.append(pole.slug)
    return report


def _refusal(paths: ProjectPaths, validation: Any, slug: str) -> PtceError:
    """Why the sheet of a pole that validation could not load, or found invalid, is not made:
    its own problems only (never another pole's)."""
    folder = paths.pole_dir(slug)
    found = [p for p in validation.problems_of(folder) if p in validation.errors]
    shown = "\n".join(f"- {p.format(paths.root)}" for p in found[:10])
    more = f"\n- … et {len(found) - 10} autres" if len(found) > 10 else ""
    return PtceError(
        f"fiche de restitution de « {slug} » impossible : fiche du pôle illisible ou invalide "
        f"(lancez « ptce-mono validate {slug} ») :\n{shown or '- fiche illisible'}{more}"
    )


def restitute(
    paths: ProjectPaths, slug: str, wave: str | None = None, force: bool = False,
    timeout: float | None = None,
) -> tuple[bool, Path, Path]:  # fmt: skip
    """``ptce-mono restitution SLUG``: the build of that one output. Returns (written, html,
    pdf); ``written`` is False when the sheet was already up to date (``force`` rewrites it).
    A sheet for an older ``wave`` is recorded with that wave (``build`` then finds it stale and
    writes the latest one again)."""
    from ..checks.answers import require_valid_waves
    from ..checks.validate import corpus_from_report, validate_corpus
    from ..core.lock import build_lock
    from ..corpus.answer_settings import load_vocabulary
    from ..corpus.records import select_folders
    from .plan import current_inputs

    select_folders(paths, [slug])  # unknown or unsafe slug: French error with suggestion
    with build_lock(paths.monographs):
        validation = validate_corpus(paths)
        loaded = {p.slug: p for p in validation.poles}
        if slug not in loaded:
            raise _refusal(paths, validation, slug)
        if slug in validation.invalid_slugs():
            if validation.referentiels is not None:
                require_valid_waves(loaded[slug].folder, validation.referentiels,
                                    load_vocabulary(paths))  # fmt: skip
            raise _refusal(paths, validation, slug)
        corpus = corpus_from_report(paths, validation)
        pole = corpus.pole(slug)
        require_wave(pole, wave)
        current = current_inputs(paths, corpus, validation.digests)
        own = sheet_inputs(paths, corpus, current)[slug]
        if wave is not None:
            own = {**own, "vague": wave}
        html, pdf = sheet_files(paths, slug)
        if not force and not is_sheet_stale(paths, slug, own, read_sheet_manifest(paths, slug)):
            return False, html, pdf
        try:
            make_sheet(paths, corpus, current.cohorts, pole, wave, timeout)
        except PtceError as exc:
            record_sheet(paths, slug, own, str(exc))
            raise
        record_sheet(paths, slug, own)
        return True, html, pdf
