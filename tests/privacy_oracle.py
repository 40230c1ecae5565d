"""An oracle for the privacy scans that owes nothing to the code it checks.

- The protected names are read from the private table files themselves (plain YAML), never
  through :mod:`ptce_mono.corpus.pseudonymise`.
- Texts are compared normalised: Unicode compatibility form, accents removed, case folded,
  every kind of space and apostrophe made one.
- Every published file is read in its own format: HTML as text (entities decoded), PDF through
  ``pdftotext`` (poppler), notebooks cell by cell and output by output, gzip files (the Pagefind
  index) decompressed, DOCX and other zip parts unzipped, CSV and every text format as text. A
  file of any other kind fails the scan unless its kind is listed in :data:`NOT_TEXT`.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

import yaml

# Files that carry no text a reader could see (images drawn from data, fonts, code).
NOT_TEXT = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".otf", ".ttf",
            ".wasm"}  # fmt: skip
TEXT = {".html", ".htm", ".csv", ".json", ".txt", ".md", ".yaml", ".yml", ".js", ".css", ".svg",
        ".xml", ".bib", ".ris", ".cff", ".typ", ".tex", ".py", ".webmanifest", ".map"}  # fmt: skip
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200b]+")


def normalise(text: str) -> str:
    """« Maëlle  TRÉVOUX » and « maelle trevoux » (any Unicode form) give the same string."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("\u02bc", "'").casefold()
    return _SPACES.sub(" ", plain).strip()


def names_in_private_tables(folder: Path, min_part: int = 4) -> set[str]:
    """Every name of every ``<slug>/personnes.yaml`` under ``folder`` (the private tables):
    full names, variants, the people named by interviews, and each part of a name of at least
    ``min_part`` letters (a first name alone is still a name), normalised."""
    names: set[str] = set()
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found = []
        for person in data.get("personnes") or []:
            found += [person.get("nom") or "", *(person.get("variantes") or [])]
        for note in (data.get("entretiens") or {}).values():
            if isinstance(note, dict):
                found.append(note.get("personne") or "")
        for name in filter(None, map(str, found)):
            names.add(normalise(name))
            names.update(
                normalise(part)
                for part in re.split(r"[\s.,'-]+", name)
                if len(part) >= min_part and not part.isupper()
            )
    return names


def _notebook_text(data: bytes) -> str:
    nb = json.loads(data)
    parts: list[str] = []

    def strings(node: object) -> None:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, list):
            for item in node:
                strings(item)
        elif isinstance(node, dict):
            for value in node.values():
                strings(value)

    strings(nb)  # sources, outputs of every MIME type, metadata
    return "\n".join(parts)


# Office XML: a word may be split over several runs (<w:t>Ma</w:t><w:t>ëlle</w:t>); only the
# ends of paragraphs, cells, lines and tabs separate words.
_BREAKS = re.compile(r"</?(w:p|w:br|w:tab|w:tc|w:tr|text:p|text:h|row|c|si)\b[^>]*>")


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                 if not n.endswith("/")]  # fmt: skip
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", _BREAKS.sub(" ", p))) for p in parts)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True, timeout=120)  # fmt: skip
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, timeout=60)
    return done.stdout.decode("utf-8", "replace") + "\n" + info.stdout.decode("utf-8", "replace")


def published_text(path: Path) -> str | None:
    """The text a reader (or a search engine) can get from ``path``; None for files that hold
    none (:data:`NOT_TEXT`). Raises for a kind of file the oracle cannot read."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip: Pagefind's index, fragments and metadata
        data = gzip.decompress(data)
        return data.decode("utf-8", "replace")
    if suffix in NOT_TEXT:
        return None
    if suffix == ".pdf":
        return pdf_text(path)
    if suffix == ".ipynb":
        return _notebook_text(data)
    if suffix in (".docx", ".xlsx", ".odt", ".zip", ".qdpx"):
        return _zip_text(path)
    if suffix in TEXT or path.name.startswith("pagefind"):
        text = data.decode("utf-8", "replace")
        return text + "\n" + html.unescape(re.sub(r"<[^>]+>", " ", text))
    raise AssertionError(f"fichier publié d'un type que l'oracle ne sait pas lire : {path}")


def leaks(paths: Iterable[Path], names: Iterable[str]) -> list[tuple[str, Path]]:
    """(name, file) for every protected name found in a published file (word boundaries)."""
    patterns = {n: re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)") for n in names if n}
    found = []
    for path in paths:
        text = published_text(path)
        if text is None:
            continue
        content = normalise(text)
        found += [(n, path) for n, p in patterns.items() if p.search(content)]
    return found
