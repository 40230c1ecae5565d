"""The embedded engine: Markdown of the notebook → pandoc → HTML (standalone, self-contained)
and → Typst → PDF (the ``typst`` package). No LaTeX, no network, no Quarto."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import PACKAGE_DIR
from ..core.errors import ToolFailedError, ToolMissingError
from ..core.fr import typography
from ..core.tools import run_tool

# Raw HTML, raw attributes and raw TeX are disabled: text from records can never become markup.
# Dollar math is off too: "5 $" in a narrative stays text.
PANDOC_FROM = "markdown-raw_html-raw_attribute-raw_tex-tex_math_dollars-tex_math_single_backslash"
FILTER = "monographie.lua"
CSL_STYLE = "ptce-auteur-date.csl"  # French author-date (CC BY-SA 3.0, see templates/LICENCES.md)
KIND_LABELS = {"monographie": "Monographie de PTCE", "analyse-transversale": "Analyse transversale"}


def pandoc_path() -> str:
    """The pandoc shipped by pypandoc-binary."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError) as exc:
        raise ToolMissingError(
            "pandoc est introuvable : installez le paquet pypandoc-binary "
            "(pip install -r requirements/constraints.txt)."
        ) from exc


def _french(text: str) -> str:
    """French typography for metadata, which pandoc takes verbatim: spaces and apostrophes."""
    return typography(text).replace("'", "’")


def metadata_args(meta: Mapping[str, Any]) -> list[str]:
    """``-M`` options: values given this way are plain strings, never parsed as Markdown."""
    title = _french(str(meta.get("title") or meta.get("slug") or "Monographie"))
    label = KIND_LABELS.get(str(meta.get("kind") or "monographie"), "Monographie de PTCE")
    if meta.get("surtitre"):  # the genre computed by the notebook (« Dossier documentaire »…)
        label = _french(str(meta["surtitre"]))
    args = ["-M", "lang=fr-FR", "-M", f"title={title}", "-M", f"pagetitle={title}"]
    args += ["-M", f"surtitre={label}", "-M", "toc-title=Sommaire"]
    for key in ("subtitle", "date"):
        if meta.get(key):
            args += ["-M", f"{key}={_french(str(meta[key]))}"]
    return args


def citation_args(bibliography: Path | None, templates: Path) -> list[str]:
    """citeproc inside the pandoc call: every entry of the CSL-JSON file listed (``nocite``),
    in-text citations linked to their entry, URLs linked."""
    if bibliography is None:  # no bibliography: a [@key] stays text (Typst would want a label)
        return ["-f", PANDOC_FROM + "-citations"]
    settings = bibliography.with_name("citations.json")
    settings.write_text('{"nocite": "@*", "link-citations": true, "link-bibliography": true}')
    return [
        "--citeproc", "--bibliography", bibliography.name, "--csl", str(templates / CSL_STYLE),
        "--metadata-file", settings.name,
    ]  # fmt: skip


# Three generations for the garbage collector of pandoc's runtime instead of two: about 5 % less
# CPU per monograph (measured on the fictional corpus), same output. A pandoc built without
# runtime options ignores it; a value set by the user is kept.
PANDOC_RUNTIME = {"GHCRTS": os.environ.get("GHCRTS", "-G3")}


def _pandoc(md: Path, to: str, out: Path, template: Path, extra: list[str], meta: Mapping[str, Any],
            templates: Path, timeout: float, env: Mapping[str, str] | None = None) -> None:  # fmt: skip
    # pandoc applies --citeproc (in extra) and the filter in command-line order: citeproc
    # first, so that citations and bibliography are typeset and their HAL ids linked too
    argv = [
        pandoc_path(), md.name, "-f", PANDOC_FROM, "-t", to, "--standalone",
        "--template", str(template), *extra, "--lua-filter", str(templates / FILTER),
        "--toc", "--toc-depth=2", "--wrap=preserve", "-o", str(out),
        *metadata_args(meta),
    ]  # fmt: skip
    run_tool(
        argv, name="pandoc", timeout=timeout, cwd=md.parent, env={**PANDOC_RUNTIME, **(env or {})}
    )


def render_html(md: Path, out: Path, meta: Mapping[str, Any], templates: Path, timeout: float,
                bibliography: Path | None = None, typst_out: Path | None = None) -> None:  # fmt: skip
    """Standalone HTML with images and CSS inline (no external resource is loaded).

    With ``typst_out``, the same pandoc run also writes the Typst source of the PDF (the filter
    does it from the document it has parsed and filtered once): byte for byte what
    :func:`typst_source` writes, for one pandoc run instead of two.
    """
    extra = ["--embed-resources", "--resource-path", str(md.parent), "--section-divs"]
    extra += citation_args(bibliography, templates)
    env = None
    if typst_out is not None:
        env = {"PTCE_TYPST_OUT": str(typst_out.resolve()),
               "PTCE_TYPST_TEMPLATE": str((templates / "monographie.typ").resolve())}  # fmt: skip
    _pandoc(md, "html5", out, templates / "monographie.html", extra, meta, templates, timeout, env)
    if typst_out is not None and not typst_out.is_file():
        raise ToolFailedError("pandoc", "la source Typst du PDF n'a pas été écrite")


