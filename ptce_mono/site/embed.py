"""The body of a rendered monograph (pandoc HTML), ready to sit inside a site page.

We keep the document's table of contents and its ``<main>`` (else ``<article>``, else
``<body>``), drop the title block and the identity section that the site page already shows,
shift headings down so the top level is ``<h2>`` (the page has one ``<h1>``, its title), let wide tables scroll
inside their own box, keep the search index on the narrative (``data-pagefind-ignore`` on the
apparatus: sources, provenance, documentation status, boilerplate sentences), and sanitise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import PtceError
from .sanitize import clean_fragment

# Sections the site page already shows (identity card) or that search must not index.
SHOWN_BY_PAGE = ("fiche d'identité",)
NOT_INDEXED = (
    "sources",
    "provenance",
    "état de la documentation",
    "données et sources",
    "comment ce document a été fait",
    "pour citer ce document",
)


def _heading_text(section: Any) -> str:
    heading = section.find(["h1", "h2", "h3"])
    text = heading.get_text(" ", strip=True) if heading is not None else ""
    return " ".join(text.replace("’", "'").split()).lower()


def _is_titled(section: Any, titles: tuple[str, ...]) -> bool:
    text = _heading_text(section)
    return any(text == t or text.endswith(" " + t) or text.startswith(t) for t in titles)


@dataclass(frozen=True)
class EmbeddedDocument:
    toc: str  # sanitised HTML of the document's table of contents ('' when none)
    body: str  # sanitised HTML of the document's content


def parse_document(html: str) -> EmbeddedDocument:
    """Extract the table of contents and the content of a standalone HTML document."""
    from bs4 import BeautifulSoup
    from bs4.element import PreformattedString

    soup = BeautifulSoup(html, "html.parser")
    # Comments (private notes), CDATA, doctypes: str() of these gives their bare text, so
    # they are removed before anything is serialised.
    for special in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        special.extract()
    toc_html = ""
    toc = soup.find(id="TOC")
    if toc is not None:
        entries = toc.find(["ul", "ol"])
        toc_html = clean_fragment(str(entries)) if entries is not None else ""
        toc.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for block in root.find_all(id="title-block-header"):
        block.decompose()
    dropped = set()
    for section in root.find_all("section"):
        if section.parent is not None and _is_titled(section, SHOWN_BY_PAGE):
            dropped.add(section.get("id", ""))
            section.decompose()
    for section in root.find_all("section"):
        if _is_titled(section, NOT_INDEXED):
            section["data-pagefind-ignore"] = ""
    for child in list(root.children):  # the lead before the first section: the same for all
        if getattr(child, "name", None) == "section":
            break
        if getattr(child, "name", None) in ("p", "div", "ul"):
            child["data-pagefind-ignore"] = ""
    for para in root.find_all("p"):  # a sentence wholly in italics: boilerplate of the model
        children = [c for c in para.children if str(c).strip()]
        if len(children) == 1 and getattr(children[0], "name", None) == "em":
            para["data-pagefind-ignore"] = ""
    headings = root.find_all(["h1", "h2", "h3", "h4", "h5"])
    shift = 2 - min((int(h.name[1]) for h in headings), default=2)  # top level becomes h2
    for heading in headings:
        heading.name = f"h{min(6, int(heading.name[1]) + max(0, shift))}"
    for table in root.find_all("table"):
        table.wrap(soup.new_tag("div", attrs={"class": "tableau-defilant"}))
    inner = "".join(str(child) for child in root.children)
    toc_html = _without_entries(toc_html, dropped)
    return EmbeddedDocument(toc=toc_html, body=clean_fragment(inner))


def _without_entries(toc_html: str, ids: set[str]) -> str:
    """The table of contents without the entries of the sections dropped."""
    if not toc_html or not ids:
        return toc_html
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(toc_html, "html.parser")
    for link in soup.find_all("a"):
        if link.get("href", "").lstrip("#") in ids:
            (link.find_parent("li") or link).decompose()
    return clean_fragment(str(soup))


def load_document(path: Path, cache_dir: Path | None = None) -> EmbeddedDocument | None:
    """The embedded form of ``path``, or None when it has not been produced yet.

    With ``cache_dir``, the form extracted from an unchanged document (same size, modification
    time and inode, same code) is read back instead of parsed again: on a large corpus, parsing
    every monograph is most of what ``site`` does. A document written less than 2 s ago is not
    cached (a file rewritten within a timestamp tick would keep its time).
    """
    if not path.is_file():
        return None
    if cache_dir is None:
        return parse_document(path.read_text(encoding="utf-8", errors="replace"))
    import os
    import pickle
    import time

    from ..core.atomic import write_bytes_atomic
    from ..core.fingerprint import package_digest
    from ..corpus.pole_cache import RACY_NS, UNREADABLE

    st = path.stat()
    key = (package_digest(), str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    cached = cache_dir / f"{path.stem}.pickle"
    try:
        stored_key, document = pickle.loads(cached.read_bytes())
        if stored_key == key and isinstance(document, EmbeddedDocument):
            return document
    except UNREADABLE:
        pass  # absent, unreadable or from another version: parse
    document = parse_document(path.read_text(encoding="utf-8", errors="replace"))
    if st.st_mtime_ns < time.time_ns() - RACY_NS:
        try:
            os.makedirs(cache_dir, exist_ok=True)
            write_bytes_atomic(cached, pickle.dumps((key, document), protocol=5))
        except (OSError, PtceError):  # a cache that cannot be written only costs time
            pass
    return document
