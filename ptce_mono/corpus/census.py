"""The 2011 census: initiatives that answered the call (Annex 2 of the 2013 plan) and the
applications by région of its § 2.2, read from ``data/recensement/``.

Each CSV table has a Frictionless Table Schema beside it (``<table>.schema.json``); the loader
checks the header, the required cells, integers, vocabularies and the région correspondence
against the département table, and reports every problem with file, row and column. Pure: no
printing; :func:`load_census` raises :class:`~ptce_mono.core.errors.CensusError`.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import CensusError, DataFileError
from ..core.layout import DEPARTEMENTS_FILE, GEO_DIR, census_folder
from ..core.limits import MAX_CSV_BYTES, MAX_YAML_BYTES, read_bounded_text
from ..core.problems import Problem, render_first
from .geo import load_departements
from .schema import LECTURES

INITIATIVES = "initiatives"
COUNTS = "candidatures-par-region"
TABLES = (INITIATIVES, COUNTS)
NATIONAL = "National"


@dataclass(frozen=True)
class Initiative:
    rank: int
    region_printed: str
    region_before_2016: str
    region: str  # 2016 région, "" for national initiatives
    name: str
    carrier: str
    carrier_omitted: str
    pole: str
    pole_reading: str
    pole_note: str
    source: str
    passage: str
    row: int

    @property
    def label(self) -> str:
        """The initiative's name, or its carrier when the annex gives no name."""
        return self.name or self.carrier or "(sans nom ni structure porteuse imprimés)"


@dataclass(frozen=True)
class RegionCount:
    region_printed: str
    region_before_2016: str
    region: str
    applications: int
    operational: int | None
    interest: int | None
    reading: str
    note: str
    source: str
    passage: str
    row: int


@dataclass(frozen=True)
class Census:
    folder: Path
    initiatives: tuple[Initiative, ...]
    counts: tuple[RegionCount, ...]

    def linked(self) -> tuple[Initiative, ...]:
        return tuple(i for i in self.initiatives if i.pole)


@dataclass(frozen=True)
class RegionComparison:
    """One pre-2016 région: initiatives listed in Annex 2 against applications of § 2.2."""

    region_before_2016: str
    region: str
    listed: int
    announced: int | None  # None: the région is absent from § 2.2
    temoins: int = 0  # pôles témoins of the corpus located in the région (project's reading)

    @property
    def differs(self) -> bool:
        return self.announced != self.listed

    @property
    def with_temoins(self) -> int:
        """Annex 2 plus the pôles témoins: the project's reading that Annex 2 leaves them out."""
        return self.listed + self.temoins

    @property
    def equal_with_temoins(self) -> bool:
        return self.announced is not None and self.announced == self.with_temoins


def census_dir(data_dir: Path) -> Path:
    return census_folder(data_dir)


def _key(text: str) -> str:
    """Accent-, case-, space- and hyphen-insensitive key of a région name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if c.isalnum() and not unicodedata.combining(c))


def region_table(geo_dir: Path) -> dict[str, tuple[str, str]]:
    """Key of a pre-2016 région name -> (its normalised name, its 2016 région)."""
    if not (geo_dir / DEPARTEMENTS_FILE).is_file():
        return {}
    return {
        _key(d.region_before_2016): (d.region_before_2016, d.region)
        for d in load_departements(geo_dir).values()
    }


def _schema(path: Path, issues: list[Problem]) -> list[Mapping[str, Any]]:
    if not path.exists():
        issues.append(Problem(path, None, "", "schéma de table manquant"))
        return []
    try:
        data = json.loads(read_bounded_text(path, MAX_YAML_BYTES, "schéma JSON"))
        fields = data["fields"]
        if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
            raise TypeError
        return fields
    except DataFileError as exc:
        issues.append(Problem(path, None, "", exc.detail))
    except (ValueError, KeyError, TypeError, RecursionError):
        issues.append(
            Problem(path, None, "", "schéma de table illisible (JSON « fields » attendu)")
        )
    return []


def _read_rows(
    path: Path, fields: list[Mapping[str, Any]], issues: list[Problem]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows typed and checked against the Table Schema; (line number, row) pairs."""
    if not path.exists():
        issues.append(Problem(path, None, "", "fichier manquant"))
        return []
    try:  # bounded: size, regular file, UTF-8 (see ptce_mono.core.limits)
        text = read_bounded_text(path, MAX_CSV_BYTES, "tableau CSV")
    except DataFileError as exc:
        issues.append(Problem(path, None, "", exc.detail))
        return []
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    expected = [str(f["name"]) for f in fields]
    if header != expected:
        issues.append(Problem(path, 1, "", f"en-tête attendu : {','.join(expected)}"))
        return []
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, set[Any]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cells):
            continue
        if len(cells) != len(expected):
            issues.append(Problem(path, line, "", f"{len(expected)} colonnes attendues, {len(cells)} trouvées"))  # fmt: skip
            continue
        row: dict[str, Any] = {}
        for spec, cell in zip(fields, cells, strict=True):
            row[spec["name"]] = _typed(path, line, spec, cell.strip(), issues, seen)
        rows.append((line, row))
    return rows


