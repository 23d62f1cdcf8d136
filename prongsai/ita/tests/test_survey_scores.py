"""Scores of a self-assessment round: the rules, and that the work is done set-based in the database."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from prongsai.ita import actions, catalog, survey_scores
from prongsai.ita.models import SurveyRound
from prongsai.ita.tests.helpers import answer_all, link, open_round


def _expected_part(questionnaire, part_key, option):
    """The indicator score when every respondent picks ``option`` (or its yes/no equivalent) everywhere."""
    question_means = []
    for question in questionnaire.questions:
        if question.part_key != part_key:
            continue
        items = [Decimal(item.points_of(min(option, len(item.options) - 1))) for item in question.items]
        question_means.append(sum(items) / len(items))
    return sum(question_means) / len(question_means)


def test_item_question_and_indicator_scores_are_means_of_their_parts(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit = link(survey_round, "IIT").questionnaire
    answer_all(link(survey_round, "IIT"), 3)
    scores = survey_scores.score_round(survey_round)
    for part_key in ("i1", "i2", "i3", "i4", "i5"):
        assert scores[part_key] == _expected_part(iit, part_key, 3)
    # i2 = mean of I7..I12; I9 and I10 are negative items, I11 mixes a positive and a negative sub-item.
    assert scores["i2"] == (Decimal(100) + 100 + 0 + 0 + 50 + 100) / 6
    assert "i6" not in scores  # no EIT answers yet
    assert scores["i9"] == 0 and scores["i10"] == 0


def test_a_second_respondent_moves_the_item_means(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    answer_all(link(survey_round, "EIT"), 3)
    answer_all(link(survey_round, "EIT"), 1)
    scores = survey_scores.score_round(survey_round)
    # E11..E15 are all positive four-level questions: (100 + 33) / 2.
    assert scores["i8"] == Decimal("66.5")


def test_the_oit_indicators_are_the_share_of_items_disclosed_completely(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    changes = {f"O{n}": actions.OitChange(f"https://example.org/{n}", True) for n in (1, 2, 3, 34, 35)}
    actions.update_oit_checklist(people["alice"], survey_round, changes)
    scores = survey_scores.score_round(survey_round)
    assert scores["i9"] == Decimal(3) * 100 / 33
    assert scores["i10"] == Decimal(20)  # 2 of the 10 items O34–O43


def test_scoring_one_round_takes_the_same_queries_whatever_the_number_of_respondents(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    for _ in range(2):
        answer_all(link(survey_round, "IIT"), 2)
        answer_all(link(survey_round, "EIT"), 1)
    with CaptureQueriesContext(connection) as few:
        survey_scores.score_round(survey_round)
    for _ in range(40):
        answer_all(link(survey_round, "IIT"), 3)
        answer_all(link(survey_round, "EIT"), 0)
    with CaptureQueriesContext(connection) as many:
        scores = survey_scores.score_round(survey_round)
    assert len(few.captured_queries) == len(many.captured_queries) == 3
    # The running sums are combined in the database (one GROUP BY); the answers are not read at all.
    grouped = [q["sql"] for q in many.captured_queries if "ita_itemtally" in q["sql"]]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0]
    assert not any("ita_answer" in q["sql"] for q in many.captured_queries)
    assert scores["i1"] > 0


def test_scoring_many_rounds_at_once_gives_the_same_scores_as_one_at_a_time(people, org_a, org_b):
    first = open_round(people["alice"], org_a)
    second = open_round(people["erin"], org_b)
    answer_all(link(first, "IIT"), 3)
    answer_all(link(second, "IIT"), 1)
    answer_all(link(second, "EIT"), 2)
    together = survey_scores.score_rounds(SurveyRound.objects.all())
    assert together[first.pk] == survey_scores.score_round(first)
    assert together[second.pk] == survey_scores.score_round(second)
    assert together[first.pk] != together[second.pk]


def test_combine_is_the_same_rule_for_rows_counted_outside_the_database():
    iit = catalog.load_questionnaire("iit-2564")
    sums = {item.key: (item.points_of(3) * 2, 2) for item in iit.items}
    scores = survey_scores.combine("ita-2562", sums, [])
    assert scores["i1"] == _expected_part(iit, "i1", 3)
