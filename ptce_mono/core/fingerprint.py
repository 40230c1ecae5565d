"""Cache keys: sha256 of a canonical JSON manifest of everything an output depends on.

The manifest is stored beside each output (``monographs/<slug>.manifest.json``) so that
``ptce-mono status`` can say why something is stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .. import PACKAGE_DIR, __version__
from .atomic import write_text_atomic
from .paths import ProjectPaths

MANIFEST_SUFFIX = ".manifest.json"
STATUS_OK = "ok"
STATUS_FAILED = "echec"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    return sha256_bytes(path.read_bytes()) if path.is_file() else "absent"


def tree_digest(
    folder: Path, pattern: str = "*", keep: Callable[[Path], bool] | None = None
) -> str:
    """Digest of every file under ``folder`` (relative names and contents), sorted; ``keep``
    leaves out the files it refuses (a link leading outside the project is never read)."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(
            p
            for p in folder.rglob(pattern)
            if p.is_file() and not p.name.startswith(".") and (keep is None or keep(p))
        ):
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def notebook_digest(path: Path) -> str:
    """Digest of a notebook's cells (type, source, tags, ptce metadata), without outputs or ids."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        {
            "type": c.get("cell_type"),
            "source": "".join(c.get("source", []))
            if isinstance(c.get("source"), list)
            else c.get("source", ""),
            "tags": sorted(c.get("metadata", {}).get("tags", [])),
            "ptce": c.get("metadata", {}).get("ptce"),
        }
        for c in nb.get("cells", [])
    ]
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return sha256_bytes(json.dumps({"cells": cells, "kernel": kernel}, sort_keys=True).encode())


@cache
def package_digest() -> str:
    """Version and source of ptce_mono: a code change rebuilds what it may change."""
    return f"{__version__}:{tree_digest(PACKAGE_DIR, '*.py')[:16]}"


# What the renderer reads besides the notebook: filter, page models, style, CSL, fonts, and the
# Quarto project file (render/quarto.PROJECT_FILES).
RENDER_FILES = ("monographie.lua", "monographie.typ", "monographie.html", "style.css",
                "ptce-auteur-date.csl", "_quarto.yml")  # fmt: skip


def render_digest(templates: Path) -> str:
    """Digest of the rendering templates: a new CSL style or filter renders everything again."""
    parts = {name: file_digest(templates / name) for name in RENDER_FILES}
    parts["fonts"] = tree_digest(templates / "fonts")
    return sha256_bytes(json.dumps(parts, sort_keys=True).encode())


def shared_inputs(paths: ProjectPaths) -> dict[str, str]:
    """Inputs shared by every monograph."""
    return {
        "grille": file_digest(paths.grid_file),
        "referentiels": tree_digest(paths.referentiels, "*.yaml"),
        "bibliographie": file_digest(paths.bibliography_file),
        "projet": file_digest(paths.identity_file),  # identity: team, licence, site
        "participation": tree_digest(paths.participation, "*.yaml"),
        "paquet": package_digest(),
        "rendu": render_digest(paths.templates),
    }


def key_of(inputs: Mapping[str, Any]) -> str:
    return sha256_bytes(json.dumps(dict(inputs), sort_keys=True, ensure_ascii=False).encode())


def manifest_path(monographs: Path, stem: str) -> Path:
    return monographs / f"{stem}{MANIFEST_SUFFIX}"


def read_manifest(monographs: Path, stem: str) -> dict[str, Any] | None:
    path = manifest_path(monographs, stem)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(monographs: Path, stem: str, manifest: Mapping[str, Any]) -> None:
    write_text_atomic(
        manifest_path(monographs, stem),
        json.dumps(dict(manifest), sort_keys=True, ensure_ascii=False, indent=1),
    )


def is_up_to_date(manifest: Mapping[str, Any] | None, key: str, outputs: Iterable[Path]) -> bool:
    """Up to date: last build succeeded with the same key and every output is still there."""
    return (
        manifest is not None
        and manifest.get("status") == STATUS_OK
        and manifest.get("key") == key
        and all(p.is_file() for p in outputs)
    )


def stale_reasons(manifest: Mapping[str, Any] | None, inputs: Mapping[str, Any]) -> list[str]:
    """Which inputs changed since the last build (French names, for ``status``)."""
    if manifest is None:
        return ["jamais construit"]
    if manifest.get("status") != STATUS_OK:
        return ["dernière construction en échec"]
    old = manifest.get("inputs", {})
    return [name for name, value in inputs.items() if old.get(name) != value]
