"""The plan's §1.2 ITA paragraph takes its numbers from the recorded result, in the plan's digits."""

from __future__ import annotations

from decimal import Decimal

from prongsai.demo import load_demo_plan
from prongsai.ita.demo import load_demo_ita
from prongsai.ita.models import Assessment
from prongsai.ita.plan_text import results_paragraph
from prongsai.ita.tests.helpers import record_2562, record_source_row
from prongsai.plans import actions as plan_actions
from prongsai.plans.content import part1_view
from prongsai.plans.models import Plan

THAI_FIGURES = (
    "ความโปร่งใสมีค่าเท่ากับ ๒๐.๘๒ คะแนน คิดเป็นร้อยละ ๘๐.๐๖ "
    "ความพร้อมรับผิดมีค่าเท่ากับ ๑๕.๔๓ คะแนน คิดเป็นร้อยละ ๘๕.๗๒ "
    "ความปลอดจากการทุจริตในการปฏิบัติงานมีค่าเท่ากับ ๑๙.๗๕ คะแนน คิดเป็นร้อยละ ๘๙.๗๗ "
    "วัฒนธรรมคุณธรรมในองค์กรมีค่าเท่ากับ ๑๑.๖๕ คะแนน คิดเป็นร้อยละ ๗๒.๘๓ "
    "และคุณธรรมการทำงานในหน่วยงานมีค่าเท่ากับ ๑๐.๘๙ คะแนน คิดเป็นร้อยละ ๖๐.๔๘"
)


def test_no_result_before_the_plan_means_no_paragraph(plan, people, org_a):
    assert results_paragraph(plan) is None
    record_source_row(people["alice"], org_a, year=2561)  # the plan's own first year, not before it
    assert results_paragraph(plan) is None


def test_the_paragraph_is_written_from_the_published_figures_in_thai_digits(plan, people, org_a):
    record_source_row(people["alice"], org_a)
    text = results_paragraph(plan)
    assert text == (
        "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของเทศบาลตำบลวังไผ่ ประจำปีงบประมาณ พ.ศ. ๒๕๖๐ พบว่า "
        f"{THAI_FIGURES} โดยมีคะแนนรวมเท่ากับ ๗๘.๕๔ คะแนน"
    )


def test_the_paragraph_follows_corrections_of_the_data_and_the_plans_digits(plan, people, org_a):
    assessment = record_source_row(people["alice"], org_a)
    assessment.scores.filter(key="work_integrity").update(score=Decimal("61.00"), published_points=None)
    Assessment.objects.filter(pk=assessment.pk).update(published_total=None)
    plan_actions.update_plan_settings(people["alice"], plan, title=plan.title, digits="arabic")
    plan.refresh_from_db()
    text = results_paragraph(plan)
    assert text is not None
    # Prongsai's own points and total where the publication gives none: 18 × 61 / 100 = 10.98.
    assert "คุณธรรมการทำงานในหน่วยงานมีค่าเท่ากับ 10.98 คะแนน คิดเป็นร้อยละ 61.00" in text
    assert "โดยมีคะแนนรวมเท่ากับ 78.63 คะแนน" in text  # 78.5338 − 10.8864 + 10.98, rounded
    assert "พ.ศ. 2560" in text


def test_a_verified_grade_is_stated_and_the_latest_earlier_result_is_used(plan, people, org_a):
    record_source_row(people["alice"], org_a, year=2559)
    record_2562(people["alice"], org_a, 2560, dict.fromkeys([f"i{n}" for n in range(1, 11)], "90"))
    text = results_paragraph(plan)
    assert text is not None
    assert "พ.ศ. ๒๕๖๐" in text
    assert "การปฏิบัติหน้าที่มีค่าเท่ากับ ๕.๔๐ คะแนน คิดเป็นร้อยละ ๙๐.๐๐" in text
    assert text.endswith("โดยมีคะแนนรวมเท่ากับ ๙๐.๐๐ คะแนน ผลการประเมินอยู่ในระดับ A")


def test_part1_shows_the_generated_paragraph_first(plan, people, org_a):
    plan_actions.add_part1_entry(people["alice"], plan, "ita_results", "ข้อความที่พิมพ์ไว้")
    record_source_row(people["alice"], org_a)
    entries = part1_view(plan)["ita_results"].entries
    assert entries[0].entry_id is None
    assert entries[0].text == results_paragraph(plan)
    assert entries[1].text == "ข้อความที่พิมพ์ไว้"


def test_the_demo_records_wang_phais_row_once(db):
    assert load_demo_ita() is False  # no demo organisation yet
    load_demo_plan()
    assert load_demo_ita() is True
    assert load_demo_ita() is False  # a second demo run keeps the data
    assessment = Assessment.objects.get()
    result = assessment.result()
    assert [str(p.published_points) for p in result.parts] == ["20.82", "15.43", "19.75", "11.65", "10.89"]
    assert result.total == Decimal("78.53") and result.published_total == Decimal("78.54")
    assert not result.any_difference
    assert result.weakest.part.name_th == "คุณธรรมการทำงานในหน่วยงาน"
    plan = Plan.objects.get(organization__slug="wangphai")
    assert THAI_FIGURES in part1_view(plan)["ita_results"].entries[0].text
