"""The body of a rendered monograph (pandoc HTML), ready to sit inside a site page.

We keep the document's table of contents and its ``<main>`` (else ``<article>``, else
``<body>``), drop the title block that the site page already shows, and sanitise the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .sanitize import clean_fragment


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
    inner = "".join(str(child) for child in root.children)
    return EmbeddedDocument(toc=toc_html, body=clean_fragment(inner))


def load_document(path: Path) -> EmbeddedDocument | None:
    """The embedded form of ``path``, or None when it has not been produced yet."""
    if not path.is_file():
        return None
    return parse_document(path.read_text(encoding="utf-8", errors="replace"))