def _typed(
    path: Path, line: int, spec: Mapping[str, Any], cell: str,
    issues: list[Problem], seen: dict[str, set[Any]],
) -> Any:  # fmt: skip
    name = str(spec["name"])
    constraints = spec.get("constraints") or {}
    if not cell:
        if constraints.get("required"):
            issues.append(Problem(path, line, name, "valeur obligatoire manquante"))
        return "" if spec.get("type") == "string" else None
    value: Any = cell
    if spec.get("type") == "integer":
        try:
            value = int(cell)
        except ValueError:
            issues.append(Problem(path, line, name, f"nombre entier attendu, pas « {cell} »"))
            return None
        if "minimum" in constraints and value < constraints["minimum"]:
            issues.append(Problem(path, line, name, f"valeur {value} inférieure au minimum {constraints['minimum']}"))  # fmt: skip
    if "enum" in constraints and value not in constraints["enum"]:
        allowed = ", ".join(str(v) for v in constraints["enum"])
        issues.append(Problem(path, line, name, f"valeur « {cell} » hors du vocabulaire ({allowed})"))  # fmt: skip
    if constraints.get("unique"):
        if value in seen.setdefault(name, set()):
            issues.append(Problem(path, line, name, f"valeur « {cell} » en double"))
        seen[name].add(value)
    return value


def _check_region(
    path: Path, line: int, printed: str, before: str, after: str,
    regions: Mapping[str, tuple[str, str]], issues: list[Problem],
) -> None:  # fmt: skip
    if not regions:
        return
    if printed == NATIONAL:
        if before or after:
            issues.append(Problem(path, line, "region_2016", "une initiative « National » n'a pas de région"))  # fmt: skip
        return
    known = regions.get(_key(before))
    if known is None:
        issues.append(Problem(path, line, "region_avant_2016", f"région d'avant 2016 inconnue « {before} »"))  # fmt: skip
        return
    if before != known[0]:
        issues.append(Problem(path, line, "region_avant_2016", f"écrire « {known[0]} »"))
    if after != known[1]:
        issues.append(Problem(path, line, "region_2016", f"« {before} » fait partie de la région « {known[1]} » depuis 2016, pas « {after} »"))  # fmt: skip


def _reading_pair(path: Path, line: int, reading: str, note: str, issues: list[Problem], what: str) -> None:  # fmt: skip
    if reading and reading not in LECTURES:
        return  # already reported by the vocabulary check
    if reading and not note:
        issues.append(Problem(path, line, what, "une lecture du projet s'accompagne d'une note qui l'explique"))  # fmt: skip


def read_census(data_dir: Path, geo_dir: Path | None = None) -> tuple[Census, list[Problem]]:
    """Read ``data/recensement`` and return the census with every problem found."""
    folder = census_dir(data_dir)
    regions = region_table(geo_dir if geo_dir is not None else Path(data_dir) / GEO_DIR)
    issues: list[Problem] = []
    tables = {}
    for table in TABLES:
        fields = _schema(folder / f"{table}.schema.json", issues)
        tables[table] = _read_rows(folder / f"{table}.csv", fields, issues) if fields else []
    ipath, cpath = folder / f"{INITIATIVES}.csv", folder / f"{COUNTS}.csv"
    initiatives = []
    for line, r in tables[INITIATIVES]:
        _check_region(ipath, line, r["region_imprimee"], r["region_avant_2016"], r["region_2016"], regions, issues)  # fmt: skip
        if not r["initiative"] and not r["structure_porteuse"] and not r["porteur_omis"]:
            issues.append(Problem(ipath, line, "initiative", "ni nom d'initiative ni structure porteuse"))  # fmt: skip
        if r["porteur_omis"] and r["structure_porteuse"]:
            issues.append(Problem(ipath, line, "structure_porteuse", "porteur omis (nom de personne) : la structure porteuse doit rester vide"))  # fmt: skip
        if r["pole"] and not r["pole_note"]:
            issues.append(Problem(ipath, line, "pole_note", "un lien vers un pôle cite sa raison"))  # fmt: skip
        if (r["pole_lecture"] or r["pole_note"]) and not r["pole"]:
            issues.append(Problem(ipath, line, "pole", "lecture ou note de lien sans pôle"))
        _reading_pair(ipath, line, r["pole_lecture"], r["pole_note"], issues, "pole_note")
        initiatives.append(
            Initiative(
                rank=r["rang"] or 0, region_printed=r["region_imprimee"],
                region_before_2016=r["region_avant_2016"], region=r["region_2016"],
                name=r["initiative"], carrier=r["structure_porteuse"],
                carrier_omitted=r["porteur_omis"], pole=r["pole"], pole_reading=r["pole_lecture"],
                pole_note=r["pole_note"], source=r["source"], passage=r["passage"], row=line,
            )
        )  # fmt: skip
    counts = []
    for line, r in tables[COUNTS]:
        _check_region(cpath, line, r["region_avant_2016"], r["region_avant_2016"], r["region_2016"], regions, issues)  # fmt: skip
        _reading_pair(cpath, line, r["lecture"], r["note"], issues, "note")
        counts.append(
            RegionCount(
                region_printed=r["region_imprimee"], region_before_2016=r["region_avant_2016"],
                region=r["region_2016"], applications=r["candidatures"] or 0,
                operational=r["dont_operationnels"], interest=r["dont_manifestations_interet"],
                reading=r["lecture"], note=r["note"], source=r["source"], passage=r["passage"],
                row=line,
            )
        )  # fmt: skip
    ranks = [i.rank for i in initiatives]
    if ranks != sorted(ranks):
        issues.append(Problem(ipath, None, "rang", "les lignes doivent suivre l'ordre de l'annexe (rang croissant)"))  # fmt: skip
    return Census(folder, tuple(initiatives), tuple(counts)), issues


