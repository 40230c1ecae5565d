"""Executing notebooks with papermill in real kernels: warm kernels, failures, timeouts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ptce_mono.pipeline.execute import Status, Task, run_task, shutdown_kernel
from ptce_mono.pipeline.executors import DaskExecutor, LocalExecutor

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
pytestmark = pytest.mark.slow


def task(name: str, stem: str, out: Path, timeout: float = 60, **params) -> Task:
    return Task(
        stem=stem,
        notebook=str(NOTEBOOKS / f"{name}.ipynb"),
        parameters={"slug": stem, **params},
        out_dir=str(out),
        meta={"slug": stem, "title": f"Essai {stem}"},
        formats=(),
        timeout=timeout,
        cwd=str(NOTEBOOKS),
    )


def outputs_text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
    )


@pytest.fixture(autouse=True)
def _fresh_kernel():
    shutdown_kernel()
    yield
    shutdown_kernel()


def test_warm_kernel_is_reset_between_notebooks(tmp_path: Path) -> None:
    first = run_task(task("reussit", "a", tmp_path, valeur=1))
    second = run_task(task("reussit", "b", tmp_path, valeur=2))
    assert first.ok and second.ok
    text = outputs_text(tmp_path / "b.ipynb")
    assert "valeur = 2" in text
    assert "fuite : absente" in text  # nothing left over from the previous notebook


def test_warm_kernel_keeps_one_client_and_no_exit_handler_per_notebook(tmp_path: Path) -> None:
    """The client is opened once per kernel (opening one costs 0.2 s), and nbclient's exit
    handler, which would hold every executed notebook until the worker ends, is removed."""
    import atexit

    from ptce_mono.pipeline import execute

    assert run_task(task("reussit", "a", tmp_path, valeur=1)).ok
    client, handlers = execute._local.kc, atexit._ncallbacks()
    for stem in ("b", "c", "d"):
        assert run_task(task("reussit", stem, tmp_path, valeur=2)).ok
    assert execute._local.kc is client
    assert atexit._ncallbacks() == handlers
    assert run_task(task("echoue", "e", tmp_path)).status is Status.FAILED
    assert execute._local.kc is None  # a failure replaces kernel and client
    assert run_task(task("reussit", "f", tmp_path, valeur=3)).ok
    assert execute._local.kc is not None and execute._local.kc is not client


def test_fresh_and_reused_kernels_give_identical_notebooks(tmp_path: Path) -> None:
    run_task(task("reussit", "chaud", tmp_path / "w", valeur=7))  # warms the kernel
    run_task(task("reussit", "meme", tmp_path / "w", valeur=7))  # reused kernel
    shutdown_kernel()
    run_task(task("reussit", "meme", tmp_path / "f", valeur=7))  # fresh kernel
    reused = (tmp_path / "w" / "meme.ipynb").read_text(encoding="utf-8")
    fresh = (tmp_path / "f" / "meme.ipynb").read_text(encoding="utf-8")
    assert reused == fresh


def test_failure_names_the_section_and_keeps_last_good_output(tmp_path: Path) -> None:
    good = tmp_path / "p.ipynb"
    good.write_text("ancienne monographie", encoding="utf-8")
    outcome = run_task(task("echoue", "p", tmp_path))
    assert outcome.status is Status.FAILED
    assert outcome.section == "gouvernance"
    assert "ValueError" in outcome.message and "donnée manquante pour p" in outcome.message
    assert good.read_text(encoding="utf-8") == "ancienne monographie"
    assert not list(tmp_path.glob(".tmp-*"))  # no temp folder left behind
    # the next notebook gets a fresh, working kernel
    assert run_task(task("reussit", "q", tmp_path)).ok


def test_timeout_is_reported(tmp_path: Path) -> None:
    outcome = run_task(task("trop-long", "t", tmp_path, timeout=2))
    assert outcome.status is Status.FAILED
    assert "délai dépassé" in outcome.message
    assert not (tmp_path / "t.ipynb").exists()


def test_local_pool_isolates_failures(tmp_path: Path) -> None:
    tasks = [task("reussit", f"ok-{i}", tmp_path) for i in range(3)] + [
        task("echoue", "ko", tmp_path)
    ]
    outcomes = {o.stem: o for o in LocalExecutor(2).run(tasks)}
    assert set(outcomes) == {"ok-0", "ok-1", "ok-2", "ko"}
    assert [s for s, o in outcomes.items() if not o.ok] == ["ko"]
    for i in range(3):
        assert "valeur = " in outputs_text(tmp_path / f"ok-{i}.ipynb")


def test_dask_local_cluster_builds_notebooks(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        tasks = [task("reussit", f"d-{i}", tmp_path, valeur=i) for i in range(3)] + [
            task("echoue", "d-ko", tmp_path)
        ]
        outcomes = {o.stem: o for o in DaskExecutor(cluster.scheduler_address).run(tasks)}
    assert {s for s, o in outcomes.items() if o.ok} == {"d-0", "d-1", "d-2"}
    assert outcomes["d-ko"].section == "gouvernance"
    assert "valeur = 2" in outputs_text(tmp_path / "d-2.ipynb")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lecture de /proc (Linux)")
def test_a_kernel_holds_no_stream_of_the_build_and_is_known_as_soon_as_it_starts(
    tmp_path: Path,
) -> None:
    """After a Ctrl-C, a kernel left running (it is in its own session) must not keep the
    terminal or the caller's pipes open, and the worker must know it from its start to kill it."""
    from ptce_mono.pipeline import execute

    km = execute._start_kernel(str(tmp_path))
    try:
        assert execute._local.km is km
        pid = km.provisioner.process.pid
        for fd in (1, 2):
            assert os.readlink(f"/proc/{pid}/fd/{fd}") == os.devnull
    finally:
        execute.shutdown_kernel()


