"""« Pour citer ce document »: one citation entry per document, in French text and as
BibTeX, RIS and CSL-JSON files (pure: the build writes the files, see :func:`citation_files`).

The entry is a report (``report`` in CSL, ``@techreport`` in BibTeX, ``RPRT`` in RIS): authors
the project's team, institution the publisher, year the build's, URL the published site's
address when the project gives one, DOI when it has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..corpus.identity import ProjectIdentity

CITATION_SUFFIXES = ("bib", "ris", "csl.json")  # files written next to the HTML and PDF


@dataclass(frozen=True)
class DocumentCitation:
    """Everything a citation of one generated document says."""

    stem: str
    title: str
    genre: str  # « Dossier documentaire », « Monographie », « Analyse transversale »…
    identity: ProjectIdentity
    year: int
    date: str  # the build date, ISO (YYYY-MM-DD)

    @property
    def url(self) -> str:
        return self.identity.document_url(self.stem)

    def csl(self) -> dict[str, Any]:
        """The CSL-JSON item."""
        item: dict[str, Any] = {
            "id": self.stem,
            "type": "report",
            "title": self.title,
            "genre": self.genre,
            "author": [_csl_name(n) for n in self.identity.team],
            "issued": {"date-parts": [[self.year]]},
            "language": "fr-FR",
        }
        if self.identity.institution:
            item["publisher"] = self.identity.institution
        if self.url:
            item["URL"] = self.url
        if self.identity.doi:
            item["DOI"] = self.identity.doi
        if self.identity.licence:
            item["license"] = self.identity.licence
        return item


def _csl_name(name: str) -> dict[str, str]:
    """« Nom, Prénom » is a person; anything else is an organisation (a literal name)."""
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        if family and given:
            return {"family": family, "given": given}
    return {"literal": name}


def french_text(c: DocumentCitation) -> str:
    """The citation as printed under « Pour citer ce document » (Markdown, no raw HTML)."""
    parts = [f"{c.identity.authors} ({c.year}). *{_md(c.title)}*. {_md(c.genre)}"]
    if c.identity.institution:
        parts[0] += f", {_md(c.identity.institution)}"
    text = parts[0] + "."
    if c.identity.doi:
        text += f" DOI : <https://doi.org/{c.identity.doi}>."
    elif c.url:
        text += f" En ligne : <{c.url}>."
    return text


def _md(text: str) -> str:
    return re.sub(r"([*_\[\]<>`\\])", r"\\\1", text)


_BIB_SPECIAL = re.compile(r"([{}&%$#_])")


def _bib(value: str) -> str:
    """A BibTeX field value: braces and TeX specials escaped, backslash, ^ and ~ dropped."""
    cleaned = re.sub(r"[\\^~]", " ", value)
    return " ".join(_BIB_SPECIAL.sub(r"\\\1", cleaned).split())


def bibtex(c: DocumentCitation) -> str:
    """A ``@techreport`` entry (UTF-8; organisations in double braces, kept as written)."""
    authors = " and ".join(
        f"{_bib(n['family'])}, {_bib(n['given'])}"
        if "family" in n
        else "{" + _bib(n["literal"]) + "}"
        for n in (_csl_name(x) for x in c.identity.team)
    )
    fields = [
        ("author", authors),
        ("title", "{" + _bib(c.title) + "}"),
        ("type", _bib(c.genre)),
        ("institution", _bib(c.identity.institution)),
        ("year", str(c.year)),
        ("url", c.url),
        ("doi", c.identity.doi),
        ("urldate", c.date if c.url else ""),
        ("language", "french"),
        ("note", _bib(f"Licence : {c.identity.licence}") if c.identity.licence else ""),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@techreport{{{_bib_key(c.stem)},\n{body}\n}}\n"


def _bib_key(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "", stem) or "document"


def ris(c: DocumentCitation) -> str:
    """An RIS record (``RPRT``), lines ``TAG  - value``, CRLF-free."""
    lines = [("TY", "RPRT")]
    # a person « Nom, Prénom »; an organisation ends with a comma (no first name to split off)
    lines += [("AU", n if "family" in _csl_name(n) else f"{n},") for n in c.identity.team]
    lines += [("TI", c.title), ("M3", c.genre), ("PY", str(c.year)), ("DA", c.date)]
    if c.identity.institution:
        lines.append(("PB", c.identity.institution))
    if c.url:
        lines.append(("UR", c.url))
    if c.identity.doi:
        lines.append(("DO", c.identity.doi))
    lines += [("LA", "fr"), ("ID", c.stem), ("ER", "")]
    return "".join(f"{tag}  - {' '.join(value.split())}\n" for tag, value in lines)


def csl_json(c: DocumentCitation) -> str:
    return json.dumps([c.csl()], ensure_ascii=False, indent=2) + "\n"


def citation_files(c: DocumentCitation) -> dict[str, str]:
    """Suffix → text of every citation file of the document."""
    return {"bib": bibtex(c), "ris": ris(c), "csl.json": csl_json(c)}


def from_mapping(raw: Mapping[str, Any]) -> DocumentCitation:
    """The citation carried by a notebook output's metadata (see :func:`to_mapping`)."""
    ident = raw["identite"]
    identity = ProjectIdentity(
        title=str(ident.get("title", "")),
        team=tuple(ident.get("team", ())),
        institution=str(ident.get("institution", "")),
        licence=str(ident.get("licence", "")),
        site=str(ident.get("site", "")),
        doi=str(ident.get("doi", "")),
        filled=bool(ident.get("filled", True)),
    )
    return DocumentCitation(
        stem=str(raw["stem"]), title=str(raw["title"]), genre=str(raw["genre"]),
        identity=identity, year=int(raw["year"]), date=str(raw["date"]),
    )  # fmt: skip


