"""The scholarly apparatus: bibliography entries as CSL-JSON for pandoc's citeproc, and the
records' ``[@id, passage]`` citations as pandoc citations. Pure functions.

Every document (monograph, transversal analysis, site) formats its citations and its
bibliography with the same CSL style (``templates/ptce-auteur-date.csl``): « (Podlewski, 2014,
§ II.2) », entries « Podlewski, Thomas-André (2014). Titre. Éditeur. URL. ». The file a source
was read from (``fichier`` in ``data/bibliographie.yaml``) is a working detail: never exported.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..core.fr import NNBSP, ordinals, typography
from .records import CITATION_RE, Corpus, Document, Pole

_PERSON = re.compile(r"^([^,()]+),\s*([^,()]+)$")  # "Family, Given" (BibTeX's convention)
_HAL = re.compile(r"\b((?:hal|halshs|tel|inria|cea|hal-pug|dumas|medihal)-\d{8})(?:v\d+)?\b")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEB_URL = re.compile(r"^https?://[^\s\"<>]+$", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#+!|~^$@;])")  # < is escaped by display
# Spans where an @ must stay as written: code, link targets, autolinks, URLs.
_PROTECTED = re.compile(r"(`[^`]*`|\]\([^)]*\)|<[^>\s]*>|https?://\S+)")
_STRAY_AT = re.compile(r"(?<![\w\\])@(?=[\w{])")


def csl_name(author: str) -> dict[str, str]:
    """« Podlewski, Thomas-André » → family and given names; anything else (an institution,
    « Le Labo de l'ESS et al. ») is kept whole as a literal name."""
    match = _PERSON.match(author.strip())
    if match:
        return {"family": match.group(1).strip(), "given": match.group(2).strip()}
    return {"literal": author.strip()}


def hal_id(doc: Document) -> str:
    """The HAL identifier named in the entry's URL or publisher, or ''."""
    for text in (doc.url, doc.publisher):
        match = _HAL.search(text or "")
        if match:
            return match.group(1)
    return ""


def csl_item(doc: Document, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON entry. ``doc.file`` (the working copy a source was read from) is left out."""
    item: dict[str, Any] = {"id": key or doc.id, "type": "document", "title": doc.title or doc.id}
    if doc.short_title:  # cited in place of a missing author (CSL « title-short »)
        item["title-short"] = doc.short_title
    if doc.author:
        item["author"] = [csl_name(doc.author)]
    if doc.year:
        item["issued"] = {"date-parts": [[doc.year]]}
    item["title"] = ordinals(item["title"])
    if doc.publisher:
        item["publisher"] = ordinals(doc.publisher)
    accessed = _ISO_DATE.match(doc.accessed.strip())
    if accessed:  # printed « (consulté le 3 mars 2025) » after the URL
        item["accessed"] = {"date-parts": [[int(g) for g in accessed.groups()]]}
    url = doc.url
    hal = hal_id(doc)
    if hal and not url:
        url = f"https://hal.science/{hal}"
    if url and _WEB_URL.match(url.strip()):  # « javascript: » and the like are never links
        item["URL"] = url.strip()
    return item


def pole_documents(corpus: Corpus, pole: Pole | None) -> dict[str, Document]:
    """The documents a pole may cite: the common bibliography, then its own (which wins)."""
    docs = dict(corpus.bibliography)
    if pole is not None:
        docs.update({d.id: d for d in pole.local_bibliography if d.id})
    return docs


def csl_items(docs: Iterable[Document]) -> list[dict[str, Any]]:
    return [csl_item(d) for d in sorted(docs, key=lambda d: d.id)]


def keyed_csl_items(docs: Mapping[str, Document]) -> list[dict[str, Any]]:
    """CSL-JSON entries of ``key -> document`` (see :func:`corpus_bibliography`), by key."""
    return [csl_item(docs[key], key) for key in sorted(docs)]


@dataclass(frozen=True)
class CorpusBibliography:
    """Every document a corpus-wide text (transversal analysis, site) may cite, under one key
    each: a common entry under its id; a pole's own entry under its id too, unless another
    entry takes that id (then « slug.id »). ``keys[slug]`` maps what the pole's record cites to
    its key."""

    documents: Mapping[str, Document]
    keys: Mapping[str, Mapping[str, str]]
    owners: Mapping[str, str]  # key -> slug of the pole whose own bibliography holds it

    def pole_keys(self, slug: str | None) -> Mapping[str, str]:
        """id -> key of what ``slug``'s record may cite (the common entries without a pole)."""
        if slug is None:
            return {i: i for i in self.documents if i not in self.owners}
        return self.keys.get(slug, {})


def corpus_bibliography(corpus: Corpus) -> CorpusBibliography:
    """The bibliography shared by the documents about the whole corpus (pure)."""
    documents: dict[str, Document] = dict(corpus.bibliography)
    owners: dict[str, str] = {}
    local: dict[str, list[tuple[str, Document]]] = {}
    for pole in corpus.poles:
        for doc in pole.local_bibliography:
            if doc.id:
                local.setdefault(doc.id, []).append((pole.slug, doc))
    keys: dict[str, dict[str, str]] = {}
    for pole in corpus.poles:
        keys[pole.slug] = {i: i for i in corpus.bibliography}
    for doc_id, held in sorted(local.items()):
        shared = doc_id not in documents and len({d for _, d in held}) == 1
        for slug, doc in held:
            if doc_id in corpus.bibliography and doc == corpus.bibliography[doc_id]:
                continue  # the same entry as the common one
            key = doc_id if shared else f"{slug}.{doc_id}"
            documents[key] = doc
            if not (shared and len(held) > 1):  # held alike by several poles: no one owner
                owners[key] = slug
            keys[slug][doc_id] = key
    return CorpusBibliography(documents, keys, owners)


def escape_passage(passage: str) -> str:
    """A cited passage safe inside a pandoc citation (``;`` would start another citation).
    French spacing is applied here (the text around leaves citations alone), and apostrophes
    are typographic: two straight ones (« d'enclavement … l'émergence ») would be read by
    pandoc as a quotation in the locator."""
    text = typography(" ".join(passage.split()).replace("'", "’"))
    # a no-break space before the escaped « ; » would be dropped by citeproc: a plain one is kept
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace(f"{NNBSP}\\;", " \\;")


def pandoc_citation(source_id: str, passage: str = "") -> str:
    """``[@id, passage]`` in pandoc's syntax, the passage escaped."""
    passage = escape_passage(passage or "")
    return f"[@{source_id}, {passage}]" if passage else f"[@{source_id}]"


def plain_citation(source_id: str, passage: str = "") -> str:
    """A citation of a document absent from every bibliography: plain text, no link."""
    passage = escape_passage(passage or "")
    return (
        f"({escape_passage(source_id)}, {passage})" if passage else f"({escape_passage(source_id)})"
    )


def cite(
    source_id: str, passage: str, known: Container[str], keys: Mapping[str, str] | None = None
) -> str:
    """The Markdown of one citation: a pandoc citation when the document is known (under its
    key in ``keys`` when given, see :func:`corpus_bibliography`)."""
    if source_id in known:
        return pandoc_citation(keys.get(source_id, source_id) if keys else source_id, passage)
    return plain_citation(source_id, passage)


def escape_stray_at(text: str) -> str:
    """``@word`` outside a citation stays text: pandoc would read it as a citation."""
    parts = _PROTECTED.split(text)
    return "".join(p if i % 2 else _STRAY_AT.sub(r"\\@", p) for i, p in enumerate(parts))


def narrative_citations(
    text: str, known: Container[str], keys: Mapping[str, str] | None = None
) -> str:
    """A narrative's Markdown with its ``[@id, passage]`` as pandoc citations of known
    documents (renamed by ``keys`` when given); any other ``@`` is escaped so that it stays
    text."""
    out: list[str] = []
    last = 0
    for match in CITATION_RE.finditer(text):
        out.append(escape_stray_at(text[last : match.start()]))
        out.append(cite(match.group(1), (match.group(2) or "").strip(), known, keys))
        last = match.end()
    out.append(escape_stray_at(text[last:]))
    return "".join(out)


def cited_ids(pole: Pole) -> list[str]:
    """Ids of every document the record cites (facts, lists, narratives), sorted."""
    found: set[str] = set()

    def add(source: Any) -> None:
        if isinstance(source, str) and source:
            found.add(source)

    citations = pole.get("citations", {})
    if isinstance(citations, Mapping):
        for entry in citations.values():
            if isinstance(entry, Mapping):
                add(entry.get("source"))
    for key in ("structures", "ressources", "emploi", "evenements"):
        for item in pole.list_of(key):
            add(item.get("source"))
    for narrative in pole.narratives.values():
        found.update(m.group(1) for m in CITATION_RE.finditer(narrative.text))
    if pole.accounts is not None:  # comptes.yaml cites like every other source
        found.update(y.source for y in pole.accounts.years if not y.free_text_source)
    return sorted(found)
