"""Pluggable executors: where the tasks of a batch run. A plain registry of two.

- ``local``: a pool of worker processes on this machine (one warm kernel per worker);
- ``dask``: a Dask distributed cluster (``--dask ADDRESS``); workers must see the project folder.

Both yield :class:`~ptce_mono.pipeline.execute.Outcome` as tasks finish and never raise for one task.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, Self

from ..core.errors import PtceError
from .execute import Outcome, Status, Task, run_task, shutdown_kernel


class Executor(Protocol):
    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]: ...

    def warm(self, cwd: str) -> None: ...

    def close(self, interrupted: bool = False) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None: ...


class Closing:
    """``with executor:`` closes it on the way out; an exception (Ctrl-C included) stops its
    workers at once instead of waiting for their running cells."""

    def close(self, interrupted: bool = False) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(interrupted=kind is not None)


class LocalExecutor(Closing):
    """Worker processes on this machine; ``jobs`` = 1 runs in this process.

    :meth:`warm` starts the workers (and their kernels) ahead of the first batch, while the
    caller still validates the corpus: their start-up then runs on the core the validation
    leaves idle. A warm pool serves every later batch; :meth:`close` (or leaving the ``with``
    block) ends it."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: Any = None

    def warm(self, cwd: str) -> None:
        """Start the ``jobs`` workers now, each with its kernel started in ``cwd`` and the
        template's modules imported in it; nothing happens with one job (it runs in-process)."""
        if self.jobs > 1 and self._pool is None:
            self._pool = self._new_pool(self.jobs, cwd)
            for _ in range(self.jobs):  # each submission without an idle worker spawns one
                self._pool.submit(_nothing)

    def close(self, interrupted: bool = False) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if interrupted:  # Ctrl-C, or the caller stopped: running cells stop now
            stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _new_pool(workers: int, cwd: str = "") -> Any:
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=quiet_worker, initargs=(cwd,)
        )

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        if not tasks:
            return
        if self._pool is None and (self.jobs == 1 or len(tasks) == 1):
            try:
                for task in tasks:
                    yield run_task(task)
            except BaseException:  # Ctrl-C: the kernel client's pending tasks die with it,
                # and asyncio would print their tracebacks at exit (as in the workers)
                logging.getLogger("asyncio").setLevel(logging.CRITICAL)
                raise
            finally:
                shutdown_kernel()
            return
        from concurrent.futures import as_completed

        own = self._pool is None  # a pool for this batch only, closed with it
        pool = self._pool if not own else self._new_pool(min(self.jobs, len(tasks)))
        try:
            futures = {pool.submit(run_task, task): task for task in tasks}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # a worker process died
                    yield Outcome(
                        task.stem, Status.CRASHED, f"processus de travail interrompu ({exc})"
                    )
        except BaseException:  # Ctrl-C, or the caller stopped: running cells stop now
            stop_workers(pool)  # a warmed pool is then shut down by close()
            raise
        finally:
            if own:
                pool.shutdown(wait=True, cancel_futures=True)


def _nothing() -> None:
    """The task that makes a warmed pool spawn its workers (their initializer does the work)."""


def stop_workers(pool: Any) -> None:
    """Terminate the pool's worker processes; each kills its kernel first (:func:`quiet_worker`).
    Waiting for them instead would wait for every running cell, however long."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=30)
    for process in processes:  # stuck in its SIGTERM handler: the pool's shutdown would wait
        if process.is_alive():  # for ever
            process.kill()
            process.join(timeout=5)


def quiet_worker(cwd: str = "") -> None:
    """In a worker process: when Ctrl-C reaches the whole process group, the kernel client's
    pending tasks die with it; asyncio would print their tracebacks at exit. The parent reports
    the interruption in one French line, so the workers' asyncio log stays silent. Imports that
    no task uses are skipped (:mod:`ptce_mono.core.startup`). With ``cwd`` (a warmed pool), the
    worker's kernel is started there at once (:func:`~ptce_mono.pipeline.execute.warm_up`)."""
    import atexit
    import logging
    import signal

    from ..core.startup import skip_unused_imports

    atexit.register(_exit_without_teardown)  # registered first: runs after every other one
    skip_unused_imports()
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    # Ctrl-C is the parent's to handle: it terminates the workers (SIGTERM), and a worker
    # kills its kernel before it goes (the kernel runs in its own session).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_worker)
    if cwd:
        from .execute import warm_up

        warm_up(cwd)


def _exit_without_teardown() -> None:
    """The last step of a worker's normal exit. Its kernel and its Typst child are stopped by
    then (multiprocessing's finalizers and the exit handlers registered after this one); what
    is left is the interpreter's own teardown, which collects every loaded module (matplotlib,
    pandas, papermill…): a few tenths of a second during which the build waits for the pool to
    close. The worker's output streams are flushed and the process ends at once."""
    import os
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken stream: nothing left to say
            stream.flush()
    os._exit(0)


def _stop_worker(signum: int, _frame: Any) -> None:
    import os

    from .execute import kill_kernel_now

    kill_kernel_now()
    os._exit(128 + signum)


class DaskExecutor(Closing):
    """Tasks submitted to a Dask distributed scheduler at ``address``."""

    def __init__(self, address: str) -> None:
        self.address = address

    def warm(self, cwd: str) -> None:
        """Dask workers start their own kernels: nothing to start ahead."""

    def close(self, interrupted: bool = False) -> None:
        """Each batch opens and closes its own client."""

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        if not tasks:
            return
        try:
            from distributed import Client, as_completed
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise PtceError("le paquet « distributed » (Dask) n'est pas installé.") from exc
        try:
            client = Client(self.address, timeout="20s")
        except OSError as exc:
            raise PtceError(
                f"impossible de joindre le cluster Dask à l'adresse {self.address} ({exc})."
            ) from exc
        try:
            futures = client.map(
                run_task, list(tasks), pure=False, key=[f"ptce-{t.stem}" for t in tasks]
            )
            by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
            for future in as_completed(futures):
                task = by_key[future.key]
                try:
                    yield future.result()
                except Exception as exc:
                    yield Outcome(task.stem, Status.CRASHED, f"tâche Dask en échec ({exc})")
        finally:
            client.close()


def make_executor(jobs: int, dask_address: str | None = None) -> Executor:
    if dask_address:
        return DaskExecutor(dask_address)
    return LocalExecutor(jobs)