def load_census(data_dir: Path, geo_dir: Path | None = None) -> Census:
    """The census, or :class:`CensusError` naming every problem (file, row, column)."""
    census, issues = read_census(data_dir, geo_dir)
    if issues:
        raise CensusError(issues)
    return census


def census_refusal(error: CensusError) -> str:
    """One line for a page that cannot show the census: its first problem and how many
    others ``ptce-mono validate`` lists."""
    return render_first(error.problems, see="voir ptce-mono validate")


def has_census(data_dir: Path) -> bool:
    return (census_dir(data_dir) / f"{INITIATIVES}.csv").is_file()


# --- aggregation (pure) -----------------------------------------------------------------------


def temoins_by_region(
    poles: Iterable[Any], departements: Mapping[str, Any]
) -> tuple[dict[str, int], list[str]]:
    """Pôles témoins of 2012 per pre-2016 région (from the département of their record), and
    the slugs of those whose record gives no known département (never guessed)."""
    counts: dict[str, int] = {}
    unlocated = []
    for pole in poles:
        if not pole.get("statut.pole_temoin_2012"):
            continue
        dep = departements.get(str(pole.get("identite.departement") or ""))
        if dep is None:
            unlocated.append(pole.slug)
            continue
        counts[dep.region_before_2016] = counts.get(dep.region_before_2016, 0) + 1
    return counts, unlocated


def compare_counts(
    census: Census, temoins: Mapping[str, int] | None = None
) -> list[RegionComparison]:
    """Per pre-2016 région: initiatives listed in Annex 2 and applications announced in § 2.2,
    in decreasing order of the larger figure; national initiatives are left out. ``temoins``:
    pôles témoins per pre-2016 région (:func:`temoins_by_region`), for the project's reading."""
    listed = Counter(i.region_before_2016 for i in census.initiatives if i.region_before_2016)
    after = {i.region_before_2016: i.region for i in census.initiatives if i.region_before_2016}
    announced = {c.region_before_2016: c for c in census.counts}
    names = set(listed) | set(announced)
    rows = [
        RegionComparison(
            region_before_2016=name,
            region=announced[name].region if name in announced else after[name],
            listed=listed.get(name, 0),
            announced=announced[name].applications if name in announced else None,
            temoins=(temoins or {}).get(name, 0),
        )
        for name in names
    ]
    return sorted(rows, key=lambda r: (-max(r.listed, r.announced or 0), r.region_before_2016))


def count_by_region_2016(census: Census) -> dict[str, int]:
    """Initiatives listed in Annex 2 per 2016 région (national initiatives left out)."""
    return dict(Counter(i.region for i in census.initiatives if i.region))


def national_count(census: Census) -> int:
    return sum(1 for i in census.initiatives if not i.region)


def table_schema(data_dir: Path, table: str) -> dict[str, Any]:
    """The Frictionless Table Schema of a census table (``data/recensement/<table>.schema.json``)."""
    path = census_dir(data_dir) / f"{table}.schema.json"
    return dict(json.loads(read_bounded_text(path, MAX_YAML_BYTES, "schéma JSON")))


def table_rows(data_dir: Path, table: str) -> list[dict[str, Any]]:
    """The typed rows of a census table, as its schema names the columns (valid files only:
    call :func:`load_census` first)."""
    issues: list[Problem] = []
    folder = census_dir(data_dir)
    fields = _schema(folder / f"{table}.schema.json", issues)
    rows = [row for _, row in _read_rows(folder / f"{table}.csv", fields, issues)]
    if issues:
        raise CensusError(issues)
    return rows
