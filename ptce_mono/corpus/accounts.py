"""A pole's accounts, year by year (``data/poles/<slug>/comptes.yaml``), filled by a researcher
from the bilan and the compte de résultat; revenue mix and share of public funding. Pure
functions apart from :func:`load_accounts`."""

from __future__ import annotations

import re
import statistics
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import AccountsError
from ..core.fr import format_euros
from ..core.layout import accounts_file
from ..core.problems import Problem
from ..core.yamlio import LoadedYaml, load_yaml

SOURCE_KEY = re.compile(r"^[\w][\w.:/-]*$")  # the form of a bibliography id
TOLERANCE = 1.0  # euros: rounding in the source documents

FUNDERS: dict[str, str] = {
    "etat": "État",
    "region": "Région",
    "departement": "Département",
    "intercommunalite": "Intercommunalité",
    "commune": "Commune",
    "europe": "Union européenne",
    "autres_publics": "Autres financeurs publics",
}
PRODUCT_KINDS: dict[str, str] = {
    "ventes": "Ventes et prestations",
    "subventions": "Subventions publiques",
    "financements_prives": "Financements privés",
    "cotisations": "Cotisations des membres",
    "autres": "Autres produits",
}


@dataclass(frozen=True)
class Year:
    year: int
    products: Mapping[str, float]  # kind → amount; « subventions » is the sum over funders
    subsidies: Mapping[str, float]  # funder type → amount
    total_products: float
    charges: float
    result: float
    fte: float | None
    animation_fte: float | None
    source: str  # a bibliography key (or, in files written before keys, free text)
    line: int = 0
    passage: str = ""

    @property
    def free_text_source(self) -> bool:
        """True for a source written as free text (« bilan 2022 ») instead of a key."""
        return not SOURCE_KEY.match(self.source)

    @property
    def public_share(self) -> float | None:
        """Share of public subsidies in total products, in %."""
        if self.total_products <= 0:
            return None
        return 100.0 * self.products.get("subventions", 0.0) / self.total_products


@dataclass(frozen=True)
class Accounts:
    path: Path
    years: tuple[Year, ...] = field(default_factory=tuple)


def _number(loaded: LoadedYaml, value: Any, dotted: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AccountsError(
            loaded.path, f"{what} : nombre attendu, trouvé « {value} »", loaded.line_of(dotted)
        )
    return float(value)


def _year(loaded: LoadedYaml, raw: Any, index: int) -> Year:
    base = f"exercices.{index}"
    path = loaded.path
    if not isinstance(raw, dict) or not isinstance(raw.get("annee"), int):
        raise AccountsError(
            path, "chaque exercice a une « annee » (nombre entier)", loaded.line_of(base)
        )
    year = raw["annee"]
    label = f"exercice {year}"
    if not raw.get("source") or not isinstance(raw.get("source"), str):
        raise AccountsError(
            path,
            f"{label} : « source » manquante : l'identifiant du document de la bibliographie "
            "(rapport d'activité, bilan, compte de résultat), avec son « passage »",
            loaded.line_of(base),
        )
    passage = raw.get("passage")
    if passage is not None and not isinstance(passage, str | int):
        raise AccountsError(
            path, f"{label} : « passage » : texte attendue", loaded.line_of(f"{base}.passage")
        )
    products_raw = raw.get("produits")
    if not isinstance(products_raw, dict):
        raise AccountsError(path, f"{label} : « produits » manquants", loaded.line_of(base))
    products: dict[str, float] = {}
    subsidies: dict[str, float] = {}
    for kind, value in products_raw.items():
        dotted = f"{base}.produits.{kind}"
        if kind == "total":
            continue
        if kind not in PRODUCT_KINDS:
            raise AccountsError(
                path,
                f"{label} : nature de produit inconnue « {kind} » "
                f"(natures connues : {', '.join(PRODUCT_KINDS)}, total)",
                loaded.line_of(dotted),
            )
        if kind == "subventions":
            if not isinstance(value, dict):
                raise AccountsError(
                    path,
                    f"{label} : « subventions » se détaille par type de financeur",
                    loaded.line_of(dotted),
                )
            for funder, amount in value.items():
                where = f"{dotted}.{funder}"
                if funder not in FUNDERS:
                    raise AccountsError(
                        path,
                        f"{label} : type de financeur public inconnu « {funder} » "
                        f"(types connus : {', '.join(FUNDERS)})",
                        loaded.line_of(where),
                    )
                subsidies[funder] = _number(loaded, amount, where, f"{label}, subventions {funder}")
            products[kind] = sum(subsidies.values())
        else:
            products[kind] = _number(loaded, value, dotted, f"{label}, {kind}")
        if products[kind] < 0 or any(v < 0 for v in subsidies.values()):
            raise AccountsError(
                path, f"{label} : montant négatif pour « {kind} »", loaded.line_of(dotted)
            )
    total = sum(products.values())
    if "total" in products_raw:
        declared = _number(
            loaded, products_raw["total"], f"{base}.produits.total", f"{label}, total"
        )
        if abs(declared - total) > TOLERANCE:
            raise AccountsError(
                path,
                f"{label} : la somme des produits ({format_euros(total)}) ne fait pas le total "
                f"déclaré ({format_euros(declared)})",
                loaded.line_of(f"{base}.produits.total"),
            )
    charges = _number(loaded, raw.get("charges"), f"{base}.charges", f"{label}, charges")
    result = total - charges
    if "resultat" in raw:
        declared = _number(loaded, raw["resultat"], f"{base}.resultat", f"{label}, resultat")
        if abs(declared - result) > TOLERANCE:
            raise AccountsError(
                path,
                f"{label} : produits moins charges font {format_euros(result)}, "
                f"mais le résultat déclaré est {format_euros(declared)}",
                loaded.line_of(f"{base}.resultat"),
            )
    staff: dict[str, float | None] = {}
    for key in ("etp", "etp_animation"):
        if raw.get(key) is None:
            staff[key] = None
            continue
        value = _number(loaded, raw[key], f"{base}.{key}", f"{label}, {key}")
        if value < 0:
            raise AccountsError(
                path,
                f"{label} : effectif négatif ({key} = {raw[key]})",
                loaded.line_of(f"{base}.{key}"),
            )
        staff[key] = value
    if (
        staff["etp"] is not None
        and staff["etp_animation"] is not None
        and staff["etp_animation"] > staff["etp"]
    ):
        raise AccountsError(
            path,
            f"{label} : les ETP d'animation dépassent les ETP du pôle",
            loaded.line_of(f"{base}.etp_animation"),
        )
    return Year(
        year,
        products,
        subsidies,
        total,
        charges,
        result,
        staff["etp"],
        staff["etp_animation"],
        str(raw["source"]).strip(),
        loaded.line_of(base) or 0,
        str(passage or "").strip(),
    )


def parse_accounts(loaded: LoadedYaml) -> Accounts:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("exercices"), list):
        raise AccountsError(
            loaded.path, "« exercices » : une liste d'exercices annuels est attendue", 1
        )
    years, problems = [], []
    for i, raw in enumerate(data["exercices"]):  # every bad year named, not only the first
        try:
            years.append(_year(loaded, raw, i))
        except AccountsError as exc:
            problems += exc.problems
    seen: set[int] = set()
    for y in years:
        if y.year in seen:
            problems.append(Problem(loaded.path, y.line, "", f"exercice {y.year} en double"))
        seen.add(y.year)
    if problems:
        raise AccountsError.collected(problems)
    return Accounts(loaded.path, tuple(sorted(years, key=lambda y: y.year)))


