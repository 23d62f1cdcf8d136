"""Putting the pages of one PDF under the pages of another (overlay.py), on PDFs that Typst writes."""

import datetime as dt

import pytest

from prongsai.documents.fonts import font_folder
from prongsai.documents.overlay import Pdf, PdfError, underlay
from prongsai.documents.tests.helpers import pdf_pages, run_tool

TRICKY_TITLE = r"แผน (1 0 R) \ ) ( 2 0 R"


def typst_pdf(tmp_path, name, source):
    import typst

    path = tmp_path / f"{name}.typ"
    path.write_text(source, encoding="utf-8")
    compiler = typst.Compiler(
        str(path), root=str(tmp_path), font_paths=[str(font_folder())], ignore_system_fonts=True
    )
    pdf = compiler.compile(format="pdf", timestamp=0, pdf_tags=False)
    assert isinstance(pdf, bytes)
    return pdf


@pytest.fixture
def pdfs(tmp_path, db):
    title = TRICKY_TITLE.replace("\\", "\\\\")
    document = typst_pdf(
        tmp_path,
        "document",
        f'#set document(title: "{title}")\n#set text(font: "Laksaman")\n'
        "= หัวเรื่อง\nหน้าแรก\n#pagebreak()\n#place(bottom + center)[หน้าสอง]\n",
    )
    source = typst_pdf(
        tmp_path,
        "source",
        '#set text(font: "Laksaman")\n#set page(fill: none)\nข้อความใต้หน้า ป้องกัน ตำบล\n#pagebreak()\nอีกหน้า\n',
    )
    return document, source


def test_a_source_page_goes_under_a_document_page_with_its_text(pdfs, tmp_path):
    document, source = pdfs
    merged = underlay(document, {1: ("source", 0)}, {"source": source})
    pages = pdf_pages(merged)
    assert len(pages) == 2
    assert "หน้าแรก" in pages[0] and "ข้อความใต้หน้า" not in pages[0]
    assert "ข้อความใต้หน้า ป้องกัน ตำบล" in pages[1] and "หน้าสอง" in pages[1]
    assert "อีกหน้า" not in "".join(pages)
    path = tmp_path / "merged.pdf"
    path.write_bytes(merged)
    info = run_tool("pdfinfo", str(path))
    assert f"Title:           {TRICKY_TITLE}" in info  # strings that look like references are left alone
    fonts = run_tool("pdffonts", str(path))
    assert fonts.count("Laksaman") >= 2 and all(
        line.split()[-5] == "yes" for line in fonts.splitlines() if "Laksaman" in line
    )


def test_the_document_is_dated_as_asked_and_identified_by_its_content(pdfs, tmp_path):
    document, source = pdfs
    when = dt.datetime(2024, 3, 9, 10, 30, 5, tzinfo=dt.UTC)
    merged = underlay(document, {0: ("source", 1)}, {"source": source}, date=when)
    path = tmp_path / "dated.pdf"
    path.write_bytes(merged)
    info = run_tool("pdfinfo", "-isodates", str(path))
    assert "CreationDate:    2024-03-09T10:30:05Z" in info and "ModDate:         2024-03-09T10:30:05Z" in info
    assert b"<xmp:CreateDate>2024-03-09T10:30:05+00:00</xmp:CreateDate>" in merged
    assert underlay(document, {0: ("source", 1)}, {"source": source}, date=when) == merged
    other = underlay(document, {0: ("source", 0)}, {"source": source}, date=when)
    assert Pdf(other).trailer.get(b"/ID") != Pdf(merged).trailer.get(b"/ID")


def test_a_pdf_that_typst_would_not_write_is_refused():
    with pytest.raises(PdfError):
        Pdf(b"%PDF-1.5\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF")
