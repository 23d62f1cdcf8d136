import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Length

from prongsai.documents.pdf import render_pdf
from prongsai.documents.tests.helpers import demo_texts, import_wangphai, pdf_text, run_tool
from prongsai.documents.word import render_docx


@pytest.fixture
def wangphai(db):
    return import_wangphai()


def all_texts(document):
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_python_docx_reads_back_every_part1_entry_and_item_title(wangphai):
    document = docx.Document(io.BytesIO(render_docx(wangphai)))
    texts = all_texts(document)
    entries, titles = demo_texts()
    assert [e for e in entries if not any(e in t for t in texts)] == []
    assert [t for t in titles if t not in texts] == []  # each title is a paragraph of its Part 3 sheet


def test_headings_use_word_heading_styles_and_tables_repeat_their_header_rows(plan):
    document = docx.Document(io.BytesIO(render_docx(plan)))
    headings = {
        p.text: p.style.name
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    }
    assert headings["ส่วนที่ ๑ บทนำ"] == "Heading 1"
    assert headings["ส่วนที่ ๒ แผนปฏิบัติการป้องกันการทุจริต"] == "Heading 1"
    assert headings["มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต"] == "Heading 2"
    part2 = [t for t in document.tables if "ภารกิจตามมิติ" in t.rows[0].cells[0].text]
    assert len(part2) == 4
    for table in part2:
        flags = [
            row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
            for row in table.rows
        ]
        assert flags[:2] == [True, True] and not any(flags[2:])


def test_the_thai_font_is_set_for_complex_script_with_its_size(plan, settings):
    document = docx.Document(io.BytesIO(render_docx(plan)))
    for name in ("Normal", "Heading 1", "Heading 2"):
        rpr = document.styles[name].element.rPr
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:cs")) == settings.DOCUMENT_WORD_FONT
        assert fonts.get(qn("w:ascii")) == settings.DOCUMENT_WORD_FONT
        assert fonts.get(qn("w:cstheme")) is None
        assert rpr.find(qn("w:szCs")) is not None
    assert document.styles["Normal"].element.rPr.find(qn("w:szCs")).get(qn("w:val")) == "32"


def cm(length: Length | None) -> float:
    """A section's length in centimetres to one decimal; python-docx gives None for one the file leaves out."""
    assert length is not None
    return round(float(length.cm), 1)


def test_pages_are_a4_landscape_for_part2_with_page_numbers_in_the_footer(plan):
    document = docx.Document(io.BytesIO(render_docx(plan)))
    sections = document.sections
    assert len(sections) == 4
    assert [cm(s.page_width) for s in sections] == [21.0, 21.0, 29.7, 21.0]
    assert [cm(s.left_margin) for s in sections] == [3.0] * 4
    assert cm(sections[0].top_margin) == 2.5 and cm(sections[0].bottom_margin) == 2.0
    footer = sections[1].footer._element.xml
    assert "PAGE" in footer
    assert sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "thaiNumbers"
    assert sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert sections[2]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) is None
    assert "ฉบับร่าง" in sections[0].header.paragraphs[0].text


def test_the_table_of_contents_is_a_field_word_updates(plan):
    data = render_docx(plan)
    document = docx.Document(io.BytesIO(data))
    xml = document.element.body.xml
    assert 'TOC \\o "1-2"' in xml
    assert document.settings.element.find(qn("w:updateFields")) is not None


@pytest.mark.slow
def test_libreoffice_converts_the_docx(wangphai, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: apt-get install libreoffice-writer-nogui"
    source = tmp_path / "plan.docx"
    source.write_bytes(render_docx(wangphai))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = (tmp_path / "plan.pdf").read_bytes()
    text = " ".join(pdf_text(pdf).split())
    assert "ส่วนที่ ๑ บทนำ" in text and "ส่วนที่ ๓" in text
    # Word and PDF alike: LibreOffice lays the Word file out on about as many pages as the PDF has (101
    # against 64 with python-docx's 1.15 line spacing and 10 pt after every paragraph).
    word_pages = pages_of(tmp_path / "plan.pdf")
    (tmp_path / "typst.pdf").write_bytes(render_pdf(wangphai))
    pdf_pages = pages_of(tmp_path / "typst.pdf")
    assert abs(word_pages - pdf_pages) <= 0.15 * pdf_pages, (word_pages, pdf_pages)


def pages_of(path):
    return int(run_tool("pdfinfo", str(path)).split("Pages:")[1].split()[0])


def test_the_word_defaults_are_single_spaced_thai_in_a_font_word_on_windows_has(plan, settings):
    document = docx.Document(io.BytesIO(render_docx(plan)))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    assert spacing.get(qn("w:after")) == "0"
    assert spacing.get(qn("w:lineRule")) == "exact" and int(spacing.get(qn("w:line"))) == round(
        16 * 1.27 * 20
    )
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    assert {lang.get(qn(f"w:{a}")) for a in ("val", "eastAsia", "bidi")} == {"th-TH"}  # not ja-JP, ar-SA
    fonts = rpr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"TH SarabunPSK"}
    assert fonts.get(qn("w:cstheme")) is None
    table = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert (
        '<w:font w:name="TH SarabunPSK"><w:altName w:val="TH Sarabun New"/><w:charset w:val="DE"/>' in table
    )
    body = document.element.body.xml
    assert "Laksaman" not in body and "Laksaman" not in document.styles.element.xml
