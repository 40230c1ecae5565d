"""``ptce-mono coder`` and ``import interviews --depuis-taguette`` with a real Taguette on
loopback (issue 26): .docx transcripts (written by pandoc) → the pole's Taguette project with the
grid's codebook → passages highlighted through Taguette's HTTP API, as the researcher does by
clicking → imported without any file exported by hand → quoted in a built monograph."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
from pathlib import Path

import pytest

from ptce_mono.core.paths import ProjectPaths
from ptce_mono.core.tools import run_tool
from ptce_mono.corpus.excerpts import load_interviews
from ptce_mono.importers import taguette as tg
from ptce_mono.render.embedded import pandoc_path
from tests.conftest import REPO, run_cli
from tests.qdpx_builder import INTERVIEWS, text_of
from tests.test_fieldwork import SLUG, make_terrain
from tests.test_fieldwork_taguette import (
    HIGHLIGHTED_EXCERPTS,
    HIGHLIGHTED_INTERVIEWS,
    TAGUETTE,
    visible_text,
)

pytestmark = pytest.mark.slow


def docx_transcripts(folder: Path) -> list[Path]:
    """The two fictional interviews as Word files, named like the private table's documents."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for interview in INTERVIEWS:
        source = folder / f"{interview.name}.md"
        source.write_text(text_of(interview).replace("\n", "\n\n"), encoding="utf-8")
        target = folder / f"{interview.name}.docx"
        run_tool([pandoc_path(), "--from", "markdown-smart", str(source), "-o", str(target)])
        source.unlink()
        made.append(target)
    return made


def loose_span(text: str, selection: str) -> tuple[int, int]:
    """Like ``span``, whatever the line breaks of the converted document."""
    first, last = (r"\s+".join(map(re.escape, part.split())) for part in selection.split("|"))
    found = re.search(f"{first}.*?{last}", text, re.S)
    assert found, selection
    return found.start(), found.end()


def highlight_like_a_researcher(paths: ProjectPaths) -> None:
    """Open the pole's project and highlight each selection with its codes, as clicks do."""
    server = tg.start_server(paths)
    try:
        client = tg.Client(server)
        project = tg.find_project(client, SLUG)
        assert project is not None
        by_name = {name: ident for ident, name in tg.tags(client, project).items()}
        docs = {name: ident for ident, name in tg.documents(client, project).items()}
        for interview in INTERVIEWS:
            document = docs[interview.name]
            contents = client.get_json(f"/api/project/{project}/document/{document}/contents")
            shown = visible_text(contents["contents"])
            for selection, codes in interview.selections:
                start, end = (len(shown[:i].encode("utf-8")) for i in loose_span(shown, selection))
                client.post_json(
                    f"/api/project/{project}/document/{document}/highlight/new",
                    {"start_offset": start, "end_offset": end,
                     "tags": [by_name[c] for c in codes]},
                )  # fmt: skip
        # the same highlights as Taguette's own CSV export, for comparison
        _, _, body = client.request("GET", f"/project/{project}/export/highlights/.csv")
        (paths.root / "export-taguette.csv").write_bytes(body)
    finally:
        server.stop()
    assert not server.running()


@pytest.fixture
def coded(tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch) -> ProjectPaths:
    if not TAGUETTE.is_file():
        pytest.fail(f"Taguette n'est pas installé ({TAGUETTE}) : lancez « make taguette ».")
    monkeypatch.setenv(tg.BINARY_ENV, str(TAGUETTE))
    paths = make_terrain(tmp_path / "projet")
    transcripts = docx_transcripts(tmp_path / "transcriptions")
    result = run_cli(runner, paths, "coder", SLUG, *map(str, transcripts),
                     "--sans-navigateur", "--preparer-seulement")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Transcription « Entretien Trévoux » (Entretien Trévoux.docx) : déposée." in result.output
    )
    assert "Taguette arrêté." in result.output
    # Run twice: the project is reused, nothing is uploaded or added twice.
    again = run_cli(runner, paths, "coder", SLUG, *map(str, transcripts),
                    "--sans-navigateur", "--preparer-seulement")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "repris ; livre de codes : 0 code ajouté" in again.output
    assert "déjà dans le projet" in again.output
    highlight_like_a_researcher(paths)
    return paths