def source_problems(accounts: Accounts, known: Container[str]) -> list[tuple[int | None, str, str]]:
    """(line, field, French message) for each year whose source is not a known document.

    A free-text source from before bibliography keys (« comptes-brume, compte de résultat
    2022 ») is still read and shown as written; the message says how to write it now."""
    found: list[tuple[int | None, str, str]] = []
    for year in accounts.years:
        line = year.line or None
        field = f"exercices.{year.year}.source"
        if year.free_text_source:
            key, _, rest = year.source.partition(",")
            if key.strip() in known:
                advice = f"écrivez « source: {key.strip()} » et « passage: {rest.strip()} »"
            else:
                advice = (
                    "ajoutez le document à data/bibliographie.yaml (ou à la bibliographie du "
                    "pôle) et écrivez « source: <son identifiant> » avec son « passage » "
                    "(page, tableau)"
                )
            found.append(
                (line, field,
                 f"exercice {year.year} : source en texte libre « {year.source} » : {advice}")
            )  # fmt: skip
        elif year.source not in known:
            found.append(
                (line, field,
                 f"exercice {year.year} : source « {year.source} » absente de la bibliographie")
            )  # fmt: skip
    return found


def load_accounts(pole_folder: Path) -> Accounts | None:
    path = accounts_file(pole_folder)
    return parse_accounts(load_yaml(path)) if path.is_file() else None


def accounts_fields(accounts: Accounts) -> frozenset[str]:
    fields = set()
    if any(y.total_products > 0 for y in accounts.years):
        fields.add("ressources")
    if any(y.fte is not None or y.animation_fte is not None for y in accounts.years):
        fields.add("emploi")
    return frozenset(fields)


# --- pure views -------------------------------------------------------------------------------


def revenue_mix(accounts: Accounts) -> list[dict[str, float]]:
    """One row per year: ``annee`` then each product kind (0 when absent)."""
    return [
        {"annee": float(y.year), **{k: y.products.get(k, 0.0) for k in PRODUCT_KINDS}}
        for y in accounts.years
    ]


def public_shares(accounts: Accounts) -> list[tuple[int, float]]:
    """(year, % of public subsidies in products) for years with products."""
    return [(y.year, y.public_share) for y in accounts.years if y.public_share is not None]


@dataclass(frozen=True)
class PublicFundingSummary:
    """Across poles, the share of public funding of each pole's latest year with accounts."""

    n: int
    median: float | None
    minimum: float | None
    maximum: float | None
    years: tuple[int, ...]


def public_funding_summary(accounts: Iterable[Accounts | None]) -> PublicFundingSummary:
    latest = [shares[-1] for shares in (public_shares(a) for a in accounts if a) if shares]
    values = [share for _, share in latest]
    if not values:
        return PublicFundingSummary(0, None, None, None, ())
    return PublicFundingSummary(
        len(values),
        statistics.median(values),
        min(values),
        max(values),
        tuple(sorted({year for year, _ in latest})),
    )


def mix_years(rows: Sequence[Mapping[str, float]]) -> list[int]:
    return [int(r["annee"]) for r in rows]
