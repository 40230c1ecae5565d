"""The live preview of one pole (``ptce-mono preview SLUG --suivre``), without its server.

A :class:`LivePreview` keeps the worker's warm kernel (:mod:`ptce_mono.pipeline.execute`) from one save
to the next. Each :meth:`LivePreview.update` validates the corpus, rebuilds the pole's
monograph only when one of its inputs changed (its build key, the same as ``build``'s), writes
the HTML first and publishes it in a :class:`PreviewState`, then hands the PDF to a background
thread. A save that breaks the record publishes its problems (file, line, field, in French)
and keeps the last good HTML; nothing replaces a good output with a failed one.

What to watch (:func:`watched_roots`, :func:`is_relevant`): the pole's folder and the inputs
every monograph shares (grid, référentiels, bibliography, participation settings, templates).
"""

from __future__ import annotations

import logging
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.paths import ProjectPaths

log = logging.getLogger(__name__)

HTML_ONLY = ("html",)
PDF_IDLE, PDF_RUNNING, PDF_DONE, PDF_FAILED = "absent", "en cours", "à jour", "échec"


@dataclass(frozen=True)
class Snapshot:
    """What the served page shows, at one version."""

    version: int
    html: bytes | None
    problems: tuple[str, ...]
    built_at: str
    pdf: str
    pdf_message: str


class PreviewState:
    """The last good HTML and the current problems; every change bumps ``version`` and wakes
    the readers waiting in :meth:`wait_change` (the server's event stream)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._snapshot = Snapshot(0, None, (), "", PDF_IDLE, "")
        self.closed = False

    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def publish(self, **changes: Any) -> Snapshot:
        with self._changed:
            current = self._snapshot
            values = {**current.__dict__, **changes, "version": current.version + 1}
            self._snapshot = Snapshot(**values)
            self._changed.notify_all()
            return self._snapshot

    def wait_change(self, seen: int, timeout: float) -> Snapshot:
        """The snapshot once its version differs from ``seen``, or after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._snapshot.version != seen, timeout)
            return self._snapshot

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()


@dataclass
class Round:
    """What one update did: ``built``, ``unchanged``, ``invalid`` (the record) or ``failed``
    (execution or rendering); its problems, in French, and its timings."""

    result: str
    problems: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# --- what to watch ------------------------------------------------------------------------------


def watched_roots(paths: ProjectPaths, slug: str) -> list[Path]:
    """The folders to watch: the pole's, the data folder (its shared files) and the templates.

    Folders, not files: an editor that saves by writing a new file and renaming it over the
    old one would make a watched file disappear."""
    roots = [paths.pole_dir(slug), paths.data, paths.templates]
    return [r for r in dict.fromkeys(roots) if r.is_dir()]


def is_relevant(paths: ProjectPaths, slug: str, path: Path) -> bool:
    """True for a file the monograph of ``slug`` depends on (other poles, the geography,
    private tables, exports, the site's templates and hidden files are not)."""
    path = Path(path)
    base = next((b for b in (paths.data, paths.templates) if path.is_relative_to(b)), None)
    if base is None:
        return False
    if any(part.startswith(".") for part in path.relative_to(base).parts):
        return False  # editors' swap files, .ipynb_checkpoints…
    shared_dirs = (paths.referentiels, paths.participation)
    shared_files = (paths.grid_file, paths.bibliography_file)
    if path.is_relative_to(paths.pole_dir(slug)) or path in shared_files:
        return True
    if any(path.is_relative_to(d) for d in shared_dirs):
        return True
    return path.is_relative_to(paths.templates) and not path.is_relative_to(
        paths.templates / "site"
    )


# --- the preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PdfJob:
    generation: int
    notebook: Path  # a private copy of the executed notebook
    key: str
    inputs: dict[str, str]