def pdf_timestamp() -> int:
    """The PDF's creation date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the
    start of the day (UTC), the date the document shows. Two builds of a day give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return int(epoch)
    today = dt.datetime.now(dt.UTC).date()
    return int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp())


def typst_source(md: Path, typ: Path, meta: Mapping[str, Any], templates: Path, timeout: float,
                 bibliography: Path | None = None) -> None:  # fmt: skip
    """The Typst source of the PDF, by a pandoc run of its own (when no HTML is asked for)."""
    extra = citation_args(bibliography, templates)
    _pandoc(md, "typst", typ, templates / "monographie.typ", extra, meta, templates, timeout)


def render_pdf(md: Path, out: Path, meta: Mapping[str, Any], templates: Path, timeout: float,
               bibliography: Path | None = None, typ: Path | None = None) -> None:  # fmt: skip
    """A PDF/UA-1 PDF from the Typst source ``typ`` next to the figures (Typst's root); the
    source is written first when not given."""
    if typ is None:
        typ = md.with_suffix(".typ")
        typst_source(md, typ, meta, templates, timeout, bibliography)
    compile_typst(typ, out, md.parent, timeout, templates)


MISSING_GLYPH = re.compile(r"the text `\"(.+?)\"` could not be displayed with (?:any )?font")
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")  # how Typst writes some characters
MAX_GLYPH_ROUNDS = 40
GLYPH_NOTES_SUFFIX = ".glyphes.json"  # beside the PDF: the characters replaced, for the build


def _cluster(text: str) -> re.Pattern[str]:
    """``text`` with the variation selectors and zero-width-joined characters that follow it
    (an emoji sequence is replaced whole, never left half drawn)."""
    return re.compile(re.escape(text) + "(?:[\ufe0e\ufe0f\u200d]|(?<=\u200d)[^\x00-\x7f])*")


def glyph_placeholder(text: str) -> str:
    """What replaces a character that no font of the PDF can draw: its code point, readable."""
    shown = [c for c in text if not c.isspace() and c not in "\ufe0e\ufe0f\u200d"]
    return "(" + " ".join(f"U+{ord(c):04X}" for c in shown) + ")"


FONTS_DIR = "fonts"  # the project's fonts, in the templates folder (OFL 1.1)


def project_fonts(templates: Path | None = None) -> list[Path]:
    """The project's font folder (``templates/fonts``, default: the package's templates)."""
    folder = (templates or PACKAGE_DIR.parent / "templates") / FONTS_DIR
    return [folder] if folder.is_dir() else []


def compile_typst(
    typ: Path, out: Path, root: Path, timeout: float, templates: Path | None = None
) -> None:
    """The PDF of ``typ``, compiled by this process's Typst child, stopped after ``timeout``
    seconds (:mod:`ptce_mono.render.typst_compile`), with the project's fonts
    (``templates/fonts``) besides those Typst embeds.

    The templates list fallback fonts; a character that none of them can draw (an emoji, a
    rare script) would make PDF/UA-1 refuse the whole document: it is replaced by its code
    point, « (U+1F600) », and listed in ``<pdf>.glyphes.json`` so that the build names the
    file and line it comes from. The document never fails for a missing glyph."""
    from .typst_compile import worker

    replaced: list[str] = []
    for _ in range(MAX_GLYPH_ROUNDS):
        try:
            worker().compile(typ, out, root, pdf_timestamp(), timeout, project_fonts(templates))
            break
        except ToolFailedError as exc:
            found = MISSING_GLYPH.findall(exc.stderr_tail or "")
            found = [_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), t) for t in found]
            missing = [m for m in found if m not in replaced]
            if not missing:
                cause = typst_cause(exc.stderr_tail) if exc.stderr_tail else exc.reason
                raise ToolFailedError("typst", cause, exc.stderr_tail) from exc
            before = source = typ.read_text(encoding="utf-8")
            for text in missing:
                wanted = "".join(
                    c for c in text if ord(c) > 0x7F
                )  # never a character of the markup
                if wanted:
                    source = _cluster(wanted).sub(lambda m: glyph_placeholder(m.group()), source)
                    replaced.append(wanted)
            if source == before:  # not written literally in the source: cannot be replaced
                raise ToolFailedError(
                    "typst", typst_cause(exc.stderr_tail), exc.stderr_tail
                ) from exc
            typ.write_text(source, encoding="utf-8")
    else:
        raise ToolFailedError(
            "typst", "trop de caractères qu'aucune police du PDF ne sait dessiner"
        )
    notes = out.with_name(out.name + GLYPH_NOTES_SUFFIX)
    if replaced:
        notes.write_text(json.dumps(replaced, ensure_ascii=False), encoding="utf-8")
    else:
        notes.unlink(missing_ok=True)


# What PDF/UA-1 refuses, said in French (Typst's own diagnostic follows, in English).
_PDF_UA_CAUSES = (
    ("alt", "une image ou une figure n'a pas de texte alternatif (exigé par PDF/UA-1)"),
    ("title", "le document n'a pas de titre (exigé par PDF/UA-1)"),
    ("language", "la langue du document n'est pas déclarée (exigée par PDF/UA-1)"),
    ("header", "un tableau n'a pas de ligne d'en-tête balisée (exigée par PDF/UA-1)"),
    ("font", "une police nécessaire est introuvable"),
    ("file not found", "un fichier appelé par le document (figure) est introuvable"),
)


def typst_cause(diagnostic: str) -> str:
    """A French sentence for a failed Typst compile, from its diagnostic."""
    message = diagnostic.lower()
    for needle, cause in _PDF_UA_CAUSES:
        if needle in message:
            return f"PDF/UA-1 non produit : {cause}"
    return "PDF/UA-1 non produit (diagnostic de Typst ci-dessous)"
