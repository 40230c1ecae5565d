"""The privacy oracle (tests/privacy_oracle.py) on cases written by hand: names read from the
private table files, normalised comparison, every published format; and the pseudonymity of
stored answers checked on the submission ids themselves, read from the exports."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from ptce_mono.importers.answers import import_answers
from tests.conftest import FIXTURES
from tests.participation_helpers import network_project
from tests.privacy_oracle import leaks, names_in_private_tables, normalise, published_text

PRIVATE = FIXTURES / "terrain" / "prive"
EXPORTS = FIXTURES / "participation" / "exports"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Maëlle Trévoux", "maelle trevoux"),
        ("Mae\u0308lle Tre\u0301voux", "maëlle trévoux"),  # decomposed (NFD) against composed
        ("MAËLLE\u00a0TRÉVOUX", "maelle trevoux"),
        ("Maëlle\u202f\n Trévoux", "maelle trevoux"),
        ("d\u2019Arcy", "d'arcy"),
        ("ﬁlle", "fille"),  # compatibility ligature
    ],
)
def test_normalise_compares_case_accents_spaces_and_forms(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_names_come_from_the_private_table_files() -> None:
    assert names_in_private_tables(PRIVATE) == {
        "maelle trevoux", "maelle", "trevoux", "bastien corrigou", "bastien", "corrigou"
    }  # fmt: skip


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose content stream draws ``text`` (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx(paragraph_runs: list[str]) -> bytes:
    runs = "".join(f"<w:r><w:t>{r}</w:t></w:r>" for r in paragraph_runs)
    body = f'<w:document xmlns:w="w"><w:body><w:p>{runs}</w:p><w:p><w:r><w:t>suite</w:t></w:r></w:p></w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
    return buffer.getvalue()


NOTEBOOK = {"cells": [{"cell_type": "code", "source": "x = 1", "outputs": [
    {"output_type": "display_data", "data": {"text/markdown": "Dit par **Bastien**."}}]}]}  # fmt: skip
FORMATS = {
    "page.html": b"<p>Propos de Ma&euml;lle Tr&eacute;voux</p>",
    "attribut.html": b'<img alt="Portrait de Corrigou">',
    "monographie.pdf": tiny_pdf("Entretien avec Bastien Corrigou"),
    "monographie.ipynb": json.dumps(NOTEBOOK).encode(),
    "fragment.pf_fragment": gzip.compress('{"content":"MAËLLE a dit"}'.encode()),
    "table.csv": b'id,texte\n1,"selon trevoux"\n',
    "relecture.docx": docx(["Ma", "ëlle ", "a relu"]),
    "nfd.txt": "Mae\u0308lle".encode(),
}


@pytest.mark.parametrize("name", FORMATS)
def test_a_name_is_found_in_every_published_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(FORMATS[name])
    assert leaks([path], names_in_private_tables(PRIVATE)) != []


def test_no_false_alarm_and_unknown_formats_fail(tmp_path: Path) -> None:
    clean = tmp_path / "propre.html"
    clean.write_text("<p>La salariée d'une structure membre, Maëllevilloise.</p>", "utf-8")
    assert leaks([clean], names_in_private_tables(PRIVATE)) == []
    image = tmp_path / "carte.png"
    image.write_bytes(b"\x89PNG Maelle")
    assert published_text(image) is None
    odd = tmp_path / "inconnu.bin"
    odd.write_bytes(b"Maelle")
    with pytest.raises(AssertionError, match="ne sait pas lire"):
        leaks([odd], ["maelle"])


def _export_ids() -> set[str]:
    """The submission ids and contact values of the fixture exports, read from the files:
    Kobo's _uuid, meta/instanceID and e-mail; LimeSurvey's seed, names and e-mail."""
    ids: set[str] = set()
    kobo = list(
        csv.DictReader(io.StringIO((EXPORTS / "kobo.csv").read_text("utf-8")), delimiter=";")
    )
    for row in kobo:
        ids |= {row["_uuid"], row["meta/instanceID"], row["contact/courriel"]}
    lime = list(csv.DictReader(io.StringIO((EXPORTS / "limesurvey.csv").read_text("utf-8"))))
    for row in lime:
        ids |= {row["seed"], row["firstname"], row["lastname"], row["email"]}
    return {i for i in ids if len(i) >= 6}


def test_stored_answers_hold_no_submission_id_or_contact(tmp_path: Path) -> None:
    ids = _export_ids()
    assert len(ids) > 40  # the exports do carry ids to look for
    project = network_project(tmp_path)
    import_answers(project, [EXPORTS / "kobo.csv", EXPORTS / "limesurvey.csv"])
    stored = {p: p.read_text(encoding="utf-8") for p in project.poles.rglob("referentiel/*.yaml")}
    assert stored
    text = normalise("\n".join(stored.values()))
    assert [i for i in ids if normalise(i) in text] == []
    # nor any uuid-shaped value at all, whatever its column
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}", text)
