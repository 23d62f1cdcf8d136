"""Uploaded files (report evidence, complaint attachments): what the content says the file is, and files
without the metadata that could name whoever made them.

The type is read from the bytes, never from the name or the browser's word: JPEG, PNG, PDF, and the
Office Open XML files Word and Excel write (a ZIP holding ``word/`` or ``xl/``). Photos are decoded and
written again by Pillow, which keeps only the pixels: the location, camera and any other EXIF, XMP or
text chunks are gone, and a file that does not decode as the image it claims to be is refused.

``scrub`` (complaint attachments) goes further: a PDF loses its document information and XMP metadata
(through qpdf, by pikepdf: PDF is never parsed here), the annotations' authors and its file identifier;
a Word or Excel file is written again as a new ZIP without its document and application properties, its
custom properties, its comment and tracked-change authors and dates, Word's editing-session ids, Excel's
saved folder path, the members' times and the photos' EXIF, within limits that stop a ZIP bomb.
What was removed and what remains is said to the reporter in ``Scrubbed.removed`` / ``remains``.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import zipfile
from dataclasses import dataclass

import pikepdf
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a decompression bomb stops here, well before memory does
ZIP_MAX_MEMBERS = (
    2_000  # a long Word report has about 30, a workbook with many sheets and images a few hundred
)
ZIP_MAX_UNCOMPRESSED = 100 * 1024 * 1024  # counted while reading, not taken from what the ZIP declares
PDF_EOF_WINDOW = 1024  # the spec's "%%EOF" must be within the last 1024 bytes: without it the file was cut


# What zipfile raises for a damaged or hostile archive: a central directory that claims a version it cannot
# read raises NotImplementedError, a truncated one EOFError or struct.error. Every reader of an upload's ZIP
# (Office files here, spreadsheets in lib/xlsx.py and ita/tabular.py) refuses the file on any of these.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    OSError,
    ValueError,
    EOFError,
    struct.error,
)


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
        except ZIP_ERRORS:
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
            # A phone's "rotate" flag goes with the EXIF: apply it first (a malformed one is ignored).
            upright: Image.Image = image
            with contextlib.suppress(Exception):
                upright = ImageOps.exif_transpose(image)
            keeps = ("RGB", "L") if kind.key == "jpeg" else ("RGB", "RGBA", "L", "LA")
            mode = upright.mode if upright.mode in keeps else ("RGB" if kind.key == "jpeg" else "RGBA")
            pixels = upright if upright.mode == mode else upright.convert(mode)
            clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise FileRefused(_("ไฟล์รูปภาพเสียหายหรือไม่ตรงกับชนิดของไฟล์")) from None
    out = io.BytesIO()
    if kind.key == "jpeg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return out.getvalue()


# --- scrub: complaint attachments ------------------------------------------------------------------


@dataclass(frozen=True)
class Scrubbed:
    """A file without the metadata that could name its author, and, for the reporter, in Thai sentences,
    what was removed and what remains."""

    data: bytes
    kind: Kind
    removed: tuple[str, ...]
    remains: tuple[str, ...]


def scrub(data: bytes) -> Scrubbed:
    """The file without its metadata; ``FileRefused`` (with a Thai message) for anything else, whatever the
    bytes: never another exception."""
    try:
        kind = sniff(data)
        if kind.key in {"jpeg", "png"}:
            return Scrubbed(without_metadata(data, kind), kind, _image_removed(), _image_remains())
        if kind.key == "pdf":
            return _scrub_pdf(data, kind)
        return _scrub_office(data, kind)
    except FileRefused:
        raise
    except (MemoryError, RecursionError):
        raise FileRefused(_("ไฟล์นี้ใหญ่หรือซับซ้อนเกินกว่าจะตรวจได้")) from None
    except Exception:  # hostile input: whatever a parser raises, the reporter gets a message
        raise FileRefused(_("ไฟล์เสียหายหรืออ่านไม่ได้ โปรดตรวจไฟล์แล้วแนบใหม่")) from None


def _image_removed() -> tuple[str, ...]:
    return (_("ตำแหน่ง (GPS) รุ่นกล้อง วันเวลาที่ถ่าย และข้อมูลอื่นที่ฝังในไฟล์รูป (EXIF, XMP)"),)


def _image_remains() -> tuple[str, ...]:
    return (_("ภาพยังอยู่ครบ สิ่งที่เห็นในภาพ เช่น ใบหน้า ป้ายชื่อ หรือเงาสะท้อน อาจระบุตัวผู้ถ่ายหรือสถานที่ได้"),)


def _scrub_pdf(data: bytes, kind: Kind) -> Scrubbed:
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise FileRefused(_("ไฟล์ PDF ไม่ครบ (อาจดาวน์โหลดหรือคัดลอกมาไม่หมด) โปรดแนบไฟล์ใหม่"))
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise FileRefused(_("ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ โปรดแนบไฟล์ที่ไม่มีรหัสผ่าน")) from None
    except pikepdf.PdfError:
        raise FileRefused(_("ไฟล์ PDF เสียหายหรืออ่านไม่ได้ โปรดตรวจไฟล์แล้วแนบใหม่")) from None
    with pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:  # the document's XMP and any page's, image's or font's own
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", pikepdf.Array()):
                if not isinstance(annotation, pikepdf.Dictionary):
                    continue
                if annotation.get("/Subtype") in (pikepdf.Name.Widget, pikepdf.Name.Link):
                    continue  # a form field's /T is its name, not an author
                for key in ("/T", "/M", "/CreationDate"):
                    if key in annotation:
                        del annotation[key]
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,  # a new /ID from the content: the original linked to other copies
            fix_metadata_version=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # streams copied, never inflated: no bomb
            encryption=False,
        )
    removed = (
        _("ชื่อผู้เขียน ชื่อเรื่อง โปรแกรมที่สร้าง และวันเวลาที่สร้างหรือแก้ไขเอกสาร (ข้อมูลเอกสารและ XMP)"),
        _("ชื่อผู้เขียนและวันเวลาของความเห็นในเอกสาร"),
        _("รหัสประจำไฟล์ที่โยงไปยังสำเนาอื่นของเอกสารเดียวกัน"),
    )
    remains = (
        _("ข้อความและภาพในเอกสารยังอยู่ครบ อาจระบุตัวผู้เขียนได้"),
        _("รูปถ่ายที่อยู่ในไฟล์ PDF ยังมีข้อมูลที่ฝังไว้ได้ (เช่น ตำแหน่งที่ถ่าย) หากกังวล ให้แนบรูปนั้นแยกเป็นไฟล์รูป"),
    )
    return Scrubbed(out.getvalue(), kind, removed, remains)


CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    b' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)
APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
_VALUE = rb'(?:"[^"]*"|\'[^\']*\')'
# Attributes naming a person or a time, in Word's comments, tracked changes and people, and Excel's
# threaded comments, persons, shared-workbook and revision parts: blanked (an empty name) or dropped (a
# time is optional where it occurs, an empty one would not be valid).
_NAMES = re.compile(
    rb"(\s(?:w|w15|w16cid|w16cex)?:?(?:author|initials|userId|providerId|userName|displayName)=)" + _VALUE
)
_TIMES = re.compile(rb"\s(?:w|w16cex)?:?(?:date|dateUtc|dateTime|dT)=" + _VALUE)
_RSIDS = re.compile(rb"\sw:rsid\w*=" + _VALUE)  # Word's editing-session ids tie files from one computer
_RSID_TABLE = re.compile(rb"<w:rsids>.*?</w:rsids>", re.S)
_ABS_PATH = re.compile(rb"(<x15ac:absPath\s[^>]*?url=)" + _VALUE)  # C:\Users\<name>\... where it was saved
_XL_AUTHORS = re.compile(rb"<author>[^<]*</author>")
_CUSTOM_REL = re.compile(rb"<Relationship\s[^>]*Target=\"/?docProps/custom\.xml\"[^>]*/>")
_CUSTOM_TYPE = re.compile(rb"<Override\s[^>]*PartName=\"/docProps/custom\.xml\"[^>]*/>")
_PEOPLE_PARTS = re.compile(
    r"^(word/(comments\w*|people|document|footnotes|endnotes|header\d*|footer\d*|settings)\.xml"
    r"|xl/(comments\w*|comments/\w+|persons/\w+|threadedComments/\w+|revisions/\w+|workbook)\.xml)$"
)
MEDIA = re.compile(r"^(word|xl)/media/[^/]+$")


def _scrub_part(name: str, content: bytes) -> bytes:
    if name == "docProps/core.xml":
        return CORE_XML
    if name == "docProps/app.xml":
        return APP_XML
    if name in {"_rels/.rels"}:
        return _CUSTOM_REL.sub(b"", content)
    if name == "[Content_Types].xml":
        return _CUSTOM_TYPE.sub(b"", content)
    if _PEOPLE_PARTS.match(name):
        content = _NAMES.sub(rb'\1""', content)
        content = _TIMES.sub(b"", content)
        if name.startswith("word/"):
            content = _RSID_TABLE.sub(b"", _RSIDS.sub(b"", content))
        else:
            content = _XL_AUTHORS.sub(b"<author></author>", _ABS_PATH.sub(rb'\1""', content))
        return content
    if MEDIA.match(name) and content.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        with contextlib.suppress(FileRefused):  # a picture Pillow cannot read is left as Word wrote it
            return without_metadata(content, sniff(content))
    return content


def _scrub_office(data: bytes, kind: Kind) -> Scrubbed:
    too_big = _("ไฟล์ Word หรือ Excel นี้มีส่วนประกอบมากหรือใหญ่เกินไปเมื่อขยาย (อาจเป็นไฟล์อันตราย) จึงไม่รับ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
        names = [m.filename for m in members]
        if len(members) > ZIP_MAX_MEMBERS:
            raise FileRefused(too_big)
        if len(set(names)) != len(names):
            raise FileRefused(_("ไฟล์เสียหายหรืออ่านไม่ได้ โปรดตรวจไฟล์แล้วแนบใหม่"))
        budget = ZIP_MAX_UNCOMPRESSED
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for member in members:
                if member.is_dir() or member.filename == "docProps/custom.xml":
                    continue
                with archive.open(member) as source:
                    content = source.read(budget + 1)  # bounded whatever the ZIP claims
                budget -= len(content)
                if budget < 0:
                    raise FileRefused(too_big)
                clean = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
                clean.compress_type = zipfile.ZIP_DEFLATED
                rewritten.writestr(clean, _scrub_part(member.filename, content))
    if sniff(out.getvalue()) != kind:
        raise FileRefused(_("ไฟล์เสียหายหรืออ่านไม่ได้ โปรดตรวจไฟล์แล้วแนบใหม่"))
    removed = (
        _("ชื่อผู้สร้าง ผู้แก้ไขล่าสุด ชื่อเรื่อง หัวเรื่อง คำสำคัญ และวันเวลาที่สร้างหรือแก้ไข (คุณสมบัติของเอกสาร)"),
        _("ชื่อบริษัท ผู้จัดการ แม่แบบ เวลาที่ใช้แก้ไข และคุณสมบัติที่ผู้ใช้กำหนดเอง"),
        _("ชื่อผู้เขียนความเห็นและผู้แก้ไขที่ติดตามการเปลี่ยนแปลง พร้อมวันเวลา และโฟลเดอร์ที่บันทึกไฟล์"),
        _("วันเวลาของส่วนประกอบภายในไฟล์ และข้อมูลที่ฝังในรูปภาพในเอกสาร"),
    )
    remains = (
        _("ข้อความ ตาราง และภาพในเอกสารยังอยู่ครบ อาจระบุตัวผู้เขียนได้"),
        _("เนื้อหาของความเห็นและการแก้ไขที่ติดตามไว้ยังอยู่ ให้ยอมรับหรือลบออกก่อนแนบหากไม่ต้องการให้ผู้อื่นเห็น"),
    )
    return Scrubbed(out.getvalue(), kind, removed, remains)
