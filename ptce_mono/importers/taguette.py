"""Taguette on loopback, driven for the researcher: ``ptce-mono coder`` and
``ptce-mono import interviews --depuis-taguette``.

Taguette runs from its own environment (``.venv-taguette``, ``make taguette``), always bound to
127.0.0.1, on the project's private database ``data/prive/taguette/taguette.sqlite3`` (outside
git, like the private table: transcripts hold real names). One Taguette project per pole, named
« <nom du pôle> [<slug>] ». Transcripts are converted to HTML before upload (.docx, .odt, .md,
.html by pandoc; .txt line by line, escaped), so Taguette never needs Calibre. Highlights come back through Taguette's
HTTP API (``/api/project/<id>/highlights/``) as an :class:`Export`, imported like a file.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from ..core.errors import FieldworkError, PtceError, ToolMissingError
from ..core.layout import CODES_FILE, PRIVATE_DIR
from ..core.paths import ProjectPaths
from ..corpus.grid import Grid
from ..corpus.referentiel import Referentiel
from .codebook import Code, codebook_codes
from .segments import Export, Interview, Segment

HOST = "127.0.0.1"
BINARY_ENV = "PTCE_TAGUETTE"  # another Taguette executable (tests, a system install)
NO_BROWSER_ENV = "PTCE_SANS_NAVIGATEUR"
VENV_BINARY = Path(".venv-taguette") / "bin" / "taguette"
DATABASE = Path(PRIVATE_DIR) / "taguette" / "taguette.sqlite3"
TRANSCRIPT_FORMATS = {".docx": "docx", ".odt": "odt", ".txt": "text", ".md": "markdown",
                      ".html": "html", ".htm": "html"}  # fmt: skip
START_TIMEOUT = 60.0
HTTP_TIMEOUT = 30.0
_TOKEN_URL = re.compile(r"http://localhost:(\d+)/\?token=([0-9a-f]+)")


class TaguetteError(PtceError):
    """Taguette cannot be started, or refuses a request; the message says what to do."""


def taguette_binary(paths: ProjectPaths) -> Path:
    """The Taguette executable: ``$PTCE_TAGUETTE`` or the project's ``.venv-taguette``."""
    chosen = os.environ.get(BINARY_ENV)
    binary = Path(chosen) if chosen else paths.root / VENV_BINARY
    if not binary.is_file():
        raise ToolMissingError(
            f"Taguette est introuvable ({binary}) : installez-le avec « make taguette » "
            "(son propre environnement, .venv-taguette)."
        )
    return binary


def database_path(paths: ProjectPaths) -> Path:
    return paths.data / DATABASE


NAME_LIMIT = 50  # Taguette refuses longer project and document names
_TITLE_ROOM = 8  # below this, the project is named by its slug alone


def _marker(slug: str) -> str:
    """What ends the name of the pole's project: « [slug] » (cut when very long)."""
    return f"[{slug}]"[:NAME_LIMIT]


def project_name(title: str, slug: str) -> str:
    """« Pôle du Val de Brume [val-de-brume] »: the slug finds the project again; the title is
    shortened (« … ») to fit Taguette's 50 characters."""
    room = NAME_LIMIT - len(_marker(slug)) - 1
    if room < _TITLE_ROOM:
        return _marker(slug)
    shown = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    return f"{shown} {_marker(slug)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    """A running Taguette: its process, its address and the single-user login link."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def login_url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop Taguette (SIGTERM, then SIGKILL after 10 s) and remove its log."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.unlink(missing_ok=True)


