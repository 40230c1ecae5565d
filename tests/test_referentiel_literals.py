"""A référentiel version id is typed in one module only, ``ptce_mono/corpus/referentiel.py``: adding a
version must not mean hunting ``"2012"`` through the code. Every other module takes the
version from the pole, from the référentiel read, or from ``referentiel.DEFAULT_VERSION``."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from ptce_mono.corpus.referentiel import available_versions, load_all_referentiels

from .source_scan import REPO, package_modules, string_constants

REFERENTIELS = REPO / "data" / "referentiels"
OWN_MODULE = "ptce_mono/corpus/referentiel.py"


def version_ids() -> tuple[str, ...]:
    """Every version the project ships: file names and the ``version`` they declare."""
    ids = set(available_versions(REFERENTIELS))
    ids |= {ref.version for ref in load_all_referentiels(REFERENTIELS).values()}
    return tuple(sorted(ids))


def names_a_version(text: str, versions: tuple[str, ...]) -> bool:
    """The string is a version id, or speaks of a version, a référentiel or a default beside
    one (« version: "2012" », « référentiel 2012 », « par défaut : 2012 », « ptce-2012 »); a
    year in another sense (« pôles témoins de 2012 », ``pole_temoin_2012``) is not one."""
    for version in versions:
        v = re.escape(version)
        if text.strip() == version:
            return True
        if re.search(rf"(?i)(version|r[ée]f[ée]rentiel|d[ée]faut)[^\n.;]{{0,30}}?(?<![\w-]){v}(?![\w-])", text):  # fmt: skip
            return True
        if re.search(
            rf"(?i)(?<![\w])(ptce|ref|referentiel|r[ée]f[ée]rentiel)[-_]{v}(?![\w-])", text
        ):
            return True
    return False


def version_literals(root: Path, versions: tuple[str, ...]) -> list[str]:
    found = []
    for name, tree in package_modules(root):
        if name == OWN_MODULE:
            continue
        for line, text in string_constants(tree):
            if names_a_version(text, versions):
                found.append(f"{name}:{line}: {text.strip()[:80]!r}")
    return found


def test_the_project_ships_at_least_one_version() -> None:
    assert version_ids()


def test_no_version_literal_outside_the_referentiel_module() -> None:
    found = version_literals(REPO / "ptce_mono", version_ids())
    assert found == [], "version du référentiel écrite en dur :\n" + "\n".join(found)


def notebook_code(folder: Path) -> list[tuple[str, str]]:
    """The Python of every notebook in ``folder``: its paired ``.py`` and the code cells of
    its ``.ipynb`` (the parameters cell included: its defaults are code too)."""
    out = []
    for path in sorted(folder.glob("*.py")):
        out.append((path.relative_to(REPO).as_posix(), path.read_text("utf-8")))
    for path in sorted(folder.glob("*.ipynb")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        for number, cell in enumerate(cells, start=1):
            if cell["cell_type"] == "code":
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                out.append((f"{path.relative_to(REPO).as_posix()} (cellule {number})", text))
    return out


@pytest.mark.parametrize("folder", ["templates", "notebooks"])
def test_no_version_literal_in_the_notebooks(folder: str) -> None:
    versions = version_ids()
    found = [
        f"{name}:{line}: {text.strip()[:80]!r}"
        for name, source in notebook_code(REPO / folder)
        for line, text in string_constants(ast.parse(source))
        if names_a_version(text, versions)
    ]
    assert found == [], "version du référentiel écrite en dur :\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ('ids = "a" if ref.version == "2012" else "b"', True),
        ('help = "Version du référentiel [par défaut : 2012]."', True),
        ('TEXT = """\\n#   version: "2012"\\n"""', True),
        ('KEY = "ptce-2012"', True),
        ('x = f"référentiel 2012 : {n} indicateurs"', True),
        ('x = "Pôle témoin 2012"', False),
        ('x = "pole_temoin_2012"', False),
        ('x = "pôles témoins de 2012 par région"', False),
        ('x = f"version {DEFAULT_VERSION}"', False),
        ("year = 2012", False),
    ],
)
def test_the_scan_sees_a_typed_version(tmp_path: Path, source: str, flagged: bool) -> None:
    package = tmp_path / "ptce_mono"
    package.mkdir()
    (package / "module.py").write_text(source + "\n", encoding="utf-8")
    own = tmp_path / OWN_MODULE  # wherever the référentiel's module lives in the package
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text('DEFAULT_VERSION = "2012"\n', encoding="utf-8")
    found = version_literals(package, ("2012",))
    assert bool(found) is flagged, found
    assert all(f.startswith("ptce_mono/module.py:1:") for f in found)


def test_the_validation_message_gives_the_ids_of_any_version(tmp_path: Path) -> None:
    from ptce_mono.corpus.referentiel import load_referentiel, parse_referentiel

    assert (
        load_referentiel(REFERENTIELS, "2012").id_ranges == "objectifs a à i, indicateurs a1 à i3"
    )
    other = parse_referentiel(
        {"version": "2030", "echelle": {"min": 1, "max": 5}, "objectifs_generaux": [
            {"id": "og1", "libelle": "Un", "objectifs": [
                {"id": "p", "libelle": "P", "indicateurs": [{"id": "p1", "libelle": "x"}]},
                {"id": "q", "libelle": "Q", "indicateurs": [{"id": "q7", "libelle": "y"}]}]}]},
        tmp_path / "2030.yaml",
    )  # fmt: skip
    assert other.id_ranges == "objectifs p à q, indicateurs p1 à q7"


def test_a_notebook_opened_alone_takes_the_default_version(project) -> None:
    """The notebooks' parameter is empty: the version then comes from the référentiel module
    (the build always passes the pole's version)."""
    from ptce_mono.corpus.referentiel import DEFAULT_VERSION
    from ptce_mono.documents import monograph, transversal

    ctx = monograph.load(project.data, "", "")
    assert ctx.referentiel.version == (ctx.pole.referentiel_version or DEFAULT_VERSION)
    assert transversal.load(project.data, "").referentiel.version == DEFAULT_VERSION
