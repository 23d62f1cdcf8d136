import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from prongsai.cli import main
from prongsai.conftest import SETUP
from prongsai.organizations.models import Organization
from prongsai.plans import actions
from prongsai.plans.interchange import (
    ImportRefused,
    dumps,
    export_plan,
    import_plan,
    schema,
    validate_document,
)
from prongsai.plans.models import Plan

DEMO = Path(__file__).resolve().parents[1] / "demo" / "wangphai-2561-2564.json"
SOURCE = DEMO.with_name("wangphai-2561-2564-source.txt")


def demo_data():
    return json.loads(DEMO.read_text(encoding="utf-8"))


def test_the_demo_plan_imports_into_an_empty_database_and_exports_identically(db):
    plan = import_plan(demo_data(), actor=SETUP)
    assert dumps(export_plan(plan)) == DEMO.read_text(encoding="utf-8")


def test_a_plan_with_everything_round_trips_through_a_second_organisation(plan, people):
    actions.add_item(
        people["alice"],
        plan,
        plan.missions.get(code="4.3"),
        actions.ItemData(
            kind="guideline",
            title='แนวปฏิบัติ <b>&amp;</b> {"x": 1} \\ ทดสอบ 🙂',
            note="หมายเหตุ",
            budgets={2564: Decimal("0.05")},
            rationale="เหตุผล\nบรรทัดที่สอง",
            indicators=[
                actions.IndicatorData("ตัวชี้วัด", None, ""),
                actions.IndicatorData("ข", Decimal("1.5"), "ครั้ง"),
            ],
        ),
    )
    first = export_plan(plan)
    copy = import_plan(json.loads(dumps(first)), actor=SETUP, org_slug="copy")
    second = export_plan(copy)
    assert second["organization"]["slug"] == "copy"
    second["organization"]["slug"] = "wangphai"
    assert second == first


def test_the_export_validates_against_the_committed_schema(plan):
    assert validate_document(export_plan(plan)) == []
    assert schema()["properties"]["format"] == {"const": "prongsai.plan"}


def bad(mutate):
    data = demo_data()
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "place"),
    [
        (lambda d: d["plan"].pop("title"), "แผน: ไม่มีชื่อแผน ซึ่งต้องมี"),
        (
            lambda d: d["plan"]["dimensions"][0]["missions"][0]["missions"][0]["items"][0].update(
                kind="wish"
            ),
            "มิติที่ 1 › 1.1 › 1.1.1 › “โครงการความรู้คู่คุณธรรม” › ประเภท: ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้",
        ),
        (
            lambda d: d["plan"]["dimensions"][1]["missions"][0]["items"][0]["budgets"].update({"2561": "-5"}),
            "มิติที่ 2 › 2.1 › “กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของ…” › งบประมาณ ปี 2561: ต้องเป็นตัวเลขไม่ติดลบ",
        ),
        (
            lambda d: d["plan"]["dimensions"][1]["missions"][0]["items"][0]["budgets"].update({"2599": "5"}),
            "มิติที่ 2 › 2.1 › “กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของ…” › งบประมาณ ปี 2599: ปี 2599 อยู่นอกช่วงปีของแผน",
        ),
        (lambda d: d["plan"].update(first_year="๒๕๖๑"), "แผน › ปีงบประมาณแรก (พ.ศ.): ต้องเป็นจำนวนเต็ม"),
        (lambda d: d["plan"]["part1"].update(poetry=["กลอน"]), "ส่วนที่ 1 › “poetry”: ไม่มีส่วนนี้ในบทนำ"),
        (
            lambda d: d["plan"]["dimensions"][2]["missions"][1].update(code="3.1"),
            "3.1 › รหัสภารกิจ: รหัสภารกิจ 3.1 ซ้ำ",
        ),
        (lambda d: d.update(format="other"), "ไม่ใช่ไฟล์แผนของโปร่งใส"),
    ],
)
def test_a_bad_file_is_refused_naming_the_place_and_nothing_is_written(db, mutate, place):
    with pytest.raises(ImportRefused) as refused:
        import_plan(bad(mutate), actor=SETUP)
    assert any(place in problem for problem in refused.value.problems), refused.value.problems
    assert Plan.objects.count() == 0
    assert Organization.objects.count() == 0