def start_server(paths: ProjectPaths, port: int | None = None) -> Server:
    """Start Taguette on 127.0.0.1 with the project's private database; wait until it answers."""
    binary = taguette_binary(paths)
    database = database_path(paths)
    database.parent.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    fd, name = tempfile.mkstemp(prefix="ptce-taguette-", suffix=".log")  # holds the token
    log = Path(name)
    with os.fdopen(fd, "wb") as out:
        process = subprocess.Popen(
            [str(binary), "--no-browser", "--bind", HOST, "--port", str(port),
             "--database", str(database), "--dont-set-umask"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = Server(process, port, "", log)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        found = _TOKEN_URL.search(log.read_text(encoding="utf-8", errors="replace"))
        if found and _answers(server.base):
            server.token = found.group(2)
            return server
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
            server.stop()
            raise TaguetteError(
                f"Taguette n'a pas démarré sur {HOST}:{port} (base {database}). "
                f"Fin de son journal :\n{tail}"
            )
        time.sleep(0.2)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health", timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


# --- the HTTP client -------------------------------------------------------------------------


class Client:
    """A logged-in session (single-user token, then cookies and the XSRF token)."""

    def __init__(self, server: Server) -> None:
        self.base = server.base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.request("GET", server.login_url, expect=(200, 302, 303))
        self.request("GET", "/", expect=(200,))
        if not self.xsrf:
            self.request("GET", "/project/new", expect=(200,))

    @property
    def xsrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name == "_xsrf"), "")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], bytes]:
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as response:
                status, answer, data = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            status, answer, data = exc.code, dict(exc.headers or {}), exc.read()
        except (OSError, urllib.error.URLError) as exc:
            raise TaguetteError(f"Taguette ne répond pas ({url}) : {exc}") from exc
        if status not in expect:
            detail = _error_text(data)
            raise TaguetteError(f"Taguette refuse {method} {path} (code {status}) : {detail}")
        return status, answer, data

    def get_text(self, path: str) -> str:
        return self.request("GET", path)[2].decode("utf-8", errors="replace")

    def get_json(self, path: str) -> Any:
        return json.loads(self.request("GET", path)[2])

    def post_json(self, path: str, payload: dict[str, Any]) -> Any:
        sep = "&" if "?" in path else "?"
        data = json.dumps(payload).encode("utf-8")
        answer = self.request("POST", f"{path}{sep}_xsrf={self.xsrf}", data,
                              {"Content-Type": "application/json"})[2]  # fmt: skip
        return json.loads(answer or b"{}")

    def post_form(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], bytes]:
        fields = {**fields, "_xsrf": self.xsrf}
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode("utf-8")
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": content_type}, expect)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _error_text(data: bytes) -> str:
    try:
        return str(json.loads(data).get("error") or "")[:300]
    except (ValueError, AttributeError):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", data.decode("utf-8", "replace")))[:300]


def _multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, kind) in files.items():
        quoted = urllib.parse.quote(filename)
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{quoted}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- projects, codebook, documents -----------------------------------------------------------


def projects(client: Client) -> dict[str, int]:
    """Project name → id, as Taguette's home page lists them."""
    page = client.get_text("/")
    return {
        html.unescape(name): int(ident)
        for ident, name in re.findall(r'<a href="/project/(\d+)">([^<]*)</a>', page)
    }


def find_project(client: Client, slug: str) -> int | None:
    marker = _marker(slug)
    return next((i for name, i in projects(client).items() if name.endswith(marker)), None)


def ensure_project(client: Client, slug: str, title: str) -> tuple[int, bool]:
    """(project id, created): the pole's project, created when absent."""
    found = find_project(client, slug)
    if found is not None:
        return found, False
    fields = {"name": project_name(title, slug),
              "description": f"Entretiens du pôle {slug} (ptce-mono)"}  # fmt: skip
    _, headers, _ = client.post_form("/project/new", fields, expect=(302, 303))
    location = headers.get("Location") or headers.get("location") or ""
    found_id = re.search(r"/project/(\d+)", location)
    if not found_id:
        raise TaguetteError(f"Taguette n'a pas créé le projet du pôle « {slug} ».")
    return int(found_id.group(1)), True


def _page_json(client: Client, project: int, variable: str) -> dict[str, Any]:
    page = client.get_text(f"/project/{project}")
    found = re.search(rf"var {variable} = (\{{.*?\}});\n", page, re.S)
    if not found:
        raise TaguetteError(
            f"la page du projet {project} de Taguette ne donne pas « {variable} » : "
            "version de Taguette inattendue (voir requirements/taguette.txt)."
        )
    data = json.loads(found.group(1))
    return data if isinstance(data, dict) else {}


def tags(client: Client, project: int) -> dict[int, str]:
    """Tag id → path (the code's name)."""
    return {int(t["id"]): str(t["path"]) for t in _page_json(client, project, "tags").values()}


def documents(client: Client, project: int) -> dict[int, str]:
    """Document id → name."""
    return {int(d["id"]): str(d["name"]) for d in _page_json(client, project, "documents").values()}


def _flat(codes: Sequence[Code]) -> Iterator[Code]:
    for code in codes:
        yield code
        yield from _flat(code.children)


