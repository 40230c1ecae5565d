"""Review rounds stored as readable YAML: ``data/poles/<slug>/relectures/<round>.yaml``.

One file per round: what was sent (date, version, digest of each section's text), the returned
documents (a digest of each file, never its name), and the remarks, each with the team's
answer (``statut``, ``reponse``). Authors are roles, never names. A file is always written
whole through a temporary file: a failed import leaves the previous one as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..core.atomic import write_text_atomic
from ..core.errors import DataFileError, ReviewError
from ..core.layout import REVIEWS_DIR
from ..core.problems import Problem, located
from ..core.yamlio import load_yaml

KINDS = ("commentaire", "insertion", "suppression")
STATUSES = ("ouverte", "intégrée", "discutée", "écartée")
OPEN = "ouverte"
INTEGRATED = "intégrée"
DISCUSSED = "discutée"
SET_ASIDE = "écartée"
PLACED_EXACT = "passage"
PLACED_BY_SECTION = "section"
ROUND_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(-\d+)?$")
HEADER = (
    "# Relecture de la monographie par le pôle, écrite par « ptce-mono relecture » (envoi) et\n"
    "# « ptce-mono import relecture » (retours). L'équipe répond à chaque remarque :\n"
    "#   statut : ouverte, intégrée, discutée ou écartée ; reponse : la position de l'équipe.\n"
    "# Rien n'est appliqué aux récits automatiquement : modifiez le récit, puis marquez la\n"
    "# remarque « intégrée ». Les auteurs sont des rôles (table privée data/prive/<pôle>/),\n"
    "# jamais des noms. « cloture: AAAA-MM-JJ » clôt la relecture à cette date.\n"
)


@dataclass(frozen=True)
class SentSection:
    id: str
    title: str
    digest: str


@dataclass(frozen=True)
class Sent:
    date: str
    version: str
    sections: tuple[SentSection, ...] = ()


@dataclass(frozen=True)
class Return:
    digest: str  # of the returned file: the same file imported twice is recognised
    date: str  # of the import
    remarks: int
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remark:
    id: str
    kind: str
    section: str
    passage: str
    text: str
    author: str  # a role
    date: str
    status: str = OPEN
    answer: str = ""
    placed: str = PLACED_EXACT
    line: int = field(default=0, compare=False)  # in the round file, for messages

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class Round:
    id: str
    sent: Sent
    returns: tuple[Return, ...] = ()
    remarks: tuple[Remark, ...] = ()
    closed: str = ""  # explicit closing date (« cloture »)
    path: Path | None = None


def reviews_dir(pole_folder: Path) -> Path:
    return pole_folder / REVIEWS_DIR


def round_path(pole_folder: Path, round_id: str) -> Path:
    if not ROUND_RE.match(round_id):
        raise ReviewError(
            reviews_dir(pole_folder), f"identifiant de relecture invalide « {round_id} »"
        )
    return reviews_dir(pole_folder) / f"{round_id}.yaml"


# --- YAML form ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(review: Round) -> str:
    data: dict[str, Any] = {
        "envoi": {
            "date": review.sent.date,
            "version": review.sent.version,
            "sections": [
                {"id": s.id, "titre": s.title, "empreinte": s.digest} for s in review.sent.sections
            ],
        },
        "cloture": review.closed or None,
        "retours": [
            {
                "empreinte": r.digest,
                "date": r.date,
                "remarques": r.remarks,
                **({"avis": list(r.notices)} if r.notices else {}),
            }
            for r in review.returns
        ],
        "remarques": [
            {
                "id": r.id,
                "nature": r.kind,
                "section": r.section,
                "placement": r.placed,
                "auteur": r.author,
                "date": r.date,
                "passage": r.passage,
                "texte": r.text,
                "statut": r.status,
                "reponse": r.answer,
            }
            for r in review.remarks
        ],
    }
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_round(path: Path) -> Round:
    """Read one round file; every error names the file and the line."""
    loaded = load_yaml(path)
    data = loaded.data

    def where(dotted: str) -> str:
        return f"ligne {loaded.line_of(dotted) or 1}"

    problems: list[Problem] = []  # every error of the file, not only the first

    def refuse(message: str, place: str) -> None:
        problems.append(located(path, message, place))

    if not isinstance(data, dict) or not isinstance(data.get("envoi"), dict):
        raise ReviewError(
            path, "« envoi » : un dictionnaire (date, version, sections) est attendu", "ligne 1"
        )
    sent_raw = data["envoi"]
    sections = []
    for index, raw in enumerate(sent_raw.get("sections") or []):
        if not isinstance(raw, dict) or not raw.get("id"):
            refuse("chaque section envoyée a un « id »", where(f"envoi.sections.{index}"))
            continue
        sections.append(
            SentSection(_text(raw["id"]), _text(raw.get("titre")), _text(raw.get("empreinte")))
        )
    sent = Sent(_text(sent_raw.get("date")), _text(sent_raw.get("version")), tuple(sections))
    returns = []
    raw_returns = data.get("retours") or []
    if not isinstance(raw_returns, list):
        refuse("« retours » : une liste est attendue", where("retours"))
        raw_returns = []
    for index, raw in enumerate(raw_returns):
        if not isinstance(raw, dict):
            refuse("chaque retour est un dictionnaire", where(f"retours.{index}"))
            continue
        count = raw.get("remarques") or 0
        notices = raw.get("avis") or []
        returns.append(Return(_text(raw.get("empreinte")), _text(raw.get("date")),
                              int(count) if isinstance(count, int) else 0,
                              tuple(_text(n) for n in notices) if isinstance(notices, list) else ()))  # fmt: skip
    remarks = []
    raw_remarks = data.get("remarques") or []
    if not isinstance(raw_remarks, list):
        refuse("« remarques » : une liste est attendue", where("remarques"))
        raw_remarks = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_remarks):
        at = f"remarques.{index}"
        if not isinstance(raw, dict) or not raw.get("id"):
            refuse("chaque remarque a un « id »", where(at))
            continue
        ident = _text(raw["id"])
        if ident in seen:
            refuse(f"remarque « {ident} » en double", where(at))
            continue
        seen.add(ident)
        status = _text(raw.get("statut") or OPEN).strip()
        if status not in STATUSES:
            refuse(f"remarque « {ident} » : statut « {status} » inconnu (statuts possibles : "
                   f"{', '.join(STATUSES)})", where(f"{at}.statut"))  # fmt: skip
        kind = _text(raw.get("nature") or "commentaire")
        if kind not in KINDS:
            refuse(f"remarque « {ident} » : nature « {kind} » inconnue ({', '.join(KINDS)})",
                   where(f"{at}.nature"))  # fmt: skip
        if status not in STATUSES or kind not in KINDS:
            continue
        remarks.append(
            Remark(
                id=ident, kind=kind, section=_text(raw.get("section")),
                passage=_text(raw.get("passage")), text=_text(raw.get("texte")),
                author=_text(raw.get("auteur")), date=_text(raw.get("date")), status=status,
                answer=_text(raw.get("reponse")).strip(),
                placed=_text(raw.get("placement") or PLACED_EXACT),
                line=loaded.line_of(f"{at}.statut") or loaded.line_of(at) or 1,
            )
        )  # fmt: skip
    closed = _text(data.get("cloture")).strip()
    if closed and not re.match(r"^\d{4}-\d{2}-\d{2}$", closed):
        refuse("« cloture » : une date AAAA-MM-JJ est attendue", where("cloture"))
    if problems:
        raise ReviewError.collected(problems)
    return Round(path.stem, sent, tuple(returns), tuple(remarks), closed, path)


def load_rounds(pole_folder: Path) -> list[Round]:
    """Every round of a pole, oldest first (none when the folder does not exist)."""
    folder = reviews_dir(pole_folder)
    if not folder.is_dir():
        return []
    rounds, problems = [], []
    for path in sorted(folder.glob("*.yaml")):  # every unreadable round named, not the first
        if not ROUND_RE.match(path.stem):
            continue
        try:
            rounds.append(parse_round(path))
        except DataFileError as exc:
            problems += exc.problems
    if problems:
        raise ReviewError.collected(problems)
    return rounds


def round_of_version(rounds: Sequence[Round], version: str) -> Round | None:
    return next((r for r in reversed(rounds) if r.sent.version == version), None)


def merge(review: Round, remarks: Sequence[Remark], ret: Return) -> Round:
    """The round with ``remarks`` added and the return recorded once. A remark already stored
    keeps the team's answer (``statut``, ``reponse``) and takes the text read now (a name the
    private table now knows becomes its role): importing the same file again gives back an
    equal round."""
    incoming = {r.id: r for r in remarks}
    kept = tuple(
        replace(incoming[r.id], status=r.status, answer=r.answer, line=r.line)
        if r.id in incoming else r
        for r in review.remarks
    )  # fmt: skip
    known = {r.id for r in review.remarks}
    added = tuple(r for r in remarks if r.id not in known)
    returns = review.returns
    if not any(r.digest == ret.digest for r in returns):
        returns = (*returns, ret)
    return replace(review, remarks=(*kept, *added), returns=returns)


def save(review: Round, path: Path, previous: Round | None = None) -> bool:
    """Write the round unless it equals ``previous`` (what the file holds): True when written.
    The researcher's layout of an unchanged file is kept as it is."""
    if previous is not None and previous == replace(review, path=previous.path):
        return False
    write_text_atomic(path, to_yaml(review))
    return True