class LivePreview:
    """One pole's preview; call :meth:`update` after every batch of saves, :meth:`close` at
    the end. ``formats`` are the build's (``html`` always, ``pdf`` in the background)."""

    def __init__(
        self, paths: ProjectPaths, slug: str, formats: tuple[str, ...] = ("html", "pdf"),
        engine: str = "auto", timeout: float = 600.0,
        on_pdf: Callable[[Snapshot], None] | None = None,
    ) -> None:  # fmt: skip
        import os

        from ..documents.charts.memory import ENV_VAR
        from .build import resolve_engine_name

        # the kernel started for the first update keeps the figures whose data did not change
        self._memory_was = os.environ.get(ENV_VAR)
        os.environ[ENV_VAR] = "1"
        self.paths = paths
        self.slug = slug
        self.formats = tuple(f for f in ("html", "pdf") if f in formats or f == "html")
        self.engine = resolve_engine_name(engine)
        self.timeout = timeout
        self.state = PreviewState()
        self.on_pdf = on_pdf
        self._key: str | None = None  # key of the published HTML
        self._generation = 0
        self._jobs: queue.Queue[_PdfJob | None] = queue.Queue()
        self._pdf_thread: threading.Thread | None = None
        self._lock = threading.Lock()  # the manifest and the outputs, between both threads
        published = paths.monograph(slug, ".html")
        if published.is_file():  # the last good output, shown until the first update succeeds
            built_at = time.strftime("%H:%M:%S", time.localtime(published.stat().st_mtime))
            self.state.publish(html=published.read_bytes(), built_at=built_at)

    # -- one update --

    def update(self) -> Round:
        """Validate, rebuild the HTML if an input changed, publish; never raises for the
        project's content (a problem is published instead)."""
        from ..core.errors import PtceError

        start = time.perf_counter()
        try:
            done = self._update()
        except PtceError as exc:
            done = Round("failed", [str(exc)])
        except OSError as exc:
            done = Round("failed", [f"{exc.strerror or exc} ({exc.filename or ''})".strip()])
        except Exception as exc:  # the preview goes on: the next save may fix it
            log.debug("aperçu en direct : erreur inattendue", exc_info=True)
            done = Round("failed", [f"erreur inattendue de l'aperçu ({type(exc).__name__})"])
        done.timings["total"] = time.perf_counter() - start
        if done.result in ("invalid", "failed"):
            self.state.publish(problems=tuple(done.problems))
        return done

    def _update(self) -> Round:
        from ..checks.validate import corpus_from_report, validate_corpus
        from ..core.fingerprint import key_of
        from ..core.lock import build_lock
        from .build import cohort_files, pole_task, record
        from .execute import run_task
        from .plan import current_inputs, with_options

        paths, slug = self.paths, self.slug
        timings: dict[str, float] = {}
        start = time.perf_counter()
        report = validate_corpus(paths)
        own = [p for p in report.problems_of(paths.pole_dir(slug)) if p.severity.value == "erreur"]
        shared = [p for p in report.errors if not p.path.is_relative_to(paths.poles)]
        timings["validation"] = time.perf_counter() - start
        if own or shared:
            return Round("invalid", [p.format(paths.root) for p in [*shared, *own]], timings)
        pole = next((p for p in report.poles if p.slug == slug), None)
        if pole is None:  # pragma: no cover - a pole without errors is loaded
            return Round("invalid", [f"fiche de « {slug} » illisible"], timings)
        corpus = corpus_from_report(paths, report)
        current = current_inputs(paths, corpus, report.digests)
        key = current.key(slug, HTML_ONLY, self.engine)
        if key == self._key:
            if self.state.snapshot().problems:  # the save put back what was published
                self.state.publish(problems=())
            return Round("unchanged", [], timings)
        start = time.perf_counter()
        with self._lock, build_lock(paths.monographs):
            cohort_paths = cohort_files(paths, current)
            task, task_key, inputs = pole_task(paths, pole, current, cohort_paths, HTML_ONLY,
                                               self.engine, self.timeout, True)  # fmt: skip
            outcome = run_task(task)
            record(paths, outcome, task_key, inputs)
            if outcome.ok:  # a PDF still being made for the previous HTML is now stale
                self._generation += 1
        timings["construction"] = time.perf_counter() - start
        timings.update({f"construction.{k}": v for k, v in outcome.timings.items()})
        if not outcome.ok:
            where = f" [section {outcome.section}]" if outcome.section else ""
            return Round("failed", [f"échec de la monographie{where} : {outcome.message}"], timings)
        self._key = key
        html = Path(outcome.outputs["html"]).read_bytes()
        pdf = PDF_RUNNING if "pdf" in self.formats else PDF_IDLE
        self.state.publish(html=html, problems=(), built_at=time.strftime("%H:%M:%S"), pdf=pdf,
                           pdf_message="")  # fmt: skip
        if "pdf" in self.formats:
            both = with_options(current.by_stem[slug], self.formats, self.engine)
            self._queue_pdf(Path(outcome.outputs["ipynb"]), key_of(both), both)
        return Round("built", [], timings)

    # -- the PDF, in the background --

    def _queue_pdf(self, executed: Path, key: str, inputs: dict[str, str]) -> None:
        private = Path(tempfile.mkdtemp(prefix=f".tmp-{self.slug}-pdf-", dir=self.paths.monographs))
        copy = private / executed.name
        shutil.copy2(executed, copy)
        self._jobs.put(_PdfJob(self._generation, copy, key, inputs))
        if self._pdf_thread is None:
            self._pdf_thread = threading.Thread(target=self._pdf_loop, name="ptce-apercu-pdf",
                                                daemon=True)  # fmt: skip
            self._pdf_thread.start()

    def _pdf_loop(self) -> None:
        while True:
            job = self._jobs.get()
            while job is not None and not self._jobs.empty():  # only the newest is worth it
                shutil.rmtree(job.notebook.parent, ignore_errors=True)
                job = self._jobs.get()
            if job is None:
                return
            try:
                self._make_pdf(job)
            except Exception as exc:  # a PDF that cannot be made never stops the preview
                log.debug("aperçu en direct : PDF", exc_info=True)
                if job.generation == self._generation:
                    self._pdf_done(PDF_FAILED, str(exc) or type(exc).__name__)
            finally:
                shutil.rmtree(job.notebook.parent, ignore_errors=True)

    def _make_pdf(self, job: _PdfJob) -> None:
        from ..core.atomic import move_into_place
        from ..core.errors import PtceError
        from ..core.lock import build_lock
        from ..render import render_notebook
        from .build import record
        from .execute import Outcome, Status

        start = time.perf_counter()
        try:
            render_notebook(job.notebook, job.notebook.parent, self.slug, formats=("pdf",),
                            engine=self.engine, templates=self.paths.templates,
                            timeout=self.timeout)  # fmt: skip
        except PtceError as exc:
            if job.generation == self._generation:
                self._pdf_done(PDF_FAILED, str(exc))
            return
        elapsed = time.perf_counter() - start
        with self._lock, build_lock(self.paths.monographs):
            if job.generation != self._generation:  # a newer HTML is out: its PDF will follow
                return
            final = self.paths.monograph(self.slug, ".pdf")
            move_into_place(job.notebook.with_suffix(".pdf"), final)
            outputs = {"ipynb": str(self.paths.monograph(self.slug, ".ipynb")),
                       "html": str(self.paths.monograph(self.slug, ".html")), "pdf": str(final)}  # fmt: skip
            outcome = Outcome(self.slug, Status.OK, "", None, self.engine, {"rendu_pdf": elapsed},
                              outputs)  # fmt: skip
            record(self.paths, outcome, job.key, job.inputs)
        self._pdf_done(PDF_DONE, f"{elapsed:.2f}")

    def _pdf_done(self, status: str, message: str) -> None:
        snapshot = self.state.publish(pdf=status, pdf_message=message)
        if self.on_pdf is not None:
            self.on_pdf(snapshot)

    def wait_pdf(self, timeout: float) -> bool:
        """Wait until no PDF is being made (tests and the bench); True when idle."""
        deadline = time.monotonic() + timeout
        snapshot = self.state.snapshot()
        while snapshot.pdf == PDF_RUNNING:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            snapshot = self.state.wait_change(snapshot.version, left)
        return True

    def close(self) -> None:
        """Stop the PDF thread (a PDF being made is abandoned) and the warm kernel."""
        from ..documents.charts.memory import ENV_VAR
        from .execute import shutdown_kernel

        self.state.close()
        if self._pdf_thread is not None:
            self._jobs.put(None)
            self._pdf_thread.join(timeout=5)
        shutdown_kernel()
        _restore_env(ENV_VAR, self._memory_was)


