"""Every portal URL for every persona: it answers the same to anonymous visitors, to members of the
organisation in each role and to another organisation's member, because it shows only what is published.

A new URL in prongsai/portal/urls.py fails ``test_the_matrix_covers_every_portal_url`` until it is added here.
The last test walks every URL of the project and checks that an anonymous visitor is sent to sign in on
every one that is not public.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from prongsai.conftest import SETUP, client_for
from prongsai.portal import urls as portal_urls
from prongsai.portal.tests.helpers import new_revision

OK, REDIRECT, NOT_FOUND = 200, 302, 404
PERSONAS = ["alice", "bob", "carol", "dan", "erin", None]

# url name → (method, status for everyone)
MATRIX: dict[str, tuple[str, int]] = {
    "directory": ("get", OK),
    "verify": ("get", OK),
    "language": ("post", REDIRECT),
    "organization": ("get", OK),
    "checkpoint": ("get", OK),
    "plan": ("get", OK),
    "plan_revision": ("get", OK),
    "item": ("get", OK),
    "pdf": ("get", OK),
    "docx": ("get", OK),
    "changes": ("get", OK),
    "report_round": ("get", OK),
    "report_pdf": ("get", OK),
    "report_docx": ("get", OK),
    "report_evidence": ("get", OK),
    "risk_register": ("get", OK),
    "risk_register_revision": ("get", OK),
    "risk_revision_pdf": ("get", OK),
    "risk_revision_docx": ("get", OK),
    "risk_pdf": ("get", OK),
    "risk_docx": ("get", OK),
    "risk_round_pdf": ("get", OK),
    "risk_round_docx": ("get", OK),
    "risk_evidence": ("get", OK),
}
ROUND_NAMES = ["report_round", "report_pdf", "report_docx", "report_evidence"]
RISK_NAMES = [
    "risk_register",
    "risk_register_revision",
    "risk_revision_pdf",
    "risk_revision_docx",
    "risk_pdf",
    "risk_docx",
    "risk_round_pdf",
    "risk_round_docx",
    "risk_evidence",
]


def risk_url_for(name: str, organization) -> str:
    from prongsai.risks.models import MonitoringEvidence

    kwargs = {"org": organization.slug, "year": 2562}
    if name.startswith("risk_round") or name == "risk_evidence":
        kwargs["months"] = 6
    if "revision" in name:
        kwargs["rev"] = 1
    if name == "risk_evidence":
        kwargs["evidence_id"] = MonitoringEvidence.objects.filter(is_public=True).order_by("id")[0].pk
    return reverse(f"portal:{name}", kwargs=kwargs)


def round_url_for(name: str, report_round) -> str:
    kwargs = {
        "org": report_round.organization.slug,
        "plan": report_round.plan_slug,
        "year": report_round.fiscal_year,
        "months": report_round.months,
    }
    if name == "report_evidence":
        from prongsai.reports.models import Evidence

        kwargs["evidence_id"] = Evidence.objects.filter(report__round=report_round).order_by("id")[0].pk
    return reverse(f"portal:{name}", kwargs=kwargs)


def url_for(name: str, plan) -> str:
    if name in RISK_NAMES:
        return risk_url_for(name, plan.organization)
    if name in ROUND_NAMES:
        return round_url_for(name, plan.report_rounds.order_by("-status", "id").first())
    org = plan.organization.slug
    kwargs = {
        "directory": {},
        "verify": {},
        "language": {},
        "organization": {"org": org},
        "checkpoint": {"org": org},
        "plan": {"org": org, "plan": plan.slug},
        "item": {"org": org, "plan": plan.slug, "rev": plan.revision, "uid": plan.items.first().uid},
    }.get(name, {"org": org, "plan": plan.slug, "rev": plan.revision})
    return reverse(f"portal:{name}", kwargs=kwargs)


@pytest.fixture(autouse=True)
def _quick_report_documents(monkeypatch, settings, tmp_path):
    """Stand-ins for Typst: the matrix is about who gets what, the layout is the documents app's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("prongsai.documents.actions.render_pdf", lambda plan, **kw: b"%PDF-1.7 stand-in\n")
    monkeypatch.setattr("prongsai.reports.document.report_pdf", lambda report_round: b"%PDF-1.7 stand-in\n")
    monkeypatch.setattr("prongsai.risks.document.register_pdf", lambda register: b"%PDF-1.7 stand-in\n")
    monkeypatch.setattr("prongsai.risks.document.round_pdf", lambda report_round: b"%PDF-1.7 stand-in\n")


