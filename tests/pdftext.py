"""Reading PDFs in tests: the text a reader sees, and every decoded stream and string."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import StreamObject

_NOISE = re.compile(r"[\s\-\u00ad\u2010\u2011\u00a0\u202f]+")


def squash(text: str) -> str:
    """Text compared without line breaks, hyphenation, spacing or apostrophe style."""
    return _NOISE.sub("", text).replace("’", "'")


def _binary(stream: StreamObject) -> bool:
    """Images and embedded font programs: glyph and pixel data, no text to read."""
    return (
        stream.get("/Subtype") == "/Image"
        or "/Length1" in stream
        or (stream.get("/Subtype") in ("/Type1C", "/CIDFontType0C", "/OpenType"))
    )


def pdf_text(path: Path) -> str:
    """The text of every page (Typst compresses the content streams: read through pypdf)."""
    reader = PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_texts(path: Path) -> str:
    """The page text, plus the document information, outline titles and every stream of the
    file decoded (metadata, bookmarks, embedded files): what a private value could hide in."""
    reader = PdfReader(path)
    parts = [pdf_text(path)]
    parts += [str(v) for v in (reader.metadata or {}).values()]

    def outline(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                outline(item)
            else:
                parts.append(str(item.title))

    outline(reader.outline)
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry of the cross-reference table
            continue
        if isinstance(obj, StreamObject) and not _binary(obj):
            data = obj.get_data()  # decompressed (Flate...)
            for encoding in ("utf-8", "utf-16-be", "latin-1"):
                parts.append(data.decode(encoding, errors="ignore"))
    return "\n".join(parts)