def test_importing_a_plan_that_exists_is_refused(db):
    import_plan(demo_data(), actor=SETUP)
    with pytest.raises(ImportRefused, match="มีแผน 2561-2564 อยู่แล้ว"):
        import_plan(demo_data(), actor=SETUP)
    assert Plan.objects.count() == 1


def test_the_cli_exports_and_imports(db, tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_text(DEMO.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["plan", "import", str(source)]) == 0
    out = tmp_path / "out.json"
    assert main(["plan", "export", "wangphai/2561-2564", "--format", "json", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == DEMO.read_text(encoding="utf-8")
    assert main(["plan", "import", str(source), "--org", "other"]) == 0
    assert Plan.objects.filter(organization__slug="other").count() == 1


def test_the_cli_refuses_malformed_json_with_line_and_column(db, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "prongsai.plan",\n  "plan": [}', encoding="utf-8")
    assert main(["plan", "import", str(broken)]) == 2
    assert "บรรทัด 2" in capsys.readouterr().err
    assert Plan.objects.count() == 0


def test_the_cli_lists_every_problem_of_an_invalid_file(db, tmp_path, capsys):
    data = demo_data()
    data["plan"]["first_year"] = 1999
    data["plan"]["dimensions"][1]["missions"][0]["items"][0]["budgets"]["2562"] = "หนึ่งพัน"
    path = tmp_path / "invalid.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["plan", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "แผน › ปีงบประมาณแรก (พ.ศ.): ต้องอยู่ระหว่าง 2500 ถึง 2700 (ในไฟล์: 1999)" in err
    assert "มิติที่ 2 › 2.1 › “กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของ…” › งบประมาณ ปี 2562: ต้องเป็นตัวเลขไม่ติดลบ" in err
    assert "Traceback" not in err
    assert Plan.objects.count() == 0


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_demo_part1_is_the_source_word_for_word():
    """Every Part 1 entry stands in the source as written, and every numbered line of the source is an entry."""
    source = normalise(re.sub(r"</?p>", " ", SOURCE.read_text(encoding="utf-8")))
    part1 = demo_data()["plan"]["part1"]
    for key, entries in part1.items():
        for entry in entries:
            assert normalise(entry) in source, (key, entry[:60])
    counts = {key: len(entries) for key, entries in part1.items()}
    assert counts == {
        "preface": 2,
        "situation_world": 6,
        "situation_thai": 7,
        "situation_individual": 5,
        "situation_family": 6,
        "situation_community": 6,
        "situation_environment": 4,
        "strengths": 25,
        "weaknesses": 7,
        "opportunities": 3,
        "threats": 4,
        "swot_summary": 1,
        "swot_conclusions": 4,
        "ita_results": 1,
        "risk_summary": 1,
        "risk_factors": 4,
        "rationale": 3,
        "national_strategies": 6,
        "rationale_closing": 1,
        "objectives": 5,
        "targets": 4,
        "benefits": 0,
    }
    # The strengths run on across a page break in the source (๑–๑๙, then ๒๐–๒๕): one list of 25 here.
    assert part1["strengths"][19] == "มีการนำเทคโนโลยีสมัยใหม่มาใช้ในการปฏิบัติงาน"


def test_the_demo_items_are_marked_illustrative_and_the_totals_add_up(db):
    plan = import_plan(demo_data(), actor=SETUP)
    from prongsai.plans.summary import plan_tables

    tables = plan_tables(plan)
    items = tables.items
    assert items
    assert all(item.is_illustrative for item in items)
    for year in plan.years:
        by_dimension = sum((t.totals.budgets[year] or Decimal(0)) for t in tables.dimensions)
        by_item = sum((b.amount for i in items for b in i.budgets.all() if b.fiscal_year == year), Decimal(0))
        assert tables.totals.budgets[year] == by_dimension == by_item
