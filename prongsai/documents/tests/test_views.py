import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from prongsai.conftest import SETUP, client_for
from prongsai.documents.models import PublishedDocument
from prongsai.documents.tests.helpers import publish
from prongsai.plans import actions

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(fmt, rev=None):
    kwargs = {"org": "wangphai", "plan": "2561-2564", "fmt": fmt}
    if rev is None:
        return reverse("plan_document", kwargs=kwargs)
    return reverse("plan_revision_document", kwargs={**kwargs, "rev": rev})


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dan"])
@pytest.mark.parametrize(("fmt", "content_type", "magic"), [("pdf", PDF, b"%PDF"), ("docx", DOCX, b"PK")])
def test_members_of_the_organisation_download_the_document(plan, people, who, fmt, content_type, magic):
    response = client_for(people[who]).get(url(fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert response["Content-Disposition"] == f'attachment; filename="wangphai-2561-2564-r1.{fmt}"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_outsiders_get_404_and_anonymous_visitors_are_sent_to_sign_in(plan, people, fmt):
    assert client_for(people["erin"]).get(url(fmt)).status_code == 404
    anonymous = client_for(None).get(url(fmt))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert client_for(people["erin"]).get(url(fmt, rev=1)).status_code == 404


def test_an_unknown_format_or_revision_is_404_and_posting_is_refused(plan, people):
    alice = client_for(people["alice"])
    assert alice.get("/o/wangphai/plans/2561-2564/document.html").status_code == 404
    assert alice.get(url("pdf", rev=9)).status_code == 404
    assert alice.post(url("pdf")).status_code == 405


def test_an_earlier_revision_downloads_as_it_was(plan, people):
    new = actions.start_revision(SETUP, publish(plan))
    actions.update_plan_settings(SETUP, new, title="แผนฉบับแก้ไข", digits="thai")
    response = client_for(people["dan"]).get(url("docx", rev=1))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-r1.docx"')


def test_a_published_plan_is_served_as_stored_with_its_digest_beside_the_button(plan, people):
    published = publish(plan)
    response = client_for(people["dan"]).get(url("pdf"))
    stored = PublishedDocument.objects.get(plan=plan)
    assert response.content == bytes(stored.pdf)
    html = render_to_string("documents/download_buttons.html", {"plan": published, "is_latest": True})
    assert stored.sha256 in html
    assert url("pdf") in html and url("docx") in html


def test_the_buttons_of_a_draft_point_at_the_revision_and_need_no_query(plan, django_assert_num_queries):
    plan.organization  # noqa: B018  (loaded, as the plan page has it)
    with django_assert_num_queries(0):
        html = render_to_string("documents/download_buttons.html", {"plan": plan, "is_latest": False})
    assert url("pdf", rev=1) in html and url("docx", rev=1) in html
    assert "ฉบับร่าง" in html
