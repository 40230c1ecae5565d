"""The page of the live preview, served on the loopback interface only.

- ``/``: the last good monograph, with the current problems above it (file, line, in French)
  and a small script that reloads the page when the preview changes, keeping the reading
  position. Only this served copy gets them: the published HTML is never touched.
- ``/evenements``: Server-Sent Events, one ``version`` event per change (what the script
  listens to; no extension to install).
- ``/etat.json``: the state as JSON (version, problems, PDF), for tests and scripts.
- ``/<pôle>.pdf``: the PDF, once made.
"""

from __future__ import annotations

import functools
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..core.errors import PortUnavailableError
from ..pipeline.live import PDF_DONE, PDF_FAILED, PDF_RUNNING, PreviewState, Snapshot

HOST = "127.0.0.1"
KEEPALIVE = 15.0  # seconds between two comments on an idle event stream
BANNER_ID = "ptce-apercu-probleme"

RELOAD_SCRIPT = """<script id="ptce-apercu-script">
(function () {
  var key = "ptce-apercu-position", seen = %d, saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, parseFloat(saved)); }
  var source = new EventSource("/evenements");
  source.addEventListener("version", function (event) {
    if (parseInt(event.data, 10) !== seen) {
      sessionStorage.setItem(key, String(window.scrollY));
      source.close();
      window.location.reload();
    }
  });
})();
</script>
"""

BANNER_STYLE = (
    "position:relative;z-index:10;margin:0;padding:1em 1.5em;background:#fff3f0;"
    "border-bottom:3px solid #b5475b;color:#3d0d16;font:15px/1.45 system-ui,sans-serif"
)


def banner(snapshot: Snapshot) -> str:
    """The problems of the last save, above the last good preview (escaped: a problem quotes
    the researcher's text)."""
    if not snapshot.problems:
        return ""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in snapshot.problems)
    below = (
        f"L'aperçu ci-dessous est le dernier qui a réussi ({html.escape(snapshot.built_at)})."
        if snapshot.html is not None
        else "Aucun aperçu n'a encore réussi."
    )
    title = "La dernière sauvegarde ne peut pas être prévisualisée"
    return (
        f'<div id="{BANNER_ID}" role="alert" style="{BANNER_STYLE}">'
        f"<p><strong>{title} :</strong></p><ul>{items}</ul>"
        f"<p>Corrigez et enregistrez : la page se recharge d'elle-même. {below}</p></div>\n"
    )


def page(snapshot: Snapshot, slug: str) -> bytes:
    """The served copy: the monograph with the problems and the reload script injected."""
    script = RELOAD_SCRIPT % snapshot.version
    if snapshot.html is None:
        waiting = "" if snapshot.problems else "<p>Construction de l'aperçu en cours…</p>"
        document = (
            '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            f"<title>Aperçu de {html.escape(slug)}</title></head>\n<body>\n{waiting}\n</body></html>"
        )
    else:
        document = snapshot.html.decode("utf-8")
    document = _insert_after_body(document, banner(snapshot))
    at = document.rfind("</body>")
    if at < 0:
        return (document + script).encode("utf-8")
    return (document[:at] + script + document[at:]).encode("utf-8")


def _insert_after_body(document: str, text: str) -> str:
    start = document.find("<body")
    end = document.find(">", start) if start >= 0 else -1
    if end < 0:
        return text + document
    return document[: end + 1] + "\n" + text + document[end + 1 :]


def state_json(snapshot: Snapshot) -> bytes:
    return json.dumps(
        {
            "version": snapshot.version,
            "apercu": snapshot.html is not None,
            "problemes": list(snapshot.problems),
            "construit_a": snapshot.built_at,
            "pdf": snapshot.pdf,
            "pdf_message": snapshot.pdf_message,
        },
        ensure_ascii=False,
    ).encode("utf-8")


class PreviewHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: object, state: PreviewState, slug: str, pdf: Path, **kwargs: object):
        self.state, self.slug, self.pdf = state, slug, pdf
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(page(self.state.snapshot(), self.slug), "text/html; charset=utf-8")
        elif path == "/etat.json":
            self._send(state_json(self.state.snapshot()), "application/json; charset=utf-8")
        elif path == "/evenements":
            self._events()
        elif path == f"/{self.slug}.pdf" and self.pdf.is_file():
            self._send(self.pdf.read_bytes(), "application/pdf")
        else:
            self._send(b"Introuvable.", "text/plain; charset=utf-8", 404)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        snapshot = self.state.snapshot()
        try:
            self.wfile.write(f"retry: 500\nevent: version\ndata: {snapshot.version}\n\n".encode())
            self.wfile.flush()
            while not self.state.closed:
                seen = snapshot.version
                snapshot = self.state.wait_change(seen, KEEPALIVE)
                if snapshot.version != seen:
                    message = f"event: version\ndata: {snapshot.version}\n\n"
                else:
                    message = ": attente\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def start(
    state: PreviewState, slug: str, pdf: Path, port: int = 0
) -> tuple[PreviewServer, threading.Thread]:
    """Serve the preview on 127.0.0.1 (port 0: a free one, read back from
    ``server.server_address``), in a background thread."""
    handler = functools.partial(PreviewHandler, state=state, slug=slug, pdf=pdf)
    try:
        server = PreviewServer((HOST, port), handler)
    except OSError as exc:
        raise PortUnavailableError(HOST, port, exc.strerror or str(exc)) from exc
    thread = threading.Thread(target=server.serve_forever, name="ptce-apercu", daemon=True)
    thread.start()
    return server, thread


def stop(server: PreviewServer, thread: threading.Thread) -> None:
    """Stop the preview server as ``ptce-mono serve`` stops its own."""
    from .serve import stop_server

    stop_server(server, thread)


def url(server: PreviewServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"


__all__ = ["PDF_DONE", "PDF_FAILED", "PDF_RUNNING", "page", "start", "stop", "url"]
