"""Loaded by every Python process of a test build (``PYTHONPATH`` points here): records each
file opened for reading under ``PTCE_AUDIT_DATA`` into ``PTCE_AUDIT_LOG`` (one path a line).

An audit hook (PEP 578) sees the reads of the main process, its workers and the Jupyter kernels
alike, whichever library opens the file; nothing is replaced, the build runs as usual.
"""

from __future__ import annotations

import os
import sys

_LOG = os.environ.get("PTCE_AUDIT_LOG")
_DATA = os.environ.get("PTCE_AUDIT_DATA")
_busy = False


def _record(event: str, args: tuple) -> None:
    global _busy
    if event != "open" or _busy or not args:
        return
    path, mode = args[0], args[1] if len(args) > 1 else "r"
    if isinstance(path, int) or path is None:
        return
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return
    if isinstance(mode, int) and mode & (os.O_WRONLY | os.O_RDWR):
        return
    _busy = True
    try:
        name = os.path.realpath(os.fsdecode(path))
        if name.startswith(_DATA + os.sep):
            fd = os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (name + "\n").encode("utf-8", "surrogateescape"))
            finally:
                os.close(fd)
    except Exception:  # never disturb the process under audit
        pass
    finally:
        _busy = False


if _LOG and _DATA:
    _DATA = os.path.realpath(_DATA)
    sys.addaudithook(_record)
