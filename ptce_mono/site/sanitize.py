"""Safe HTML from untrusted text: researcher Markdown, and HTML fragments we embed.

Markdown goes through markdown-it-py with raw HTML disabled (``<script>`` stays text), then
every result is cleaned by nh3 with an explicit allowlist: no script, no style, no ``on*``
attribute, no ``javascript:`` URL, no HTML comment.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import nh3

TEXT_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol",
        "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul", "caption", "col", "colgroup",
    }
)  # fmt: skip
# Rendered monographs (pandoc) also carry figures, sections and navigation.
DOCUMENT_TAGS = TEXT_TAGS | {"article", "aside", "figure", "figcaption", "img", "nav", "section"}
GENERIC_ATTRIBUTES = {"id", "class", "title", "lang", "role", "aria-label", "aria-labelledby",
                      "aria-describedby", "aria-hidden", "data-pagefind-ignore"}  # fmt: skip
TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span", "width"},
    "ol": {"start", "type"},
}
URL_SCHEMES = {"http", "https", "mailto"}
DROP_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "svg", "math"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Only images may use ``data:``: raster images, and SVG (an SVG shown by ``<img>`` runs
    no script and loads nothing); hrefs never do."""
    lowered = value.strip().lower()
    if attribute == "src" and lowered.startswith("data:"):
        ok = tag == "img" and lowered.startswith(("data:image/png", "data:image/jpeg",
                                                  "data:image/gif", "data:image/webp",
                                                  "data:image/svg+xml"))  # fmt: skip
        return value if ok else None
    if attribute == "href" and lowered.startswith("data:"):
        return None
    return value


def _clean(html: str, tags: frozenset[str] | set[str]) -> str:
    attributes: dict[str, set[str]] = {"*": set(GENERIC_ATTRIBUTES), **TAG_ATTRIBUTES}
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags=DROP_WITH_CONTENT,
        attributes={t: a for t, a in attributes.items() if t == "*" or t in tags},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel="noopener noreferrer",
        url_schemes=URL_SCHEMES | ({"data"} if "img" in tags else set()),
    )


def clean_fragment(html: str) -> str:
    """Sanitise an HTML fragment of a rendered document (figures and sections allowed)."""
    return _clean(html, DOCUMENT_TAGS)


def clean_text_html(html: str) -> str:
    """Sanitise HTML made from researcher text (no images: nothing is loaded)."""
    return _clean(html, TEXT_TAGS)


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
        "table"
    )


def markdown_to_html(text: str, heading_offset: int = 0) -> str:
    """Researcher Markdown → sanitised HTML. Headings are shifted down by ``heading_offset``
    levels (a guide's ``#`` becomes ``<h3>`` with an offset of 2); raw HTML shows as text."""
    from ..core.fr import typographic

    md = _parser()
    tokens = md.parse(text or "")
    for token in tokens:  # French typography on text, never on code or link targets
        for child in token.children or []:
            if child.type == "text":
                child.content = typographic(child.content)
    if heading_offset:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1:]) + heading_offset)
                token.tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, {})
    return clean_text_html(html)
