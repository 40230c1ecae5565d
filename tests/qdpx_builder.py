"""Builds REFI-QDA project files (.qdpx) of the fictional Val de Brume fieldwork for the tests.

``python -m tests.qdpx_builder`` rewrites ``tests/fixtures/terrain/exports/val-de-brume.qdpx``.
Variants (inclusive ends, wrong namespace, missing project.qde…) are built the same way.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

TERRAIN = Path(__file__).resolve().parent / "fixtures" / "terrain"
NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = uuid.UUID("0b7f3c1e-6a55-4f0e-8d0b-3f6f2f3c9a10")


def guid(name: str) -> str:
    return str(uuid.uuid5(_NS, name))


@dataclass(frozen=True)
class Interview:
    name: str
    file: str
    role: str
    date: str
    consent: bool
    selections: tuple[tuple[str, tuple[str, ...]], ...]  # (first words … last words, codes)


INTERVIEWS = (
    Interview(
        "Entretien Trévoux",
        "entretien-trevoux.txt",
        "salariée d'une structure membre",
        "2025-03-12",
        True,
        (
            ("Au début, on était trois structures|au même moment.", ("origine",)),
            (
                "Le conseil de coopération se réunit|collège à part entière.",
                ("gouvernance", "voix des habitants"),
            ),
            ("Sans la subvention de la Région|mais c'est lent.", ("financements publics",)),
        ),
    ),
    Interview(
        "Entretien Corrigou",
        "entretien-corrigou.txt",
        "élu local",
        "2025-04-03",
        True,
        (
            ("Pour nous, élus, le pôle|plusieurs en insertion.", ("impacts", "ref-g2")),
            ("La commune met à disposition|l'affaire des structures.", ("gouvernance",)),
            ("Le modèle économique tient|un peu chaque année.", ("modele-economique",)),
        ),
    ),
)
CODES = ("origine", "gouvernance", "modele-economique", "impacts", "ref-g2",
         "financements publics", "voix des habitants")  # fmt: skip


def text_of(interview: Interview) -> str:
    return (TERRAIN / "sources" / interview.file).read_text(encoding="utf-8")


def span(text: str, selection: str) -> tuple[int, int]:
    """Exclusive (start, end) of the passage « first words|last words »."""
    first, last = selection.split("|")
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def project_xml(
    inclusive: bool = False,
    namespace: str = NAMESPACE,
    inline_first: bool = True,
    sources_folder: str = "Sources",
    shift: int = 0,
    extra_code: str | None = None,
    with_names: bool = True,
) -> str:
    """project.qde: the first interview inline (PlainTextContent), the second by plainTextPath."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="{namespace}" name="Val de Brume (fictif)" origin="tests ptce-mono">',
        "  <Users>",
        f'    <User guid="{guid("user")}" name="Chercheuse fictive"/>',
        "  </Users>",
        "  <CodeBook>",
        "    <Codes>",
    ]
    codes = CODES + ((extra_code,) if extra_code else ())
    for code in codes:
        lines.append(f'      <Code guid="{guid(code)}" name={quoteattr(code)} isCodable="true"/>')
    lines += ["    </Codes>", "  </CodeBook>", "  <Variables>"]
    for var in ("role", "date", "consentement"):
        kind = "Boolean" if var == "consentement" else "Text"
        lines.append(
            f'    <Variable guid="{guid("var-" + var)}" name="{var}" typeOfVariable="{kind}"/>'
        )
    lines += ["  </Variables>", "  <Cases>"]
    for interview in INTERVIEWS:
        lines.append(
            f'    <Case guid="{guid("case-" + interview.name)}" name={quoteattr(interview.name)}>'
        )
        for var, value, element in (
            ("role", interview.role, "TextValue"),
            ("date", interview.date, "TextValue"),
            ("consentement", "true" if interview.consent else "false", "BooleanValue"),
        ):
            lines += [
                "      <VariableValue>",
                f'        <VariableRef targetGUID="{guid("var-" + var)}"/>',
                f"        <{element}>{escape(value)}</{element}>",
                "      </VariableValue>",
            ]
        lines.append(f'      <SourceRef targetGUID="{guid("source-" + interview.name)}"/>')
        lines.append("    </Case>")
    lines += ["  </Cases>", "  <Sources>"]
    for index, interview in enumerate(INTERVIEWS):
        text = text_of(interview)
        inline = inline_first and index == 0
        path_attr = "" if inline else f' plainTextPath="internal://{interview.file}"'
        lines.append(
            f'    <TextSource guid="{guid("source-" + interview.name)}" '
            f"name={quoteattr(interview.name)}{path_attr}>"
        )
        if inline:
            lines.append(f"      <PlainTextContent>{escape(text)}</PlainTextContent>")
        for number, (selection, sel_codes) in enumerate(interview.selections):
            start, end = span(text, selection)
            label = text[start:end] if with_names else ""
            end = end - 1 if inclusive else end
            end += shift
            lines.append(
                f'      <PlainTextSelection guid="{guid(f"sel-{interview.name}-{number}")}" '
                f'name={quoteattr(label)} startPosition="{start}" endPosition="{end}">'
            )
            for code in sel_codes:
                lines += [
                    f'        <Coding guid="{guid(f"coding-{interview.name}-{number}-{code}")}">',
                    f'          <CodeRef targetGUID="{guid(code)}"/>',
                    "        </Coding>",
                ]
            lines.append("      </PlainTextSelection>")
        lines.append("    </TextSource>")
    lines += ["  </Sources>", "</Project>", ""]
    return "\n".join(lines)


def write_qdpx(dest: Path, xml: str | None = None, sources_folder: str = "Sources",
               project_name: str = "project.qde", **options: object) -> Path:  # fmt: skip
    xml = xml if xml is not None else project_xml(**options)  # type: ignore[arg-type]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(project_name, (2025, 1, 1, 0, 0, 0)), xml)
        for interview in INTERVIEWS[1:]:
            info = zipfile.ZipInfo(f"{sources_folder}/{interview.file}", (2025, 1, 1, 0, 0, 0))
            archive.writestr(info, text_of(interview))
    return dest


if __name__ == "__main__":
    print(write_qdpx(TERRAIN / "exports" / "val-de-brume.qdpx"))
