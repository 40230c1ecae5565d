"""Full-text search: Pagefind indexes the written pages (French stemming from ``lang="fr"``).

The index is built in a temp folder, then copied into ``site/pagefind/`` file by file, only
where bytes differ, so an unchanged site keeps its files (and a failed run keeps the old index).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..core.errors import ToolMissingError
from ..core.tools import run_tool
from .write import SiteWriter

BUNDLE = "pagefind"
TIMEOUT = 300


def pagefind_command() -> list[str]:
    """The Pagefind binary of the ``pagefind[bin]`` package (else ``python -m pagefind``)."""
    try:
        import pagefind_bin

        return [str(pagefind_bin.get_executable())]
    except (ImportError, FileNotFoundError):
        pass
    try:
        import pagefind  # noqa: F401
    except ImportError as exc:
        raise ToolMissingError(
            "Pagefind est introuvable : installez le paquet « pagefind[bin] » "
            "(pip install -r requirements/constraints.txt)."
        ) from exc
    return [sys.executable, "-m", "pagefind"]


def index_site(writer: SiteWriter, force: bool = False) -> bool:
    """Index ``writer.root`` into ``pagefind/``; skipped when nothing changed. True if run."""
    bundle = writer.target(BUNDLE)
    if not force and (bundle / "pagefind-ui.js").is_file():
        return False
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=writer.root.parent) as tmp:
        out = Path(tmp) / BUNDLE
        run_tool(
            [
                *pagefind_command(),
                "--site",
                str(writer.root),
                "--output-path",
                str(out),
                "--silent",
            ],
            name="pagefind",
            timeout=TIMEOUT,
        )
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            writer.copy_file(path, f"{BUNDLE}/{path.relative_to(out).as_posix()}")
    return True


def keep_index(writer: SiteWriter) -> None:
    """Mark the existing index as produced by this run (so pruning keeps it)."""
    bundle = writer.target(BUNDLE)
    if bundle.is_dir():
        for path in bundle.rglob("*"):
            if path.is_file():
                writer.produced.add(path.resolve())
