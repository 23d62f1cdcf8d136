"""The public side of the progress reports: published rounds only, their totals the scores' own, public
evidence only, documents cached, and a publication of a round seen on the next request."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from prongsai.conftest import client_for, streamed
from prongsai.lib.thai import baht
from prongsai.reports import actions
from prongsai.reports.scores import summarise
from prongsai.reports.tests.public_rounds import (
    APPROVED_NARRATIVE,
    DRAFT_NARRATIVE,
    PUBLIC_NARRATIVE,
    make_rounds,
    png,
)


@pytest.fixture(autouse=True)
def _quick_documents(monkeypatch, settings, tmp_path):
    """Stand-ins for Typst (plan and report PDFs): the layout is the documents app's, tested there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        "prongsai.documents.actions.render_pdf", lambda plan, **kw: b"%PDF-1.7 plan stand-in\n"
    )
    calls: list[int] = []

    def report_pdf(report_round):
        calls.append(report_round.pk)
        return f"%PDF-1.7 report stand-in {report_round.key}\n".encode()

    monkeypatch.setattr("prongsai.reports.document.report_pdf", report_pdf)
    return calls


@pytest.fixture
def rounds(plan, people):
    return make_rounds(plan, people)


def round_url(report_round, name="portal:report_round", **extra):
    kwargs = {
        "org": report_round.organization.slug,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
        **extra,
    }
    return reverse(name, kwargs=kwargs)


def test_the_organisation_home_lists_the_published_round_with_its_score_and_band(rounds):
    page = client_for(None).get(reverse("portal:organization", kwargs={"org": "wangphai"})).content.decode()
    summary = summarise(rounds.published)
    assert "รายงานผลการดำเนินงานตามแผน" in page
    assert round_url(rounds.published) in page
    assert f"{summary.total.score:.2f}" in _arabic(page)
    assert f"band-{summary.band.key}" in page
    # Neither the draft 12-month round nor the approved FY 2562 round is listed.
    assert round_url(rounds.draft) not in page
    assert round_url(rounds.approved) not in page


def _arabic(text: str) -> str:
    return text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))


def test_the_round_page_shows_score_sums_items_and_only_public_evidence(rounds):
    response = client_for(None).get(round_url(rounds.published))
    assert response.status_code == 200
    page = _arabic(response.content.decode())
    summary = summarise(rounds.published)
    total = summary.total
    assert f"{total.score:.2f} %" in page
    for amount in (total.planned, total.ordinance, total.disbursed):
        assert baht(amount, "thai") in response.content.decode(), amount
    assert PUBLIC_NARRATIVE in response.content.decode()
    assert "ดำเนินการแล้วเสร็จ" in page and "ไม่ได้รับงบประมาณ" in page
    assert "85.00" in page  # the indicator's result
    assert round_url(rounds.published, "portal:report_evidence", evidence_id=rounds.public_file.pk) in page
    assert "สำเนาบัตรประชาชน" not in response.content.decode()
    assert (
        round_url(rounds.published, "portal:report_evidence", evidence_id=rounds.private_file.pk) not in page
    )
    # The reports app's own summary include (charts and the per-dimension table).
    assert 'class="ita-chart"' in page and "report-table" in page


def test_draft_and_approved_rounds_are_nowhere_public(rounds, people):
    for person in (None, "alice", "bob"):
        client = client_for(people[person] if person else None)
        for hidden in (rounds.draft, rounds.approved):
            for name in ("portal:report_round", "portal:report_pdf", "portal:report_docx"):
                assert client.get(round_url(hidden, name)).status_code == 404, (name, person)
        item = rounds.plan.items.order_by("id").first()
        item_page = client.get(
            reverse(
                "portal:item",
                kwargs={
                    "org": "wangphai",
                    "plan": rounds.plan.slug,
                    "rev": rounds.plan.revision,
                    "uid": item.uid,
                },
            )
        ).content.decode()
        assert PUBLIC_NARRATIVE in item_page
        for text in (DRAFT_NARRATIVE, APPROVED_NARRATIVE):
            assert text not in item_page
        home = client.get(reverse("portal:organization", kwargs={"org": "wangphai"})).content.decode()
        for text in (DRAFT_NARRATIVE, APPROVED_NARRATIVE):
            assert text not in home


