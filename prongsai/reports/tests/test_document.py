"""The report document: PDF and DOCX from the same blocks as the plan document."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from prongsai.cli import main
from prongsai.conftest import client_for
from prongsai.reports import actions
from prongsai.reports.document import report_document, report_docx, report_pdf


@pytest.fixture
def report_round(published, people):
    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    project = report_round.reports.get(title__startswith="โครงการความรู้")
    actions.save_report(
        people["alice"],
        project,
        actions.ReportData(
            status="completed",
            ordinance_budget=Decimal(20000),
            disbursed=Decimal(15000),
            results=[Decimal(85)],
        ),
    )
    return report_round


def test_the_document_has_cover_summary_items_indicators_and_a_signature_block(report_round):
    data = report_document(report_round)
    assert data["meta"]["draft"] is True and data["meta"]["draft_mark"] == "ฉบับร่าง"
    cover = data["sections"][0]["blocks"][0]
    assert cover["t"] == "cover"
    assert (
        cover["title"] == "รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต รอบ ๖ เดือน ประจำปีงบประมาณ พ.ศ. ๒๕๖๑"
    )
    blocks = data["sections"][1]["blocks"]
    texts = [b.get("text", "") for b in blocks]
    assert "สรุปผลการดำเนินงาน" in texts and "ผลตามตัวชี้วัด" in texts
    assert any("คะแนนการดำเนินงาน ร้อยละ ๓๓.๓๓" in t for t in texts)
    assert "ผู้บริหารท้องถิ่น" in texts
    tables = [b for b in blocks if b["t"] == "table"]
    status_table, budget_table, items_table, results_table = tables

    def cell_texts(row):
        return [" ".join(p["text"] for p in c["paras"]) for c in row["cells"]]

    assert cell_texts(results_table["rows"][0])[2:] == ["๘๐.๐๐ ร้อยละ", "๘๕.๐๐ ร้อยละ"]
    # Every item's row is kept on one page; the title column (with what was done) is the widest.
    assert all(row["keep"] for row in items_table["rows"])
    widths = items_table["widths"]
    assert widths[1] == max(widths) and round(sum(widths), 1) == 24.7
    # The figure columns are as wide as their figures and heading words, so the dimension has room.
    for summary in (status_table, budget_table):
        assert summary["widths"][0] == max(summary["widths"]) and summary["widths"][0] > 8
    assert cell_texts(status_table["rows"][-1])[0] == "รวม"


@pytest.mark.slow
def test_the_pdf_renders_with_thai_text(report_round, tmp_path):
    pdf = report_pdf(report_round)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "โครงการความรู้คู่คุณธรรม" in text.replace("\n", "")


def test_the_docx_renders_and_the_page_serves_it(report_round, people, tmp_path):
    body = "\n".join(p.text for p in Document(io.BytesIO(report_docx(report_round))).paragraphs)
    assert "รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต" in body
    kwargs = {"org": "wangphai", "plan": report_round.plan_slug, "year": 2561, "months": 6, "fmt": "docx"}
    response = client_for(people["dan"]).get(reverse("report_document", kwargs=kwargs))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert (
        client_for(people["dan"]).get(reverse("report_document", kwargs={**kwargs, "fmt": "exe"})).status_code
        == 404
    )
    out = tmp_path / "r.docx"
    assert (
        main(
            [
                "report",
                "export",
                "wangphai/2561-2564",
                "--year",
                "2561",
                "--round",
                "6",
                "--format",
                "docx",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
