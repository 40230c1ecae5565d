"""French formats and typography."""

from ptce_mono.fr import NBSP, NNBSP, format_euros, format_number, format_percent, typography


def test_numbers_use_french_separators() -> None:
    assert format_number(1234.5, 1) == f"1{NNBSP}234,5"
    assert format_number(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert format_number(None) == "—"
    assert format_number(float("nan")) == "—"


def test_percent_and_euros() -> None:
    assert format_percent(12) == f"12{NNBSP}%"
    assert format_percent(12.345, 1) == f"12,3{NNBSP}%"
    assert format_euros(1500) == f"1{NNBSP}500{NBSP}€"


def test_typography_spaces_before_double_punctuation() -> None:
    assert typography("Pourquoi ? Parce que ; voilà : « oui » !") == (
        f"Pourquoi{NNBSP}? Parce que{NNBSP}; voilà{NBSP}: «{NBSP}oui{NBSP}»{NNBSP}!"
    )


def test_typography_leaves_urls_and_entities_alone() -> None:
    assert typography("https://exemple.org/a?b=1") == "https://exemple.org/a?b=1"
    assert typography("&lt;script&gt;") == "&lt;script&gt;"
