"""The site's bibliography and in-text citations, formatted by pandoc's citeproc exactly as in
the monographs and the transversal analysis: the same CSL-JSON (``bibliography.csl_item``), the
same style (``templates/ptce-auteur-date.csl``), the same settings and filter. pandoc runs once
per site build; its HTML is sanitised like every embedded document.

An entry is keyed as in :func:`ptce_mono.corpus.bibliography.corpus_bibliography`; its anchor on the
sources page is ``source-<id>`` (common bibliography) or ``source-<slug>-<id>`` (a pole's own).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..corpus.bibliography import CorpusBibliography, keyed_csl_items
from .sanitize import clean_text_html

REFERENCES = "references"
_CITED_LINK = re.compile(r'href="#ref-([^"]+)"')


@dataclass(frozen=True)
class SiteReferences:
    """Formatted entries (key -> sanitised HTML) and named in-text citations."""

    entries: Mapping[str, Markup] = field(default_factory=dict)
    citations: Mapping[str, str] = field(default_factory=dict)  # name -> HTML, links "#ref-key"
    anchors: Mapping[str, str] = field(default_factory=dict)  # key -> anchor on sources.html

    def entry(self, key: str) -> Markup | None:
        return self.entries.get(key)

    def citation(self, name: str, root: str = "") -> Markup | None:
        """The in-text citation ``name`` (« (Le Labo de l'ESS et al., 2013, axe 2) »), its
        link leading to the entry on the sources page (``root``: path to the site's root)."""
        html = self.citations.get(name)
        if html is None:
            return None

        def target(match: re.Match[str]) -> str:
            anchor = self.anchors.get(match.group(1), f"source-{match.group(1)}")
            return f'href="{root}sources.html#{anchor}"'

        return Markup(_CITED_LINK.sub(target, html))


def anchors(bib: CorpusBibliography) -> dict[str, str]:
    """key -> anchor of its entry on the sources page."""
    out = {}
    for key, doc in bib.documents.items():
        owner = bib.owners.get(key)
        out[key] = f"source-{owner}-{doc.id}" if owner else f"source-{doc.id}"
    return out


def format_references(
    bib: CorpusBibliography, templates: Path, citations: Mapping[str, str], timeout: float = 120
) -> SiteReferences:
    """Every entry of ``bib``, and each named citation (pandoc Markdown such as
    ``[@id, passage]`` or ``@id``) whose documents are all in ``bib``, through citeproc."""
    from ..core.tools import run_tool
    from ..render.embedded import FILTER, PANDOC_FROM, citation_args, pandoc_path

    if not bib.documents:
        return SiteReferences()
    wanted = {
        name: text
        for name, text in citations.items()
        if all(k in bib.documents for k in re.findall(r"@([A-Za-z0-9_][\w.:-]*\w)", text))
    }
    with tempfile.TemporaryDirectory(prefix="ptce-references-") as tmp:
        folder = Path(tmp)
        csl = folder / "bibliographie.json"
        csl.write_text(json.dumps(keyed_csl_items(bib.documents), ensure_ascii=False), "utf-8")
        blocks = [f"::: {{#cite-{i}}}\n{text}\n:::" for i, text in enumerate(wanted.values())]
        source = folder / f"{REFERENCES}.md"
        source.write_text("\n\n".join([*blocks, "::: {#refs}\n:::"]) + "\n", encoding="utf-8")
        out = folder / f"{REFERENCES}.html"
        argv = [
            pandoc_path(), source.name, "-f", PANDOC_FROM, "-t", "html5", "--wrap=none",
            *citation_args(csl, templates), "--lua-filter", str(templates / FILTER),
            "-M", "lang=fr-FR", "-o", out.name,
        ]  # fmt: skip
        run_tool(argv, name="pandoc", timeout=timeout, cwd=folder)
        html = out.read_text(encoding="utf-8")
    return _parse(html, list(wanted), anchors(bib))


def _parse(html: str, names: list[str], anchor_of: Mapping[str, str]) -> SiteReferences:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    entries: dict[str, Markup] = {}
    for div in soup.select("div.csl-entry"):
        key = str(div.get("id", "")).removeprefix("ref-")
        inner = "".join(str(c) for c in div.children).strip()
        entries[key] = Markup(clean_text_html(inner))
    citations: dict[str, str] = {}
    for index, name in enumerate(names):
        block = soup.find(id=f"cite-{index}")
        para = block.find("p") if block is not None else None
        if para is not None:
            citations[name] = clean_text_html("".join(str(c) for c in para.children).strip())
    return SiteReferences(entries, citations, dict(anchor_of))
