"""``ptce-mono lab``: a real JupyterLab server on a project copy, driven through its REST API
and kernel websocket, with this virtualenv's kernel importing ptce_mono."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from ptce_mono.pipeline.lab import (
    has_display,
    kernel_problem,
    kernel_uses_this_python,
    lab_command,
    lab_environment,
)

from .conftest import run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_command_and_environment(tmp_path):
    cmd = lab_command(tmp_path, 9999, open_browser=False)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--port=9999" in cmd and "--no-browser" in cmd
    assert "--no-browser" not in lab_command(tmp_path, None, open_browser=True)
    env = lab_environment(tmp_path, {"PATH": "/usr/bin"})
    assert env["JUPYTER_PREFER_ENV_PATH"] == "1" and env["PTCE_MONO_ROOT"] == str(tmp_path)
    assert kernel_uses_this_python(["python", "-m", "ipykernel_launcher"])
    assert kernel_uses_this_python([sys.executable, "-m", "ipykernel_launcher"])
    assert not kernel_uses_this_python(["/opt/autre/bin/python3.9", "-m", "ipykernel_launcher"])
    assert kernel_problem(lab_environment(tmp_path)) is None  # the venv's python3 kernel


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 et Wayland : Linux")
def test_a_browser_is_opened_only_with_a_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert has_display() is False
    monkeypatch.setenv("DISPLAY", ":0")
    assert has_display() is True
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert has_display() is True
    monkeypatch.setenv("WAYLAND_DISPLAY", "")
    assert has_display() is False


def test_lab_help_is_french(project, runner):
    result = run_cli(runner, project, "lab", "--help")
    assert result.exit_code == 0
    assert "--sans-navigateur" in result.output and "JupyterLab" in result.output


class Server:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.ws_base = f"ws://127.0.0.1:{port}"
        self.token = token

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)

    def wait_ready(self, process: subprocess.Popen, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"JupyterLab s'est arrêté (code {process.returncode})")
            try:
                status, _ = self.request("GET", "/api/status", timeout=5)
                if status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise AssertionError("JupyterLab n'a pas répondu à temps")


def execute(ws, session: str, code: str, timeout: float = 60) -> dict:
    """Run ``code`` through the kernel websocket; collect stdout and errors until the reply
    and the kernel is idle again."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": session,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))  # fmt: skip
    result = {"stdout": "", "errors": [], "reply": None}
    idle = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(deadline - time.monotonic(), 0.1))
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "stream" and msg["content"].get("name") == "stdout":
            result["stdout"] += msg["content"]["text"]
        elif kind == "error":
            result["errors"].append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        elif kind == "execute_reply" and msg.get("channel") == "shell":
            result["reply"] = msg["content"]
        elif kind == "status" and msg["content"].get("execution_state") == "idle":
            idle = True
        if idle and result["reply"] is not None:  # shell and iopub are not ordered
            return result
    raise AssertionError(f"pas de réponse du noyau pour : {code[:60]}")


def first_code_cells(notebook: Path, count: int) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells[:count]]  # fmt: skip


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_lab_server_runs_the_template_with_this_venv_kernel(project, tmp_path):
    import websocket

    port, token = free_port(), secrets.token_hex(16)
    root = project.root
    folder, name = "templates", "monographie.ipynb"
    if not (root / folder / name).is_file():  # until the template exists
        folder, name = "notebooks", "01-exemple-exploration.ipynb"
    env = dict(os.environ, JUPYTER_TOKEN=token, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))  # fmt: skip
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    # the command a researcher types; its server answers on the loopback port asked for
    command = [str(Path(sys.executable).parent / "ptce-mono"), "--racine", str(root), "lab",
               "--port", str(port), "--sans-navigateur"]  # fmt: skip
    log = (tmp_path / "lab.log").open("wb")
    process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = Server(port, token)
    kernel_id = None
    ws = None
    try:
        server.wait_ready(process)
        status, listing = server.request("GET", f"/api/contents/{folder}")
        assert status == 200
        assert name in {item["name"] for item in listing["content"]}

        status, kernel = server.request("POST", "/api/kernels", {"name": "python3", "path": folder})
        assert status in (200, 201)
        kernel_id = kernel["id"]
        ws = websocket.create_connection(
            f"{server.ws_base}/api/kernels/{kernel_id}/channels?token={token}", timeout=60
        )
        session = uuid.uuid4().hex
        probe = execute(ws, session, "import sys, ptce_mono\nprint(sys.executable)\n"
                        "print(ptce_mono.__file__)", timeout=120)  # fmt: skip
        assert probe["errors"] == [], probe
        assert probe["reply"]["status"] == "ok"
        kernel_python, package = probe["stdout"].split()
        assert Path(kernel_python).parent.resolve() == Path(sys.executable).parent.resolve()
        assert Path(package).parent.name == "ptce_mono"
        for code in first_code_cells(root / folder / name, 2):
            ran = execute(ws, session, code, timeout=120)
            assert ran["errors"] == [], (code, ran["errors"])
            assert ran["reply"]["status"] == "ok"
        # stopped through its API, the server ends and so does the command, with code 0
        if ws is not None:
            ws.close()
            ws = None
        server.request("DELETE", f"/api/kernels/{kernel_id}")
        kernel_id = None
        server.request("POST", "/api/shutdown")
        assert process.wait(timeout=60) == 0
    finally:
        if ws is not None:
            ws.close()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()
    output = (tmp_path / "lab.log").read_text(encoding="utf-8", errors="replace")
    assert f"JupyterLab démarre à la racine du projet : {root}" in output
    assert "Ouvrez dans votre navigateur l'adresse" in output
    assert f":{port}/lab" in output  # the address to open, printed by JupyterLab
    assert "s'est arrêté avec le code" not in output


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_example_notebook_runs_on_the_fictional_corpus(project):
    import nbformat
    from nbclient import NotebookClient

    notebook = project.root / "notebooks" / "01-exemple-exploration.ipynb"
    committed = notebook.read_bytes()
    nb = nbformat.read(notebook, as_version=4)
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()  # fmt: skip
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "4 pôles valides sur 4 fiches" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the chart
    assert any("text/html" in o.get("data", {}) for o in outputs)  # the tables
    assert notebook.read_bytes() == committed  # running it does not write into the file
