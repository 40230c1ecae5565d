"""The analysis grid and the référentiel as a codebook: REFI-QDA (QDC) and Taguette's CSV.

Code names are stable identifiers (``finalites``, ``finalites-1``, ``ref-b``, ``ref-b2``) that
:mod:`ptce_mono.corpus.codes` reads back; descriptions carry the French wording. GUIDs are
derived from the names, so a codebook written twice is byte-identical.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from ..core.inert import neutralise_cell
from ..corpus.codes import REF_PREFIX
from ..corpus.grid import Grid
from ..corpus.referentiel import Referentiel

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
_GUID_NAMESPACE = uuid.UUID("6f1c2a52-3b0e-4c6e-9a63-7d2b5e0f4a11")
SECTION_COLOUR = "#1F5C99"
REF_COLOUR = "#B35900"


@dataclass(frozen=True)
class Code:
    name: str
    description: str
    colour: str
    children: tuple[Code, ...] = ()


def code_guid(name: str) -> str:
    return str(uuid.uuid5(_GUID_NAMESPACE, name))


def codebook_codes(grid: Grid, ref: Referentiel) -> list[Code]:
    """Sections with their guiding questions, then principal objectives with their indicators."""
    codes = [
        Code(
            s.id,
            f"{s.number}. {s.title} — {s.description}".strip(" —"),
            SECTION_COLOUR,
            tuple(Code(q.id, q.text, SECTION_COLOUR) for q in s.questions),
        )
        for s in grid.sections
    ]
    for objective in ref.objectives:
        codes.append(
            Code(
                REF_PREFIX + objective.id,
                f"Référentiel {ref.version}, objectif {objective.id} : {objective.label}",
                REF_COLOUR,
                tuple(
                    Code(
                        REF_PREFIX + i.id,
                        f"Référentiel {ref.version}, indicateur {i.id} : {i.display}",
                        REF_COLOUR,
                    )
                    for i in objective.indicators
                ),
            )
        )
    return codes


def _code_xml(code: Code, indent: str) -> list[str]:
    head = (
        f'{indent}<Code guid="{code_guid(code.name)}" name={quoteattr(code.name)} '
        f'isCodable="true" color="{code.colour}">'
    )
    lines = [head, f"{indent}  <Description>{_text(code.description)}</Description>"]
    for child in code.children:
        lines += _code_xml(child, indent + "  ")
    lines.append(f"{indent}</Code>")
    return lines


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def qdc_codebook(grid: Grid, ref: Referentiel) -> str:
    """A REFI-QDA codebook (``.qdc``) in the ``urn:QDA-XML:codebook:1.0`` namespace."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<CodeBook xmlns="{QDC_NAMESPACE}" origin="ptce-mono">',
        "  <Codes>",
    ]
    for code in codebook_codes(grid, ref):
        lines += _code_xml(code, "    ")
    lines += ["  </Codes>", "</CodeBook>", ""]
    return "\n".join(lines)


def taguette_codebook(grid: Grid, ref: Referentiel) -> str:
    """The codebook CSV that Taguette imports: columns ``tag`` and ``description``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tag", "description"])

    def walk(codes: tuple[Code, ...] | list[Code]) -> None:
        for code in codes:
            writer.writerow([neutralise_cell(code.name), neutralise_cell(code.description)])
            walk(code.children)

    walk(codebook_codes(grid, ref))
    return out.getvalue()