def test_public_evidence_downloads_as_an_attachment_and_private_evidence_is_404(rounds, people):
    client = client_for(None)
    response = client.get(
        round_url(rounds.published, "portal:report_evidence", evidence_id=rounds.public_file.pk)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert streamed(response).startswith(b"\x89PNG")
    private = round_url(rounds.published, "portal:report_evidence", evidence_id=rounds.private_file.pk)
    assert client.get(private).status_code == 404
    # A public file of a round that is not published, reached through a published round's address: 404.
    draft_first = rounds.draft.reports.order_by("id").first()
    other = actions.add_evidence(people["alice"], draft_first, "x.png", png(), public=True)
    assert (
        client.get(round_url(rounds.published, "portal:report_evidence", evidence_id=other.pk)).status_code
        == 404
    )
    assert (
        client.get(round_url(rounds.draft, "portal:report_evidence", evidence_id=other.pk)).status_code == 404
    )


def test_the_round_documents_download_and_are_laid_out_once_per_stamp(rounds, _quick_documents):
    client = client_for(None)
    pdf = client.get(round_url(rounds.published, "portal:report_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="report-wangphai-2561-2564-2561-6.pdf"'
    assert client.get(round_url(rounds.published, "portal:report_pdf")).content == pdf.content
    assert _quick_documents == [rounds.published.pk]  # the second download came from the cache
    assert (
        client.get(
            round_url(rounds.published, "portal:report_pdf"), HTTP_IF_NONE_MATCH=pdf["ETag"]
        ).status_code
        == 304
    )
    docx = client.get(round_url(rounds.published, "portal:report_docx"))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")


def test_publishing_a_round_shows_it_on_the_next_request_of_a_cached_page(rounds, people):
    client = client_for(None)
    home = reverse("portal:organization", kwargs={"org": "wangphai"})
    client.get(home)
    cached = client.get(home)
    assert cached["X-Portal-Cache"] == "hit"
    assert round_url(rounds.approved) not in cached.content.decode()
    actions.publish_round(people["bob"], rounds.approved)
    fresh = client.get(home)
    assert fresh["X-Portal-Cache"] == "miss"
    assert round_url(rounds.approved) in fresh.content.decode()
    assert client.get(round_url(rounds.approved)).status_code == 200


def test_the_round_page_totals_equal_the_summary_per_dimension(rounds):
    page = _arabic(client_for(None).get(round_url(rounds.published)).content.decode())
    for dimension in summarise(rounds.published).dimensions:
        row = re.search(
            r"<tr>\s*<td data-label=\"มิติ\"><strong>"
            + re.escape(dimension.title)
            + r"</strong></td>(.*?)</tr>",
            page,
            re.S,
        )
        assert row is not None, dimension.title
        cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row.group(1))
        assert int(cells[0]) == dimension.tally.items
        assert Decimal(cells[8].replace(",", "") or "0") == dimension.tally.disbursed


def test_the_demo_shows_wang_phais_published_6_month_round_on_its_public_home(db, settings, tmp_path):
    """As ``make demo`` leaves it: FY 2561's 6-month round published, the other two rounds not."""
    from prongsai import demo
    from prongsai.reports.demo import load_demo_reports

    settings.VAR_DIR = tmp_path
    demo.load_demo_plan()
    demo.ensure_demo_users()
    demo.publish_demo_plan()
    assert load_demo_reports()
    client = client_for(None)
    home = client.get("/p/wangphai/").content.decode()
    assert "/p/wangphai/reports/2561-2564/2561/6/" in home
    assert "/p/wangphai/reports/2561-2564/2561/12/" not in home
    page = client.get("/p/wangphai/reports/2561-2564/2561/6/")
    assert page.status_code == 200 and "ภาพกิจกรรม-ตัวอย่าง.png" in page.content.decode()
    assert client.get("/p/wangphai/reports/2561-2564/2561/12/").status_code == 404
    assert client.get("/p/wangphai/reports/2561-2564/2562/6/").status_code == 404
