"""The benchmark's plumbing (not its figures: speed is measured by ``make bench``, never
asserted): a measure leaves the checkout clean, the README is written only on request and
shows the live preview's figure."""

from __future__ import annotations

import importlib.util
import subprocess
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def dry_run(target: str) -> str:
    """The commands ``make TARGET`` would run (``make -n``: nothing is run)."""
    out = subprocess.run(["make", "-n", "-C", str(REPO), target], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return out.stdout


def test_make_bench_measures_without_rewriting_the_readme() -> None:
    commands = dry_run("bench")
    assert "benchmarks/run.py" in commands
    assert "readme.py" not in commands and "README" not in commands


def test_make_bench_readme_writes_the_readme_from_the_last_measure() -> None:
    commands = dry_run("bench-readme")
    assert "benchmarks/readme.py" in commands
    assert "benchmarks/run.py" not in commands  # no new measure: the last one is written


def _readme_module():
    spec = importlib.util.spec_from_file_location("bench_readme", REPO / "benchmarks" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def results(**extra: float) -> dict:
    return {
        "coeurs": 2, "construction_20": 11.0, "construction_100": 50.0, "execution_seule_20": 7.0,
        "reference_20": {"execution": 38.0, "conversion": 46.0, "total": 84.0},
        "reconstruction_vide_100": 0.9, "un_recit_modifie_100": 2.5, "monographie_seule": 2.4,
        "apercu": 2.4, "memoire_max_gio": 1.3,
        "repartition": {"demarrage_noyau": 0.9, "imports": 1.0, "execution_moyenne": 0.5,
                        "rendu_moyenne": 0.5, "ecriture_moyenne": 0.001},
        "ratios": {"execution_vs_papermill_sequentiel": 5.4, "construction_vs_reference": 7.6,
                   "un_recit_vs_une_monographie": 1.04, "apercu_vs_une_monographie": 1.0},
        "objectifs": {"exécution ≥ 5× plus rapide que papermill séquentiel": True},
        **extra,
    }  # fmt: skip


def test_readme_section_shows_the_live_preview_and_the_new_targets() -> None:
    readme = _readme_module()
    text = readme.section(results(apercu_suivi_s=0.93, apercu_suivi_pdf_s=1.62),
                          datetime(2026, 12, 4))  # fmt: skip
    assert "`ptce-mono preview --suivre`" in text
    assert "| 0,93 s ; PDF 1,62 s |" in text
    assert "(objectif ≥ 5 ×)" in text and "(objectif ≥ 7 ×)" in text
    # a results file written before the live preview existed still gives a section
    assert "--suivre" not in readme.section(results(), datetime(2026, 11, 26))


def test_readme_section_says_where_the_cells_time_goes() -> None:
    readme = _readme_module()
    measured = results()
    measured["repartition"].update(cellules_en_processus=0.42, cellules_figures=0.28)
    text = readme.section(measured, datetime(2026, 12, 4))
    assert "0,42 s, dont 0,28 s, 67\u202f%, pour dessiner les figures en SVG" in text


def test_readme_section_shows_both_tries_of_the_ratio_measures() -> None:
    readme = _readme_module()
    text = readme.section(
        results(construction_20_essais=[11.0, 11.4], execution_seule_20_essais=[7.2, 7.0],
                reference_20_essais=[84.0, 86.5]),
        datetime(2026, 12, 4),
    )  # fmt: skip
    assert "meilleure de deux essais : construction 11,0 s et 11,4 s ; exécution 7,20 s" in text
    assert "référence 84,0 s et 86,5 s" in text


def test_readme_section_says_how_often_a_build_reads_an_interview() -> None:
    readme = _readme_module()
    text = readme.section(
        results(lectures_par_entretien=2, lectures_par_entretien_par_processus=1,
                lectures_par_entretien_cache_a_jour=1),
        datetime(2026, 12, 4),
    )  # fmt: skip
    assert "lectures de chaque fichier d'entretien par une construction" in text
    assert "| 2 ; 1 ; 1 |" in text


def test_the_code_the_bench_runs_in_a_kernel_imports_what_exists() -> None:
    """The profile of the cells runs as a string in another interpreter: its imports of the
    package (and the attributes it patches) must still exist after a module moves."""
    import ast
    import importlib

    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    tree = ast.parse(run.CELLS_PROFILE)
    imported = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                and (n.module or "").startswith("ptce_mono")]  # fmt: skip
    assert imported
    for node in imported:
        module = importlib.import_module(node.module or "")
        for alias in node.names:
            target = getattr(module, alias.name, None) or importlib.import_module(
                f"{node.module}.{alias.name}"
            )
            assert target is not None
    from ptce_mono.documents import display
    from ptce_mono.documents.charts import svg

    assert callable(display.figure_svg) and callable(svg.figure_svg)
