"""The batch: plan what is stale, take the lock, dispatch to an executor, record manifests.

``run_build`` returns a :class:`BuildReport`; it never raises because of one pole.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.cohort import cohort_change_notes, read_previous_cohort, write_cohort
from ..checks.validate import ValidationReport, corpus_from_report, validate_corpus
from ..core.errors import PtceError
from ..core.fingerprint import (
    MANIFEST_SUFFIX,
    STATUS_FAILED,
    STATUS_OK,
    key_of,
    read_manifest,
    write_manifest,
)
from ..core.fr import format_date
from ..core.layout import waves_dir
from ..core.lock import build_lock
from ..core.paths import ProjectPaths
from ..corpus.geo import territory_label
from ..corpus.records import Corpus, Pole, pole_folders
from ..corpus.referentiel import DEFAULT_VERSION
from .execute import Outcome, Status, Task, clean_temp
from .executors import make_executor
from .plan import TRANSVERSAL, CurrentInputs, current_inputs, is_stale, with_options
from .withdraw import PRIVACY_SECTION, STATUS_WITHDRAWN


@dataclass
class BuildReport:
    built: list[Outcome] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0
    validation: ValidationReport | None = None
    notes: list[str] = field(default_factory=list)  # why things were stale (summary)
    withdrawn: list[str] = field(default_factory=list)  # outputs withdrawn for privacy
    restitutions: list[str] = field(default_factory=list)  # sheets written (sheets.py)
    restitutions_up_to_date: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[Outcome, int, int], None]


def default_jobs() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


def _today() -> str:
    d = dt.date.today()
    return format_date(d.year, d.month, d.day)


def resolve_engine_name(engine: str) -> str:
    from ..render import resolve_engine

    resolved = resolve_engine(engine)
    return getattr(resolved, "name", None) or str(resolved)


def cohort_files(paths: ProjectPaths, current: CurrentInputs) -> dict[str, Path]:
    """Write the cohort of every référentiel version where the monographs read it."""
    result = {}
    for version, cohort in current.cohorts.items():
        path = paths.cohort_file(version)
        write_cohort(cohort, path)
        result[version] = path
    return result


def make_task(
    paths: ProjectPaths, notebook: Path, stem: str, kind: str, title: str, subtitle: str,
    inputs: dict[str, str], parameters: Callable[[str, dict[str, str]], dict[str, Any]],
    formats: Sequence[str], engine: str, timeout: float, reuse_kernel: bool = True,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    """The task, cache key and inputs of one notebook; ``parameters(key, inputs)`` gives its
    papermill parameters (they may quote the key)."""
    inputs = with_options(inputs, formats, engine)
    key = key_of(inputs)
    meta = {
        "slug": stem,
        "kind": kind,
        "title": title,
        "subtitle": subtitle,
        "date": _today(),
        "provenance": {"cle": key, "modele": inputs["modele"][:12], "paquet": inputs["paquet"]},
    }
    task = Task(
        stem=stem,
        notebook=str(notebook),
        parameters=parameters(key, inputs),
        out_dir=str(paths.monographs),
        meta=meta,
        formats=tuple(formats),
        engine=engine,
        templates=str(paths.templates),
        timeout=timeout,
        cwd=str(notebook.parent),
        reuse_kernel=reuse_kernel,
    )
    return task, key, inputs


def pole_task(
    paths: ProjectPaths, pole: Pole, current: CurrentInputs, cohort_paths: dict[str, Path],
    formats: Sequence[str], engine: str, timeout: float, reuse_kernel: bool,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    version = pole.referentiel_version_or_default
    cohort_path = cohort_paths.get(version, Path(""))
    return make_task(
        paths, paths.template_notebook, pole.slug, "monographie", pole.name, territory_label(paths.geo, pole),
        current.by_stem[pole.slug],
        lambda key, inputs: {
            "slug": pole.slug,
            "data_dir": str(paths.data),
            "referentiel_version": version,
            "cohort_file": str(cohort_path),
            "inputs_hash": key[:16],
            "template_version": inputs["modele"][:12],
        },
        formats, engine, timeout, reuse_kernel,
    )  # fmt: skip


def transversal_task(
    paths: ProjectPaths, current: CurrentInputs, formats: Sequence[str], engine: str,
    timeout: float,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    """The transversal analysis; the build writes the data package itself, once (the notebook
    only describes it: ``export_dir`` stays empty)."""
    return make_task(
        paths, paths.transversal_notebook, TRANSVERSAL, TRANSVERSAL, "Analyse transversale des PTCE",
        f"{len(current.pole_digests)} pôles", current.by_stem[TRANSVERSAL],
        lambda key, inputs: {
            "data_dir": str(paths.data),
            "referentiel_version": DEFAULT_VERSION,
            "export_dir": "",
        },
        formats, engine, timeout,
    )  # fmt: skip


def record(paths: ProjectPaths, outcome: Outcome, key: str, inputs: dict[str, str]) -> None:
    """Write the manifest of one outcome; a failure keeps the record of the last good outputs."""
    previous = read_manifest(paths.monographs, outcome.stem) or {}
    now = dt.datetime.now().isoformat(timespec="seconds")
    if outcome.ok:
        manifest = {
            "slug": outcome.stem, "key": key, "inputs": inputs, "status": STATUS_OK, "built_at": now,
            "error": None, "section": None, "outputs": outcome.outputs, "engine": outcome.engine,
            "timings": {k: round(v, 3) for k, v in outcome.timings.items()},
        }  # fmt: skip
    else:
        manifest = {
            **previous, "slug": outcome.stem, "key": key, "inputs": inputs,
            "status": STATUS_WITHDRAWN if outcome.section == PRIVACY_SECTION else STATUS_FAILED,
            "failed_at": now, "error": outcome.message, "section": outcome.section,
        }  # fmt: skip
    write_manifest(paths.monographs, outcome.stem, manifest)


def _unreadable(
    paths: ProjectPaths, validation: ValidationReport, wanted: set[str] | None
) -> list[Outcome]:
    """A failed outcome for each pole folder that could not be read, with the first problem
    found in it (the file, and why), in French."""
    loaded = {pole.folder for pole in validation.poles}
    out = []
    for folder in pole_folders(paths):
        if folder in loaded or (wanted is not None and folder.name not in wanted):
            continue
        found = validation.problems_of(folder)
        reason = found[0].format(paths.root) if found else "fiche illisible"
        out.append(Outcome(folder.name, Status.FAILED,
                           f"{reason} (lancez « ptce-mono validate {folder.name} »)", "fiche"))  # fmt: skip
    return out


def _invalid(validation: ValidationReport, pole: Pole) -> Outcome:
    n = sum(1 for p in validation.errors if pole.folder in p.path.parents or p.path == pole.folder)
    return Outcome(pole.slug, Status.FAILED, f"fiche invalide ({n} erreur{'s' if n > 1 else ''}) : "
                   f"lancez « ptce-mono validate {pole.slug} »", "fiche")  # fmt: skip


def _withdraw_unpublishable(
    paths: ProjectPaths, validation: ValidationReport, pole: Pole, report: BuildReport
) -> None:
    """A pole invalid for a privacy reason: its previous outputs are withdrawn, not kept."""
    from .withdraw import privacy_reasons, withdraw

    reasons = privacy_reasons(validation.problems_of(pole.folder))
    if reasons:
        withdraw(paths, pole.slug, f"retirée pour confidentialité : {reasons[0]}")
        report.withdrawn.append(pole.slug)
        report.failed[-1] = Outcome(
            pole.slug,
            Status.FAILED,
            f"{reasons[0]} ; monographie précédente retirée pour confidentialité (de "
            "monographs/ et du site) : lancez « ptce-mono validate "
            f"{pole.slug} »",
            PRIVACY_SECTION,
        )


def _table_unreadable(paths: ProjectPaths, pole: Pole, report: BuildReport) -> bool:
    """A private table that cannot be read protects nothing it could check: the pole's outputs
    are withdrawn until it is repaired (never built nor kept without it)."""
    from .withdraw import withdraw

    try:
        pole.private_table()  # read once per process, kept with the pole
    except PtceError as exc:
        message = f"table privée illisible, rien ne peut être vérifié : {exc}"
        withdraw(paths, pole.slug, f"retirée pour confidentialité : {message}")
        report.withdrawn.append(pole.slug)
        report.failed.append(Outcome(pole.slug, Status.FAILED, message, PRIVACY_SECTION))
        return True
    return False


def _scanned(paths: ProjectPaths, outcome: Outcome, corpus: Corpus) -> Outcome:
    """A built output that still writes a name of a private table is withdrawn at once."""
    if not outcome.ok:
        return outcome
    from .withdraw import protected_names_in, withdraw

    poles = [p for p in corpus.poles if outcome.stem in (TRANSVERSAL, p.slug)]
    names: list[str] = []
    for pole in poles:  # each table read once per process, kept with its pole
        try:
            names += pole.private_names()
        except PtceError:
            continue  # an unreadable table is reported by validate
    outputs = [Path(p) for p in outcome.outputs.values()]
    outputs = [p if p.is_absolute() else paths.monographs / p for p in outputs]
    outputs += [paths.output(outcome.stem, "ipynb")]
    found = protected_names_in(outputs, names)
    if not found:
        return outcome
    files = ", ".join(sorted({p.name for p, _ in found}))
    message = (
        f"retirée pour confidentialité : le document produit écrit le nom d'une personne de la "
        f"table privée ({files}) ; remplacez-le par son rôle dans les récits ou les extraits"
    )
    withdraw(paths, outcome.stem, message)
    return Outcome(outcome.stem, Status.FAILED, message, PRIVACY_SECTION, outcome.engine)


def run_build(
    paths: ProjectPaths,
    slugs: Sequence[str] | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    dask_address: str | None = None,
    formats: Sequence[str] = ("html", "pdf"),
    engine: str = "auto",
    timeout: float = 600.0,
    transversal: bool = True,
    reuse_kernel: bool = True,
    progress: Progress | None = None,
    validation: ValidationReport | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Build the monographs of ``slugs`` (all when None) and the transversal analysis, side by side.

    The corpus is loaded and validated once (or ``validation`` is reused when the caller has
    just made it), the plan is made once from :func:`ptce_mono.pipeline.plan.current_inputs`, the data
    package is written once, then the stale tasks are dispatched.
    """
    start = time.perf_counter()
    report = BuildReport()
    executor = make_executor(jobs or default_jobs(), dask_address)
    with build_lock(paths.monographs), executor:
        clean_temp(paths.monographs)
        wanted = set(slugs) if slugs else None
        if wanted:
            from ..corpus.records import select_folders

            select_folders(paths, wanted)  # unknown or unsafe slugs raise a French error
        if validation is None and _builds_everything(paths, wanted, force):
            executor.warm(str(paths.template_notebook.parent))  # starts while we validate
        validation = (
            validation if validation is not None else validate_corpus(paths, use_cache=use_cache)
        )
        report.validation = validation
        invalid = validation.invalid_slugs()
        corpus = corpus_from_report(paths, validation)
        engine_name = resolve_engine_name(engine) if formats else "aucun"
        current = current_inputs(paths, corpus, validation.digests)
        previous = {v: read_previous_cohort(paths.cohort_file(v)) for v in current.cohorts}
        cohort_paths = cohort_files(paths, current)
        planned: list[tuple[Task, str, dict[str, str]]] = []
        report.failed += _unreadable(paths, validation, wanted)
        for pole in validation.poles:
            if wanted is not None and pole.slug not in wanted:
                continue
            if pole.slug in invalid:
                report.failed.append(_invalid(validation, pole))
                _withdraw_unpublishable(paths, validation, pole, report)
                continue
            if _table_unreadable(paths, pole, report):
                continue
            manifest = read_manifest(paths.monographs, pole.slug)
            if not force and not is_stale(
                paths, current, pole.slug, manifest, formats, engine_name
            ):
                report.up_to_date.append(pole.slug)
                continue
            planned.append(pole_task(paths, pole, current, cohort_paths, formats, engine_name,
                                     timeout, reuse_kernel))  # fmt: skip
        if transversal and wanted is None and paths.transversal_notebook.is_file():
            manifest = read_manifest(paths.monographs, TRANSVERSAL)
            if not force and not is_stale(
                paths, current, TRANSVERSAL, manifest, formats, engine_name
            ):
                report.up_to_date.append(TRANSVERSAL)
            else:
                export_dataset(paths, corpus)
                planned.append(transversal_task(paths, current, formats, engine_name, timeout))
        report.notes += cohort_change_notes(
            previous,
            current.cohorts,
            sum(1 for t, _, _ in planned if t.stem != TRANSVERSAL),
            [p.slug for p in corpus.poles if waves_dir(p.folder).is_dir()],
        )
        total = len(planned)
        by_stem = {task.stem: (key, inputs) for task, key, inputs in planned}
        # The transversal analysis reads the data, not the monographs: it runs beside them,
        # first, since it is the longest task (the workers then finish together).
        tasks = sorted((t for t, _, _ in planned), key=lambda t: t.stem != TRANSVERSAL)
        for done, outcome in enumerate(executor.run(tasks), start=1):
            key, inputs = by_stem[outcome.stem]
            outcome = _scanned(paths, outcome, corpus)
            record(paths, outcome, key, inputs)
            (report.built if outcome.ok else report.failed).append(outcome)
            if progress:
                progress(outcome, done, total)
        executor.close()  # the workers and kernels go before the restitution sheets
        if formats:
            _restitutions(paths, corpus, current, wanted, force, timeout, report)
    report.elapsed = time.perf_counter() - start
    return report


