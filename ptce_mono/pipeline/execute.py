"""Execute one notebook with papermill in a warm kernel, render it, and move the results into
place only when everything succeeded. Runs inside worker processes (local pool or Dask).

A kernel is started once per worker and reused for the following poles: before each pole its
namespace, matplotlib state and execution counter are reset; after any failure the kernel is
replaced by a fresh one. Outputs are normalised (execution counts, no timings), so a monograph
is identical whether built in a fresh or a reused kernel.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from ..core.atomic import move_into_place
from ..core.errors import KernelResetError, NotWritableError, PtceError
from ..core.layout import POLES_DIR

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
RESET_CODE = """\
_ptce_ip = get_ipython()
_ptce_name = None
for _ptce_name in [n for n in _ptce_ip.user_ns if not n.startswith('_') and n not in _ptce_ip.user_ns_hidden]:
    del _ptce_ip.user_ns[_ptce_name]
import matplotlib.pyplot as _ptce_plt
_ptce_plt.close('all')
_ptce_ip.execution_count = 1
del _ptce_plt, _ptce_ip, _ptce_name
"""


class Status(Enum):
    OK = "ok"
    FAILED = "echec"  # the notebook raised, timed out, or rendering failed
    CRASHED = "plantage"  # the machinery itself failed


@dataclass(frozen=True)
class Task:
    """Everything a worker needs; plain data so that it pickles (process pool, Dask)."""

    stem: str
    notebook: str
    parameters: dict[str, Any]
    out_dir: str
    meta: dict[str, Any]
    formats: tuple[str, ...] = ("html", "pdf")
    engine: str = "auto"
    templates: str = ""
    timeout: float = 600.0
    cwd: str = ""
    reuse_kernel: bool = True


@dataclass
class Outcome:
    stem: str
    status: Status
    message: str = ""
    section: str | None = None
    engine: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    notices: tuple[str, ...] = ()  # French remarks on a document built anyway (missing glyphs)

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


# --- warm kernels (one per worker thread) ----------------------------------------------------

_local = threading.local()


def _run(coro_fn: Any, *args: Any, **kwargs: Any) -> Any:
    from jupyter_core.utils import run_sync

    return run_sync(coro_fn)(*args, **kwargs)


# ipykernel_launcher, without the debugger: importing debugpy (for JupyterLab's visual debugger,
# which a build never uses) is about a third of a kernel's start. Same steps as the launcher:
# the working folder leaves sys.path while ipykernel loads (the kernel puts it back).
LAUNCHER = (
    "import sys; from pathlib import Path\n"
    "if sys.path[0] == '' or Path(sys.path[0]) == Path.cwd(): del sys.path[0]\n"
    "sys.modules['debugpy'] = None\n"
    "from ipykernel import kernelapp; kernelapp.launch_new_instance()\n"
)


def without_debugger(argv: list[str]) -> list[str]:
    """The kernel's command with ``-m ipykernel_launcher`` replaced by :data:`LAUNCHER`; any
    other command (a kernel spec of one's own) is left as it is."""
    for i in range(len(argv) - 1):
        if argv[i] == "-m" and argv[i + 1] == "ipykernel_launcher":
            return [*argv[:i], "-c", LAUNCHER, *argv[i + 2 :]]
    return list(argv)


def _start_kernel(cwd: str) -> Any:
    import os

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(jupyter_runtime_dir())
    runtime.mkdir(parents=True, exist_ok=True)
    # IPC sockets on this machine: no TCP port to allocate, no unencrypted-TCP warning.
    ident = f"ptce-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(runtime / ident))
    km.kernel_spec.argv = without_debugger(km.kernel_spec.argv)
    # Known to kill_kernel_now from the moment the kernel process exists: a Ctrl-C during the
    # start must not leave a kernel behind (it runs in its own session, out of the terminal's
    # reach).
    _local.km = km
    # The kernel's own output (« Parent appears to have exited », warnings) is English for the
    # terminal, and cells answer through the protocol: both streams go nowhere, so a kernel can
    # never hold the terminal or the caller's pipes open after the build has ended.
    _run(km.start_kernel, cwd=cwd or None, extra_arguments=["--HistoryManager.enabled=False"],
         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return km


def _start_client(km: Any, timeout: float = 60) -> Any:
    """The kernel's client, opened once and kept for the following poles, ready as soon as the
    kernel has answered (:func:`_until_ready`). Messages left by a previous notebook or by the
    handshake are ignored by nbclient, which reads only the replies to its own requests."""
    kc = km.client()
    kc.start_channels()
    try:
        _run(_until_ready, kc, timeout)
    except Exception:
        kc.stop_channels()
        raise
    kc.allow_stdin = False
    return kc


async def _until_ready(kc: Any, timeout: float) -> None:
    """jupyter_client's ``wait_for_ready`` handshake without its last step.

    As there: ask for ``kernel_info`` until the kernel replies on the shell channel and a
    message shows that the IOPub channel is connected (else ask again). Not as there: the
    IOPub channel is not drained until 0.2 s pass without a message, a pause in which neither
    the worker nor its kernel works (at the start of each worker, and of each preview); what
    it would drain is never read by nbclient."""
    from queue import Empty

    from jupyter_core.utils import ensure_async

    deadline = time.monotonic() + timeout
    while True:
        kc.kernel_info()
        try:
            reply = await ensure_async(kc.shell_channel.get_msg(timeout=1))
        except Empty:
            reply = None
        if reply is not None and reply["msg_type"] == "kernel_info_reply":
            try:
                await ensure_async(kc.iopub_channel.get_msg(timeout=0.2))
            except Empty:  # IOPub not connected yet: ask again
                pass
            else:
                kc._handle_kernel_info_reply(reply)
                return
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


ENGINE_NAME = "ptce-noyau-chaud"
# nbclient logs its own English lines (« Timeout waiting for execute reply ») on the terminal;
# the outcome says it in French instead. ``--debug`` still shows them (level set by the CLI).
_QUIET = logging.getLogger("ptce_mono.noyau")
if _QUIET.level == logging.NOTSET:
    _QUIET.setLevel(logging.CRITICAL)


def register_engine() -> None:
    """A papermill engine that runs each notebook through the worker's warm kernel and its
    long-lived client (``kc``, given by the caller), which it leaves open for the next pole.

    papermill's own engine would open a new client per notebook and leave it open (nbclient's
    ``cleanup_kc``): a leak of sockets and of a heartbeat thread per pole, and 0.2 s lost each
    time waiting for the new client to be ready.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE_NAME in papermill_engines._engines:
        return

    class WarmKernelClient(PapermillNotebookClient):
        """Resets the kernel's namespace, matplotlib state and counter before the first cell,
        through the client papermill already opened (no extra connection)."""

        def papermill_execute_cells(self) -> None:
            reply = self.wait_for_reply(
                self.kc.execute(RESET_CODE, silent=True, store_history=False)
            )
            if not reply or reply["content"].get("status") != "ok":
                detail = (reply or {}).get("content", {}).get("evalue", "")
                raise KernelResetError(detail)
            super().papermill_execute_cells()

        def execute_cell(self, cell: Any, cell_index: int, *args: Any, **kwargs: Any) -> Any:
            """Remember the grid section of a cell that ends otherwise than by an error of its
            own code (a time-out, a dead kernel): papermill does not mark such a cell."""
            try:
                return super().execute_cell(cell, cell_index, *args, **kwargs)
            except Exception as exc:
                exc.ptce_section = cell.metadata.get("ptce", {}).get("section")  # type: ignore[attr-defined]
                raise

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(  # type: ignore[override]
            cls, nb_man: Any, kernel_name: str, log_output: bool = False, stdout_file: Any = None,
            stderr_file: Any = None, start_timeout: int = 60, execution_timeout: Any = None, **kwargs: Any,
        ) -> Any:  # fmt: skip
            kc = kwargs.pop("kc", None)
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"), startup_timeout=start_timeout,
                kernel_name=kernel_name, log=_QUIET, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file,
            )  # fmt: skip
            client = WarmKernelClient(nb_man, **final_kwargs)
            client.kc = kc  # nbclient opens a client only when it has none
            try:
                return client.execute()
            finally:
                # nbclient registers a clean-up at exit per notebook: it would keep every
                # executed notebook in memory until the worker ends, then run once per pole.
                atexit.unregister(client._cleanup_kernel)

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


def shutdown_kernel() -> None:
    km, kc = getattr(_local, "km", None), getattr(_local, "kc", None)
    _local.km = _local.kc = None
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:  # sockets already closed: nothing to do
            log.debug("fermeture du client du noyau", exc_info=True)
    if km is not None:
        _kill_and_reap(km)
        try:
            _run(km.shutdown_kernel, now=True)  # its files and sockets removed
        except Exception:  # already dead: nothing to do
            log.debug("arrêt du noyau", exc_info=True)


def _kill_and_reap(km: Any) -> None:
    """Kill the kernel's process group and wait for the kernel's end. jupyter_client's forced
    shutdown does the same but polls every 0.1 s, and its first poll comes too early: 0.1 s
    lost at the end of each worker, of each preview and after each failed pole. Nothing is
    lost in the kill: a build's kernel holds no state once its notebook is written."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if kill_kernel_now(km) and process is not None:
        try:
            process.wait(timeout=5)
        except Exception:  # still there: jupyter_client's shutdown deals with it
            log.debug("attente de la fin du noyau", exc_info=True)


def kill_kernel_now(km: Any = None) -> bool:
    """Kill the warm kernel's (or ``km``'s) process group at once (a worker told to stop by
    Ctrl-C, or a kernel shut down).

    Kernels run in their own session, out of reach of the terminal's Ctrl-C; a cell that is
    still running would keep the build waiting. Safe in a signal handler: no event loop, no
    message to the kernel. False when the kernel is not known (no signal sent)."""
    import contextlib
    import os
    import signal

    km = km if km is not None else getattr(_local, "km", None)
    pgid = getattr(getattr(km, "provisioner", None), "pgid", None)
    if not pgid:
        return False
    with contextlib.suppress(OSError):  # already gone
        os.killpg(pgid, signal.SIGKILL)
    return True


def _warm_kernel(cwd: str) -> tuple[Any, Any]:
    """The worker's kernel and its client: kept from the previous pole when alive, else new."""
    km, kc = getattr(_local, "km", None), getattr(_local, "kc", None)
    if km is not None and kc is not None:
        try:
            if _run(km.is_alive):
                return km, kc  # its state is reset by the engine before the first cell
        except Exception:
            log.debug("noyau inutilisable, remplacé", exc_info=True)
    shutdown_kernel()
    return _new_kernel(cwd)


def _new_kernel(cwd: str, meanwhile: Callable[[], None] | None = None) -> tuple[Any, Any]:
    """A new kernel and its client; ``meanwhile`` runs while the kernel starts up."""
    km = _start_kernel(cwd)  # known to this thread (``_local.km``) from its start
    try:
        if meanwhile is not None:
            meanwhile()
        _local.kc = _start_client(km)
    except Exception:
        shutdown_kernel()
        raise
    if not getattr(_local, "finalizer", False):
        from multiprocessing.util import Finalize

        Finalize(_local, shutdown_kernel, exitpriority=10)
        _local.finalizer = True
    return km, _local.kc


# What the templates import first (their opening cells), imported ahead by a warmed worker.
WARM_UP_CODE = """\
import matplotlib.pyplot
import ptce_mono.documents.monograph
import ptce_mono.documents.transversal
import ptce_mono.documents.transversal_report
"""


def warm_up(cwd: str) -> None:
    """A worker started ahead of its first task (:meth:`LocalExecutor.warm
    <ptce_mono.pipeline.executors.LocalExecutor.warm>`): its kernel is started in ``cwd`` while
    the worker imports papermill, then the templates' modules are imported in the kernel,
    without waiting (the first notebook's requests queue behind). A failure is left to the
    first task, which starts a kernel again and reports it in French."""
    try:
        _, kc = _new_kernel(cwd, meanwhile=register_engine)
        kc.execute(WARM_UP_CODE, silent=True, store_history=False)
    except Exception:
        log.debug("préparation du noyau en avance", exc_info=True)
        shutdown_kernel()


# --- normalisation -----------------------------------------------------------------------------


def normalise(nb: Any, meta: dict[str, Any], parameters: dict[str, Any]) -> Any:
    """Remove what varies between runs (timings, counters, temp paths); add the ptce metadata."""
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = count
    papermill_meta = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {
        "parameters": parameters,
        "version": papermill_meta.get("version"),
        "exception": papermill_meta.get("exception"),
    }
    nb.metadata["ptce"] = meta
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def failing_section(nb: Any, cell_index: int | None) -> str | None:
    """Grid section of the failing cell (cell metadata ``ptce.section``)."""
    cells = nb.cells if nb is not None else []
    if cell_index is None:
        for index, cell in enumerate(cells):
            if cell.metadata.get("papermill", {}).get("status") == "failed" or any(
                o.get("output_type") == "error" for o in cell.get("outputs", [])
            ):
                cell_index = index
                break
    if cell_index is None or not 0 <= cell_index < len(cells):
        return None
    return cells[cell_index].metadata.get("ptce", {}).get("section")


# --- one task ------------------------------------------------------------------------------------


def run_task(task: Task) -> Outcome:
    """Execute and render one notebook; never raises (a batch goes on whatever happens)."""
    try:
        return _run_task(task)
    except PtceError as exc:  # e.g. an output folder where we may not write
        shutdown_kernel()
        return Outcome(task.stem, Status.CRASHED, str(exc))
    except OSError as exc:  # the folder, never the temp file inside it
        shutdown_kernel()
        log.debug("échec de la machinerie", exc_info=True)
        folder = Path(task.out_dir)
        return Outcome(task.stem, Status.CRASHED, str(NotWritableError.from_os(folder, exc)))
    except Exception as exc:  # the machinery failed: report, replace the kernel
        shutdown_kernel()
        log.debug("échec de la machinerie", exc_info=True)
        text = f"{type(exc).__name__} {exc}".lower()
        if "kernel" in text and ("died" in text or "dead" in text or "not alive" in text):
            return Outcome(task.stem, Status.CRASHED,
                           "le noyau Python s'est arrêté (tué ou mémoire épuisée ?) : relancez "
                           "la construction")  # fmt: skip
        return Outcome(task.stem, Status.CRASHED, "erreur inattendue de la machinerie")


def _error_message(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:
        evalue = str(getattr(exc, "evalue", "")).strip()
        return f"{ename} : {evalue}" if evalue else ename
    return f"{type(exc).__name__} : {exc}"


def _machinery_message(exc: BaseException, section: str | None, timeout: float) -> str:
    """A French sentence for a cell that did not end by an error of its own code."""
    where = f"de la section « {section} »" if section else "du modèle"
    name = type(exc).__name__.lower()
    if "timeout" in name or "timed out" in str(exc).lower():
        return (
            f"délai dépassé : une cellule {where} a duré plus de {timeout:g} s et a été "
            "arrêtée (option --delai pour allonger le délai)"
        )
    if "dead" in name or "dead" in str(exc).lower():
        return f"le noyau Python s'est arrêté pendant une cellule {where} (mémoire épuisée ?)"
    return f"exécution interrompue pendant une cellule {where} ({type(exc).__name__})"


@contextmanager
def _notebook_kept_in_memory(kept: dict[str, Any]) -> Iterator[None]:
    """papermill serialises the executed notebook (indented JSON, schema validation) when a
    cell fails and again at the end; :func:`_run_task` writes it once, normalised. Within this
    context papermill's writes only keep the notebook (one thread per process runs tasks)."""
    import papermill.execute as papermill_execute

    original = papermill_execute.write_ipynb

    def keep(nb: Any, path: Any) -> None:
        kept["nb"] = nb

    papermill_execute.write_ipynb = keep
    try:
        yield
    finally:
        papermill_execute.write_ipynb = original


def _run_task(task: Task) -> Outcome:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    register_engine()
    out_dir = Path(task.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix=f".tmp-{task.stem}-", dir=out_dir) as tmp:
        tmp_dir = Path(tmp)
        executed = tmp_dir / f"{task.stem}.ipynb"
        start = time.perf_counter()
        if not task.reuse_kernel:
            shutdown_kernel()
        km, kc = _warm_kernel(task.cwd)
        timings["noyau"] = time.perf_counter() - start
        start = time.perf_counter()
        kept: dict[str, Any] = {}
        try:
            with _notebook_kept_in_memory(kept):
                nb = papermill.execute_notebook(
                    task.notebook,
                    str(executed),
                    parameters=task.parameters,
                    kernel_name=KERNEL_NAME,
                    engine_name=ENGINE_NAME,
                    km=km,
                    kc=kc,
                    cwd=task.cwd or None,
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    execution_timeout=task.timeout,
                )
        except PapermillExecutionError as exc:
            shutdown_kernel()
            section = failing_section(kept.get("nb"), None)
            return Outcome(task.stem, Status.FAILED, _error_message(exc), section)
        except Exception as exc:  # timeout, dead kernel...
            shutdown_kernel()
            section = getattr(exc, "ptce_section", None) or failing_section(kept.get("nb"), None)
            return Outcome(task.stem, Status.FAILED, _machinery_message(exc, section, task.timeout),
                           section)  # fmt: skip
        timings["execution"] = time.perf_counter() - start
        if not task.reuse_kernel:
            shutdown_kernel()
        nbformat.write(normalise(nb, task.meta, task.parameters), executed)
        engine = None
        if task.formats:
            from ..render import RenderError, render_notebook

            start = time.perf_counter()
            try:
                rendered = render_notebook(
                    executed, tmp_dir, task.stem, formats=task.formats, engine=task.engine,
                    templates=Path(task.templates) if task.templates else None,
                    timeout=task.timeout,
                )  # fmt: skip
            except RenderError as exc:
                return Outcome(task.stem, Status.FAILED, f"rendu : {exc}", None, task.engine)
            timings["rendu"] = time.perf_counter() - start
            engine = getattr(rendered, "engine", None) or task.engine
        notices = glyph_notices(task, tmp_dir / f"{task.stem}.pdf")
        outputs = {"ipynb": str(out_dir / f"{task.stem}.ipynb")}
        for fmt in task.formats:
            outputs[fmt] = str(out_dir / f"{task.stem}.{fmt}")
        for suffix, text in _citation_files(nb, task).items():  # BibTeX, RIS, CSL-JSON
            (tmp_dir / f"{task.stem}.{suffix}").write_text(text, encoding="utf-8")
            outputs[suffix] = str(out_dir / f"{task.stem}.{suffix}")
        start = time.perf_counter()
        for fmt, final in outputs.items():
            move_into_place(tmp_dir / f"{task.stem}.{fmt}", Path(final))
        timings["ecriture"] = time.perf_counter() - start
    return Outcome(task.stem, Status.OK, "", None, engine, timings, outputs, notices)


def glyph_notices(task: Task, pdf: Path) -> tuple[str, ...]:
    """French notices for the characters the PDF could not draw, each with the file and line
    of the pole's data where it is written (narratives, facts, excerpts)."""
    import json

    from ..render.embedded import GLYPH_NOTES_SUFFIX, glyph_placeholder

    notes = pdf.with_name(pdf.name + GLYPH_NOTES_SUFFIX)
    try:
        replaced = json.loads(notes.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    data_dir = Path(str(task.parameters.get("data_dir") or ""))
    slug = str(task.parameters.get("slug") or "")
    folder = data_dir / POLES_DIR / slug if slug else data_dir
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file())
    out = []
    for text in replaced:
        where = []
        for path in files:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            where += [f"{path}, ligne {n}" for n, line in enumerate(lines, 1) if text in line]
        place = "; ".join(where[:5]) if where else "texte produit par le carnet"
        out.append(
            f"{task.stem} (PDF) : « {text} » n'existe dans aucune police du PDF, remplacé par "
            f"« {glyph_placeholder(text)} » ({place})"
        )
    return tuple(out)


def _citation_files(nb: Any, task: Task) -> dict[str, str]:
    """The citation files of a rendered document (none without a rendered format)."""
    from ..documents.citation import citation_files, document_citation

    citation = document_citation(nb) if task.formats else None
    return citation_files(citation) if citation else {}


def clean_temp(out_dir: Path) -> None:
    """Remove temp folders left by an interrupted build (never the outputs)."""
    for tmp in out_dir.glob(".tmp-*"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
