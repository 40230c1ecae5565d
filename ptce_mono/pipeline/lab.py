"""``ptce-mono lab``: JupyterLab at the project root, with this virtualenv's ``python3`` kernel.

JupyterLab runs as ``sys.executable -m jupyterlab`` so that the server, and the ``python3``
kernel it starts, use the Python in which ``ptce_mono`` is installed.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..core.errors import ToolFailedError, ToolMissingError

KERNEL_NAME = "python3"
KERNEL_DISPLAY_NAME = "Python 3 (ptce-mono)"
# jupyter_client replaces these first words of a kernel command by its own sys.executable.
_SELF_PYTHON = {"python", f"python{sys.version_info[0]}",
                f"python{sys.version_info[0]}.{sys.version_info[1]}"}  # fmt: skip


def has_display() -> bool:
    """A browser can be shown: always on macOS and Windows, with X11 or Wayland on Linux."""
    if sys.platform.startswith(("darwin", "win")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def lab_environment(root: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of the server: kernel specs of this virtualenv first, project root known."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    env["PTCE_MONO_ROOT"] = str(root)
    return env


def lab_command(
    root: Path,
    port: int | None = None,
    open_browser: bool = True,
    extra: Sequence[str] = (),
) -> list[str]:
    """The command line that starts JupyterLab at ``root``."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
               f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}"]  # fmt: skip
    if port is not None:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers often run as root
        command.append("--allow-root")
    return [*command, *extra]


def kernel_uses_this_python(argv: Sequence[str]) -> bool:
    """True when a kernel command runs this interpreter (same file, or the ``python`` alias)."""
    if not argv:
        return False
    first = argv[0]
    if first in _SELF_PYTHON:
        return True
    try:
        return Path(first).resolve() == Path(sys.executable).resolve() or (
            Path(first).parent.resolve() == Path(sys.executable).parent.resolve()
        )
    except OSError:
        return False


def kernel_problem(env: Mapping[str, str]) -> str | None:
    """Why the ``python3`` kernel seen by the server would not be this virtualenv's (or None)."""
    code = (
        "import json\n"
        "from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel\n"
        "try:\n"
        f"    print(json.dumps(KernelSpecManager().get_kernel_spec({KERNEL_NAME!r}).argv))\n"
        "except NoSuchKernel:\n"
        "    print('null')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=dict(env), capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        return "noyau introuvable"
    import json

    argv = json.loads(done.stdout.strip() or "null")
    if argv is None:
        return "aucun noyau « python3 » installé"
    if not kernel_uses_this_python(argv):
        return f"le noyau « python3 » lance {argv[0]}, pas {sys.executable}"
    return None


def install_kernel() -> None:
    """Install this virtualenv's kernel spec (what ``make install`` does)."""
    done = subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
         "--display-name", KERNEL_DISPLAY_NAME],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0:
        raise ToolFailedError("ipykernel", "installation du noyau impossible", done.stderr[-2000:])


def ensure_kernel(env: Mapping[str, str]) -> str | None:
    """Make sure ``python3`` is this virtualenv's kernel; return a French note when fixed."""
    problem = kernel_problem(env)
    if problem is None:
        return None
    install_kernel()
    if kernel_problem(env) is not None:
        raise ToolFailedError("ipykernel", f"{problem} ; réinstallez avec « make install »")
    return f"Noyau « {KERNEL_NAME} » de l'environnement installé ({problem})."


def check_jupyterlab() -> None:
    if importlib.util.find_spec("jupyterlab") is None:
        raise ToolMissingError(
            "JupyterLab n'est pas installé dans cet environnement : lancez « make install »."
        )


def run_lab(command: Sequence[str], root: Path, env: Mapping[str, str]) -> int:
    """Run the server in the foreground; JupyterLab handles Ctrl-C itself (it asks to confirm)."""
    process = subprocess.Popen(list(command), cwd=root, env=dict(env))
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue
