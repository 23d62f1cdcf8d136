"""The method file: every cell of the 5 × 5 matrix against the bands the file defines, and its check."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from prongsai.risks.apps import check_methods
from prongsai.risks.method import DATA_DIR, DEFAULT_METHOD, MethodError, method, parse

RAW: dict[str, Any] = json.loads((DATA_DIR / f"{DEFAULT_METHOD}.json").read_text(encoding="utf-8"))


def band_in_file(score: int) -> str:
    """The level the data file gives ``score``, read from the JSON itself, not through the loader."""
    key: str = next(b["key"] for b in RAW["levels"] if b["from"] <= score <= b["to"])
    return key


@pytest.mark.parametrize("likelihood", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("impact", [1, 2, 3, 4, 5])
def test_every_cell_has_the_score_and_level_of_the_data_file(likelihood, impact):
    m = method()
    assert m.score(likelihood, impact) == likelihood * impact
    level = m.cell_level(likelihood, impact)
    assert level.key == band_in_file(likelihood * impact)
    assert level.colour == next(b["colour"] for b in RAW["levels"] if b["key"] == level.key)


def test_the_shipped_bands_are_the_common_convention_marked_verify():
    m = method()
    assert [(lv.key, lv.low, lv.high, lv.title_th) for lv in m.levels] == [
        ("low", 1, 3, "ต่ำ"),
        ("medium", 4, 8, "ปานกลาง"),
        ("high", 9, 14, "สูง"),
        ("very_high", 15, 25, "สูงมาก"),
    ]
    assert all(lv.verify for lv in m.levels)


def test_the_areas_include_the_four_lao_areas_and_bribery():
    assert [a.key for a in method().areas] == ["permits", "bribery", "power", "budget", "personnel"]
    bribery = method().area("bribery")
    assert bribery is not None and bribery.verify


def test_the_scales_have_thai_descriptions():
    for step in (*method().likelihood, *method().impact):
        assert step.title_th and step.description_th and step.description_en


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_score_off_the_scale_is_refused(value):
    with pytest.raises(ValueError):
        method().score(value, 3)


def broken(change) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["levels"].pop(1), "start at 4"),
        (lambda d: d["levels"][-1].update({"to": 24}), "without a gap"),
        (lambda d: d["levels"][0].update({"colour": "green"}), "#rrggbb"),
        (lambda d: d["likelihood"].pop(), "1, 2, 3, 4, 5"),
        (lambda d: d["impact"][0].update({"value": 0}), "1, 2, 3, 4, 5"),
        (lambda d: d["areas"].append(dict(d["areas"][0])), "repeated"),
        (lambda d: d["areas"][0].pop("title_th"), "title_th"),
        (lambda d: d.pop("levels"), "levels"),
    ],
)
def test_a_broken_method_file_is_named(change, message):
    with pytest.raises(MethodError, match=message):
        parse(broken(change))


def test_the_system_check_passes_on_the_shipped_file_and_names_a_broken_one(tmp_path, monkeypatch):
    assert check_methods() == []
    (tmp_path / f"{DEFAULT_METHOD}.json").write_text(json.dumps(broken(lambda d: d["levels"].pop())))
    monkeypatch.setattr("prongsai.risks.method.DATA_DIR", tmp_path)
    method.cache_clear()
    try:
        problems = check_methods()
    finally:
        method.cache_clear()
    assert [p.id for p in problems] == ["risks.E001"]


def test_the_system_check_names_a_missing_default(tmp_path, monkeypatch):
    monkeypatch.setattr("prongsai.risks.method.DATA_DIR", tmp_path)
    assert [p.id for p in check_methods()] == ["risks.E001"]


def test_a_weak_ita_index_proposes_areas_from_the_data_file():
    proposed = method().proposed_areas(["work_integrity", "accountability"])
    assert [a.key for a in proposed] == RAW["ita_index_areas"]["areas"]["work_integrity"]  # power repeats
    assert method().proposed_areas(["an_index_of_a_later_model"]) == []
    assert RAW["ita_index_areas"]["verify"] is True


def test_a_proposal_naming_an_unknown_area_is_refused():
    with pytest.raises(MethodError, match="unknown areas"):
        parse(broken(lambda d: d["ita_index_areas"]["areas"].update({"x": ["weather"]})))
