"""``files.scrub``: complaint attachments without the metadata that names their author, still opening,
and hostile files refused with a message, never another exception."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.comments import Comment
from PIL import ExifTags, Image

from prongsai.lib import files
from prongsai.lib.files import FileRefused, scrub

MARKER = "Somchai-Marker-5521"


def _everything_in_zip(data: bytes) -> bytes:
    """Every member decompressed, and the names: what a search of the file for the marker must not find."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(name.encode() + b"\n" + archive.read(name) for name in archive.namelist())


def _everything_in_pdf(data: bytes) -> bytes:
    chunks = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        chunks.append(repr(pdf.trailer).encode())
        for obj in pdf.objects:
            chunks.append(repr(obj).encode(errors="replace"))
            if isinstance(obj, pikepdf.Stream):
                chunks.append(obj.read_bytes())
    return b"\n".join(chunks)


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = MARKER
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90°": the clean photo must still be upright
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (13.0, 45.0, 22.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (100.0, 30.0, 1.5)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_gps_and_description_and_is_turned_upright():
    data = _jpeg_with_gps()
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo) and MARKER.encode() in data
    clean = scrub(data)
    assert clean.kind.key == "jpeg" and MARKER.encode() not in clean.data
    with Image.open(io.BytesIO(clean.data)) as after:
        assert after.format == "JPEG" and after.size == (20, 40)
        assert not after.getexif() and "exif" not in after.info
    assert any("GPS" in sentence for sentence in clean.removed) and clean.remains


def _pdf_with_author() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = MARKER
    pdf.docinfo["/Title"] = f"Complaint draft by {MARKER}"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [MARKER]
        meta["xmp:CreatorTool"] = MARKER
    note = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            T=pikepdf.String(MARKER),
            Contents=pikepdf.String("the note's text stays"),
        )
    )
    pdf.pages[0].obj["/Annots"] = pdf.make_indirect(pikepdf.Array([note]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_pdf_loses_its_author_xmp_and_annotation_authors_and_still_opens():
    data = _pdf_with_author()
    assert MARKER.encode() in _everything_in_pdf(data)
    clean = scrub(data)
    assert clean.kind.key == "pdf"
    assert MARKER.encode() not in _everything_in_pdf(clean.data)
    with pikepdf.open(io.BytesIO(clean.data)) as pdf:
        assert len(pdf.pages) == 1 and "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        assert str(pdf.pages[0].obj.Annots[0].Contents) == "the note's text stays"
    assert "ข้อความและภาพในเอกสารยังอยู่ครบ อาจระบุตัวผู้เขียนได้" in clean.remains


def _with_custom_properties(data: bytes) -> bytes:
    """Add docProps/custom.xml the way Word does (a part, a package relationship, a content type)."""
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="Owner">'
        f"<vt:lpwstr>{MARKER}</vt:lpwstr></property></Properties>"
    ).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            if name == "_rels/.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
                )
            target.writestr(name, content)
        target.writestr("docProps/custom.xml", custom)
    return out.getvalue()


def _docx_with_author() -> bytes:
    document = docx.Document()
    document.core_properties.author = MARKER
    document.core_properties.last_modified_by = MARKER
    document.core_properties.title = MARKER
    paragraph = document.add_paragraph("ข้อความร้องเรียนยังอยู่")
    document.add_comment(paragraph.runs, text="ตรวจสอบ", author=MARKER, initials="SM")
    out = io.BytesIO()
    document.save(out)
    return _with_custom_properties(out.getvalue())


def test_a_word_file_loses_its_author_properties_and_comment_authors_and_still_opens():
    data = _docx_with_author()
    assert MARKER.encode() in _everything_in_zip(data)
    clean = scrub(data)
    assert clean.kind.key == "docx"
    assert MARKER.encode() not in _everything_in_zip(clean.data)
    reopened = docx.Document(io.BytesIO(clean.data))
    assert reopened.paragraphs[0].text == "ข้อความร้องเรียนยังอยู่"
    assert reopened.core_properties.author == "" and reopened.core_properties.title == ""
    assert [comment.text for comment in reopened.comments] == ["ตรวจสอบ"]
    with zipfile.ZipFile(io.BytesIO(clean.data)) as archive:
        assert "docProps/custom.xml" not in archive.namelist()
        assert b"docProps/custom.xml" not in archive.read("_rels/.rels") + archive.read("[Content_Types].xml")
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None


def test_an_excel_file_loses_its_creator_and_comment_authors_and_still_opens():
    book = openpyxl.Workbook()
    book.properties.creator = MARKER
    book.properties.lastModifiedBy = MARKER
    book.active["A1"] = "งบประมาณ"
    book.active["A1"].comment = Comment("ดูตรงนี้", MARKER)
    out = io.BytesIO()
    book.save(out)
    assert MARKER.encode() in _everything_in_zip(out.getvalue())
    clean = scrub(out.getvalue())
    assert clean.kind.key == "xlsx" and MARKER.encode() not in _everything_in_zip(clean.data)
    reopened = openpyxl.load_workbook(io.BytesIO(clean.data))
    assert reopened.active["A1"].value == "งบประมาณ" and reopened.active["A1"].comment.text.startswith(
        "ดูตรงนี้"
    )


def _office_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _message(data: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        scrub(data)
    return str(refused.value)


def test_a_zip_of_ten_thousand_members_is_refused_as_too_big():
    members = {f"word/m{n}.xml": b"" for n in range(10_000)}
    assert "มากหรือใหญ่เกินไป" in _message(_office_zip(members))


def test_a_zip_bomb_is_refused_while_reading():
    bomb = _office_zip({"word/document.xml": b"\0" * (files.ZIP_MAX_UNCOMPRESSED + 1)})
    assert len(bomb) < 1_000_000
    assert "มากหรือใหญ่เกินไป" in _message(bomb)


def test_a_truncated_pdf_is_refused():
    data = _pdf_with_author()
    for cut in (len(data) // 2, len(data) - 8, 10):
        assert "PDF" in _message(data[:cut])


def test_a_pdf_with_a_password_is_refused():
    pdf, out = pikepdf.open(io.BytesIO(_pdf_with_author())), io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert "รหัสผ่าน" in _message(out.getvalue())


def test_a_png_claiming_to_be_a_jpeg_is_refused():
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, format="PNG")
    assert "รูปภาพ" in _message(b"\xff\xd8\xff" + png.getvalue())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a file",
        b"%PDF-1.7\n%%EOF",
        b"%PDF-1.7\n" + b"\0" * 2000 + b"%%EOF",
        b"PK\x03\x04garbage",
        b"\xff\xd8\xff\xe0" + b"\0" * 100,
        b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
    ],
)
def test_junk_is_refused_with_a_message(data):
    assert _message(data)


def test_a_zip_with_a_member_named_twice_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/document.xml", b"<b/>")
    assert _message(out.getvalue())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(["pdf", "docx"]),
    position=st.floats(0, 1),
    garbage=st.binary(min_size=1, max_size=64),
)
def test_a_damaged_file_is_either_scrubbed_or_refused(source, position, garbage):
    data = _PDF if source == "pdf" else _DOCX
    at = int(position * (len(data) - 1))
    damaged = data[:at] + garbage + data[at + len(garbage) :]
    try:
        clean = scrub(damaged)
    except FileRefused:
        return
    assert clean.kind.key == source


_PDF = _pdf_with_author()
_DOCX = _docx_with_author()