def test_docx_transcripts_to_quotes_in_a_monograph_through_taguette(coded: ProjectPaths,
                                                                    runner) -> None:  # fmt: skip
    paths = coded
    database = tg.database_path(paths)
    assert database.is_relative_to(paths.data / "prive")  # private, git-ignored
    with sqlite3.connect(database) as db:
        (count,) = db.execute("SELECT count(*) FROM projects").fetchone()
        assert count == 1
        tags = {row[0] for row in db.execute("SELECT path FROM tags")}
    assert {"gouvernance", "origine-2", "ref-g2", "voix des habitants"} <= tags

    result = run_cli(runner, paths, "import", "interviews", "--depuis-taguette", "--pole", SLUG)
    assert result.exit_code == 0, result.output
    interviews = {i.document: i for i in load_interviews(paths.poles / SLUG)}
    assert set(interviews) == HIGHLIGHTED_INTERVIEWS
    filed = sorted(
        (e.section, e.indicators, e.text[:25]) for i in interviews.values() for e in i.excerpts
    )
    assert filed == HIGHLIGHTED_EXCERPTS
    assert all(i.tool == "Taguette" for i in interviews.values())
    again = run_cli(runner, paths, "import", "interviews", "--depuis-taguette", "--pole", SLUG)
    assert again.output.count("inchangé (3 extraits)") == 2, again.output  # idempotent
    # Taguette's CSV export of the same highlights gives the same excerpts: nothing changes
    exported = paths.root / "export-taguette.csv"
    same = run_cli(runner, paths, "import", "interviews", str(exported), "--pole", SLUG)
    assert same.exit_code == 0, same.output
    assert "ajouté" not in same.output and "retiré" not in same.output, same.output
    assert {e.id for i in load_interviews(paths.poles / SLUG) for e in i.excerpts} == {
        e.id for i in interviews.values() for e in i.excerpts
    }

    for path in (paths.poles / SLUG / "entretiens").glob("*.yaml"):
        blocks = path.read_text(encoding="utf-8").split("\n- id: ")
        kept = [b if "Odile" in b else b.replace("retenu: false", "retenu: true") for b in blocks]
        path.write_text("\n- id: ".join(kept), encoding="utf-8")
    result = run_cli(runner, paths, "build", SLUG, "-j", "1", "--to", "html", "--sans-transversale")
    assert result.exit_code == 0, result.output
    notebook = json.loads((paths.monographs / f"{SLUG}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in notebook["cells"]
        for o in c.get("outputs", [])
    )
    assert "— *élu local, entretien du 3\u00a0avril 2025*" in text
    assert "La commune met à disposition" in text
    assert "[salariée d'une structure membre], c'est moi" in text


def test_import_from_taguette_without_a_project_says_what_to_do(tmp_path: Path, runner) -> None:
    paths = make_terrain(tmp_path / "projet")
    result = run_cli(runner, paths, "import", "interviews", "--depuis-taguette", "--pole", SLUG)
    assert result.exit_code != 0
    assert f"lancez d'abord « ptce-mono coder {SLUG} TRANSCRIPTIONS… »" in result.output
    result = run_cli(runner, paths, "import", "interviews", "--depuis-taguette")
    assert result.exit_code != 0 and "--pole" in result.output


def test_coder_refuses_a_pdf_before_starting_anything(tmp_path: Path, runner) -> None:
    paths = make_terrain(tmp_path / "projet")
    pdf = tmp_path / "entretien.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    result = run_cli(runner, paths, "coder", SLUG, str(pdf), "--sans-navigateur")
    assert result.exit_code != 0
    assert "format de transcription non pris en charge" in result.output
    assert not tg.database_path(paths).exists()
    result = run_cli(runner, paths, "coder", "val-de-brum", "--sans-navigateur")
    assert "vouliez-vous dire `val-de-brume` ?" in result.output


def test_taguette_listens_on_loopback_only_and_stops(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(tg.BINARY_ENV, str(TAGUETTE))
    paths = make_terrain(tmp_path / "projet")
    server = tg.start_server(paths)
    try:
        assert server.running()
        addresses = {a for a in _own_addresses() if not a.startswith("127.")}
        for address in addresses:
            with socket.socket() as sock:
                sock.settimeout(2)
                assert sock.connect_ex((address, server.port)) != 0, address
    finally:
        server.stop()
    assert not server.running() and not server.log.exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", server.port)) != 0


def _own_addresses() -> set[str]:
    found = {socket.gethostbyname(socket.gethostname())}
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 9))  # no packet is sent: picks the outgoing interface
            found.add(sock.getsockname()[0])
    except OSError:
        pass
    return found


