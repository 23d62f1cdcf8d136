"""Uploaded files (report evidence, complaint attachments): what the content says the file is, and photos without metadata.

The type is read from the bytes, never from the name or the browser's word: JPEG, PNG, PDF, and the
Office Open XML files Word and Excel write (a ZIP holding ``word/`` or ``xl/``). Photos are decoded and
written again by Pillow, which keeps only the pixels: the location, camera and any other EXIF, XMP or
text chunks are gone, and a file that does not decode as the image it claims to be is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a decompression bomb stops here, well before memory does


class FileRefused(ValueError):
    pass


@dataclass(frozen=True)
class Kind:
    key: str
    content_type: str
    extension: str
    inline: bool  # shown in the browser rather than downloaded


KINDS = {
    "jpeg": Kind("jpeg", "image/jpeg", "jpg", True),
    "png": Kind("png", "image/png", "png", True),
    "pdf": Kind("pdf", "application/pdf", "pdf", False),
    "docx": Kind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", False
    ),
    "xlsx": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", False),
}


def sniff(data: bytes) -> Kind:
    """The file's kind by its content; FileRefused for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if data.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            names = set()
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return KINDS["docx"]
            if any(n.startswith("xl/") for n in names):
                return KINDS["xlsx"]
    raise FileRefused(_("รับเฉพาะรูปภาพ (JPEG, PNG), PDF, Word (.docx) และ Excel (.xlsx)"))


def without_metadata(data: bytes, kind: Kind) -> bytes:
    """The image re-encoded from its pixels only (other kinds are returned as they are)."""
    if kind.key not in {"jpeg", "png"}:
        return data
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != ("JPEG" if kind.key == "jpeg" else "PNG"):
                raise FileRefused(_("ไฟล์รูปภาพเสียหายหรือไม่ตรงกับชนิดของไฟล์"))
            image.load()
            keeps = ("RGB", "L") if kind.key == "jpeg" else ("RGB", "RGBA", "L", "LA")
            mode = image.mode if image.mode in keeps else ("RGB" if kind.key == "jpeg" else "RGBA")
            pixels = image if image.mode == mode else image.convert(mode)
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise FileRefused(_("ไฟล์รูปภาพเสียหายหรือไม่ตรงกับชนิดของไฟล์")) from None
    out = io.BytesIO()
    if kind.key == "jpeg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()
