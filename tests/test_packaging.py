"""Pins, environment mirror, and what must never be committed."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (
        (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    ):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert "==" in line, f"version non épinglée : {line}"
        name, version = line.split("==")
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_every_constraint_is_pinned_exactly() -> None:
    pins = constraints()
    assert pins
    for name, version in pins.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", name), name
        assert re.fullmatch(r"\d+(\.\d+)*([a-z]+\d*)?(\.post\d+)?", version), (name, version)


def test_environment_yml_mirrors_the_constraints() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = {}
    for item in pip:
        if item.startswith("-e"):
            continue
        name, version = item.split("==")
        mirrored[name.lower().replace("_", "-")] = version
    assert mirrored == constraints()


def test_every_dependency_is_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"]) + [
        d for deps in project["optional-dependencies"].values() for d in deps
    ]
    pins = constraints()
    for dep in names:
        name = re.split(r"[\[<>=]", dep)[0].lower().replace("_", "-")
        assert name in pins, f"{name} n'est pas épinglé dans requirements/constraints.txt"


def tracked_files() -> list[Path]:
    """Committed files, plus new files not yet committed and not ignored (.venv never is)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return sorted(
        {ROOT / line for line in out.split("\0") if line and not line.startswith(".venv/")}
    )


EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<!\d)0[1-9](?:[ .-]?\d{2}){4}(?!\d)")


def test_no_email_address_or_phone_number_in_the_project() -> None:
    offenders = []
    for path in tracked_files():
        if not path.is_file() or path.suffix in (".png", ".pdf", ".geojson", ".csv"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for pattern in (EMAIL, PHONE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_committed_notebooks_have_no_outputs() -> None:
    for path in tracked_files():
        if path.suffix == ".ipynb" and path.is_file():
            nb = json.loads(path.read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                assert not cell.get("outputs"), f"{path} contient des sorties"


def test_generated_folders_are_ignored() -> None:
    tracked = {p.relative_to(ROOT).as_posix() for p in tracked_files()}
    assert not [
        t
        for t in tracked
        if t.startswith(("site/", ".venv/"))
        or (t.startswith("monographs/") and t != "monographs/README.md")
    ]