def test_make_taguette_target_is_named_in_readme_and_guide() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "\ntaguette: " in makefile
    for doc in ("README.md", "docs/guide.md"):
        text = (REPO / doc).read_text(encoding="utf-8")
        assert "make taguette" in text and "ptce-mono coder" in text, doc
        assert "--depuis-taguette" in text, doc


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".txt", ".md", ".html"])
def test_every_transcript_format_becomes_html_without_calibre(tmp_path: Path, suffix: str) -> None:
    text = text_of(INTERVIEWS[0])
    source = tmp_path / "entretien.md"
    source.write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    target = tmp_path / f"Entretien Trévoux{suffix}"
    if suffix == ".txt":
        target.write_text(text, encoding="utf-8")  # plain text: * and # stay as written
    elif suffix == ".md":
        target.write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    else:
        run_tool([pandoc_path(), "--from", "markdown-smart", str(source), "-o", str(target)])
    shown = tg.html_text(tg.transcript_html(target))
    assert "Le conseil de coopération se réunit chaque mois" in " ".join(shown.split())
    assert "Odile Vernasque" in shown and "<" not in shown


def test_a_plain_text_transcript_keeps_its_symbols(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Q : *vraiment* ?\n# pas un titre\nR : 50 % du <budget>, $x$\n", "utf-8")
    shown = tg.html_text(tg.transcript_html(path))
    assert shown.splitlines() == ["Q : *vraiment* ?", "# pas un titre", "R : 50 % du <budget>, $x$"]


def test_project_names_fit_taguette_and_end_with_the_slug() -> None:
    long_title = "Pôle fictif du Val de Brume (démonstration)"
    name = tg.project_name(long_title, "pole-fictif-demonstration")
    assert len(name) <= 50 and name.endswith(" [pole-fictif-demonstration]") and "…" in name
    assert tg.project_name("Court", "ab") == "Court [ab]"
    assert len(tg.project_name("Titre", "a" * 64)) == 50


def test_ctrl_c_stops_taguette_cleanly(tmp_path: Path) -> None:
    """A real ``ptce-mono coder`` process: Taguette answers on loopback until Ctrl-C, then the
    command stops it (no Taguette left running, port closed) and ends normally."""
    import os
    import signal
    import subprocess
    import sys
    import time

    paths = make_terrain(tmp_path / "projet")
    env = {**os.environ, tg.BINARY_ENV: str(TAGUETTE), tg.NO_BROWSER_ENV: "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ptce_mono", "--racine", str(paths.root), "coder", SLUG],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []
    port = None
    deadline = time.monotonic() + 120
    while port is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"Taguette tourne sur http://127\.0\.0\.1:(\d+)", line)
        port = int(found.group(1)) if found else None
    assert port is not None, "".join(lines)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) == 0
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, "".join(lines) + rest
    assert "Taguette arrêté." in rest
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
