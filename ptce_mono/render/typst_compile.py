"""Compile one Typst file to PDF in a process of its own, so that the caller can bound it by a
time limit and kill it (``python -m ptce_mono.render.typst_compile SOURCE.typ OUT.pdf ROOT TIMESTAMP``).

The ``typst`` package compiles in the calling process and cannot be interrupted; run here, the
compile is stopped by :func:`ptce_mono.tools.run_tool` when the monograph's time is up.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Compile; on failure the diagnostics go to the error output (exit status 1)."""
    source, output, root, timestamp = argv
    import typst

    try:
        typst.compile(
            source,
            output=output,
            root=root,
            font_paths=[],
            timestamp=int(timestamp),
            pdf_standards=["ua-1"],
        )  # PDF/UA-1: tagged, titled, alt texts
    except Exception as exc:  # typst raises its own error type carrying the diagnostics
        raise SystemExit(str(exc) or type(exc).__name__) from exc
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
