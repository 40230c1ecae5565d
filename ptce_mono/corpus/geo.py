"""The table of French départements shipped in ``data/geo`` (IGN Admin Express, Licence Ouverte)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError
from ..core.layout import DEPARTEMENTS_FILE
from ..core.limits import MAX_CSV_BYTES, read_bounded_text


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: str
    region_before_2016: str
    lon: float
    lat: float


@cache
def load_departements(geo_dir: Path) -> dict[str, Departement]:
    path = geo_dir / DEPARTEMENTS_FILE
    text = read_bounded_text(path, MAX_CSV_BYTES, "tableau CSV")
    try:
        return {
            row["code_departement"]: Departement(
                code=row["code_departement"],
                name=row["nom_departement"],
                region=row["nom_region"],
                region_before_2016=row["nom_region_avant_2016"],
                lon=float(row["lon_centroide"]),
                lat=float(row["lat_centroide"]),
            )
            for row in csv.DictReader(io.StringIO(text, newline=""))
        }
    except (KeyError, ValueError, TypeError, csv.Error) as exc:
        raise DataFileError(path, f"tableau des départements illisible ({exc})") from exc


def departement_of_postal_code(code_postal: str) -> str | None:
    """INSEE département code implied by a postal code (Corsica: 20 -> 2A/2B, unknown here)."""
    if len(code_postal) != 5 or not code_postal.isdigit():
        return None
    if code_postal.startswith("97"):
        return code_postal[:3]
    if code_postal.startswith("20"):
        return "2A" if int(code_postal) < 20200 else "2B"
    return code_postal[:2]


def territory_label(geo_dir: Path, pole: Any) -> str:
    """« Commune (Département, Région) », with the names of the shipped département table."""
    code = pole.get("identite.departement")
    table = load_departements(geo_dir) if (geo_dir / DEPARTEMENTS_FILE).is_file() else {}
    dept = table.get(str(code)) if code else None
    region = pole.get("identite.region") or (dept.region if dept else None)
    inner = ", ".join(str(v) for v in (dept.name if dept else code, region) if v)
    commune = pole.get("identite.commune")
    if commune and inner:
        return f"{commune} ({inner})"
    return str(commune or inner or "territoire non documenté")


def load_geojson(path: Path) -> Any:
    """A GeoJSON file of ``data/geo``, bounded in size (see ptce_mono.core.limits)."""
    text = read_bounded_text(path, MAX_CSV_BYTES, "fond de carte GeoJSON")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise DataFileError(path, "fond de carte illisible (JSON mal formé)") from exc


def rings(geometry: Any) -> list[list[list[float]]]:
    """The outer and inner rings of a GeoJSON Polygon or MultiPolygon geometry."""
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        return list(coords)
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []
