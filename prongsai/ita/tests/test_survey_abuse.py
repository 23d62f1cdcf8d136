"""Flooding, timing and replaying the public survey: junk is refused before anything is stored or counted,
and the link's answer budget lives in the database."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.urls import reverse

from prongsai.ita import actions, public_views
from prongsai.ita.models import LinkBudget, SurveyResponse, UsedTicket
from prongsai.ita.tests.helpers import link, open_round
from prongsai.ita.tests.test_public_survey import _form_data


def _url(survey_link) -> str:
    return reverse("ita_survey", kwargs={"token": survey_link.token})


def _answer(survey_link, client: Client | None = None):
    """A genuine respondent: opens the form, lets the page's proof of work run, sends every answer."""
    client = client or Client()
    data = _form_data(client.get(_url(survey_link)).content.decode())
    return client.post(_url(survey_link), data)


def test_a_flood_of_junk_does_not_stop_a_genuine_answer(
    people, org_a, settings, django_assert_max_num_queries
):
    settings.SURVEY_POSTS_PER_MINUTE = 1
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    url = _url(survey_link)
    real = _form_data(Client().get(url).content.decode())
    wrong = next(str(n) for n in range(10_000) if not actions.proof_is_good(real["ticket"], str(n), 6))
    junk = Client()
    # No ticket, a forged one, the real ticket without or with a wrong proof: none reaches the database.
    with django_assert_max_num_queries(0):
        for data in (
            {},
            real | {"ticket": "1.1.0.forged:xxxx"},
            real | {"proof": ""},
            real | {"proof": wrong},
        ) * 30:
            assert junk.post(url, data).status_code == 400
    assert not LinkBudget.objects.exists() and not UsedTicket.objects.exists()
    assert Client().post(url, real).status_code == 302  # the budget of one answer was still whole
    assert SurveyResponse.objects.count() == 1


def test_a_replayed_ticket_is_refused_and_spends_no_budget(people, org_a, settings):
    settings.SURVEY_POSTS_PER_MINUTE = 2
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    data = _form_data(Client().get(_url(survey_link)).content.decode())
    assert Client().post(_url(survey_link), data).status_code == 302
    for _ in range(5):
        replay = Client().post(_url(survey_link), data)
        assert replay.status_code == 400
        assert "แบบฟอร์มนี้ส่งคำตอบไปแล้ว" in replay.content.decode()
    assert LinkBudget.objects.get(link=survey_link).hits == 1
    assert _answer(survey_link).status_code == 302  # the second place was kept for a real respondent
    assert SurveyResponse.objects.count() == 2


def test_a_ticket_younger_than_the_minimum_is_refused_until_it_is_old_enough(people, org_a, settings):
    settings.SURVEY_TICKET_MIN_SECONDS = 30
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    page = Client().get(_url(survey_link)).content.decode()
    assert 'data-proof-min-seconds="30"' in page  # the page's script waits as long before enabling "send"
    data = _form_data(page)
    response = Client().post(_url(survey_link), data)
    assert response.status_code == 400 and "ส่งเร็วเกินไป" in response.content.decode()
    assert not UsedTicket.objects.exists()  # the ticket was not spent: it can be sent once old enough

    aged = actions.new_ticket(survey_link, issued=int(time.time()) - 31)
    data |= {"ticket": aged, "proof": actions.solve_proof(aged, 6)}
    assert Client().post(_url(survey_link), data).status_code == 302


def test_a_bad_or_missing_proof_of_work_is_refused(people, org_a, settings):
    settings.SURVEY_PROOF_BITS = 12
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    data = _form_data(Client().get(_url(survey_link)).content.decode())
    ticket = data["ticket"]
    assert actions.proof_is_good(ticket, data["proof"], 12)
    wrong = next(str(n) for n in range(10_000) if not actions.proof_is_good(ticket, str(n), 12))
    for proof in ("", wrong, "-1", "1e3", "9" * 21, "٣"):
        response = Client().post(_url(survey_link), data | {"proof": proof})
        assert response.status_code == 400, proof
        assert "JavaScript" in response.content.decode()
    # A proof solved for another ticket does not fit this one.
    other = actions.new_ticket(survey_link)
    assert Client().post(_url(survey_link), data | {"ticket": other}).status_code == 400
    assert not SurveyResponse.objects.exists()
    assert Client().post(_url(survey_link), data).status_code == 302


