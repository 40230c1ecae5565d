"""A real Taguette server on loopback: the codebook written by ``ptce-mono codebook`` is
imported, the two fictional interviews are uploaded as HTML and highlighted through Taguette's
HTTP interface, the highlights are exported, and ``ptce-mono import interviews`` files them
in the right grid sections.

Taguette runs from its own environment (``.venv-taguette``, pins in
``requirements/taguette.txt``): it pins SQLAlchemy 1.4, bleach < 6 and chardet < 6, which the
project's environment cannot hold.
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.corpus.excerpts import load_interviews
from tests.conftest import REPO, run_cli
from tests.qdpx_builder import INTERVIEWS, span, text_of
from tests.test_fieldwork import PRIVATE_NAMES, SLUG, make_terrain

TAGUETTE = REPO / ".venv-taguette" / "bin" / "taguette"
HOME_CODES = {
    "voix des habitants": "Code maison de l'équipe (fictif)",
    "financements publics": "Code maison de l'équipe (fictif)",
}


# What the highlights of both tests (Taguette's API, and its CSV export) file, written by hand:
# interview documents, then (section, indicators, first 25 characters) of each excerpt.
HIGHLIGHTED_INTERVIEWS = {"Entretien [salariée d'une structure membre]", "Entretien [élu local]"}
HIGHLIGHTED_EXCERPTS = [
    ("gouvernance", (), "La commune met à disposit"),
    ("gouvernance", ("f1",), "Le conseil de coopération"),
    ("impacts", ("g2",), "Pour nous, élus, le pôle "),
    ("modele-economique", (), "Le modèle économique tien"),
    ("modele-economique", ("g2",), "Sans la subvention de la "),
    ("origine", (), "Au début, on était trois "),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Taguette:
    """A client of one Taguette server: cookie session, XSRF token, project 1."""

    def __init__(self, base: str, token_url: str) -> None:
        self.base = base
        self.http = requests.Session()
        response = self.http.get(token_url, timeout=10)
        assert response.status_code == 200, response.text[:300]

    @property
    def xsrf(self) -> str:
        return self.http.cookies.get("_xsrf") or ""

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base + path, timeout=10, allow_redirects=False)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        return response

    def post(
        self, path: str, expect: tuple[int, ...] = (200,), **kwargs: object
    ) -> requests.Response:
        if "json" in kwargs:
            path += ("&" if "?" in path else "?") + "_xsrf=" + self.xsrf
        else:
            kwargs["data"] = {**(kwargs.get("data") or {}), "_xsrf": self.xsrf}  # type: ignore[dict-item]
        response = self.http.post(self.base + path, timeout=10, allow_redirects=False, **kwargs)  # type: ignore[arg-type]
        assert response.status_code in expect, (path, response.status_code, response.text[:500])
        return response

    def tags(self, project: int) -> dict[str, int]:
        page = self.get(f"/project/{project}").text
        found = re.search(r"var tags = (\{.*?\});\n", page)
        assert found, "liste des tags absente de la page du projet"
        return {t["path"]: int(t["id"]) for t in json.loads(found.group(1)).values()}


@pytest.fixture
def taguette(tmp_path: Path) -> Iterator[Taguette]:
    if not TAGUETTE.is_file():
        pytest.fail(f"Taguette n'est pas installé ({TAGUETTE}) : lancez « make install-test ».")
    port = free_port()
    log = tmp_path / "taguette.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(TAGUETTE), "--no-browser", "--bind", "127.0.0.1", "--port", str(port),
             "--database", str(tmp_path / "taguette.sqlite3"), "--dont-set-umask"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        token_url = None
        while token_url is None:
            found = re.search(r"http://localhost:\d+/\?token=[0-9a-f]+", log.read_text())
            if found:
                token_url = found.group(0).replace("localhost", "127.0.0.1")
            elif server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Taguette n'a pas démarré :\n" + log.read_text()[-2000:])
            else:
                time.sleep(0.2)
        yield Taguette(f"http://127.0.0.1:{port}", token_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def as_html(text: str) -> str:
    paragraphs = [html.escape(p) for p in text.split("\n")]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def visible_text(contents: list[dict[str, object]]) -> str:
    """The text Taguette counts offsets in (as UTF-8 bytes): the document's HTML without tags."""
    markup = "".join(str(c["contents"]) for c in contents)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_codebook_highlights_and_export_through_a_real_taguette(
    tmp_path: Path, runner, taguette: Taguette
) -> None:
    paths: ProjectPaths = make_terrain(tmp_path / "projet")
    result = run_cli(runner, paths, "codebook")
    assert result.exit_code == 0, result.output
    codebook = paths.root / "codebook" / "grille-ptce-taguette.csv"

    # A project, the grid's codebook imported through Taguette's two-step form.
    taguette.get("/project/new")
    created = taguette.post("/project/new", expect=(302, 303),
                            data={"name": "Val de Brume (fictif)", "description": ""})  # fmt: skip
    project = int(created.headers["Location"].rsplit("/", 1)[1])
    form = taguette.post(f"/project/{project}/import_codebook",
                         files={"file": ("grille.csv", codebook.read_bytes(), "text/csv")}).text  # fmt: skip
    fields = dict(re.findall(r'name="(tag\d+-(?:path|description))" value="([^"]*)"', form))
    rows = sorted({k.split("-")[0] for k in fields})
    assert len(rows) == len(codebook.read_text(encoding="utf-8").splitlines()) - 1
    answer = {k: html.unescape(v) for k, v in fields.items()}
    answer.update({f"{row}-import": "on" for row in rows})
    taguette.post(f"/project/{project}/import_codebook", expect=(200, 302, 303), data=answer)
    for path, description in HOME_CODES.items():
        taguette.post(
            f"/api/project/{project}/tag/new", json={"path": path, "description": description}
        )
    tags = taguette.tags(project)
    assert {"gouvernance", "modele-economique", "ref-g2", *HOME_CODES} <= set(tags)

    # The two fictional interviews as HTML documents, highlighted passage by passage.
    for interview in INTERVIEWS:
        text = text_of(interview)
        created = taguette.post(
            f"/api/project/{project}/document/new",
            data={"name": interview.name, "description": "entretien fictif"},
            files={"file": (interview.file.replace(".txt", ".html"),
                            as_html(text).encode("utf-8"), "text/html")},
        ).json()  # fmt: skip
        document = int(created["created"])
        contents = taguette.get(f"/api/project/{project}/document/{document}/contents").json()
        shown = visible_text(contents["contents"])
        for selection, codes in interview.selections:
            start, end = (len(shown[:i].encode("utf-8")) for i in span(shown, selection))
            taguette.post(
                f"/api/project/{project}/document/{document}/highlight/new",
                json={"start_offset": start, "end_offset": end, "tags": [tags[c] for c in codes]},
            )

    export = tmp_path / "taguette-highlights.csv"
    export.write_bytes(taguette.get(f"/project/{project}/export/highlights/.csv").content)
    header = export.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,document,tag,content"

    result = run_cli(runner, paths, "import", "interviews", str(export), "--pole", SLUG)
    assert result.exit_code == 0, result.output
    interviews = {i.document: i for i in load_interviews(paths.poles / SLUG)}
    assert set(interviews) == HIGHLIGHTED_INTERVIEWS
    filed = sorted(
        (e.section, e.indicators, e.text[:25]) for i in interviews.values() for e in i.excerpts
    )
    assert filed == HIGHLIGHTED_EXCERPTS
    assert interviews["Entretien [élu local]"].date == "2025-04-03"  # from the private table
    stored = "\n".join(
        p.read_text(encoding="utf-8") for p in (paths.poles / SLUG / "entretiens").iterdir()
    )
    assert not any(name in stored for name in PRIVATE_NAMES)
