"""Project layout and the slug rule; every path built from user input goes through here (the
names of the files and folders of data/ come from :mod:`ptce_mono.core.layout`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import OutsideProjectError, UnsafeSlugError
from .layout import (
    BIBLIOGRAPHY_FILE,
    CODES_FILE,
    DEPARTEMENTS_FILE,
    GEO_DIR,
    GRID_FILE,
    IDENTITY_FILE,
    POLES_DIR,
    PRIVATE_DIR,
    PUBLICATIONS_DIR,
    REFERENTIELS_DIR,
    census_folder,
    participation_folder,
    private_table_file,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


def is_safe_slug(slug: str) -> bool:
    """True when ``slug`` is lowercase ASCII kebab-case, short enough for a file name."""
    return bool(SLUG_RE.match(slug)) and len(slug) <= MAX_SLUG_LENGTH


def check_slug(slug: str) -> str:
    if not is_safe_slug(slug):
        raise UnsafeSlugError(slug)
    return slug


def safe_child(parent: Path, *parts: str) -> Path:
    """Join ``parts`` under ``parent`` and refuse any result that leaves ``parent``."""
    base = parent.resolve()
    candidate = base.joinpath(*parts).resolve()
    if candidate != base and base not in candidate.parents:
        raise UnsafeSlugError("/".join(parts))
    return candidate


@dataclass(frozen=True)
class ProjectPaths:
    """Where everything lives. ``data`` may point elsewhere (a test corpus)."""

    root: Path
    data: Path
    monographs: Path
    site: Path
    cache: Path

    @classmethod
    def at(
        cls,
        root: Path | str,
        data: Path | str | None = None,
        monographs: Path | str | None = None,
        site: Path | str | None = None,
    ) -> ProjectPaths:
        root = Path(root).resolve()
        return cls(
            root=root,
            data=Path(data).resolve() if data else root / "data",
            monographs=Path(monographs).resolve() if monographs else root / "monographs",
            site=Path(site).resolve() if site else root / "site",
            cache=root / ".cache",
        )

    @classmethod
    def discover(cls, start: Path | str | None = None) -> ProjectPaths:
        """Find the project root (the folder holding ``data/grille.yaml`` or ``pyproject.toml``)."""
        env = os.environ.get("PTCE_MONO_ROOT")
        if env:
            return cls.at(env)
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "data" / GRID_FILE).is_file() and (folder / "templates").is_dir():
                return cls.at(folder)
        return cls.at(here)

    @property
    def poles(self) -> Path:
        return self.data / POLES_DIR

    @property
    def grid_file(self) -> Path:
        return self.data / GRID_FILE

    @property
    def referentiels(self) -> Path:
        return self.data / REFERENTIELS_DIR

    @property
    def geo(self) -> Path:
        return self.data / GEO_DIR

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def template_notebook(self) -> Path:
        return self.templates / "monographie.ipynb"

    @property
    def transversal_notebook(self) -> Path:
        return self.root / "notebooks" / "analyse-transversale.ipynb"

    @property
    def export(self) -> Path:
        """Consolidated public dataset (CSV + datapackage.json)."""
        return self.monographs / "donnees"

    @property
    def bibliography_file(self) -> Path:
        return self.data / BIBLIOGRAPHY_FILE

    @property
    def identity_file(self) -> Path:
        return self.data / IDENTITY_FILE

    @property
    def departements_file(self) -> Path:
        return self.geo / DEPARTEMENTS_FILE

    @property
    def participation(self) -> Path:
        return participation_folder(self.data)

    @property
    def census(self) -> Path:
        return census_folder(self.data)

    @property
    def publications(self) -> Path:
        return self.data / PUBLICATIONS_DIR

    @property
    def codes_file(self) -> Path:
        return self.data / CODES_FILE

    @property
    def private(self) -> Path:
        return self.data / PRIVATE_DIR

    def private_dir(self, slug: str) -> Path:
        """``data/prive/<slug>``: the pole's private files."""
        return self.private / check_slug(slug)

    def private_table(self, slug: str) -> Path:
        return private_table_file(self.data, check_slug(slug))

    @property
    def site_documents_cache(self) -> Path:
        """Where ``site`` keeps what it extracted from each rendered monograph."""
        return self.cache / "site-documents"

    def cohort_file(self, version: str) -> Path:
        """Where the build writes the comparison cohort of one référentiel version."""
        return self.cache / f"cohorte-{version}.json"

    def output(self, stem: str, ext: str) -> Path:
        """A generated file of the monographs folder (``<stem>.<ext>``)."""
        return self.monographs / f"{stem}.{ext}"

    def pole_dir(self, slug: str) -> Path:
        """The folder of ``slug`` (a checked slug cannot climb; where a link leads is checked
        by :meth:`check_inside` when the pole is read)."""
        return self.poles / check_slug(slug)

    @cached_property
    def _real_bases(self) -> tuple[str, ...]:
        return tuple(os.path.normcase(os.path.realpath(base)) for base in (self.root, self.data))

    def contains(self, path: Path) -> bool:
        """True when ``path``, links followed, lies inside the project or the data folder."""
        real = os.path.normcase(os.path.realpath(path))  # case-insensitive where the OS is
        for base in self._real_bases:
            if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
                return True
        return False

    def check_inside(self, path: Path) -> Path:
        """``path`` itself, or :class:`OutsideProjectError` naming it when it leads outside."""
        if not self.contains(path):
            raise OutsideProjectError(path)
        return path

    def monograph(self, slug: str, suffix: str) -> Path:
        return safe_child(self.monographs, check_slug(slug) + suffix)
