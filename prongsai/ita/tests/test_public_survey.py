"""The public survey: anyone with the link answers once, without an account, and nothing identifies them."""

from __future__ import annotations

import re

from django.apps import apps
from django.core import signing
from django.test import Client
from django.urls import reverse

from prongsai.audit.models import AuditEvent
from prongsai.ita import actions, public_views
from prongsai.ita.models import Answer, SurveyResponse, UsedTicket
from prongsai.ita.tests.helpers import link, open_round

IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (ProngsaiProbe-UA-7f3a)"


def _form_data(page: str, option: str = "2") -> dict[str, str]:
    """Every radio group of the page answered with ``option`` (the first one where it has fewer), plus the
    ticket and the proof of work the page's script would have found."""
    ticket_match = re.search(r'name="ticket" value="([^"]+)"', page)
    bits_match = re.search(r'data-proof-bits="(\d+)"', page)
    assert ticket_match is not None and bits_match is not None
    ticket, bits = ticket_match.group(1), int(bits_match.group(1))
    names = dict.fromkeys(re.findall(r'type="radio" name="([^"]+)"', page))
    data = {"ticket": ticket, "proof": actions.solve_proof(ticket, bits)}
    for name in names:
        values = re.findall(rf'name="{re.escape(name)}" value="(\d+)"', page)
        data[name] = option if option in values else values[0]
    return data


def _survey(client: Client, survey_link, **extra):
    return client.get(reverse("ita_survey", kwargs={"token": survey_link.token}), **extra)


def test_a_respondent_answers_once_and_sees_thanks(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    client = Client()
    page = _survey(client, survey_link).content.decode()
    assert page.count('type="radio"') == sum(len(item.options) for item in survey_link.questionnaire.items)
    url = reverse("ita_survey", kwargs={"token": survey_link.token})
    response = client.post(url, _form_data(page))
    assert response.status_code == 302 and response["Location"] == url
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == len(survey_link.questionnaire.items)
    again = _survey(client, survey_link)
    assert "ขอบคุณที่ตอบแบบสำรวจ" in again.content.decode()
    # A second post from the same browser is not stored, whatever its ticket.
    ticket = actions.new_ticket(survey_link)
    fresh = _form_data(page) | {"ticket": ticket, "proof": actions.solve_proof(ticket, 6)}
    client.post(url, fresh)
    assert SurveyResponse.objects.count() == 1


def test_a_ticket_is_good_for_one_answer_only(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    page = _survey(Client(), survey_link).content.decode()
    data = _form_data(page)
    url = reverse("ita_survey", kwargs={"token": survey_link.token})
    assert Client().post(url, data).status_code == 302
    replay = Client().post(url, data)  # another browser replaying the same form
    assert replay.status_code == 400
    assert "แบบฟอร์มนี้ส่งคำตอบไปแล้ว" in replay.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert UsedTicket.objects.count() == 1


def test_a_forged_or_foreign_ticket_is_refused(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    iit, eit = link(survey_round, "IIT"), link(survey_round, "EIT")
    data = _form_data(_survey(Client(), iit).content.decode())
    url = reverse("ita_survey", kwargs={"token": iit.token})
    for ticket in (
        "not-signed",
        actions.new_ticket(eit),
        signing.Signer(salt="other").sign(f"{iit.pk}.1.0.x"),
    ):
        response = Client().post(url, data | {"ticket": ticket, "proof": actions.solve_proof(ticket, 6)})
        assert response.status_code == 400
        assert "แบบฟอร์มไม่ถูกต้อง โปรดเปิดลิงก์ใหม่" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unanswered_question_is_named_and_nothing_is_stored(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    data = _form_data(_survey(Client(), survey_link).content.decode())
    del data["I29.4"]
    response = Client().post(reverse("ita_survey", kwargs={"token": survey_link.token}), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ยังตอบไม่ครบ" in page and "โปรดตอบข้อนี้" in page
    assert not SurveyResponse.objects.exists() and not UsedTicket.objects.exists()


def test_a_closed_round_takes_no_answers(people, org_a):
    survey_round = open_round(people["alice"], org_a)
    survey_link = link(survey_round, "IIT")
    data = _form_data(_survey(Client(), survey_link).content.decode())
    survey_round.status = "closed"
    survey_round.save(update_fields=["status"])
    url = reverse("ita_survey", kwargs={"token": survey_link.token})
    assert Client().post(url, data).status_code == 410  # at once, even while the page is still kept
    public_views._pages.clear()  # each process keeps the page PAGE_SECONDS at most
    assert Client().get(url).status_code == 410
    assert not SurveyResponse.objects.exists()


def test_no_ip_address_or_user_agent_is_stored_with_an_answer(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    client = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=USER_AGENT, HTTP_X_FORWARDED_FOR=IP)
    data = _form_data(_survey(client, survey_link).content.decode())
    assert client.post(reverse("ita_survey", kwargs={"token": survey_link.token}), data).status_code == 302
    assert SurveyResponse.objects.count() == 1

    # The answer tables have no column that could hold who, where from or when.
    for model in (SurveyResponse, Answer, UsedTicket):
        columns = {field.name for field in model._meta.get_fields()}
        assert not columns & {"ip", "ip_address", "user_agent", "name", "created_at", "submitted_at", "user"}

    # And no value anywhere in the database holds the address or the agent.
    found = []
    for table in apps.get_models():
        for row in table._default_manager.all().values():
            for column, value in row.items():
                if value is not None and (IP in str(value) or "ProngsaiProbe" in str(value)):
                    found.append((table.__name__, column))
    assert found == []

    # No entry per answer: the log's order and times must not be matched to anonymous answers.
    assert (
        not AuditEvent.objects.filter(organization=org_a)
        .exclude(event__in=["organization.create", "member.add", "ita.round.open"])
        .exists()
    )


def test_the_survey_page_is_not_cached(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    response = _survey(Client(), survey_link)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_an_anonymous_visitor_gets_the_kept_page_without_the_database_and_a_fresh_ticket_each_time(
    people, org_a, django_assert_num_queries
):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    first = _survey(Client(), survey_link).content.decode()
    with django_assert_num_queries(0):
        second = _survey(Client(), survey_link)
    page = second.content.decode()
    ticket_match = re.search(r'name="ticket" value="([^"]+)"', page)
    first_match = re.search(r'name="ticket" value="([^"]+)"', first)
    assert ticket_match is not None and first_match is not None
    ticket = ticket_match.group(1)
    assert ticket != first_match.group(1)
    assert "@@" not in page and page.count('name="csrfmiddlewaretoken"') == 2
    assert "csrftoken" in second.cookies
    assert Client().post(second.wsgi_request.path, _form_data(page)).status_code in (302, 403)
