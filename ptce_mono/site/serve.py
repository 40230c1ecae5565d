"""Serving ``site/`` on localhost for reading (http.server, one thread per request)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core.errors import PortUnavailableError, SiteMissingError


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files only, without one log line per request."""

    extensions_map = {  # noqa: RUF012 - the base class declares it as a class attribute
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


def site_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def start_server(
    root: Path, host: str = "127.0.0.1", port: int = 8000
) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``root`` in a background thread; port 0 picks a free port
    (read it back from ``server.server_address``). Stop with ``server.shutdown()``."""
    root = Path(root)
    if not (root / "index.html").is_file():
        raise SiteMissingError(root)
    handler = functools.partial(QuietHandler, directory=str(root))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise PortUnavailableError(host, port, exc.strerror or str(exc)) from exc
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="ptce-serve", daemon=True)
    thread.start()
    return server, thread


def stop_server(server: ThreadingHTTPServer, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
