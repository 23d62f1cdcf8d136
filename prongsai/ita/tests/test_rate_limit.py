from django.core.cache import cache
from django.test import Client, override_settings

from prongsai.ita.models import SurveyResponse
from prongsai.ita.tests.helpers import link, open_round


@override_settings(SURVEY_POSTS_PER_MINUTE=2)
def test_a_survey_link_accepts_only_so_many_posts_a_minute(people, org_a):
    cache.clear()
    survey_link = link(open_round(people["alice"], org_a), "EIT")
    url = f"/s/{survey_link.token}/"
    statuses = [Client().post(url, {}).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]  # the empty form is shown again with its errors
    assert statuses[2] == 429
    assert "คำตอบของคุณยังไม่ได้บันทึก" in Client().post(url, {}).content.decode()
    assert SurveyResponse.objects.count() == 0


@override_settings(SURVEY_POSTS_PER_MINUTE=1)
def test_the_limit_is_per_link_and_reading_the_survey_is_not_limited(people, org_a):
    cache.clear()
    survey_round = open_round(people["alice"], org_a)
    eit, iit = link(survey_round, "EIT"), link(survey_round, "IIT")
    Client().post(f"/s/{eit.token}/", {})
    assert Client().post(f"/s/{eit.token}/", {}).status_code == 429
    assert Client().get(f"/s/{eit.token}/").status_code == 200
    assert Client().post(f"/s/{iit.token}/", {}).status_code == 200
