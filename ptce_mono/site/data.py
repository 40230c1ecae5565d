"""The public data package (``monographs/donnees``) as the data page lists it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import DataFileError, UnsafeSlugError
from ..core.paths import safe_child

DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class DataField:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class DataResource:
    file: str  # a plain file name inside the package folder
    title: str
    description: str
    fields: tuple[DataField, ...]
    rows: int | None


@dataclass(frozen=True)
class DataPackage:
    title: str
    description: str
    licence: str
    resources: tuple[DataResource, ...]
    has_descriptor: bool


def _plain_name(folder: Path, name: str) -> str | None:
    """``name`` if it is a file directly inside ``folder`` (no sub-folder, no ``..``)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    try:
        path = safe_child(folder, name)
    except UnsafeSlugError:
        return None
    return name if path.is_file() and path.parent == folder.resolve() else None


def _count_rows(path: Path) -> int | None:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except (OSError, UnicodeDecodeError):
        return None


def load_package(folder: Path) -> DataPackage | None:
    """The package in ``folder`` (None when it has not been produced). Descriptions come from
    ``datapackage.json``; CSV files it does not describe are listed without one."""
    if not folder.is_dir():
        return None
    descriptor = folder / DATAPACKAGE
    meta: dict = {}
    if descriptor.is_file():
        try:
            meta = json.loads(descriptor.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataFileError(descriptor, f"JSON illisible ({exc})") from exc
        if not isinstance(meta, dict):
            raise DataFileError(descriptor, "un objet JSON est attendu")
    resources: list[DataResource] = []
    seen: set[str] = set()
    for raw in meta.get("resources") or []:
        if not isinstance(raw, dict):
            continue
        name = _plain_name(folder, str(raw.get("path") or ""))
        if name is None or name in seen:
            continue
        seen.add(name)
        schema = raw.get("schema") if isinstance(raw.get("schema"), dict) else {}
        fields = tuple(
            DataField(
                str(f.get("name", "")),
                str(f.get("type", "")),
                str(f.get("description") or f.get("title") or ""),
            )
            for f in schema.get("fields") or []
            if isinstance(f, dict)
        )
        resources.append(
            DataResource(
                file=name,
                title=str(raw.get("title") or raw.get("name") or name),
                description=str(raw.get("description") or ""),
                fields=fields,
                rows=_count_rows(folder / name) if name.endswith(".csv") else None,
            )
        )
    for csv in sorted(folder.glob("*.csv")):
        if csv.name not in seen and _plain_name(folder, csv.name):
            resources.append(DataResource(csv.name, csv.name, "", (), _count_rows(csv)))
    licences = meta.get("licenses") or []
    licence = ""
    if isinstance(licences, list) and licences and isinstance(licences[0], dict):
        licence = str(licences[0].get("title") or licences[0].get("name") or "")
    return DataPackage(
        title=str(meta.get("title") or "Données consolidées du corpus"),
        description=str(meta.get("description") or ""),
        licence=licence,
        resources=tuple(resources),
        has_descriptor=descriptor.is_file(),
    )