def _children() -> set[int]:
    import psutil

    return {p.pid for p in psutil.Process().children(recursive=True)}


def _assert_none_left_since(before: set[int], timeout: float) -> None:
    """No process started since ``before`` is still alive (multiprocessing's resource tracker
    is this process's own, kept for later pools)."""
    import psutil

    left = [
        p for p in psutil.Process().children(recursive=True)
        if p.pid not in before and "resource_tracker" not in " ".join(p.cmdline())
    ]  # fmt: skip
    _gone, alive = psutil.wait_procs(left, timeout=timeout)
    assert not alive, [p.cmdline() for p in alive]


def test_pool_workers_leave_no_kernel_behind(tmp_path: Path) -> None:
    """Workers end without the interpreter's teardown (:func:`executors._exit_without_teardown`),
    after their kernels are stopped: once the pool is closed, no process of it is left."""
    before = _children()
    tasks = [task("reussit", f"ok-{i}", tmp_path) for i in range(2)]
    assert all(o.ok for o in LocalExecutor(2).run(tasks))
    _assert_none_left_since(before, timeout=10)


def _exit_marker(path: str) -> None:
    import atexit

    from ptce_mono.pipeline.executors import quiet_worker

    atexit.register(Path(path).write_text, "fin de l'interpréteur")  # before the worker's own
    quiet_worker()


def test_a_worker_skips_the_interpreter_teardown(tmp_path: Path) -> None:
    """What runs after a worker's own exit steps (here an exit handler registered before them,
    as the interpreter's collection of modules) is skipped: the pool closes without waiting."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    marker = tmp_path / "marqueur"
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, initializer=_exit_marker,
                             initargs=(str(marker),)) as pool:  # fmt: skip
        assert pool.submit(sum, [1, 2]).result() == 3
    assert not marker.exists()


def _kernels_below(pid: int) -> list[int]:
    import psutil

    return [
        p.pid for p in psutil.Process(pid).children(recursive=True)
        if "ipykernel" in " ".join(p.cmdline()) or "kernelapp" in " ".join(p.cmdline())
    ]  # fmt: skip


@pytest.mark.parametrize("with_tasks", [True, False])
def test_a_warmed_pool_starts_kernels_ahead_and_leaves_nothing(
    tmp_path: Path, with_tasks: bool
) -> None:
    """``warm`` starts the workers and their kernels before any task (a first build, while the
    corpus is validated); the tasks then run in those kernels, and closing the pool, with or
    without tasks, leaves no worker and no kernel."""
    import time

    before = _children()
    executor = LocalExecutor(2)
    with executor:
        executor.warm(str(NOTEBOOKS))
        deadline = time.monotonic() + 60
        while len(_kernels_below(os.getpid())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_kernels_below(os.getpid())) == 2, "les noyaux ne sont pas démarrés d'avance"
        if with_tasks:
            tasks = [task("reussit", f"w-{i}", tmp_path, valeur=i) for i in range(3)]
            outcomes = {o.stem: o for o in executor.run(tasks)}
            assert all(o.ok for o in outcomes.values()), outcomes
            assert "valeur = 2" in outputs_text(tmp_path / "w-2.ipynb")
            assert len(_kernels_below(os.getpid())) == 2  # the warm kernels served them
    _assert_none_left_since(before, timeout=15)


def test_a_warmed_pool_is_stopped_at_once_on_interruption(tmp_path: Path) -> None:
    """Ctrl-C while the corpus is still being validated: the warm workers and kernels go."""
    before = _children()
    with pytest.raises(KeyboardInterrupt), LocalExecutor(2) as executor:
        executor.warm(str(NOTEBOOKS))
        raise KeyboardInterrupt
    _assert_none_left_since(before, timeout=15)