def _restore_env(name: str, value: str | None) -> None:
    import os

    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# --- following the saves ---------------------------------------------------------------------------


def follow(
    preview: LivePreview, on_round: Callable[[Round, list[Path]], None],
    stop: threading.Event | None = None,
) -> None:  # fmt: skip
    """Update ``preview`` after every batch of saves of a file it depends on, until ``stop`` is
    set (or Ctrl-C, which is raised as KeyboardInterrupt). Saves made during an update are
    kept by the watcher and make the next batch."""
    from watchfiles import DefaultFilter, watch

    paths, slug = preview.paths, preview.slug
    default = DefaultFilter()  # editors' swap and backup files, caches

    def wanted(change: Any, path: str) -> bool:
        return default(change, path) and is_relevant(paths, slug, Path(path))

    # The data folder is watched whole (grid and bibliography are files at its top, and a
    # watched file would be lost when an editor renames a new copy over it); is_relevant keeps
    # only what this monograph reads.
    # A save made after the first preview but before the watcher was running would be lost:
    # the first quiet second (the watcher is running by then) checks once whether anything
    # this monograph reads changed meanwhile (an unchanged build key costs no rebuild).
    caught_up = False
    for changes in watch(*watched_roots(paths, slug), watch_filter=wanted, debounce=500, step=30,
                         stop_event=stop, raise_interrupt=True, rust_timeout=1000,
                         yield_on_timeout=True):  # fmt: skip
        if not changes:
            if not caught_up:
                caught_up = True
                done = preview.update()
                if done.result != "unchanged":
                    on_round(done, [])
            continue
        caught_up = True
        saved = sorted({Path(p) for _, p in changes})
        on_round(preview.update(), saved)
