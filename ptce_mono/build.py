"""The batch: plan what is stale, take the lock, dispatch to an executor, record manifests.

``run_build`` returns a :class:`BuildReport`; it never raises because of one pole.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cohort import compute_cohort, write_cohort
from .execute import Outcome, Status, Task, clean_temp
from .executors import make_executor
from .fingerprint import (
    STATUS_FAILED,
    STATUS_OK,
    is_up_to_date,
    key_of,
    notebook_digest,
    read_manifest,
    shared_inputs,
    tree_digest,
    write_manifest,
)
from .fr import format_date
from .geo import territory_label
from .lock import build_lock
from .paths import ProjectPaths
from .records import Corpus, Pole, pole_folders
from .referentiel import DEFAULT_VERSION
from .validate import ValidationReport, corpus_from_report, validate_corpus

TRANSVERSAL = "analyse-transversale"


@dataclass
class BuildReport:
    built: list[Outcome] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0
    validation: ValidationReport | None = None

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
    from .render import resolve_engine

    resolved = resolve_engine(engine)
    return getattr(resolved, "name", None) or str(resolved)


def cohort_files(paths: ProjectPaths, corpus: Corpus) -> dict[str, tuple[Path, str]]:
    """Write the cohort of every référentiel version; return {version: (file, digest)}."""
    result = {}
    for version, ref in corpus.referentiels.items():
        path = paths.cache / f"cohorte-{version}.json"
        cohort = compute_cohort(corpus.poles, ref)
        result[version] = (path, write_cohort(cohort, path))
    return result


def make_task(
    paths: ProjectPaths, notebook: Path, stem: str, kind: str, title: str, subtitle: str,
    inputs: dict[str, str], parameters: Callable[[str, dict[str, str]], dict[str, Any]],
    formats: Sequence[str], engine: str, timeout: float, reuse_kernel: bool = True,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    """The task, cache key and inputs of one notebook; ``parameters(key, inputs)`` gives its
    papermill parameters (they may quote the key)."""
    inputs = {
        **inputs,
        "modele": notebook_digest(notebook),
        "formats": ",".join(formats),
        "moteur": engine,
    }
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
    paths: ProjectPaths, pole: Pole, pole_digest: str, shared: dict[str, str],
    cohorts: dict[str, tuple[Path, str]], formats: Sequence[str], engine: str, timeout: float,
    reuse_kernel: bool,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    version = pole.referentiel_version or DEFAULT_VERSION
    cohort_path, cohort_digest = cohorts.get(version, (Path(""), "absent"))
    return make_task(
        paths, paths.template_notebook, pole.slug, "monographie", pole.name, territory_label(paths.geo, pole),
        {**shared, "pole": pole_digest, "cohorte": cohort_digest},
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
    paths: ProjectPaths, pole_digests: dict[str, str], shared: dict[str, str],
    formats: Sequence[str], engine: str, timeout: float,
) -> tuple[Task, str, dict[str, str]]:  # fmt: skip
    return make_task(
        paths, paths.transversal_notebook, TRANSVERSAL, TRANSVERSAL, "Analyse transversale des PTCE",
        f"{len(pole_digests)} pôles",
        {**shared, "poles": key_of(pole_digests), "geo": tree_digest(paths.geo)},
        lambda key, inputs: {
            "data_dir": str(paths.data),
            "referentiel_version": DEFAULT_VERSION,
            "export_dir": str(paths.export),
        },
        formats, engine, timeout,
    )  # fmt: skip


def _outputs(paths: ProjectPaths, stem: str, formats: Iterable[str]) -> list[Path]:
    return [paths.monographs / f"{stem}.{ext}" for ext in ("ipynb", *formats)]


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
            **previous, "slug": outcome.stem, "key": key, "inputs": inputs, "status": STATUS_FAILED,
            "failed_at": now, "error": outcome.message, "section": outcome.section,
        }  # fmt: skip
    write_manifest(paths.monographs, outcome.stem, manifest)


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
) -> BuildReport:
    """Build the monographs of ``slugs`` (all when None), then the transversal analysis."""
    start = time.perf_counter()
    report = BuildReport()
    with build_lock(paths.monographs):
        clean_temp(paths.monographs)
        validation = validate_corpus(paths)
        report.validation = validation
        invalid = validation.invalid_slugs()
        corpus = corpus_from_report(paths, validation)
        wanted = set(slugs) if slugs else None
        if wanted:
            from .records import select_folders

            select_folders(paths, wanted)  # unknown or unsafe slugs raise a French error
        engine_name = resolve_engine_name(engine) if formats else "aucun"
        shared = shared_inputs(paths)
        cohorts = cohort_files(paths, corpus)
        digests = {pole.slug: tree_digest(pole.folder) for pole in corpus.poles}  # read once
        planned: list[tuple[Task, str, dict[str, str]]] = []
        loaded = {pole.folder for pole in validation.poles}
        for folder in pole_folders(paths):
            if folder not in loaded and (wanted is None or folder.name in wanted):
                report.failed.append(
                    Outcome(
                        folder.name,
                        Status.FAILED,
                        "fiche illisible : lancez « ptce-mono validate »",
                        "fiche",
                    )
                )
        for pole in validation.poles:
            if wanted is not None and pole.slug not in wanted:
                continue
            if pole.slug in invalid:
                n = sum(
                    1
                    for p in validation.errors
                    if pole.folder in p.path.parents or p.path == pole.folder
                )
                outcome = Outcome(pole.slug, Status.FAILED, f"fiche invalide ({n} erreur{'s' if n > 1 else ''}) : "
                                  f"lancez « ptce-mono validate {pole.slug} »", "fiche")  # fmt: skip
                report.failed.append(outcome)
                continue
            task, key, inputs = pole_task(
                paths,
                pole,
                digests[pole.slug],
                shared,
                cohorts,
                formats,
                engine_name,
                timeout,
                reuse_kernel,
            )
            if not force and is_up_to_date(
                read_manifest(paths.monographs, pole.slug), key, _outputs(paths, pole.slug, formats)
            ):
                report.up_to_date.append(pole.slug)
            else:
                planned.append((task, key, inputs))
        if transversal and wanted is None and paths.transversal_notebook.is_file():
            task, key, inputs = transversal_task(
                paths, digests, shared, formats, engine_name, timeout
            )
            if not force and is_up_to_date(
                read_manifest(paths.monographs, TRANSVERSAL),
                key,
                _outputs(paths, TRANSVERSAL, formats),
            ):
                report.up_to_date.append(TRANSVERSAL)
            else:
                _export_dataset(paths)
                planned.append((task, key, inputs))
        total = len(planned)
        by_stem = {task.stem: (key, inputs) for task, key, inputs in planned}
        monographs = [t for t, _, _ in planned if t.stem != TRANSVERSAL]
        last = [t for t, _, _ in planned if t.stem == TRANSVERSAL]
        executor = make_executor(jobs or default_jobs(), dask_address)
        done = 0
        for batch in (monographs, last):
            for outcome in executor.run(batch):
                done += 1
                key, inputs = by_stem[outcome.stem]
                record(paths, outcome, key, inputs)
                (report.built if outcome.ok else report.failed).append(outcome)
                if progress:
                    progress(outcome, done, total)
    report.elapsed = time.perf_counter() - start
    return report


def _export_dataset(paths: ProjectPaths) -> None:
    from .dataset import export_dataset

    export_dataset(paths)
