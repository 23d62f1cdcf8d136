"""Titles and texts that look like markup, or are merely awkward, print literally in both formats."""

import io

import docx
import pytest

from prongsai.conftest import SETUP
from prongsai.documents.pdf import render_pdf
from prongsai.documents.tests.helpers import as_extracted, pdf_text, publish
from prongsai.documents.word import render_docx
from prongsai.plans import actions

HOSTILE = {
    "markup characters": "โครงการ < > & # $ * _ @ \\ { } [ ] ทดสอบ",
    "emoji": "โครงการรักษ์โลก 😀 ใส่ใจ",
    "typst": '#set text(fill: red) #panic("x") $x^2$ *หนา* _เอียง_ = หัวข้อ <label> @label // comment',
    "typst code": '#{ let x = 1; x } #import "@preview/x:0.1.0": * #read("/etc/passwd")',
    "html": '<script>alert("x")</script> <b>หนา</b> &amp; &lt;',
    "latex": r"\textbf{หนา} \begin{document} $\frac{a}{b}$ \\ \end{document} %",
    "long": ("โครงการส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง " * 50)[:2000].strip(),
}


@pytest.fixture(params=sorted(HOSTILE), ids=sorted(HOSTILE))
def hostile(request):
    return HOSTILE[request.param]


def test_a_hostile_title_prints_literally_in_the_pdf(plan, hostile):
    actions.add_item(
        SETUP, plan, plan.missions.get(code="3.1"), actions.ItemData(kind="measure", title=hostile)
    )
    actions.add_part1_entry(SETUP, plan, "targets", hostile)
    text = pdf_text(render_pdf(publish(plan)))  # published: no draft mark among the lines
    # Part 1 lists it and the Part 3 sheet names it. (In the Part 2 table pdftotext interleaves the lines
    # of neighbouring cells, so a title that wraps there does not come out in one piece.)
    if "😀" in hostile:
        # The emoji prints from the emoji font as a picture glyph, a little taller than the Thai line, and
        # pdftotext then reads it out of order (before the title's line): count the pieces instead.
        assert text.count("😀") >= 2
        assert len(as_extracted("โครงการรักษ์โลก").findall(text)) >= 2
        return
    assert len(as_extracted(hostile).findall(text)) >= 2


def test_a_hostile_title_reads_back_from_the_docx(plan, hostile):
    actions.add_item(
        SETUP, plan, plan.missions.get(code="3.1"), actions.ItemData(kind="measure", title=hostile)
    )
    document = docx.Document(io.BytesIO(render_docx(plan)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(hostile in text for text in cells)
    assert any(p.text == hostile for p in document.paragraphs)


def test_control_characters_are_dropped_rather_than_breaking_the_document(plan):
    actions.add_item(
        SETUP, plan, plan.missions.get(code="3.1"), actions.ItemData(kind="measure", title="ก\x07ข\x1bค")
    )
    assert as_extracted("กขค").search(pdf_text(render_pdf(plan)))
    document = docx.Document(io.BytesIO(render_docx(plan)))
    assert any(p.text == "กขค" for p in document.paragraphs)
