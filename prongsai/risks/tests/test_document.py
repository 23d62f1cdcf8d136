"""The ITA's risk documents: the register (with its heat maps and counts) and a round's monitoring report."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from prongsai.conftest import client_for
from prongsai.risks import actions, document
from prongsai.risks.tests.conftest import risk_data


def texts(data) -> str:
    docx = Document(io.BytesIO(data))
    parts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def test_the_register_document_has_the_title_the_table_both_maps_and_the_counts(published_register):
    data = document.register_document(published_register)
    blocks = [b for section in data["sections"] for b in section["blocks"]]
    assert blocks[0]["title"] == "การประเมินความเสี่ยงการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๒"
    headings = [b["text"] for b in blocks if b["t"] == "heading"]
    assert headings == [
        "ทะเบียนความเสี่ยงการทุจริต",
        "แผนภาพความเสี่ยง (Risk Map)",
        "ก่อนจัดการความเสี่ยง",
        "หลังจัดการความเสี่ยง (เป้าหมาย)",
        "จำนวนความเสี่ยงตามด้านและระดับ",
    ]
    current = next(
        b for b in blocks if b["t"] == "table" and b["header"][0][0]["paras"][0]["text"].startswith("โอกาส")
    )
    # Likelihood 4 is the second row from the top, impact 4 the fifth cell: both 4 × 4 risks are there.
    assert current["rows"][1]["cells"][4]["paras"][0]["text"] == "๒"
    assert current["rows"][1]["cells"][4]["fill"] == document.tint("#c62828")
    text = texts(document.register_docx(published_register))
    assert "ผู้บริหารท้องถิ่น" in text and "สูงมาก" in text


def test_a_draft_register_is_marked_draft_and_arabic_digits_follow_the_plan(register, people, published):
    actions.add_risk(people["alice"], register, risk_data())
    published.digits = "arabic"
    published.save()
    data = document.register_document(register)
    assert data["meta"]["draft"] is True
    assert data["meta"]["page_digits"] == "arabic"
    assert data["sections"][0]["blocks"][0]["title"].endswith("2562")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_register_downloads_as_pdf_and_word(published_register, people, fmt):
    response = client_for(people["dan"]).get(
        reverse("risk_export", kwargs={"org": "wangphai", "year": 2562, "fmt": fmt})
    )
    assert response.status_code == 200
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    else:
        assert "การประเมินความเสี่ยงการทุจริต" in texts(response.content)


def test_the_monitoring_report_lists_each_measures_result(monitoring_round, people):
    review = monitoring_round.reviews.select_related("risk").get(risk__position=1)
    report = monitoring_round.reports.get()
    actions.save_monitoring(
        people["alice"], review, 2, 2, {report.pk: actions.MeasureReportData("done", "ติดประกาศแล้ว")}
    )
    text = texts(document.round_docx(monitoring_round))
    assert "รายงานผลการดำเนินการจัดการความเสี่ยงการทุจริต รอบ ๖ เดือน" in text
    assert "ติดประกาศแล้ว" in text and "ดำเนินการแล้ว" in text
