"""Rendering executed notebooks to HTML and PDF: Quarto when installed, the embedded engine
(pandoc + Typst) otherwise.

Outputs are written atomically: every format is produced in a private temp folder inside
``out_dir``, then moved over ``<stem>.<format>`` by ``atomic.move_into_place``, so a failure leaves nothing
half-written and never replaces a previous good file; calls for different stems may run
concurrently in several processes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .. import PACKAGE_DIR
from ..core.atomic import move_into_place
from ..core.errors import PtceError, RenderError, ToolMissingError

ENGINES = ("auto", "quarto", "embedded")
FORMATS = ("html", "pdf")

__all__ = ["ENGINES", "FORMATS", "RenderError", "Rendered", "render_notebook", "resolve_engine"]


def default_templates() -> Path:
    """The project's templates folder (next to the ptce_mono package)."""
    return PACKAGE_DIR.parent / "templates"


def resolve_engine(engine: str = "auto") -> str:
    """``auto`` is Quarto when ``quarto`` is on PATH, the embedded engine otherwise.

    Asking for ``quarto`` explicitly checks it is installed and recent enough.
    """
    if engine not in ENGINES:
        raise PtceError(
            f"moteur de rendu inconnu « {engine} » (moteurs possibles : {', '.join(ENGINES)})."
        )
    if engine == "auto":
        return "quarto" if shutil.which("quarto") else "embedded"
    if engine == "quarto":
        from .quarto import check_quarto

        check_quarto()
    return engine


class Rendered(dict[str, Path]):
    """{format: final path} of what was written, with the engine that wrote it."""

    def __init__(self, engine: str) -> None:
        super().__init__()
        self.engine = engine


def render_notebook(
    ipynb: Path,
    out_dir: Path,
    stem: str,
    formats: Sequence[str] = FORMATS,
    engine: str = "auto",
    templates: Path | None = None,
    timeout: float = 300,
) -> Rendered:
    """Render the executed notebook ``ipynb`` to ``out_dir/<stem>.<format>`` for each format.

    Raises RenderError (French message naming the stem, the engine and the cause); on failure
    no output file is created or replaced.
    """
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    try:
        name = resolve_engine(engine)
    except ToolMissingError as exc:
        raise RenderError(stem, engine, str(exc)) from exc
    except PtceError as exc:
        raise RenderError(stem, engine, str(exc)) from exc
    if unknown:
        raise RenderError(
            stem, name, f"format inconnu « {', '.join(unknown)} » (formats : html, pdf)"
        )
    templates = Path(templates) if templates else default_templates()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = Rendered(name)
    if not formats:
        return result
    with tempfile.TemporaryDirectory(prefix=f".rendu-{stem}-", dir=out_dir) as tmp:
        work = Path(tmp)
        try:
            produced = _render(Path(ipynb), work, stem, formats, name, templates, timeout)
        except RenderError:
            raise
        except PtceError as exc:
            raise RenderError(stem, name, str(exc)) from exc
        for fmt in formats:
            path = produced.get(fmt)
            if path is None or not path.is_file() or path.stat().st_size == 0:
                raise RenderError(stem, name, f"aucun fichier {fmt.upper()} n'a été produit")
        for fmt in formats:  # every format succeeded: now replace the previous files
            final = out_dir / f"{stem}.{fmt}"
            move_into_place(produced[fmt], final)
            result[fmt] = final
            notes = produced[fmt].with_name(produced[fmt].name + ".glyphes.json")
            if notes.is_file():  # characters no font could draw: the build names them
                move_into_place(notes, final.with_name(final.name + ".glyphes.json"))
    return result


def _render(
    ipynb: Path, work: Path, stem: str, formats: tuple[str, ...], engine: str, templates: Path,
    timeout: float,
) -> dict[str, Path]:  # fmt: skip
    import nbformat

    from .markdown import NotebookFailedError, error_message

    try:
        nb = nbformat.read(str(ipynb), as_version=4)
    except FileNotFoundError as exc:
        raise RenderError(stem, engine, f"notebook introuvable : {ipynb}") from exc
    except Exception as exc:  # nbformat raises JSON, validation and OS errors alike
        raise RenderError(
            stem,
            engine,
            f"notebook illisible {ipynb} : fichier corrompu ou qui n'est pas un "
            f"notebook Jupyter valide ({type(exc).__name__})",
        ) from exc
    failed = error_message(nb)
    if failed:
        raise RenderError(
            stem, engine, f"le notebook s'est arrêté sur une erreur ({failed}) : rien n'est rendu"
        )
    if engine == "quarto":
        from .quarto import render_quarto

        return render_quarto(ipynb, work, stem, formats, templates, timeout)
    from . import embedded
    from .markdown import notebook_to_markdown

    media = work / "media"  # Typst's root: figure paths resolve inside it
    try:
        doc = notebook_to_markdown(nb, media)
    except NotebookFailedError as exc:
        raise RenderError(stem, engine, str(exc)) from exc
    md = media / f"{stem}.md"
    md.write_text(doc.text, encoding="utf-8")
    produced: dict[str, Path] = {}
    typ = md.with_suffix(".typ") if "html" in formats and "pdf" in formats else None
    for fmt in sorted(formats, key=lambda f: f != "html"):  # HTML first: it may write the .typ
        target = work / f"{stem}.{fmt}"
        if fmt == "html":  # with the PDF too: the same pandoc run writes its Typst source
            embedded.render_html(md, target, doc.meta, templates, timeout, doc.bibliography, typ)
        else:
            embedded.render_pdf(md, target, doc.meta, templates, timeout, doc.bibliography, typ)
        produced[fmt] = target
    return produced
