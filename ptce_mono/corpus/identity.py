"""The project's identity (``data/projet.yaml``): who makes the documents, for which
institution, under which licence, where they are published, and an optional DOI.

Every monograph and the transversal analysis print it in « Comment ce document a été fait » and
« Pour citer ce document »; the citation files (BibTeX, RIS, CSL-JSON) and ``CITATION.cff`` are
made from it. A project without the file gets a neutral identity that says it is not filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import ProjectIdentityError
from ..core.layout import IDENTITY_FILE
from ..core.yamlio import load_yaml

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_URL = re.compile(r"^https?://\S+$")
UNSET_TEAM = "Équipe du projet (data/projet.yaml à compléter)"


@dataclass(frozen=True)
class ProjectIdentity:
    """What ``data/projet.yaml`` says; ``filled`` is False for the neutral default."""

    title: str
    team: tuple[str, ...]
    institution: str = ""
    licence: str = ""
    site: str = ""  # address of the published site, without a trailing slash
    doi: str = ""
    filled: bool = True

    @property
    def authors(self) -> str:
        """The team as printed: « A, B et C »."""
        names = list(self.team)
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" et {names[-1]}"

    def document_url(self, stem: str, suffix: str = "html") -> str:
        """Where the published site serves ``stem`` (empty without a site address)."""
        return f"{self.site}/monographies/{stem}.{suffix}" if self.site else ""


DEFAULT_IDENTITY = ProjectIdentity(
    title="Monographies des pôles territoriaux de coopération économique",
    team=(UNSET_TEAM,),
    filled=False,
)


def identity_file(data_dir: Path) -> Path:
    return Path(data_dir) / IDENTITY_FILE


def _text(path: Path, raw: Mapping[str, Any], lines: Mapping[str, int], key: str,
          required: bool = False) -> str:  # fmt: skip
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise ProjectIdentityError(path, key, "obligatoire, absent ou vide", lines.get(key))
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ProjectIdentityError(path, key, "doit être un texte", lines.get(key))
    return " ".join(str(value).split())


def parse_identity(path: Path, raw: Any, lines: Mapping[str, int]) -> ProjectIdentity:
    """Checked identity; a bad field raises :class:`ProjectIdentityError` naming it."""
    if not isinstance(raw, Mapping):
        raise ProjectIdentityError(path, "projet", "le fichier doit être un dictionnaire YAML")
    team_raw = raw.get("equipe")
    if isinstance(team_raw, str):
        team_raw = [team_raw]
    if not isinstance(team_raw, list) or not team_raw:
        raise ProjectIdentityError(
            path, "equipe", "une liste non vide de noms (personnes ou équipe)", lines.get("equipe")
        )
    team = []
    for index, name in enumerate(team_raw):
        if not isinstance(name, str) or not name.strip():
            raise ProjectIdentityError(path, f"equipe.{index}", "un nom non vide",
                                       lines.get(f"equipe.{index}", lines.get("equipe")))  # fmt: skip
        team.append(" ".join(name.split()))
    site = _text(path, raw, lines, "site").rstrip("/")
    if site and not _URL.match(site):
        raise ProjectIdentityError(path, "site", f"adresse web attendue (https://…), lu « {site} »",
                                   lines.get("site"))  # fmt: skip
    doi = _text(path, raw, lines, "doi").removeprefix("https://doi.org/")
    if doi and not _DOI.match(doi):
        raise ProjectIdentityError(path, "doi", f"DOI attendu (10.xxxx/…), lu « {doi} »",
                                   lines.get("doi"))  # fmt: skip
    return ProjectIdentity(
        title=_text(path, raw, lines, "titre", required=True),
        team=tuple(team),
        institution=_text(path, raw, lines, "institution"),
        licence=_text(path, raw, lines, "licence"),
        site=site,
        doi=doi,
    )


def load_identity(data_dir: Path) -> ProjectIdentity:
    """The identity of the project whose data folder is ``data_dir`` (default when absent)."""
    path = identity_file(data_dir)
    if not path.is_file():
        return DEFAULT_IDENTITY
    loaded = load_yaml(path)
    return parse_identity(path, loaded.data, loaded.lines)


IDENTITY_TEMPLATE = """\
# Identité du projet : qui fait les documents, pour quelle institution, sous quelle licence,
# où ils sont publiés. Monographies, analyse transversale, « Pour citer » et fichiers de
# citation (BibTeX, RIS, CSL-JSON) la reprennent. Ne nommez que des personnes qui l'acceptent.
schema: 1
titre: Monographies des pôles territoriaux de coopération économique
# Les auteurs : des personnes (« Nom, Prénom ») ou le nom d'une équipe.
equipe:
  - Équipe du projet (à compléter)
# L'institution de rattachement (laboratoire, université, réseau) ; vide si aucune.
institution: ""
# La licence des documents produits (les documents cités gardent leurs propres droits).
licence: CC BY 4.0
# L'adresse du site publié (https://…) ; vide tant qu'il n'est pas en ligne.
site: ""
# Un DOI (10.xxxx/…) s'il a été attribué ; vide sinon.
doi: ""
"""


def create_identity(data_dir: Path) -> Path | None:
    """Write the commented identity file when the project has none; the path written, or None."""
    from ..core.atomic import write_text_atomic

    path = identity_file(data_dir)
    if path.exists():
        return None
    write_text_atomic(path, IDENTITY_TEMPLATE)
    return path