def _builds_everything(paths: ProjectPaths, wanted: set[str] | None, force: bool) -> bool:
    """Whether this build will surely execute several notebooks, known before validation:
    all of them are forced, or none was ever built (no manifest yet). Only then are the
    workers started ahead; an incremental build starts them once it knows it needs them."""
    if force:
        return wanted is None or len(wanted) > 1
    return wanted is None and not any(paths.monographs.glob("*" + MANIFEST_SUFFIX))


def _restitutions(
    paths: ProjectPaths, corpus: Corpus, current: CurrentInputs, wanted: set[str] | None,
    force: bool, timeout: float, report: BuildReport,
) -> None:  # fmt: skip
    """The restitution sheets of the valid poles with answers that are stale (from the corpus
    and cohorts of this build); a pole that fails stops no other."""
    from .sheets import KIND, build_sheets

    sheets = build_sheets(paths, corpus, current, wanted, force, timeout)
    report.restitutions += sheets.built
    report.restitutions_up_to_date += sheets.up_to_date
    for slug, message in sheets.failed.items():
        report.failed.append(Outcome(slug, Status.FAILED, message, KIND))


def export_dataset(paths: ProjectPaths, corpus: Corpus) -> None:
    from ..documents.dataset import write_corpus_package

    write_corpus_package(paths, corpus)
