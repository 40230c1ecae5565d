"""Is a returned file a DOCX we may open? Checked on the ZIP directory and bounded reads,
before anything decompresses it whole or pandoc sees it.

Refused, each with a French sentence naming the file: not a file, too large, not a ZIP (an old
``.doc``, a PDF, a text), an OpenDocument file, a ZIP that is not a Word document, a
macro-enabled document, a password-protected one, a ZIP bomb (too many members, too large once
decompressed, or a compression ratio no document has), an XML part that declares a DOCTYPE or
entities (external entities, « billion laughs »).
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from ..core.errors import ReviewError
from ..core.limits import format_size

MAX_DOCX_BYTES = 30 * 1024 * 1024  # a monograph with its figures is well under 5 Mio
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # every member together, once decompressed
MAX_XML_PART = 20 * 1024 * 1024  # one XML part
MAX_RATIO = 100  # decompressed / compressed, for a member over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEDIA_PART = 30 * 1024 * 1024  # one picture
MAIN_PART = "word/document.xml"
MEDIA = ("word/media/",)
# Macros (VBA) and ActiveX controls: active content, never opened.
MACRO_PARTS = re.compile(r"(^|/)(vbaProject[^/]*|vbaData\.xml|activeX[^/]*)$|(^|/)activeX/",
                         re.IGNORECASE)  # fmt: skip
MACRO_TYPES = ("macroenabled", "vbaproject", "activex")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse(path: Path, message: str) -> ReviewError:
    return ReviewError(path, f"{message} ; rien n'a été enregistré")


def _kind_of(head: bytes) -> str:
    if head.startswith(_OLE_MAGIC):
        return (
            "document Word ancien format (.doc) ou protégé par un mot de passe : enregistrez-le "
            "au format Word (.docx) sans mot de passe, puis importez-le"
        )
    if head.startswith(b"%PDF"):
        return "fichier PDF : seuls les documents Word (.docx) portent les commentaires"
    if head.lstrip().startswith((b"<", b"{\\rtf")):
        return "ce n'est pas un document Word (.docx) : fichier texte, HTML ou RTF"
    return "ce n'est pas un document Word (.docx) : le fichier n'est pas une archive DOCX"


def check_docx(path: Path) -> None:
    """Raise :class:`ReviewError` when ``path`` is not a DOCX safe to read; return otherwise."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ReviewError(path, "fichier introuvable") from exc
    except OSError as exc:
        raise ReviewError(path, f"lecture impossible ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "ce n'est pas un fichier ordinaire (dossier, périphérique ?)")
    if info.st_size > MAX_DOCX_BYTES:
        raise _refuse(path, f"document trop volumineux ({format_size(info.st_size)} ; limite : "
                      f"{format_size(MAX_DOCX_BYTES)})")  # fmt: skip
    if info.st_size == 0:
        raise _refuse(path, "fichier vide")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head.startswith(b"PK"):
        raise _refuse(path, _kind_of(head))
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(path, archive)
    except ReviewError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:  # fmt: skip
        raise _refuse(path, "archive DOCX illisible (fichier tronqué ou corrompu)") from exc


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _refuse(path, f"archive suspecte : {len(members)} fichiers (limite : {MAX_MEMBERS})")
    names = {m.filename for m in members}
    if "mimetype" in names and "content.xml" in names:
        raise _refuse(path, "document OpenDocument (.odt) : enregistrez-le au format Word "
                      "(.docx) depuis LibreOffice (Fichier > Enregistrer sous), puis importez-le")  # fmt: skip
    if MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise _refuse(path, "archive ZIP qui n'est pas un document Word (.docx) : "
                      f"« {MAIN_PART} » manquant")  # fmt: skip
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise _refuse(path, "document protégé par un mot de passe : enregistrez-le sans "
                          "mot de passe, puis importez-le")  # fmt: skip
        if MACRO_PARTS.search(member.filename):
            raise _refuse(path, "document avec macros (.docm) : refusé ; enregistrez-le au "
                          "format Word (.docx) sans macros, puis importez-le")  # fmt: skip
        total += member.file_size
        if total > MAX_UNCOMPRESSED:
            raise _refuse(path, "archive suspecte (bombe ZIP ?) : plus de "
                          f"{format_size(MAX_UNCOMPRESSED)} une fois décompressée")  # fmt: skip
        ratio_base = max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and member.file_size / ratio_base > MAX_RATIO:
            raise _refuse(path, f"archive suspecte (bombe ZIP ?) : « {member.filename} » se "
                          f"décompresse {member.file_size // ratio_base} fois")  # fmt: skip
    budget = [MAX_UNCOMPRESSED]  # bytes really decompressed, whatever the headers say
    for member in members:
        data = _read_member(path, archive, member, budget)
        if member.filename.lower().startswith(MEDIA):
            continue  # pictures: sizes checked, never parsed as XML
        if member.filename == "[Content_Types].xml" and any(
            t.encode() in data.lower() for t in MACRO_TYPES
        ):
            raise _refuse(path, "document avec macros ou contrôles actifs (.docm) : refusé ; "
                          "enregistrez-le au format Word (.docx) sans macros, puis importez-le")  # fmt: skip
        if _DECLARATION.search(_as_text(data)):
            raise _refuse(path, f"« {member.filename} » déclare une DTD ou des entités XML "
                          "(entités externes possibles) : refusé")  # fmt: skip


def _as_text(data: bytes) -> bytes:
    """XML bytes as UTF-8 for the search of declarations, whatever their encoding (UTF-16
    with or without its byte-order mark hides ``<!DOCTYPE`` from a byte search)."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) == 4 and 0 in (head[0], head[1])):
        for codec in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "<" in text:
                return text.encode("utf-8")
    if head[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return data.decode("utf-32", errors="ignore").encode("utf-8")
    return data


def _read_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo,
                 budget: list[int]) -> bytes:  # fmt: skip
    """A member decompressed at most to its limit and to what is left of the archive's
    budget, whatever its header says (a header may lie about the size)."""
    limit = MAX_MEDIA_PART if member.filename.lower().startswith(MEDIA) else MAX_XML_PART
    if member.file_size > limit:
        raise _refuse(
            path, f"« {member.filename} » trop volumineux ({format_size(member.file_size)})"
        )
    chunks: list[bytes] = []
    read = 0
    with archive.open(member) as handle:
        while chunk := handle.read(64 * 1024):
            read += len(chunk)
            budget[0] -= len(chunk)
            if read > limit or budget[0] < 0:
                raise _refuse(path, f"archive suspecte (bombe ZIP ?) : « {member.filename} » se "
                              "décompresse bien au-delà de ce qu'annonce l'archive")  # fmt: skip
            chunks.append(chunk)
    return b"".join(chunks)
