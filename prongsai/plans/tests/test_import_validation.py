"""Hostile plan files: refused with a message that names the place by title and label, never a traceback,
nothing written; and an import always makes a draft."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.audit.models import AuditEvent
from prongsai.cli import main
from prongsai.conftest import SETUP
from prongsai.organizations.models import Organization
from prongsai.plans.interchange import ImportRefused, dumps, export_plan, import_plan, validation
from prongsai.plans.models import Plan, PlanItem

DEMO = Path(__file__).resolve().parents[1] / "demo" / "wangphai-2561-2564.json"
FIRST_ITEM = "มิติที่ 1 › 1.1 › 1.1.1 › “โครงการความรู้คู่คุณธรรม”"
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def demo_data():
    return json.loads(DEMO.read_text(encoding="utf-8"))


def first_item(data):
    return data["plan"]["dimensions"][0]["missions"][0]["missions"][0]["items"][0]


def refused(data) -> list[str]:
    with pytest.raises(ImportRefused) as error:
        import_plan(data, actor=SETUP)
    assert not Plan.objects.exists()
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.exists()
    return error.value.problems


def run_cli(tmp_path, content: bytes, capsys) -> tuple[int, str, str]:
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    code = main(["plan", "import", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def nested(depth: int):
    data: list[Any] = []
    for _level in range(depth - 1):
        data = [data]
    return data


# --- The probes -----------------------------------------------------------------------------------


def test_a_200_deep_file_is_refused_by_the_cli_before_it_is_parsed(db, tmp_path, capsys):
    code, _out, err = run_cli(tmp_path, b"[" * 200 + b"]" * 200, capsys)
    assert code == 2
    assert "ไฟล์ซ้อนกันลึกเกิน 32 ชั้น (บรรทัด 1)" in err
    assert "Traceback" not in err


def test_a_deep_python_object_is_refused_without_recursion(db):
    data = demo_data()
    first_item(data)["details"] = {"rationale": nested(5000)}
    assert refused(data) == ["ไฟล์ซ้อนกันลึกเกิน 32 ชั้น: แผนไม่มีโครงสร้างลึกขนาดนี้"]


def test_a_deep_string_is_only_text(db):
    data = demo_data()
    first_item(data)["note"] = "[" * 500
    assert import_plan(data, actor=SETUP).items.filter(note="[" * 500).exists()


def test_a_dimension_number_of_1e20_is_refused_with_its_range(db):
    data = demo_data()
    data["plan"]["dimensions"][0]["number"] = 1e20
    assert refused(data) == ["มิติลำดับที่ 1 › เลขมิติ: ต้องอยู่ระหว่าง 1 ถึง 99 (ในไฟล์: 1e+20)"]


def test_numbers_out_of_range_are_refused(db):
    data = demo_data()
    data["plan"]["first_year"] = 2499
    first_item(data)["budgets"] = {"2561": "1000000000000", "2562": "1.005"}
    problems = refused(data)
    assert problems[0] == "แผน › ปีงบประมาณแรก (พ.ศ.): ต้องอยู่ระหว่าง 2500 ถึง 2700 (ในไฟล์: 2499)"
    assert problems[1].startswith(f"{FIRST_ITEM} › งบประมาณ ปี 2561: ต้องเป็นตัวเลขไม่ติดลบ ไม่เกิน 12 หลัก")
    assert problems[2].endswith("(ในไฟล์: “1.005”)")


@pytest.mark.parametrize("text", ["ก\x00ข", "ก\x1bข", "ก\x7fข", "ก\ud800ข"])
def test_control_characters_are_refused_naming_the_place_on_both_databases(db, text):
    data = demo_data()
    first_item(data)["title"] = text
    [problem] = refused(data)
    code = f"{ord(text[1]):04X}"
    assert problem == (
        f"มิติที่ 1 › 1.1 › 1.1.1 › “ก\ufffdข” › ชื่อโครงการ/กิจกรรม/มาตรการ: "
        f"มีอักขระควบคุม U+{code} ที่ตำแหน่ง 2 ซึ่งเก็บเป็นข้อความไม่ได้"
    )


def test_tab_and_newlines_are_text(db):
    data = demo_data()
    first_item(data)["details"] = {"rationale": "ก\tข\r\nค\n"}
    plan = import_plan(data, actor=SETUP)
    assert plan.items.filter(rationale="ก\tข\r\nค\n").exists()


def test_a_nul_byte_in_the_file_is_refused_by_the_cli(db, tmp_path, capsys):
    text = DEMO.read_text(encoding="utf-8").replace("โครงการความรู้คู่คุณธรรม", "โครงการ\\u0000", 1)
    code, _out, err = run_cli(tmp_path, text.encode(), capsys)
    assert code == 2
    assert "“โครงการ\ufffd” › ชื่อโครงการ/กิจกรรม/มาตรการ: มีอักขระควบคุม U+0000" in err
    raw = DEMO.read_bytes().replace("คู่คุณธรรม".encode(), b"\x00", 1)
    code, _out, err = run_cli(tmp_path, raw, capsys)
    assert code == 2
    assert "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด" in err
    assert not Plan.objects.exists()


def test_an_unknown_template_is_refused(db):
    data = demo_data()
    data["plan"]["template"] = "does-not-exist"
    assert refused(data) == ["แผน › แม่แบบ: ไม่มีแม่แบบ “does-not-exist” ในระบบ (ที่มี: dla-2561-2564)"]


@pytest.mark.parametrize("status", ["approved", "published"])
def test_an_import_always_creates_a_draft_and_says_the_status_was_not_used(db, tmp_path, capsys, status):
    data = demo_data()
    data["plan"]["status"] = status
    code, out, err = run_cli(tmp_path, json.dumps(data, ensure_ascii=False).encode(), capsys)
    assert code == 0
    assert Plan.objects.get().status == "draft"
    assert "นำเข้าแผน wangphai/2561-2564 แล้ว (ฉบับร่าง)" in out
    assert "แผน › สถานะ: ไฟล์ระบุว่า" in err and "การนำเข้าสร้างฉบับร่างเสมอ จึงไม่ใช้ค่านี้" in err


def test_a_published_plan_exports_as_published_and_comes_back_as_the_same_draft(db):
    data = demo_data()
    data["plan"]["status"] = "published"
    plan = import_plan(data, actor=SETUP)
    again = export_plan(plan)
    assert again["plan"]["status"] == "draft"
    again["plan"]["status"] = "published"
    assert dumps(again) == dumps(data)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "ไฟล์ไม่ใช่ข้อความ UTF-8: ไบต์ที่ 1 (บรรทัด 1)"),
        (b'{"plan": ', "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 1 คอลัมน์ 10)"),
        (b"[1, 2]", "ไฟล์ต้องเป็นแผนในรูปแบบ prongsai.plan"),
        (b'{"format": "prongsai.plan", "format_version": 1e999}', "ไฟล์มีตัวเลขที่รับไม่ได้: “1e999”"),
        (b'{"n": NaN}', "ไฟล์มีตัวเลขที่รับไม่ได้: “NaN”"),
        (b'{"n": ' + b"9" * 5000 + b"}", "ไฟล์มีตัวเลขที่รับไม่ได้"),
        (b"", "ไฟล์ไม่ใช่ JSON ที่ถูกต้อง (บรรทัด 1 คอลัมน์ 1)"),
    ],
)
def test_the_cli_exits_2_with_the_reason_for_any_bad_file(db, tmp_path, capsys, content, message):
    code, _out, err = run_cli(tmp_path, content, capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not Plan.objects.exists()


def test_a_file_over_the_size_limit_is_refused_without_reading_it_whole(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(validation, "MAX_BYTES", 1000)
    code, _out, err = run_cli(tmp_path, b" " * 3 * 1024 * 1024 + b"{}", capsys)
    assert code == 2
    assert "ไฟล์มีขนาด 3.0 MB เกินกว่าที่รับได้" in err


def test_the_cli_says_so_when_the_file_is_missing(db, tmp_path, capsys):
    assert main(["plan", "import", str(tmp_path / "nothing.json")]) == 2
    assert "อ่านไฟล์ไม่ได้" in capsys.readouterr().err


def test_problems_name_the_item_by_title_and_the_field_by_label_in_english_too(db):
    data = demo_data()
    first_item(data)["budgets"]["2562"] = "-100"
    with translation.override("en"):
        [problem] = refused(data)
    assert problem.startswith(
        "Dimension 1 › 1.1 › 1.1.1 › “โครงการความรู้คู่คุณธรรม” › Budget for 2562: must be a number"
    ), problem


def test_no_problem_speaks_json_schema(db):
    data = demo_data()
    data["organization"]["colour"] = "red"
    data["plan"]["dimensions"][1]["missions"][0]["items"][0].pop("kind")
    data["plan"]["dimensions"][1]["missions"][0]["items"][0]["indicators"] = [{"description": 5}]
    problems = refused(data)
    assert problems == [
        "องค์กร: มีช่องที่ไม่รู้จัก: “colour”",
        "มิติที่ 2 › 2.1 › “กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของ…”: ไม่มีประเภท ซึ่งต้องมี",
        "มิติที่ 2 › 2.1 › “กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของ…” › ตัวชี้วัดที่ 1 › ตัวชี้วัด: ต้องเป็นข้อความ (ในไฟล์: 5)",
    ]
    for problem in problems:
        assert "[" not in problem and "is not" not in problem and "does not match" not in problem


def test_problems_stop_at_the_limit(db):
    data = demo_data()
    for dimension in data["plan"]["dimensions"]:
        for mission in dimension["missions"]:
            for item in mission["items"]:
                item["kind"] = "wish"
            for child in mission["missions"]:
                for item in child["items"]:
                    item["kind"] = "wish"
    problems = refused(data)
    assert len(problems) <= validation.MAX_PROBLEMS + 1


# --- Properties -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def small_document():
    """A valid plan of a few items: quick to import many times."""
    data = demo_data()
    plan = data["plan"]
    plan["part1"] = {key: texts[:1] for key, texts in plan["part1"].items()}
    plan["dimensions"] = plan["dimensions"][:2]
    for dimension in plan["dimensions"]:
        dimension["missions"] = dimension["missions"][:2]
        for mission in dimension["missions"]:
            mission["items"] = mission["items"][:1]
            mission["missions"] = mission["missions"][:1]
            for child in mission["missions"]:
                child["items"] = child["items"][:1]
                child["missions"] = []
    return data


SMALL = small_document()


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


SMALL_PATHS = list(paths(SMALL))[1:]


def import_or_refuse(data) -> None:
    """Import inside a savepoint that is rolled back; a refusal must leave nothing behind."""
    counts = (Plan.objects.count(), PlanItem.objects.count(), AuditEvent.objects.count())
    with transaction.atomic():
        try:
            import_plan(data, actor=SETUP)
        except ImportRefused as refusal:
            assert refusal.problems and all(isinstance(p, str) and p for p in refusal.problems)
            assert (Plan.objects.count(), PlanItem.objects.count(), AuditEvent.objects.count()) == counts
        transaction.set_rollback(True)


@BOUNDED
@given(document=json_values)
def test_any_json_document_is_imported_or_refused_never_raising_anything_else(db, document):
    import_or_refuse(document)


@BOUNDED
@given(data=st.data())
def test_any_mutation_of_a_valid_plan_is_imported_or_refused(db, data):
    document = copy.deepcopy(SMALL)
    for _change in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(SMALL_PATHS))
        parent = document
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(last, None)
            else:
                parent[last] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    import_or_refuse(document)


@BOUNDED
@given(
    raw=st.binary(max_size=300)
    | st.text(alphabet='[]{}",:0123456789.eE-tfnul \\\x00ก', max_size=300).map(str.encode)
)
def test_any_bytes_are_parsed_or_refused(raw):
    try:
        validation.check(validation.parse(raw))
    except ImportRefused as refusal:
        assert refusal.problems


def test_the_small_document_is_valid(db):
    assert validation.problems(SMALL) == []
    assert import_plan(copy.deepcopy(SMALL), actor=SETUP).items.count() > 0
