"""scripts/mutation.py (make mutation): the table it writes in docs/tests.md is read back, so a
run of some modules keeps the last figures of the others (with their date)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("mutation", REPO / "scripts" / "mutation.py")
assert spec and spec.loader
mutation = importlib.util.module_from_spec(spec)
sys.modules.setdefault("mutation", mutation)  # dataclasses look their module up there
spec.loader.exec_module(mutation)


def test_rows_written_by_a_run_are_read_back_with_their_date() -> None:
    outcomes = [
        mutation.Outcome("coverage", "ptce_mono/analysis/coverage.py",
                         Counter({"killed": 10, "survived": 2}), [], "2026-12-04 19:39", 3.0),
        mutation.Outcome("plan", "ptce_mono/pipeline/plan.py",
                         Counter({"killed": 7, "no tests": 1, "timeout": 1, "suspicious": 1}),
                         [], "2026-12-04 20:00", 5.2),
    ]  # fmt: skip
    text = "# Tests\n\n" + mutation.report(outcomes) + "\n\nSuite.\n"
    assert "Ensemble : 4 mutants vivants sur 22, **taux de survie 18,2 %**." in text
    assert "Taux de survie : 18 %" in text
    read = mutation.documented_outcomes(text)
    assert sorted(read) == ["coverage", "plan"]
    assert read["coverage"].when == "2026-12-04 19:39" and read["coverage"].minutes == 3.0
    assert (read["coverage"].checked, read["coverage"].alive) == (12, 2)
    # « suspicious » has no column: counted alive from the total
    assert (read["plan"].checked, read["plan"].alive) == (10, 2)
    assert read["plan"].statuses["timeout"] == 1


def test_a_table_without_the_markers_gives_nothing() -> None:
    assert (
        mutation.documented_outcomes(
            "| `ptce_mono/pipeline/plan.py` | x | 1 min | 1 | 1 | 0 | 0 | 0 | 0 |"
        )
        == {}
    )
