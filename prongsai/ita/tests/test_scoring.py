from decimal import Decimal

import pytest

from prongsai.ita import catalog, scoring
from prongsai.ita.tests.helpers import SOURCE_POINTS, SOURCE_SCORES


def _source_result(published_total: str = "78.54") -> scoring.Result:
    return scoring.compute(
        catalog.load_model("ita-2560"),
        SOURCE_SCORES,
        published_points=SOURCE_POINTS,
        published_total=Decimal(published_total),
    )


def test_the_source_row_gives_the_published_points():
    result = _source_result()
    assert [part.points for part in result.parts] == [
        Decimal("20.82"),
        Decimal("15.43"),
        Decimal("19.75"),
        Decimal("11.65"),
        Decimal("10.89"),
    ]
    assert not any(part.points_differ for part in result.parts)


def test_the_total_comes_from_unrounded_points_so_it_is_78_53_beside_the_published_78_54_without_a_flag():
    result = _source_result()
    assert result.total_exact == Decimal("78.5338")
    assert result.total == Decimal("78.53")
    assert sum(part.points for part in result.parts) == Decimal("78.54")  # what the source added up
    assert result.published_total == Decimal("78.54")
    assert not result.total_differs
    assert not result.any_difference


def test_a_published_total_more_than_001_away_is_flagged():
    assert _source_result("78.55").total_differs
    assert not _source_result("78.52").total_differs


def test_published_points_more_than_001_away_are_flagged():
    points = dict(SOURCE_POINTS, transparency=Decimal("20.84"))
    result = scoring.compute(catalog.load_model("ita-2560"), SOURCE_SCORES, published_points=points)
    assert result.parts[0].points_differ
    assert not result.parts[1].points_differ


def test_the_weakest_index_is_work_integrity_and_the_level_is_a_thai_word():
    result = _source_result()
    assert result.weakest.part.key == "work_integrity"
    assert result.weakest.part.name_th == "คุณธรรมการทำงานในหน่วยงาน"
    assert result.band.label_th == "สูง"
    assert result.passed is None
    # Without a pass mark, the weak areas are those below the total, lowest first.
    assert [p.part.key for p in result.weak_parts] == ["work_integrity", "integrity_culture"]


def test_points_round_half_up():
    model = catalog.parse_model(
        {
            "key": "t",
            "name_th": "t",
            "parts": [
                {"key": "a", "name_th": "ก", "weight": "50"},
                {"key": "b", "name_th": "ข", "weight": "50"},
            ],
            "grading": {"kind": "grade", "bands": [{"min": "0", "label_th": "-"}]},
        }
    )
    result = scoring.compute(model, {"a": Decimal("0.01"), "b": Decimal("0.01")})
    assert result.parts[0].points_exact == Decimal("0.005")
    assert result.parts[0].points == Decimal("0.01")  # half up, not to even
    assert result.total == Decimal("0.01")


@pytest.mark.parametrize(
    ("score", "grade", "passed"),
    [
        ("100", "AA", True),
        ("95", "AA", True),
        ("94.99", "A", True),
        ("85", "A", True),
        ("84.99", "B", False),
        ("75", "B", False),
        ("65", "C", False),
        ("55", "D", False),
        ("50", "E", False),
        ("49.99", "F", False),
        ("0", "F", False),
    ],
)
def test_2562_grades_and_the_pass_mark(score, grade, passed):
    model = catalog.load_model("ita-2562")
    result = scoring.compute(model, dict.fromkeys(model.keys, Decimal(score)))
    assert result.total == Decimal(score)
    assert result.band.label_th == grade
    assert result.passed is passed


def test_2562_weak_areas_are_the_indicators_below_85():
    model = catalog.load_model("ita-2562")
    scores = dict.fromkeys(model.keys, Decimal(90))
    scores.update(i3=Decimal("70.5"), i9=Decimal(80))
    result = scoring.compute(model, scores)
    assert [p.part.key for p in result.weak_parts] == ["i3", "i9"]
    everything_passes = scoring.compute(model, dict(scores, i3=Decimal(99), i9=Decimal(86)))
    assert [p.part.key for p in everything_passes.weak_parts] == ["i9"]  # the weakest is always shown


def test_check_scores_names_every_problem():
    model = catalog.load_model("ita-2560")
    with pytest.raises(scoring.ScoreProblems) as caught:
        scoring.check_scores(
            model, {"transparency": "80.06", "accountability": "abc", "corruption_free": "101", "bogus": "1"}
        )
    text = "\n".join(caught.value.problems)
    assert "bogus" in text
    assert "ขาดคะแนนของ integrity_culture" in text
    assert "ขาดคะแนนของ work_integrity" in text
    assert "accountability" in text and "abc" in text
    assert "corruption_free" in text and "101" in text


def test_check_scores_accepts_0_and_100_and_rejects_nan():
    model = catalog.load_model("ita-2560")
    scores = scoring.check_scores(model, dict.fromkeys(model.keys, "100") | {"transparency": "0"})
    assert scores["transparency"] == 0
    with pytest.raises(scoring.ScoreProblems):
        scoring.check_scores(model, dict.fromkeys(model.keys, "NaN"))
