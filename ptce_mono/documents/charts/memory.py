"""Figures drawn again only when what they show changed, in a kernel that keeps them.

The live preview (``ptce-mono preview SLUG --suivre``) runs the monograph again in the same
warm kernel at every save; most saves change a narrative, not the data a chart is drawn
from. In a kernel started with :data:`ENV_VAR` set (the live preview sets it), the SVG of a
figure is kept in memory, keyed by its builder (module and name) and the canonical form of
every argument it was given (values, mappings in their order, dataclasses field by field):
the same builder given the same data writes the same bytes (:func:`ptce_mono.documents.display.figure_svg`
is byte-stable, and every builder starts from :func:`ptce_mono.documents.charts.style.style`). An argument
whose content cannot be read that way (any other object) is never looked up: the figure is drawn.

The code of the package and its typeface do not change during a kernel's life (a changed
package is a new kernel), so they are not part of the key. Elsewhere (builds, JupyterLab),
nothing is kept and every figure is drawn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

ENV_VAR = "PTCE_MEMOIRE_FIGURES"
KEPT = 32  # figures kept (about 50 kB each): the preview of one pole shows about ten
_svgs: OrderedDict[str, str] = OrderedDict()


class NotCanonical(Exception):
    """An argument whose content has no canonical form: the figure is drawn, not looked up."""


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "1"


def canonical(value: Any) -> Any:
    """A JSON form of ``value`` that holds all of its content; NotCanonical otherwise."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}  # exact, and NaN or infinities stay JSON
    if isinstance(value, Mapping):
        return {"map": [[canonical(k), canonical(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return {"set": sorted(json.dumps(canonical(v), sort_keys=True) for v in value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"dataclass": type(value).__qualname__, "fields": fields}
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, PurePath):
        return {"path": str(value)}
    raise NotCanonical(type(value).__name__)


def figure_key(build: Callable[..., Any], args: tuple[Any, ...]) -> str | None:
    """The key of ``build(*args)``'s SVG, or None when an argument has no canonical form."""
    try:
        content = canonical(list(args))
    except NotCanonical:
        return None
    named = f"{build.__module__}.{build.__qualname__}"
    text = json.dumps({"builder": named, "args": content}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def figure_svg_of(build: Callable[..., Any], *args: Any) -> str | None:
    """The SVG of the figure ``build(*args)`` returns (None when it returns none), kept from a
    previous call with the same content when this kernel keeps figures."""
    import matplotlib.pyplot as plt

    from .svg import figure_svg

    key = figure_key(build, args) if enabled() else None
    if key is not None and key in _svgs:
        _svgs.move_to_end(key)
        return _svgs[key]
    fig = build(*args)
    if fig is None:
        return None
    try:
        svg = figure_svg(fig)
    finally:
        plt.close(fig)
    if key is not None:
        _svgs[key] = svg
        while len(_svgs) > KEPT:
            _svgs.popitem(last=False)
    return svg


def forget() -> None:
    """Forget every kept figure (tests)."""
    _svgs.clear()
