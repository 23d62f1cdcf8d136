"""Nobody can order or time individual anonymous answers from what is stored: no time, no ordered key,
no audit row per answer."""

from __future__ import annotations

import uuid
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client

from prongsai.audit.models import AuditEvent
from prongsai.ita.models import Answer, ItemTally, LinkBudget, SurveyResponse, UsedTicket
from prongsai.ita.tests.helpers import link, open_round
from prongsai.ita.tests.test_public_survey import _form_data

RESPONDENTS = 12  # 12! orders: a random key sorting into submission order by chance is about 2 in 10⁹


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    return {model._meta.label: list(model._default_manager.values()) for model in apps.get_models()}


def test_no_stored_time_key_order_or_audit_row_orders_the_anonymous_answers(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    url = f"/s/{survey_link.token}/"
    questionnaire = survey_link.questionnaire
    before = _snapshot()
    audit_before = AuditEvent.objects.count()

    # Respondent k is recognisable by what they answered: option k % 4 on the first item, k // 4 on the second.
    first, second = questionnaire.items[0], questionnaire.items[1]
    order = []
    for k in range(RESPONDENTS):
        client = Client()
        data = _form_data(client.get(url).content.decode())
        data |= {first.key: str(k % len(first.options)), second.key: str(k // 4 % len(second.options))}
        assert client.post(url, data).status_code == 302
        order.append(
            (first.points_of(k % len(first.options)), second.points_of(k // 4 % len(second.options)))
        )
    assert len(set(order)) == RESPONDENTS

    # No audit row, and no other table, grew or changed per answer.
    assert AuditEvent.objects.count() == audit_before
    after = _snapshot()
    grown = {label for label in after if after[label] != before[label]}
    assert grown == {"ita.SurveyResponse", "ita.Answer", "ita.UsedTicket", "ita.LinkBudget", "ita.ItemTally"}
    assert LinkBudget.objects.count() == 1  # one row per link, overwritten: only this minute's count

    # No column of the answer tables can hold a time; the keys are random (version 4) UUIDs.
    for model in (SurveyResponse, Answer, UsedTicket, LinkBudget, ItemTally):
        kinds = [type(field) for field in model._meta.concrete_fields]
        assert not any(
            issubclass(kind, models.DateField | models.TimeField | models.DurationField) for kind in kinds
        )
        assert not any(issubclass(kind, models.AutoField) for kind in kinds)
    for model in (SurveyResponse, Answer):
        assert all(pk.version == 4 for pk in model.objects.values_list("pk", flat=True))

    # Sorting the responses by any stored column of theirs does not give back the order they came in.
    def signature(response: SurveyResponse) -> tuple[int, int]:
        points = {a.item: a.points for a in response.answers.all()}
        return points[first.key], points[second.key]

    responses = list(SurveyResponse.objects.prefetch_related("answers"))
    for column in ("id", "round_id", "tool", "via"):
        ranked = [signature(r) for r in sorted(responses, key=lambda r: (getattr(r, column), str(r.pk)))]
        assert ranked != order, column
    # The same for the answers' own keys: the responses met first when walking the answers by key.
    by_response = {r.pk: signature(r) for r in responses}
    walked = dict.fromkeys(by_response[a.response_id] for a in Answer.objects.order_by("pk"))
    assert list(walked) != order
    assert {f.name for f in UsedTicket._meta.concrete_fields} == {"digest", "link"}
    # The running sums hold counts only, keyed by round and item: nothing about a respondent or a time.
    assert {f.name for f in ItemTally._meta.concrete_fields} == {"round", "item", "answers", "points"}
    assert set(ItemTally.objects.values_list("answers", flat=True)) == {RESPONDENTS}
    response = SurveyResponse.objects.first()
    assert response is not None and isinstance(response.pk, uuid.UUID)
