"""The map of poles: an inline SVG drawn from the département outlines (no tiles, no network).

Equirectangular projection with the cos(latitude) correction at the map's mean latitude,
one ``<path>`` per département, one linked circle per pole (at its département's centroid,
spread on a small ring when several poles share a département).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from ..corpus.geo import load_geojson
from ..corpus.geo import rings as geometry_rings

GEOJSON = "departements-version-simplifiee.geojson"
WIDTH = 560.0
MARGIN = 12.0
MIN_STEP = 1.2  # points closer than this (in px) are dropped: smaller file, same drawing
MARKER_RADIUS = 7.0


@dataclass(frozen=True)
class MapMarker:
    slug: str
    name: str
    departement: str
    href: str


@dataclass(frozen=True)
class Projection:
    lon0: float
    lat0: float
    lat_max: float
    scale: float
    cos_lat: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = MARGIN + (lon - self.lon0) * self.cos_lat * self.scale
        y = MARGIN + (self.lat_max - lat) * self.scale
        return x, y


@cache
def _load_features(path: Path) -> tuple[tuple[str, str, tuple], ...]:
    data = load_geojson(path)
    return tuple(
        (
            str(f["properties"].get("code", "")),
            str(f["properties"].get("nom", "")),
            tuple(
                tuple(tuple(p[:2]) for p in ring)
                for ring in geometry_rings(f.get("geometry") or {})
            ),
        )
        for f in data.get("features", [])
    )


def make_projection(features: Sequence[tuple[str, str, tuple]]) -> Projection:
    lons = [p[0] for _, _, rings in features for ring in rings for p in ring]
    lats = [p[1] for _, _, rings in features for ring in rings for p in ring]
    lat0 = (min(lats) + max(lats)) / 2
    cos_lat = math.cos(math.radians(lat0))
    scale = (WIDTH - 2 * MARGIN) / ((max(lons) - min(lons)) * cos_lat)
    return Projection(min(lons), lat0, max(lats), scale, cos_lat)


def _path_data(rings: tuple, project: Projection) -> str:
    parts = []
    for ring in rings:
        points: list[tuple[float, float]] = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            if points and math.hypot(x - points[-1][0], y - points[-1][1]) < MIN_STEP:
                continue
            points.append((x, y))
        if len(points) < 3:
            continue
        parts.append(_relative(points))
    return "".join(parts)


def _num(value: int) -> str:
    """Tenths of a pixel as the shortest SVG number: 12 -> '1.2', -3 -> '-.3'."""
    text = f"{abs(value) / 10:g}".removeprefix("0") or "0"
    return ("-" if value < 0 else "") + text


def _relative(points: list[tuple[float, float]]) -> str:
    """``M x,y l dx,dy ... z`` on a grid of tenths of a pixel (no drift: deltas of rounded
    absolute positions)."""
    grid = [(round(x * 10), round(y * 10)) for x, y in points]
    out = [f"M{_num(grid[0][0])},{_num(grid[0][1])}l"]
    deltas = []
    for (x0, y0), (x1, y1) in itertools.pairwise(grid):
        if (x0, y0) != (x1, y1):
            dy = _num(y1 - y0)
            deltas.append(f"{_num(x1 - x0)}{dy if dy.startswith('-') else ',' + dy}")
    return out[0] + " ".join(deltas) + "z"


def _spread(center: tuple[float, float], index: int, count: int) -> tuple[float, float]:
    if count == 1:
        return center
    angle = 2 * math.pi * index / count - math.pi / 2
    radius = MARKER_RADIUS * 1.4
    return center[0] + radius * math.cos(angle), center[1] + radius * math.sin(angle)


def render_map(
    geo_dir: Path,
    markers: Sequence[MapMarker],
    centroids: dict[str, tuple[float, float]],
    fills: Mapping[str, str] | None = None,
    title: str = "Carte des pôles par département (France métropolitaine)",
) -> tuple[Markup, list[MapMarker]]:
    """The SVG (safe markup: every text is escaped here) and the markers left off the map
    (overseas départements, unknown codes). ``fills`` gives a CSS class per département code
    (a choropleth, e.g. by région); without it, départements with a pole are highlighted."""
    features = _load_features((geo_dir / GEOJSON).resolve())
    project = make_projection(features)
    height = max(y for _, _, rings in features for ring in rings for _, y in
                 (project(*p) for p in ring)) + MARGIN  # fmt: skip
    with_pole = {m.departement for m in markers}
    out = [
        f'<svg class="carte" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        'xmlns="http://www.w3.org/2000/svg" role="group" aria-labelledby="carte-titre">',
        f'<title id="carte-titre">{escape(title)}</title>',
        '<g class="departements" aria-hidden="true">',
    ]
    codes = set()
    for code, name, rings in features:
        codes.add(code)
        if fills is not None:
            css = f"dep {fills[code]}" if fills.get(code) else "dep"
        else:
            css = "dep avec-pole" if code in with_pole else "dep"
        out.append(
            f'<path class="{css}" data-code="{escape(code)}" d="{_path_data(rings, project)}">'
            f"<title>{escape(name)}</title></path>"
        )
    out.append('</g><g class="poles">')
    off_map: list[MapMarker] = []
    by_dep: dict[str, list[MapMarker]] = {}
    for marker in markers:
        if marker.departement in codes and marker.departement in centroids:
            by_dep.setdefault(marker.departement, []).append(marker)
        else:
            off_map.append(marker)
    for dep, group in sorted(by_dep.items()):
        center = project(*centroids[dep])
        for index, marker in enumerate(group):
            x, y = _spread(center, index, len(group))
            out.append(
                f'<a href="{escape(marker.href)}" class="pole-lien" aria-label="{escape(marker.name)}">'
                f'<circle class="pole" cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS:.0f}">'
                f"<title>{escape(marker.name)}</title></circle></a>"
            )
    out.append("</g></svg>")
    return Markup("\n".join(out)), off_map