@pytest.fixture
def public_plan(published, people, signing_key):
    """Revision 1 published and covered by a checkpoint, with its FY 2561 6-month round published;
    revision 2 a draft in progress."""
    from prongsai.audit.checkpoint import checkpoint
    from prongsai.reports.tests.public_rounds import published_round
    from prongsai.risks.tests.public_registers import published_register_with_round

    published_round(published, people)
    published_register_with_round(published.organization, people)
    checkpoint()
    new_revision(published, people)
    return published


def test_the_matrix_covers_every_portal_url():
    assert {pattern.name for pattern in portal_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("person", PERSONAS)
def test_every_persona_gets_the_same_public_answer(name, person, public_plan, people):
    method, expected = MATRIX[name]
    client = client_for(people[person] if person else None)
    data = {"language": "en", "next": "/"} if method == "post" else None
    response = getattr(client, method)(url_for(name, public_plan), data)
    assert response.status_code == expected, (name, person)
    if expected == REDIRECT:
        assert not response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["plan_revision", "item", "pdf", "docx", "changes"])
@pytest.mark.parametrize("person", PERSONAS)
def test_a_draft_revision_is_404_at_every_public_address_for_everyone(name, person, public_plan, people):
    """Revision 2 exists (a draft) but is not published: its public addresses do not exist, even for Alice."""
    draft = public_plan.__class__.objects.get(
        organization=public_plan.organization, slug=public_plan.slug, revision=2
    )
    client = client_for(people[person] if person else None)
    assert client.get(url_for(name, draft)).status_code == NOT_FOUND


@pytest.mark.parametrize("state", ["draft", "approved"])
def test_a_draft_or_approved_round_and_its_evidence_are_404_for_everyone(state, published, people):
    """A round that is not published has no public address, for its own planner and approver neither."""
    from prongsai.reports import actions
    from prongsai.reports.tests.public_rounds import png

    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.first()
    assert report is not None
    actions.add_evidence(people["alice"], report, "a.png", png(), public=True)
    if state == "approved":
        actions.approve_round(people["bob"], report_round)
    for person in PERSONAS:
        client = client_for(people[person] if person else None)
        for name in ROUND_NAMES:
            assert client.get(round_url_for(name, report_round)).status_code == NOT_FOUND, (name, person)


def test_evidence_not_marked_public_is_404_for_everyone(published, people):
    from prongsai.reports import actions
    from prongsai.reports.tests.public_rounds import png

    report_round = actions.open_round(people["alice"], published.organization, published.slug, 2561, 6)
    report = report_round.reports.first()
    assert report is not None
    actions.add_evidence(people["alice"], report, "private.png", png(), public=False)
    actions.approve_round(people["bob"], report_round)
    actions.publish_round(people["bob"], report_round)
    for person in PERSONAS:
        client = client_for(people[person] if person else None)
        assert client.get(round_url_for("report_evidence", report_round)).status_code == NOT_FOUND, person
        assert client.get(round_url_for("report_round", report_round)).status_code == OK, person


@pytest.mark.parametrize(
    "name", ["organization", "checkpoint", "plan", "plan_revision", "item", "pdf", "docx", "changes"]
)
def test_an_organisation_that_has_published_nothing_has_no_public_page(name, plan, people):
    """The plan is a draft: none of its organisation's public addresses exist, for a member neither."""
    for person in [None, "alice"]:
        client = client_for(people[person] if person else None)
        assert client.get(url_for(name, plan)).status_code == NOT_FOUND, (name, person)


def test_an_approved_but_unpublished_revision_stays_private(published, people):
    from prongsai.plans import actions

    draft = new_revision(published, people)
    approved = actions.approve_plan(people["bob"], actions.submit_plan(SETUP, draft))
    assert client_for(None).get(url_for("plan_revision", approved)).status_code == NOT_FOUND
    assert client_for(None).get(url_for("pdf", approved)).status_code == NOT_FOUND
    # The alias still points to the published revision 1.
    response = client_for(None).get(url_for("plan", published))
    assert "ฉบับแก้ไขที่ ๑" in response.content.decode()


# --- Every private URL of the project sends an anonymous visitor to sign in ---------------------------

# Views marked @login_not_required outside the public apps: each one is a decision, so it is listed.
PUBLIC = {"login", "set_language", "ita_survey", None}  # None: /healthz and /admin/login/ (no name)
# The complaint channel's reporter pages (no account, no trace): walked for every persona in
# prongsai/complaints/tests/test_access_matrix.py.
PUBLIC |= {
    "complaint_file",
    "complaint_poster",
    "complaint_come_back",
    "complaint_reporter_reply",
    "complaint_leave",
}
PUBLIC |= {"complaint_statistics", "complaint_statistics_csv", "complaint_statistics_data"}  # counts only
PUBLIC_APPS = {
    "admin",
    "portal",
    "api",
    "api-v1",  # every API path is walked for every persona in prongsai/api/tests
    "opendata",
}  # the admin signs in on its own page; the rest are public
SAMPLE_KWARGS = {
    "section": "strengths",
    "tool": "IIT",
    "fmt": "pdf",
    "rev": "1",
    "token": "x",
    "year": "2561",
    "months": "6",
    "uid": "00000000-0000-4000-8000-000000000000",
    "evidence_id": "1",
    "risk_id": "1",
    "measure_id": "1",
    "report_id": "1",
    "case_id": "00000000-0000-4000-8000-000000000000",
    "attachment_id": "00000000-0000-4000-8000-000000000000",
    "handler_id": "1",
    "code": "86",  # an oversight dashboard's area
}


def _patterns(resolver: URLResolver, outer: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], URLPattern]]:
    """Every leaf pattern with the names of the arguments its including patterns take."""
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in PUBLIC_APPS or entry.namespace in PUBLIC_APPS:
                continue
            found += _patterns(entry, outer + tuple(entry.pattern.regex.groupindex))
        else:
            found.append((outer, entry))
    return found


def _kwargs(pattern_names: list[str], plan, ids: dict[str, int]) -> dict[str, str]:
    values = {
        "org": plan.organization.slug,
        "plan": plan.slug,
        **SAMPLE_KWARGS,
        **{k: str(v) for k, v in ids.items()},
    }
    return {name: values[name] for name in pattern_names}


def test_every_private_url_sends_an_anonymous_visitor_to_sign_in(published, people):
    from django.urls import NoReverseMatch

    ids = {
        "item_id": published.items.first().pk,
        "entry_id": published.part1_entries.first().pk,
        "assessment_id": 1,
        "round_id": 1,
    }
    checked = []
    client = client_for(None)
    for outer, pattern in _patterns(get_resolver()):
        if getattr(pattern.callback, "login_required", True) is False:
            assert pattern.name in PUBLIC, f"{pattern.name} is public: add it to PUBLIC if it should be"
            continue
        names = [*outer, *pattern.pattern.regex.groupindex]
        try:
            url = reverse(pattern.name, kwargs=_kwargs(names, published, ids))
        except NoReverseMatch:  # pragma: no cover - a pattern this test cannot fill is a failure
            pytest.fail(f"cannot build a URL for {pattern.name} from {names}")
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == REDIRECT, (pattern.name, method, response.status_code)
            assert response["Location"].startswith(reverse("login")), pattern.name
        checked.append(pattern.name)
    assert {"home", "organization", "plan", "plan_document", "ita", "ita_round", "logout"} <= set(checked)
