"""The data layout: the name of every file and folder under ``data/``, in this one place.

``tests/test_layout_names.py`` fails when one of these names is written anywhere else in the
package; :mod:`ptce_mono.core.paths` re-exports them with the project's paths. Imports nothing of the
package (the lowest module: :mod:`ptce_mono.core.suggest` and the errors may use it).
"""

from __future__ import annotations

from pathlib import Path

POLES_DIR = "poles"
GRID_FILE = "grille.yaml"
REFERENTIELS_DIR = "referentiels"
BIBLIOGRAPHY_FILE = "bibliographie.yaml"
IDENTITY_FILE = "projet.yaml"  # the project's identity (team, licence, site)
GEO_DIR = "geo"
DEPARTEMENTS_FILE = "departements.csv"  # under geo/
PARTICIPATION_DIR = "participation"  # respondent categories and settings of the référentiel
CATEGORIES_FILE = "categories.yaml"  # under participation/
SETTINGS_FILE = "reglages.yaml"  # under participation/
CENSUS_DIR = "recensement"  # the 2011 census tables
PUBLICATIONS_DIR = "publications"  # published figures, cited
CODES_FILE = "codes.yaml"  # QDA codes → grid sections (read by « import entretiens » only)
PRIVATE_DIR = "prive"  # private tables: never published, never in an output
PEOPLE_FILE = "personnes.yaml"  # under prive/<slug>/
# Inside a pole folder (data/poles/<slug>/):
POLE_FILE = "pole.yaml"  # the record's facts
INTERVIEWS_DIR = "entretiens"  # stored excerpts, one YAML file per interview
ACCOUNTS_FILE = "comptes.yaml"  # the pole's accounts
WAVES_DIR = "referentiel"  # stored answers to the référentiel questionnaire, one file a wave
REVIEWS_DIR = "relectures"  # the review rounds with the pole's actors


def pole_file(pole_folder: Path) -> Path:
    return pole_folder / POLE_FILE


def interviews_dir(pole_folder: Path) -> Path:
    return pole_folder / INTERVIEWS_DIR


def accounts_file(pole_folder: Path) -> Path:
    return pole_folder / ACCOUNTS_FILE


def waves_dir(pole_folder: Path) -> Path:
    return pole_folder / WAVES_DIR


def reviews_dir(pole_folder: Path) -> Path:
    return pole_folder / REVIEWS_DIR


def private_table_file(data_dir: Path, slug: str) -> Path:
    """``data/prive/<slug>/personnes.yaml`` (``slug`` is checked by the caller)."""
    return Path(data_dir) / PRIVATE_DIR / slug / PEOPLE_FILE


def census_folder(data_dir: Path) -> Path:
    return Path(data_dir) / CENSUS_DIR


def participation_folder(data_dir: Path) -> Path:
    return Path(data_dir) / PARTICIPATION_DIR
