"""Outputs that may no longer be published are withdrawn, not kept as « last good output ».

When the private table names a person, when consent is missing, or when a built document
still writes a protected name, the previous monograph of that pole holds what must not be
published. :func:`withdraw` removes it from ``monographs/`` and from the built site (the pole's
page and PDF, the search index, the site's cache of extracted documents) and records the
withdrawal in the manifest, so that ``status`` says « retirée » and why. ``ptce-mono site``
builds the pole's card again without the monograph.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core.fingerprint import read_manifest, write_manifest
from ..core.paths import ProjectPaths

STATUS_WITHDRAWN = "retire"
PRIVACY_SECTION = "confidentialite"
OUTPUT_SUFFIXES = ("ipynb", "html", "pdf", "typ", "md")
PRIVACY_MARK = "non publiable"  # in the message of every fieldwork privacy problem
SEARCH_INDEX = "pagefind"


def is_privacy_problem(field: str, message: str) -> bool:
    """A validation problem that makes the pole's outputs unpublishable (not just invalid)."""
    return (field.startswith("extraits.") or field == "recit") and PRIVACY_MARK in message


def privacy_reasons(problems: Iterable[Any]) -> list[str]:
    """The messages of the privacy problems among ``problems`` (validation ``Problem``s)."""
    return [p.message for p in problems if is_privacy_problem(p.field, p.message)]


def _site_files(paths: ProjectPaths, stem: str) -> list[Path]:
    site = paths.site
    return [
        site / "poles" / f"{stem}.html",
        site / "pdf" / f"{stem}.pdf",
        site / f"{stem}.html",
        paths.site_documents_cache / f"{stem}.pickle",
    ]


def withdraw(paths: ProjectPaths, stem: str, reason: str) -> list[Path]:
    """Remove every output of ``stem`` and its copies in the site; returns what was removed.

    The manifest keeps the withdrawal (status ``retire``) and its French reason."""
    removed: list[Path] = []
    manifest = read_manifest(paths.monographs, stem) or {}
    listed = [Path(p) for p in (manifest.get("outputs") or {}).values() if isinstance(p, str)]
    candidates = [paths.output(stem, ext) for ext in OUTPUT_SUFFIXES] + [
        p if p.is_absolute() else paths.monographs / p for p in listed
    ]
    for path in [*candidates, *_site_files(paths, stem)]:
        if path.is_file():
            path.unlink()
            removed.append(path)
    index = paths.site / SEARCH_INDEX
    if removed and index.is_dir():  # the index holds the text: rebuilt by « ptce-mono site »
        shutil.rmtree(index, ignore_errors=True)
        removed.append(index)
    now = dt.datetime.now().isoformat(timespec="seconds")
    write_manifest(
        paths.monographs,
        stem,
        {**{k: v for k, v in manifest.items() if k not in ("outputs", "key")},
         "slug": stem, "status": STATUS_WITHDRAWN, "withdrawn_at": now, "error": reason,
         "section": PRIVACY_SECTION},
    )  # fmt: skip
    return removed


# --- the scan of built outputs -------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]*>")


def readable_text(path: Path) -> str:
    """The text a reader sees in an HTML or notebook output (tags removed, entities decoded)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        raw = _TAGS.sub(" ", raw)
    return html.unescape(raw)


def protected_names_in(outputs: Sequence[Path], names: Sequence[str]) -> list[tuple[Path, str]]:
    """(output, name) for each protected name an output still writes, in any written form."""
    from ..core.names import names_in

    found = []
    if not names:
        return found
    for path in outputs:
        if path.suffix in (".html", ".ipynb", ".md", ".typ") and path.is_file():
            for name in names_in(readable_text(path), names):
                found.append((path, name))
    return found


def publishable(paths: ProjectPaths, stem: str, slugs: Sequence[str] | None = None) -> bool:
    """Whether the built outputs of ``stem`` may be published now: not withdrawn, and writing
    no name of today's private tables (``slugs``: whose tables; default the pole ``stem``).
    ``site`` asks before copying a monograph, so that a name added to the table after the last
    build is never republished; an unpublishable output is withdrawn on the spot."""
    from ..corpus.pseudonymise import load_private_table

    manifest = read_manifest(paths.monographs, stem) or {}
    if manifest.get("status") == STATUS_WITHDRAWN:
        return False
    names: list[str] = []
    for slug in slugs if slugs is not None else [stem]:
        try:
            names += load_private_table(paths.data, slug).names()
        except Exception:  # an unreadable table: nothing can be checked, nothing is published
            return False
    outputs = [paths.output(stem, ext) for ext in ("html", "ipynb")]
    found = protected_names_in(outputs, names)
    if found:
        files = ", ".join(sorted({p.name for p, _ in found}))
        withdraw(
            paths,
            stem,
            f"retirée pour confidentialité : le document produit écrit le nom d'une personne de "
            f"la table privée ({files}) ; remplacez-le par son rôle dans les récits ou les extraits",
        )
        return False
    return True