def to_mapping(c: DocumentCitation) -> dict[str, Any]:
    """JSON-safe form, carried from the notebook to the build in the output's metadata."""
    i = c.identity
    return {
        "stem": c.stem, "title": c.title, "genre": c.genre, "year": c.year, "date": c.date,
        "identite": {"title": i.title, "team": list(i.team), "institution": i.institution,
                     "licence": i.licence, "site": i.site, "doi": i.doi, "filled": i.filled},
    }  # fmt: skip


FILE_LABELS = {"bib": "BibTeX", "ris": "RIS", "csl.json": "CSL-JSON"}


def cite_block(c: DocumentCitation) -> str:
    """« Pour citer ce document »: the French entry and links to the citation files (written
    by the build next to the HTML and PDF, under the same name)."""
    files = ", ".join(f"[{label}]({c.stem}.{suffix})" for suffix, label in FILE_LABELS.items())
    lines = [
        "## Pour citer ce document",
        "",
        french_text(c),
        "",
        f"La même référence, à importer dans un logiciel de bibliographie : {files}."
        + (f" Licence du document : {_md(c.identity.licence)}." if c.identity.licence else ""),
    ]
    return "\n".join(lines)


def colophon(template_version: str, inputs_hash: str, versions: str, date: str) -> str:
    """The provenance in one small paragraph, closing the document."""
    digest = f"`{inputs_hash}`" if inputs_hash else "non calculée (exécution hors construction)"
    from .. import __version__

    return (
        f"*Colophon.* Produit le {date} par ptce-mono {__version__} ({versions}) ; modèle "
        f"version {template_version or 'non indiquée'} ; empreinte des données d'entrée : "
        f"{digest}."
    )


def document_citation(nb: Any) -> DocumentCitation | None:
    """The citation an executed notebook carries (output of kind ``document``), or None."""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) or []:
            meta = (output.get("metadata", {}) or {}).get("ptce", {}) or {}
            if meta.get("kind") == "document" and isinstance(meta.get("citation"), Mapping):
                try:
                    return from_mapping(meta["citation"])
                except (KeyError, TypeError, ValueError):
                    return None
    return None


def _cff_author(name: str) -> dict[str, str]:
    csl = _csl_name(name)
    if "family" in csl:
        return {"family-names": csl["family"], "given-names": csl["given"]}
    return {"name": name}


def citation_cff(
    identity: ProjectIdentity, title: str, kind: str, date: str, licence: str = "",
    url: str = "", version: str = "",
) -> str:  # fmt: skip
    """A ``CITATION.cff`` (Citation File Format 1.2.0) for the project or its data package."""
    import yaml

    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "Pour citer ce travail, utilisez les métadonnées de ce fichier.",
        "type": kind,
        "title": title,
        "authors": [_cff_author(n) for n in identity.team],
        "date-released": date,
    }
    if version:
        data["version"] = version
    if licence:
        data["license"] = licence
    if url:
        data["url"] = url
    if identity.doi:
        data["doi"] = identity.doi
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