def test_an_expired_ticket_is_refused(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    data = _form_data(Client().get(_url(survey_link)).content.decode())
    old = actions.new_ticket(survey_link, issued=int(time.time()) - actions.TICKET_MAX_AGE - 1)
    response = Client().post(_url(survey_link), data | {"ticket": old, "proof": actions.solve_proof(old, 6)})
    assert response.status_code == 400 and "เปิดค้างไว้นานเกินไป" in response.content.decode()


def test_a_link_takes_only_so_many_answers_a_minute_and_keeps_the_answers_for_resending(
    people, org_a, settings
):
    settings.SURVEY_POSTS_PER_MINUTE = 2
    survey_round = open_round(people["alice"], org_a)
    eit, iit = link(survey_round, "EIT"), link(survey_round, "IIT")
    assert [_answer(eit).status_code for _ in range(2)] == [302, 302]
    client = Client()
    data = _form_data(client.get(_url(eit)).content.decode())
    busy = client.post(_url(eit), data)
    assert busy.status_code == 429
    page = busy.content.decode()
    assert "คำตอบของคุณยังไม่ได้บันทึก" in page
    # The form comes back filled in, with the same unspent ticket and proof, ready to be sent again.
    assert (
        f'name="ticket" value="{data["ticket"]}"' in page and f'name="proof" value="{data["proof"]}"' in page
    )
    assert page.count("checked") == len(eit.questionnaire.items)
    assert not UsedTicket.objects.filter(
        digest=actions.check_ticket(data["ticket"], data["proof"]).digest
    ).exists()
    assert _answer(iit).status_code == 302  # the limit is per link
    assert Client().get(_url(eit)).status_code == 200  # reading the survey is not limited
    LinkBudget.objects.filter(link=eit).update(window=0)  # the minute turns
    assert client.post(_url(eit), data).status_code == 302
    assert SurveyResponse.objects.count() == 4


def test_the_limit_holds_across_a_restart_because_it_is_counted_in_the_database(
    transactional_db, people, org_a, settings
):
    settings.SURVEY_POSTS_PER_MINUTE = 1
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    assert _answer(survey_link).status_code == 302
    # What a restart of every server process forgets: caches, connections, rendered pages.
    cache.clear()
    connections.close_all()
    public_views._blank_questions.clear()
    assert _answer(survey_link).status_code == 429
    assert LinkBudget.objects.get(link=survey_link).hits == 1
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("limit", [0, 3])
def test_the_budget_counts_one_update_per_answer(people, org_a, limit):
    from prongsai.lib import ratelimit

    survey_link = link(open_round(people["alice"], org_a), "IIT")
    now = 600.0
    taken = [ratelimit.allow(LinkBudget, survey_link.pk, limit, 60, now=now) for _ in range(limit + 2)]
    assert taken == [True] * limit + [False, False]
    assert ratelimit.allow(LinkBudget, survey_link.pk, limit, 60, now=now + 60) is (limit > 0)


def test_the_page_says_what_to_do_without_javascript(people, org_a):
    survey_link = link(open_round(people["alice"], org_a), "IIT")
    page = Client().get(_url(survey_link)).content.decode()
    found = re.search(r"<noscript>(.*?)</noscript>", page, re.S)
    assert found is not None
    noscript = found.group(1)
    assert "JavaScript" in noscript and "แบบสอบถามกระดาษ" in noscript
    assert re.search(
        r'<button type="submit" data-proof-submit disabled>', page
    )  # the script enables it once solved
    assert "prongsai/proof.js" in page and f'data-proof-ticket="{_form_data(page)["ticket"]}"' in page
