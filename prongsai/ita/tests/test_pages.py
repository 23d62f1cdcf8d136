"""The ITA pages through HTTP: the source's numbers, weak areas steering the plan, forms that write."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for
from prongsai.ita.models import Assessment, OitEntry, Source, SurveyResponse
from prongsai.ita.tests.helpers import (
    answer_best,
    link,
    open_round,
    record_2562,
    record_source_row,
)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_overview_shows_the_source_numbers_and_flags_nothing(people, org_a, plan):
    record_source_row(people["alice"], org_a)
    page = _text(client_for(people["dan"]).get(reverse("ita", kwargs={"org": org_a.slug})))
    for points in ("20.82", "15.43", "19.75", "11.65", "10.89"):
        assert points in page
    assert "78.53" in page  # Prongsai's total from unrounded points
    assert "78.54" in page  # as published
    assert "ต่างจากที่คำนวณเกิน 0.01" not in page
    assert "ต่างเกิน 0.01" not in page
    assert "คะแนนต่ำที่สุด: คุณธรรมการทำงานในหน่วยงาน (ร้อยละ 60.48)" in page
    assert "<svg" in page and 'class="bar weak"' in page


def test_a_published_total_far_from_prongsais_is_flagged(people, org_a):
    from prongsai.ita import actions
    from prongsai.ita.tests.helpers import SOURCE_POINTS, SOURCE_SCORES

    actions.record_assessment(
        people["alice"],
        org_a,
        year=2560,
        model_key="ita-2560",
        scores=SOURCE_SCORES,
        published_points=SOURCE_POINTS,
        published_total=Decimal("79.10"),
    )
    page = _text(client_for(people["alice"]).get(reverse("ita", kwargs={"org": org_a.slug})))
    assert "ต่างจากที่คำนวณเกิน 0.01" in page


def test_weak_areas_list_the_plan_sub_dimensions_and_items_with_a_button_to_add_a_measure(
    people, org_a, plan
):
    record_source_row(people["alice"], org_a)
    page = _text(client_for(people["alice"]).get(reverse("ita", kwargs={"org": org_a.slug})))
    weak = page.split("จุดที่ควรพัฒนาและมาตรการในแผน", 1)[1]
    # work_integrity (60.48) comes first, then integrity_culture (72.83), both below the total 78.53.
    assert weak.index("คุณธรรมการทำงานในหน่วยงาน") < weak.index("วัฒนธรรมคุณธรรมในองค์กร")
    # integrity_culture maps to 1.1.1, where the fixture plan has โครงการความรู้คู่คุณธรรม.
    assert "โครงการความรู้คู่คุณธรรม" in weak
    add_url = reverse("item_add", kwargs={"org": org_a.slug, "plan": plan.slug})
    assert f'href="{add_url}?mission=2.3"' in weak
    assert "เพิ่มมาตรการในภารกิจ 2.3" in weak
    # The button opens the plans app's page on that sub-dimension.
    form_page = client_for(people["alice"]).get(f"{add_url}?mission=2.3")
    assert form_page.status_code == 200


def test_readers_see_the_weak_areas_without_the_add_button(people, org_a, plan):
    record_source_row(people["alice"], org_a)
    page = _text(client_for(people["carol"]).get(reverse("ita", kwargs={"org": org_a.slug})))
    assert "โครงการความรู้คู่คุณธรรม" in page
    assert "?mission=" not in page


def test_the_totals_over_the_years_and_the_2562_pass_line(people, org_a):
    record_source_row(people["alice"], org_a)
    record_2562(
        people["alice"], org_a, 2566, dict.fromkeys([f"i{n}" for n in range(1, 11)], "90") | {"i9": "70"}
    )
    page = _text(client_for(people["alice"]).get(reverse("ita", kwargs={"org": org_a.slug})))
    assert "พ.ศ. 2566" in page and "พ.ศ. 2560" in page
    assert 'class="pass"' in page and "เกณฑ์ผ่าน 85" in page
    assert "86.00" in page  # 6×5×0.9 + 10×3×0.9 + 20×0.7 + 20×0.9 = 27 + 27 + 14 + 18
    assert "ผ่าน" in page


def test_an_editor_records_a_published_result_with_thai_digits(people, org_a):
    client = client_for(people["bob"])
    url = reverse("ita_assessment_new", kwargs={"org": org_a.slug})
    assert "ความโปร่งใส" in _text(client.get(url, {"model": "ita-2560"}))
    data = {"model": "ita-2560", "year": "๒๕๖๐", "published_total": "๗๘.๕๔", "note": "ประกาศ ป.ป.ช."}
    for key, score, points in [
        ("transparency", "๘๐.๐๖", "๒๐.๘๒"),
        ("accountability", "85.72", "15.43"),
        ("corruption_free", "89.77", ""),
        ("integrity_culture", "72.83", ""),
        ("work_integrity", "60.48", "10.89"),
    ]:
        data[f"score_{key}"] = score
        data[f"points_{key}"] = points
    response = client.post(url, data)
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "ita_assessment", kwargs={"org": org_a.slug, "assessment_id": assessment.pk}
    )
    assert assessment.year == 2560
    assert assessment.published_total == Decimal("78.54")
    assert assessment.scores.get(key="transparency").published_points == Decimal("20.82")
    assert assessment.scores.get(key="corruption_free").published_points is None


def test_bad_figures_are_named_next_to_their_field_in_thai_and_nothing_is_saved(people, org_a):
    client = client_for(people["alice"])
    url = reverse("ita_assessment_new", kwargs={"org": org_a.slug})
    data = {"model": "ita-2560", "year": "2560", "score_transparency": "120", "score_accountability": "abc"}
    page = _text(client.post(url, data))
    assert "กรอกคะแนนของความปลอดจากการทุจริตในการปฏิบัติงาน" in page
    assert "คะแนนของความพร้อมรับผิด ต้องเป็นตัวเลข" in page
    assert "100" in page
    assert not Assessment.objects.exists()


def test_a_duplicate_year_is_reported_on_the_year_field(people, org_a):
    record_source_row(people["alice"], org_a)
    client = client_for(people["alice"])
    data = {"model": "ita-2560", "year": "2560"} | {
        f"score_{key}": "80"
        for key in (
            "transparency",
            "accountability",
            "corruption_free",
            "integrity_culture",
            "work_integrity",
        )
    }
    page = _text(client.post(reverse("ita_assessment_new", kwargs={"org": org_a.slug}), data))
    assert "มีผลการประเมินที่ประกาศของปี 2560 อยู่แล้ว" in page
    assert Assessment.objects.count() == 1


def test_an_editor_deletes_a_mistaken_result(people, org_a):
    assessment = record_source_row(people["alice"], org_a)
    url = reverse("ita_assessment_delete", kwargs={"org": org_a.slug, "assessment_id": assessment.pk})
    assert client_for(people["bob"]).post(url).status_code == 302
    assert not Assessment.objects.exists()


def test_opening_a_round_shows_links_and_qr_codes(people, org_a):
    client = client_for(people["alice"])
    response = client.post(
        reverse("ita_round_new", kwargs={"org": org_a.slug}),
        {"title": "ซ้อมประเมิน", "year": "2568", "model": "ita-2562"},
    )
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    survey_round = org_a.ita_rounds.get()
    for tool in ("IIT", "EIT"):
        token = link(survey_round, tool).token
        assert f'href="http://testserver/s/{token}/"' in page  # a link to open, a copy button beside it
    assert page.count("คัดลอกลิงก์") >= 2
    assert page.count('src="data:image/svg+xml') == 2
    qr = client.get(
        reverse("ita_round_qr", kwargs={"org": org_a.slug, "round_id": survey_round.pk, "tool": "IIT"})
    )
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_round_form_with_a_bad_year_says_so(people, org_a):
    page = _text(
        client_for(people["alice"]).post(
            reverse("ita_round_new", kwargs={"org": org_a.slug}),
            {"title": "x", "year": "2025", "model": "ita-2562"},
        )
    )
    assert "ปีต้องเป็นปีพุทธศักราช" in page
    assert not org_a.ita_rounds.exists()


def test_live_scores_appear_on_the_round_page(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    url = reverse("ita_round", kwargs={"org": org_a.slug, "round_id": survey_round.pk})
    before = _text(client_for(people["dan"]).get(url))
    assert "ยังไม่มีคำตอบ" in before
    answer_best(link(survey_round, "EIT"))
    after = _text(client_for(people["dan"]).get(url))
    assert "ตอบแล้ว 1 คน" in after
    assert after.count("100.00") >= 3  # every EIT indicator at 100


def test_the_oit_checklist_saves_through_the_page_and_reports_bad_addresses_by_item(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    url = reverse("ita_round_oit", kwargs={"org": org_a.slug, "round_id": survey_round.pk})
    client = client_for(people["alice"])
    page = _text(client.post(url, {"url_O1": "", "complete_O1": "on", "url_O2": "ftp://x"}))
    assert "O1: ใส่ที่อยู่เว็บของข้อมูลที่เผยแพร่ก่อนทำเครื่องหมายว่าครบถ้วน" in page
    assert "O2: ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://" in page
    assert not OitEntry.objects.filter(complete=True).exists()
    response = client.post(url, {"url_O39": "https://wangphai.go.th/plan", "complete_O39": "on"})
    assert response.status_code == 302
    assert OitEntry.objects.get(round=survey_round, item="O39").complete
    assert "เผยแพร่ครบถ้วนแล้ว 1 จาก 43 รายการ" in _text(client.get(url))


def test_closing_a_round_through_the_page(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    client = client_for(people["bob"])
    close = reverse("ita_round_close", kwargs={"org": org_a.slug, "round_id": survey_round.pk})
    response = client.post(close, follow=True)
    assert "ยังปิดรอบไม่ได้" in _text(response)
    answer_best(link(survey_round, "IIT"))
    answer_best(link(survey_round, "EIT"))
    response = client.post(close)
    assessment = Assessment.objects.get(source=Source.SELF)
    assert response["Location"] == reverse(
        "ita_assessment", kwargs={"org": org_a.slug, "assessment_id": assessment.pk}
    )
    page = _text(client.get(response["Location"]))
    assert "ผลการประเมินตนเอง" in page
    # i1–i8 at 100, OIT at 0: 6×5 + 10×3 = 60 points, grade D, not passed.
    assert "60.00" in page and "ไม่ผ่าน" in page


def test_the_template_csv_has_one_column_per_item(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    response = client_for(people["dan"]).get(
        reverse("ita_round_template", kwargs={"org": org_a.slug, "round_id": survey_round.pk, "tool": "IIT"})
    )
    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header == list(link(survey_round, "IIT").questionnaire.item_keys)
    assert (
        client_for(people["dan"])
        .get(
            reverse(
                "ita_round_template", kwargs={"org": org_a.slug, "round_id": survey_round.pk, "tool": "OIT"}
            )
        )
        .status_code
        == 404
    )


def test_writes_through_pages_leave_audit_rows(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    client_for(people["alice"]).post(
        reverse("ita_round_oit", kwargs={"org": org_a.slug, "round_id": survey_round.pk}),
        {"url_O1": "https://example.org/o1", "complete_O1": "on"},
    )
    assert AuditEvent.objects.filter(event="ita.oit.update", actor=people["alice"]).count() == 1
    assert SurveyResponse.objects.count() == 0


def test_a_new_round_offers_the_models_newest_first_and_says_when_the_year_is_past_them(people, org_a):
    from prongsai.ita.forms import ModelChoiceForm, RoundForm

    page = _text(client_for(people["alice"]).get(reverse("ita_round_new", kwargs={"org": org_a.slug})))
    options = re.findall(r'<option value="([^"]+)"( selected)?>', page)
    assert options[0] == ("ita-2562", " selected")
    every = ModelChoiceForm()["model"]
    assert [key for key, _ in every.field.choices] == ["ita-2562", "ita-2560"]  # type: ignore[attr-defined]
    assert every.initial == "ita-2562"
    assert RoundForm(year=2565)["model"].help_text == ""
    assert "๒๕๖๒–๒๕๖๗" in str(RoundForm(year=2570)["model"].help_text)