def home_codes(data_dir: Path) -> list[str]:
    """The researcher's own codes of ``data/codes.yaml`` (already checked by the code map)."""
    from ..core.yamlio import load_yaml

    path = data_dir / CODES_FILE
    if not path.is_file():
        return []
    data = load_yaml(path).data
    codes = data.get("codes") if isinstance(data, dict) else None
    return [str(name) for name in codes] if isinstance(codes, dict) else []


def ensure_codebook(
    client: Client, project: int, grid: Grid, ref: Referentiel, own: Sequence[str] = ()
) -> int:
    """Add the grid's codebook (and ``own`` codes) to the project; the number of codes added."""
    present = set(tags(client, project).values())
    wanted = [(c.name, c.description) for c in _flat(codebook_codes(grid, ref))]
    wanted += [(name, "Code de l'équipe (data/codes.yaml)") for name in own]
    added = 0
    for name, description in wanted:
        if name in present:
            continue
        client.post_json(f"/api/project/{project}/tag/new",
                         {"path": name, "description": description[:500]})  # fmt: skip
        present.add(name)
        added += 1
    return added


def transcript_html(path: Path) -> str:
    """A transcript as HTML, by pandoc (no Calibre): .docx, .odt, .txt, .md, .html."""
    from ..core.tools import run_tool
    from ..render.embedded import pandoc_path

    kind = TRANSCRIPT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FieldworkError(
            path,
            "format de transcription non pris en charge : "
            + ", ".join(sorted(TRANSCRIPT_FORMATS))
            + " attendus (un PDF s'exporte d'abord en .docx ou .txt)",
        )
    if not path.is_file():
        raise FieldworkError(path, "fichier introuvable")
    if kind == "text":  # plain text: every line a paragraph, nothing read as markup
        from ..core.errors import DataFileError
        from ..core.limits import MAX_CSV_BYTES, read_bounded_bytes
        from .tables import decode

        try:
            raw = read_bounded_bytes(path, MAX_CSV_BYTES, "transcription")
        except DataFileError as exc:
            raise FieldworkError(path, exc.detail) from exc
        text, _ = decode(path, raw)
        out = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines() if line.strip())
    else:
        proc = run_tool([pandoc_path(), "--from", kind, "--to", "html5", str(path)],
                        name="pandoc", timeout=120)  # fmt: skip
        out = proc.stdout
    if not html_text(out).strip():
        raise FieldworkError(path, "transcription vide : aucun texte à coder")
    return out


def document_name(path: Path) -> str:
    """« entretien-trevoux.docx » → « entretien-trevoux »: the name shown in Taguette."""
    return path.stem[:NAME_LIMIT] or path.name[:NAME_LIMIT]


def upload(client: Client, project: int, path: Path) -> tuple[str, bool]:
    """(document name, uploaded): skipped when the project already holds a document so named."""
    name = document_name(path)
    if name in documents(client, project).values():
        return name, False
    body = transcript_html(path).encode("utf-8")
    client.post_form(
        f"/api/project/{project}/document/new",
        {"name": name, "description": f"Transcription {path.name}"},
        {"file": (f"{name}.html", body, "text/html")},
    )
    return name, True


# --- highlights back -------------------------------------------------------------------------


class _Text(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "br",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "blockquote",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(snippet: str) -> str:
    """A highlight's HTML as plain text: paragraphs on their own line, spaces collapsed."""
    parser = _Text()
    parser.feed(snippet)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def fetch_highlights(client: Client, project: int, label: str) -> Export:
    """Every highlight of the project through the API, as an :class:`Export` (tool Taguette)."""
    names = tags(client, project)
    docs = documents(client, project)
    segments: list[Segment] = []
    uncoded: list[str] = []
    page, pages = 1, 1
    while page <= pages:
        answer = client.get_json(f"/api/project/{project}/highlights/?page={page}")
        pages = int(answer.get("pages") or 0)
        for item in answer.get("highlights") or []:
            document = docs.get(int(item["document_id"]), f"document {item['document_id']}")
            where = f"surlignage {item['id']} de « {document} »"
            codes = tuple(names[t] for t in item.get("tags") or [] if t in names)
            if not codes:
                uncoded.append(where)
                continue
            text = html_text(str(item.get("content") or ""))
            segments.append(Segment(document, codes, text, where, str(item["id"])))
        page += 1
    interviews = {name: Interview(name) for name in docs.values()}
    return Export(label, "Taguette", tuple(segments), interviews, tuple(uncoded))
