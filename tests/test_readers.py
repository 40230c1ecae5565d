"""One reader contract for every import format (issue 21, item 3): bounded archives, one bounded
tabular reader (one encoding policy, one delimiter rule), a registry of formats that both
importers dispatch through, one all-or-nothing writer, codes resolved against the pole's
référentiel version.

Every file is written by the real library of its format (``csv``, ``openpyxl``, ``zipfile``).
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from ptce_mono.errors import FieldworkError
from ptce_mono.limits import MAX_MEMBER_BYTES, MAX_UNCOMPRESSED_BYTES
from ptce_mono.paths import ProjectPaths
from tests.test_fieldwork import make_terrain


@pytest.fixture
def terrain(tmp_path: Path) -> ProjectPaths:
    return make_terrain(tmp_path / "projet")


# --- archives: every member bounded before decompression ---------------------------------------


def test_a_qdpx_member_above_the_cap_is_refused_naming_archive_and_member(tmp_path: Path) -> None:
    from ptce_mono.fieldwork.qdpx import read_qdpx
    from tests.qdpx_builder import write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    path = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        with new.open("Sources/enorme.txt", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(MAX_MEMBER_BYTES // len(block) + 1):  # just above the cap
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024  # small on disk, huge once decompressed
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert str(path) in message and "« Sources/enorme.txt »" in message
    assert "une fois décompressé" in message and "limite : 100 Mio" in message


def _forge_sizes(path: Path, prefix: str, compressed: int, size: int) -> None:
    """Rewrite the central directory of ``path`` so that members named ``prefix…`` declare
    ``size`` bytes once decompressed (``compressed`` in the archive): a lying header."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        name = bytes(data[at + 46 : at + 46 + name_len]).decode("utf-8")
        if name.startswith(prefix):
            struct.pack_into("<II", data, at + 20, compressed, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_an_archive_whose_members_total_too_much_is_refused_before_decompression(
    tmp_path: Path,
) -> None:
    from ptce_mono.fieldwork.qdpx import read_qdpx
    from tests.qdpx_builder import write_qdpx

    base = write_qdpx(tmp_path / "base.qdpx")
    path = tmp_path / "total.qdpx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        for k in range(6):
            new.writestr(f"Sources/audio-{k}.m4a", b"x" * 64)
    # each under the member cap and under the ratio limit, all together above the total cap
    each = MAX_UNCOMPRESSED_BYTES // 5
    assert each < MAX_MEMBER_BYTES
    _forge_sizes(path, "Sources/audio-", each // 100, each)
    with pytest.raises(FieldworkError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert str(path) in message and "Sources/audio-" in message
    assert "refusée sans la décompresser" in message and "400 Mio" in message
