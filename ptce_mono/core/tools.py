"""The one wrapper around external programs: find, check the version, run with a time limit.

Every failure becomes a typed error with a French message: ``ToolMissingError`` when a program
is absent or too old, ``ToolFailedError`` (with the end of its error output) when it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from .errors import ToolFailedError, ToolMissingError

Version = tuple[int, ...]

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
TAIL_LINES = 15
TAIL_CHARS = 2000


def parse_version(text: str) -> Version | None:
    """First ``X.Y[.Z]`` in ``text`` as a tuple of ints: 'quarto 1.4.550' -> (1, 4, 550)."""
    match = _VERSION_RE.search(text or "")
    if not match:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def format_version(version: Version) -> str:
    return ".".join(str(part) for part in version)


def stderr_tail(text: str | bytes | None, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` non-empty lines of a program's error output (bounded in size)."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    kept = [line.rstrip() for line in text.splitlines() if line.strip()][-lines:]
    tail = "\n".join(kept)
    return tail[-TAIL_CHARS:]


def find_tool(name: str, hint: str = "", path: str | None = None) -> Path:
    """Absolute path of program ``name`` (looked up on ``path``, default $PATH)."""
    found = shutil.which(name, path=path)
    if not found:
        extra = f" ({hint})" if hint else ""
        raise ToolMissingError(
            f"le programme « {name} » est introuvable : il n'est pas installé ou n'est pas "
            f"dans le PATH{extra}."
        )
    return Path(found)


def tool_version(
    binary: Path | str, args: Sequence[str] = ("--version",), timeout: float = 30
) -> Version:
    """Version printed by ``binary --version`` (stdout or stderr)."""
    name = Path(binary).name
    proc = run_tool([str(binary), *args], name=name, timeout=timeout)
    version = parse_version(proc.stdout) or parse_version(proc.stderr)
    if version is None:
        raise ToolFailedError(
            name, f"version illisible dans la sortie de « {name} {' '.join(args)} »"
        )
    return version


def check_version(name: str, version: Version, minimum: Version, hint: str = "") -> None:
    """Raise ToolMissingError (one French sentence) when ``version`` < ``minimum``."""
    if version < minimum:
        extra = f" ({hint})" if hint else ""
        raise ToolMissingError(
            f"{name} {format_version(version)} est trop ancien : la version "
            f"{format_version(minimum)} ou plus récente est nécessaire{extra}."
        )


def require_tool(
    name: str,
    minimum: Version | None = None,
    hint: str = "",
    path: str | None = None,
    version_args: Sequence[str] = ("--version",),
) -> tuple[Path, Version | None]:
    """Find ``name`` and check its version; return (path, version)."""
    binary = find_tool(name, hint, path)
    if minimum is None:
        return binary, None
    version = tool_version(binary, version_args)
    check_version(name, version, minimum, hint)
    return binary, version


def run_tool(
    argv: Sequence[str | Path],
    *,
    name: str | None = None,
    timeout: float | None = 300,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; return the finished process, or raise a French ToolFailedError."""
    args = [str(a) for a in argv]
    tool = name or Path(args[0]).name
    full_env = {**os.environ, **env} if env else None
    try:
        proc = subprocess.run(
            args,
            cwd=str(cwd) if cwd else None,
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ToolMissingError(
            f"le programme « {tool} » est introuvable ({args[0]}) : il n'est pas installé."
        ) from exc
    except PermissionError as exc:
        raise ToolMissingError(
            f"le programme « {tool} » ne peut pas être lancé ({args[0]}) : permission refusée."
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolFailedError(
            tool,
            f"délai dépassé ({timeout:g} s) : le programme a été arrêté",
            stderr_tail(exc.stderr),
        ) from exc
    if proc.returncode != 0:
        raise ToolFailedError(
            tool,
            f"code de sortie {proc.returncode}",
            stderr_tail(proc.stderr) or stderr_tail(proc.stdout),
        )
    return proc
