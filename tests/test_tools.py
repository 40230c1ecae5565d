"""ptce_mono.core.tools: the one wrapper around external programs (real programs, no mocks)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from ptce_mono.core.errors import ToolFailedError, ToolMissingError, UnknownFormatError
from ptce_mono.core.tools import (
    check_version,
    find_tool,
    parse_version,
    require_tool,
    run_tool,
    stderr_tail,
    tool_version,
)
from ptce_mono.render.quarto import MINIMUM, check_quarto, quarto_argv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.4.550\n", (1, 4, 550)),
        ("quarto 1.6.42", (1, 6, 42)),
        ("pandoc 3.9\nFeatures: +server +lua", (3, 9)),
        ("v1.3", (1, 3)),
        ("pas de version", None),
        ("", None),
    ],
)
def test_parse_version(text, expected):
    assert parse_version(text) == expected


def test_check_version_too_old_is_one_french_sentence():
    check_version("Quarto", (1, 4, 0), MINIMUM)
    check_version("Quarto", (2, 0), MINIMUM)
    with pytest.raises(ToolMissingError) as info:
        check_version("Quarto", (1, 3, 450), MINIMUM)
    message = str(info.value)
    assert "Quarto 1.3.450 est trop ancien" in message
    assert "1.4 ou plus récente" in message
    assert message.count(".\n") == 0 and message.endswith(".")


def test_missing_program_french_message():
    with pytest.raises(ToolMissingError) as info:
        find_tool("ptce-programme-inexistant")
    assert "« ptce-programme-inexistant » est introuvable" in str(info.value)
    with pytest.raises(ToolMissingError):
        run_tool(["/nonexistent/ptce-programme"], name="essai")


def test_quarto_missing_when_not_on_path(tmp_path):
    # a PATH holding only an empty folder: quarto cannot be found, whatever is installed
    with pytest.raises(ToolMissingError) as info:
        check_quarto(path=str(tmp_path))
    message = str(info.value)
    assert message.startswith("le programme « quarto » est introuvable")
    assert "--engine embedded" in message


def test_run_tool_captures_stderr_tail_on_failure():
    code = "import sys\nfor i in range(40): print('ligne', i, file=sys.stderr)\nsys.exit(3)"
    with pytest.raises(ToolFailedError) as info:
        run_tool([sys.executable, "-c", code], name="essai")
    message = str(info.value)
    assert message.startswith("essai a échoué : code de sortie 3")
    assert "ligne 39" in message and "ligne 0\n" not in message


def test_run_tool_timeout():
    with pytest.raises(ToolFailedError) as info:
        run_tool([sys.executable, "-c", "import time; time.sleep(30)"], name="lent", timeout=0.5)
    assert "délai dépassé" in str(info.value)


def test_run_tool_success_and_version_of_real_pandoc():
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    assert tool_version(pandoc) >= (3, 0)
    path, version = require_tool(os.path.basename(pandoc), (3, 0), path=os.path.dirname(pandoc))
    assert path.is_file() and version >= (3, 0)
    proc = run_tool([pandoc, "-f", "markdown", "-t", "plain"], input="*é*")
    assert proc.stdout.strip() == "é"


def test_stderr_tail_keeps_the_end():
    text = "\n".join(f"l{i}" for i in range(100))
    assert stderr_tail(text, lines=3) == "l97\nl98\nl99"
    assert stderr_tail(b"a\n\nb\n") == "a\nb"
    assert stderr_tail(None) == ""


def test_quarto_argv():
    argv = quarto_argv("/opt/quarto/bin/quarto", "pole.ipynb", "pdf", "/tmp/sortie", {"lang": "fr"})
    assert argv == [
        "/opt/quarto/bin/quarto", "render", "pole.ipynb", "--to", "typst", "--no-execute",
        "--output-dir", "/tmp/sortie", "--metadata", "lang:fr",
    ]  # fmt: skip
    assert quarto_argv("quarto", "p.ipynb", "html", "out")[3:5] == ["--to", "html"]
    with pytest.raises(UnknownFormatError, match="format inconnu : docx"):
        quarto_argv("quarto", "p.ipynb", "docx", "out")


def test_real_quarto_version():
    if shutil.which("quarto") is None:
        pytest.skip("Quarto n'est pas installé sur cette machine : test de la vraie version sauté.")
    _, version = check_quarto()
    assert version >= MINIMUM
