from decimal import Decimal

import pytest

from prongsai.ita import catalog
from prongsai.plans.structure import load_template


def _template_codes() -> set[str]:
    codes: set[str] = set()

    def walk(nodes):
        for node in nodes:
            codes.add(node["code"])
            walk(node.get("missions", []))

    for dimension in load_template("dla-2561-2564")["dimensions"]:
        walk(dimension.get("missions", []))
    return codes


def test_the_2560_model_has_the_five_indices_and_their_weights():
    model = catalog.load_model("ita-2560")
    weights = {part.key: part.weight for part in model.parts}
    assert weights == {
        "transparency": Decimal(26),
        "accountability": Decimal(18),
        "corruption_free": Decimal(22),
        "integrity_culture": Decimal(16),
        "work_integrity": Decimal(18),
    }
    assert model.part("work_integrity").name_th == "คุณธรรมการทำงานในหน่วยงาน"
    assert model.pass_mark is None
    assert model.grading_kind == "level"
    assert [band.label_th for band in model.bands] == ["สูงมาก", "สูง", "ปานกลาง", "ต่ำ", "ต่ำมาก"]
    # Derived weights and word bands stay marked as facts still to be verified.
    assert model.verify["weights"] is True
    assert model.verify["grading"] is True


def test_the_2562_model_has_ten_indicators_grades_and_the_pass_mark_85():
    model = catalog.load_model("ita-2562")
    assert model.keys == tuple(f"i{n}" for n in range(1, 11))
    assert [part.weight for part in model.parts] == [Decimal(w) for w in (6, 6, 6, 6, 6, 10, 10, 10, 20, 20)]
    assert [part.tool for part in model.parts] == ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2
    assert model.pass_mark == Decimal(85)
    assert [(band.label_th, band.minimum) for band in model.bands] == [
        ("AA", Decimal(95)),
        ("A", Decimal(85)),
        ("B", Decimal(75)),
        ("C", Decimal(65)),
        ("D", Decimal(55)),
        ("E", Decimal(50)),
        ("F", Decimal(0)),
    ]
    assert model.has_surveys


def test_every_model_names_its_parts_in_thai_and_english_and_maps_them_to_plan_sub_dimensions():
    codes = _template_codes()
    for model in catalog.all_models():
        assert model.name_th and model.name_en
        for part in model.parts:
            assert part.name_th and part.name_en
            assert part.plan_missions, part.key
            assert set(part.plan_missions) <= codes, (model.key, part.key)


def test_the_iit_questionnaire_has_thirty_questions_six_per_indicator():
    iit = catalog.load_questionnaire("iit-2564")
    assert [q.key for q in iit.questions] == [f"I{n}" for n in range(1, 31)]
    for number, question in enumerate(iit.questions, start=1):
        assert question.part_key == f"i{(number - 1) // 6 + 1}"
    with_sub_items = [q for q in iit.questions if q.has_sub_items]
    assert with_sub_items and all(2 <= len(q.items) <= 4 for q in with_sub_items)
    assert iit.verify


def test_scale_answers_are_0_33_67_100_and_reversed_for_negative_items():
    iit = catalog.load_questionnaire("iit-2564")
    positive = iit.item("I1")
    negative = iit.item("I9")
    assert [positive.points_of(i) for i in range(4)] == [0, 33, 67, 100]
    assert [negative.points_of(i) for i in range(4)] == [100, 67, 33, 0]
    bribe = iit.item("I5.1")  # "yes" to being asked for money is bad
    assert [o.label_th for o in bribe.options] == ["ไม่ใช่", "ใช่"]
    assert [bribe.points_of(i) for i in range(2)] == [100, 0]
    # A question may mix positive and negative sub-items.
    assert not iit.item("I11.1").reversed
    assert iit.item("I11.2").reversed


def test_the_eit_questionnaire_covers_indicators_6_to_8():
    eit = catalog.load_questionnaire("eit-2564")
    assert len(eit.questions) == 15
    assert eit.part_keys == ("i6", "i7", "i8")
    assert eit.item("E8").points_of(1) == 100  # มี a channel for comments


def test_the_oit_checklist_has_43_items_split_between_indicators_9_and_10():
    oit = catalog.load_questionnaire("oit-2564")
    assert [c.key for c in oit.checklist] == [f"O{n}" for n in range(1, 44)]
    assert {c.part_key for c in oit.checklist[:33]} == {"i9"}
    assert {c.part_key for c in oit.checklist[33:]} == {"i10"}
    assert oit.checklist[38].name_th == "แผนปฏิบัติการป้องกันการทุจริตประจำปี"  # O39
    assert oit.checklist[38].prongsai_th


def test_an_unknown_model_is_a_lookup_error():
    with pytest.raises(LookupError):
        catalog.load_model("ita-2599")
    with pytest.raises(LookupError):
        catalog.load_model("../models/ita-2560")


def _model_data(**changes):
    data = {
        "key": "x",
        "name_th": "x",
        "parts": [{"key": "a", "name_th": "ก", "weight": "60"}, {"key": "b", "name_th": "ข", "weight": "40"}],
        "grading": {
            "kind": "grade",
            "bands": [{"min": "50", "label_th": "ผ่าน"}, {"min": "0", "label_th": "ตก"}],
        },
    }
    data.update(changes)
    return data


def test_a_model_file_is_checked_when_read():
    assert catalog.parse_model(_model_data()).keys == ("a", "b")
    with pytest.raises(catalog.DataFileError, match="add up"):
        catalog.parse_model(_model_data(parts=[{"key": "a", "name_th": "ก", "weight": "60"}]))
    with pytest.raises(catalog.DataFileError, match="repeat"):
        catalog.parse_model(
            _model_data(
                parts=[
                    {"key": "a", "name_th": "ก", "weight": "50"},
                    {"key": "a", "name_th": "ข", "weight": "50"},
                ]
            )
        )
    with pytest.raises(catalog.DataFileError, match="bands"):
        catalog.parse_model(
            _model_data(grading={"kind": "grade", "bands": [{"min": "50", "label_th": "ผ่าน"}]})
        )
    with pytest.raises(catalog.DataFileError, match="not a number"):
        catalog.parse_model(_model_data(parts=[{"key": "a", "name_th": "ก", "weight": "sixty"}]))
