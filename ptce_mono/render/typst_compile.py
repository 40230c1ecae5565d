"""Typst compiles in a child process that stays up for the following PDFs, bounded in time.

The ``typst`` package compiles in the calling process and cannot be interrupted, so compiles run
in a child process (``python -m ptce_mono.render.typst_compile``) that the caller kills when a
monograph's time is up. The child is kept between PDFs, which spares the start-up of Python and
Typst for each one (a few hundredths of a second; laying out a new document, about 0.2 s, is
Typst's own work and stays). It is replaced after :data:`MAX_COMPILES` PDFs (Typst's caches
then start afresh), after a failure of the child itself, and after a time-out.

Protocol: one JSON request per line on the child's standard input
(``{"source", "output", "root", "timestamp", "fonts"}``; ``fonts`` are the project's font
folders, ``templates/fonts``, searched besides the fonts Typst embeds and the system's), one
JSON reply per line on its standard output (``{"ok": true}`` or ``{"ok": false, "error":
"…"}``). End of input ends the child.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from ..core.errors import ToolFailedError

PDF_STANDARDS = ["ua-1"]  # PDF/UA-1: tagged, titled, language set, alt text on every image
MAX_COMPILES = 200


def serve(stdin: IO[str], stdout: IO[str]) -> int:
    """The child's loop: compile each request with a long-lived Typst compiler (one per set of
    font folders)."""
    import typst

    compilers: dict[tuple[str, ...], Any] = {}  # one per set of font folders
    for line in stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            fonts = tuple(request.get("fonts") or ())
            if fonts not in compilers:
                compilers[fonts] = (
                    typst.Compiler(font_paths=list(fonts)) if fonts else typst.Compiler()
                )
            compilers[fonts].compile(
                input=request["source"],
                output=request["output"],
                root=request["root"],
                timestamp=int(request["timestamp"]),
                pdf_standards=PDF_STANDARDS,
            )
            reply: dict[str, Any] = {"ok": True}
        except Exception as exc:  # typst raises its own error type carrying the diagnostics
            reply = {"ok": False, "error": str(exc) or type(exc).__name__}
        stdout.write(json.dumps(reply) + "\n")
        stdout.flush()
    return 0


class TypstWorker:
    """The parent's side: one child process, requests sent one at a time."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._replies: queue.Queue[str | None] = queue.Queue()
        self._compiles = 0

    def _start(self) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ptce_mono.render.typst_compile"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._replies = queue.Queue()
        threading.Thread(target=self._read, args=(proc, self._replies), daemon=True).start()
        self._compiles = 0
        return proc

    @staticmethod
    def _read(proc: subprocess.Popen[str], replies: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            replies.put(line)
        replies.put(None)  # the child ended

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def compile(
        self, source: Path, output: Path, root: Path, timestamp: int, timeout: float,
        fonts: Sequence[Path] = (),
    ) -> None:  # fmt: skip
        """Compile ``source`` to ``output``; ToolFailedError (French) on failure or time-out."""
        if self._proc is None or self._proc.poll() is not None or self._compiles >= MAX_COMPILES:
            self.stop()
            self._proc = self._start()
        self._compiles += 1
        request = {"source": str(Path(source).resolve()), "output": str(Path(output).resolve()),
                   "root": str(Path(root).resolve()), "timestamp": timestamp,
                   "fonts": [str(Path(f).resolve()) for f in fonts]}  # fmt: skip
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            line = self._replies.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise ToolFailedError(
                "typst", f"délai dépassé ({timeout:g} s) : le programme a été arrêté"
            ) from None
        except OSError:
            line = None
        if line is None:  # the child died (memory, signal)
            code = self._proc.poll() if self._proc is not None else None
            self.stop()
            raise ToolFailedError("typst", f"le compilateur s'est arrêté (code de sortie {code})")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise ToolFailedError("typst", "échec de la compilation", str(reply.get("error", "")))


_local = threading.local()


def worker() -> TypstWorker:
    """This thread's Typst child (started on first use, stopped when the process exits)."""
    current = getattr(_local, "worker", None)
    if current is None:
        import atexit

        current = _local.worker = TypstWorker()
        atexit.register(current.stop)
    return current


if __name__ == "__main__":
    sys.exit(serve(sys.stdin, sys.stdout))
