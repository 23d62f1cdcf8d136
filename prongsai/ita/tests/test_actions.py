from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from prongsai.audit.models import AuditEvent
from prongsai.conftest import changed_state, log_problems
from prongsai.ita import actions
from prongsai.ita.models import Assessment, AssessmentScore, OitEntry, RoundStatus, Source, SurveyLink
from prongsai.ita.tests.helpers import SOURCE_SCORES, answer_all, link, open_round, record_source_row


def test_recording_the_source_row_keeps_the_published_figures_and_writes_an_audit_row(people, org_a):
    assessment = record_source_row(people["alice"], org_a)
    assert assessment.source == Source.PUBLISHED
    assert assessment.published_total == Decimal("78.54")
    rows = {row.key: row for row in assessment.scores.all()}
    assert rows["transparency"].score == Decimal("80.06")
    assert rows["transparency"].published_points == Decimal("20.82")
    event = AuditEvent.objects.get(event="ita.assessment.record")
    assert event.organization == org_a
    assert event.actor == people["alice"]
    state = changed_state(event, "ita_assessment")
    assert state["scores"]["work_integrity"] == {"score": "60.4800", "published_points": "10.89"}
    assert log_problems() == []


def test_a_second_published_result_for_the_same_year_is_refused(people, org_a, org_b):
    record_source_row(people["alice"], org_a)
    with pytest.raises(ValidationError) as caught:
        record_source_row(people["bob"], org_a)
    assert "year" in caught.value.message_dict
    record_source_row(people["erin"], org_b)  # another organisation's year is its own
    assert Assessment.objects.count() == 2


def test_recording_refuses_missing_scores_out_of_range_values_and_unknown_models(people, org_a):
    with pytest.raises(ValidationError) as caught:
        actions.record_assessment(
            people["alice"],
            org_a,
            year=2560,
            model_key="ita-2560",
            scores={**SOURCE_SCORES, "transparency": Decimal("100.5"), "bogus": Decimal(1)},
            published_points={"accountability": Decimal("18.01")},
        )
    errors = caught.value.message_dict
    assert "score_transparency" in errors
    assert "points_accountability" in errors
    assert any("bogus" in message for message in errors["scores"])
    with pytest.raises(ValidationError) as caught:
        actions.record_assessment(people["alice"], org_a, year=2560, model_key="ita-2599", scores={})
    assert "model_key" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.record_assessment(
            people["alice"], org_a, year=1999, model_key="ita-2560", scores=SOURCE_SCORES
        )
    assert "year" in caught.value.message_dict
    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="ita.").exists()


def test_deleting_a_published_result_is_audited(people, org_a):
    assessment = record_source_row(people["alice"], org_a)
    pk = assessment.pk
    actions.delete_assessment(people["bob"], assessment)
    assert not Assessment.objects.exists()
    assert not AssessmentScore.objects.exists()
    event = AuditEvent.objects.get(event="ita.assessment.delete")
    assert event.changes == [{"type": "ita_assessment", "id": str(pk), "state": None}]
    assert log_problems() == []


def test_opening_a_round_makes_a_link_per_questionnaire_and_the_oit_checklist(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    assert survey_round.status == RoundStatus.OPEN
    assert sorted(survey_round.links.values_list("tool", flat=True)) == ["EIT", "IIT"]
    tokens = list(SurveyLink.objects.values_list("token", flat=True))
    assert len(set(tokens)) == 2 and all(len(token) >= 32 for token in tokens)
    assert OitEntry.objects.filter(round=survey_round).count() == 43
    assert AuditEvent.objects.filter(event="ita.round.open").count() == 1


def test_a_round_needs_a_model_with_surveys_and_a_title(people, org_a):
    with pytest.raises(ValidationError) as caught:
        actions.open_round(people["alice"], org_a, year=2568, title="x", model_key="ita-2560")
    assert "model_key" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        actions.open_round(people["alice"], org_a, year=2568, title="   ")
    assert "title" in caught.value.message_dict


def test_the_oit_checklist_needs_a_web_address_before_an_item_is_complete(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    with pytest.raises(ValidationError) as caught:
        actions.update_oit_checklist(
            people["alice"],
            survey_round,
            {
                "O1": actions.OitChange("", True),
                "O2": actions.OitChange("javascript:alert(1)", False),
                "O99": actions.OitChange("", False),
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {"O1", "O2", "O99"}
    assert not OitEntry.objects.filter(complete=True).exists()
    changed = actions.update_oit_checklist(
        people["alice"],
        survey_round,
        {
            "O1": actions.OitChange("https://wangphai.go.th/structure", True),
            "O2": actions.OitChange("", False),
        },
    )
    assert changed == 1
    entry = OitEntry.objects.get(round=survey_round, item="O1")
    assert entry.complete and entry.updated_by == people["alice"]
    event = AuditEvent.objects.get(event="ita.oit.update")
    assert [c["state"] for c in event.changes] == [
        {"round": survey_round.pk, "item": "O1", "url": "https://wangphai.go.th/structure", "complete": True}
    ]
    assert log_problems() == []


def test_closing_a_round_without_answers_for_every_indicator_is_refused(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    answer_all(link(survey_round, "IIT"), 3)
    with pytest.raises(ValidationError) as caught:
        actions.close_round(people["bob"], survey_round)
    assert "คุณภาพการดำเนินงาน" in caught.value.messages[0]  # i6, an EIT indicator
    survey_round.refresh_from_db()
    assert survey_round.is_open
    assert not Assessment.objects.exists()


def test_closing_a_round_stores_its_scores_as_a_self_assessment(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    answer_all(link(survey_round, "IIT"), 3)  # the most positive option everywhere
    answer_all(link(survey_round, "IIT"), 0)
    answer_all(link(survey_round, "EIT"), 2)
    actions.update_oit_checklist(
        people["alice"], survey_round, {"O39": actions.OitChange("https://wangphai.go.th/plan", True)}
    )
    assessment = actions.close_round(people["bob"], survey_round)
    assert assessment.source == Source.SELF
    assert assessment.survey_round == survey_round
    assert assessment.year == 2568
    scores = {row.key: row.score for row in assessment.scores.all()}
    assert len(scores) == 10
    assert scores["i10"] == Decimal("10.0000")  # 1 of 10 items
    assert scores["i9"] == Decimal("0.0000")
    survey_round.refresh_from_db()
    assert survey_round.status == RoundStatus.CLOSED
    assert survey_round.closed_by == people["bob"]
    with pytest.raises(ValidationError):
        answer_all(link(survey_round, "IIT"), 3)
    with pytest.raises(ValidationError):
        actions.close_round(people["bob"], survey_round)
    assert AuditEvent.objects.filter(event="ita.round.close").count() == 1
    assert log_problems() == []
