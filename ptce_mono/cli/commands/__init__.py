"""One click command per module; ``cli/__init__.py`` registers the list below."""

from __future__ import annotations

from .build import build
from .codebook import codebook
from .coder import coder
from .compare import compare
from .demo import demo
from .imports import import_group
from .lab import lab
from .new import new
from .notebooks import notebooks
from .preview import preview
from .questionnaire import questionnaire
from .relecture import relecture
from .render import render
from .restitution import restitution
from .serve import serve
from .site import site
from .status import status
from .validate import validate

COMMANDS = [validate, build, render, site, serve, new, preview, status, lab, notebooks, demo,
            codebook, import_group, questionnaire, restitution, compare, relecture,
            coder]  # fmt: skip
