"""Revisions of a register: a published register is amended through a new revision, never in place."""

from __future__ import annotations

import io
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection
from django.urls import reverse
from openpyxl import load_workbook

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for
from prongsai.lib.xlsx import SpreadsheetRefused
from prongsai.risks import actions, published, spreadsheet
from prongsai.risks.models import RegisterStatus, RiskRegister
from prongsai.risks.tests.conftest import risk_data

LIKELIHOOD = "โอกาส (๑–๕)"
PUBLIC = reverse("portal:risk_register", kwargs={"org": "wangphai", "year": 2562})


@pytest.fixture
def public_plan(published):
    return published  # the organisation is public once it has a published plan


def edited(register: RiskRegister, likelihoods: dict[int, object]) -> bytes:
    """The register's exported file with the likelihood of some rows (2 = the first risk) changed."""
    book = load_workbook(io.BytesIO(spreadsheet.export_xlsx(register)))
    sheet = book["ทะเบียนความเสี่ยง"]
    column = next(c.column for c in sheet[1] if c.value == LIKELIHOOD)
    for row, value in likelihoods.items():
        sheet.cell(row, column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_revising_copies_the_published_revision_into_a_draft_in_one_entry(published_register, people):
    first = published_register
    second = actions.revise_register(people["alice"], first)
    assert (second.revision, second.status, second.fiscal_year) == (2, RegisterStatus.DRAFT, 2562)
    old, new = list(first.risks.order_by("position")), list(second.risks.order_by("position"))
    assert [r.source_id for r in new] == [r.pk for r in old]
    assert [actions.RiskData.of(r) for r in new] == [actions.RiskData.of(r) for r in old]
    copied = new[0].measures.get()
    assert copied.source_id == old[0].measures.get().pk and copied.title == "ประกาศขั้นตอนและระยะเวลา"
    entry = AuditEvent.objects.get(event="risk.register.revise")
    assert entry.params == {"year": 2562, "revision": 2, "from_revision": 1}
    assert len(entry.changes) == 1 + 2 + 1  # the register, two risks, one measure
    first.refresh_from_db()
    assert first.status == RegisterStatus.PUBLISHED
    assert published.published_register(first.organization, 2562) == first  # still the public one


def test_a_year_has_one_revision_in_preparation_and_only_a_published_one_is_revised(
    register, published_register, people
):
    with pytest.raises(ValidationError):
        actions.update_risk(people["alice"], published_register.risks.first(), risk_data(likelihood=1))
    second = actions.revise_register(people["alice"], published_register)
    with pytest.raises(ValidationError, match="ฉบับที่ 2"):
        actions.revise_register(people["alice"], published_register)
    with pytest.raises(ValidationError, match="ฉบับที่ 2"):
        actions.revise_register(people["alice"], second)
    with pytest.raises(PermissionDenied):
        actions.revise_register(people["carol"], published_register)  # a viewer may not
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 2


def test_publishing_revision_two_makes_it_the_years_register_and_revision_one_stays_readable(
    published_register, people, public_plan
):
    second = actions.revise_register(people["alice"], published_register)
    actions.update_risk(people["alice"], second.risks.all()[0], risk_data(likelihood=1))
    client = client_for(None)
    assert "โอกาส ๔ × ผลกระทบ ๔ = ๑๖" in client.get(PUBLIC).content.decode()  # unchanged until published
    actions.approve_register(people["bob"], second)
    actions.publish_register(people["bob"], second)
    page = client.get(PUBLIC).content.decode()
    assert "โอกาส ๑ × ผลกระทบ ๔ = ๔" in page and "ฉบับที่ ๒" in page
    old = client.get(
        reverse("portal:risk_register_revision", kwargs={"org": "wangphai", "year": 2562, "rev": 1})
    )
    assert old.status_code == 200 and "โอกาส ๔ × ผลกระทบ ๔ = ๑๖" in old.content.decode()
    missing = reverse("portal:risk_register_revision", kwargs={"org": "wangphai", "year": 2562, "rev": 3})
    assert client.get(missing).status_code == 404


def test_a_draft_revision_has_no_public_address(published_register, people, public_plan):
    actions.revise_register(people["alice"], published_register)
    url = reverse("portal:risk_register_revision", kwargs={"org": "wangphai", "year": 2562, "rev": 2})
    assert client_for(None).get(url).status_code == 404
    assert client_for(people["alice"]).get(url).status_code == 404  # the portal shows only what is published


def test_importing_into_a_published_year_opens_the_next_revision_with_the_file(
    published_register, people, public_plan
):
    raw = edited(published_register, {2: 2})
    parsed = spreadsheet.read_xlsx(raw, published_register)
    written, count = actions.import_into_year(people["alice"], published_register, parsed.rows, "r.xlsx")
    assert (written.revision, written.status, count) == (2, RegisterStatus.DRAFT, 1)
    assert [r.likelihood for r in written.risks.order_by("position")] == [2, 4]
    assert [r.likelihood for r in published_register.risks.order_by("position")] == [4, 4]
    assert "โอกาส ๔ × ผลกระทบ ๔ = ๑๖" in client_for(None).get(PUBLIC).content.decode()
    # The same file again goes into the draft (its rows find their copies), changing nothing more.
    parsed = spreadsheet.read_xlsx(raw, written)
    assert actions.import_into_year(people["alice"], written, parsed.rows, "r.xlsx") == (written, 0)
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 2


def test_a_file_that_changes_nothing_opens_no_revision(published_register, people):
    parsed = spreadsheet.read_xlsx(spreadsheet.export_xlsx(published_register), published_register)
    assert actions.import_into_year(people["alice"], published_register, parsed.rows) == (
        published_register,
        0,
    )
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 1


def test_a_refused_file_leaves_no_revision_behind(published_register, people, monkeypatch):
    with pytest.raises(SpreadsheetRefused):
        spreadsheet.read_xlsx(edited(published_register, {2: 6}), published_register)
    parsed = spreadsheet.read_xlsx(edited(published_register, {2: 2}), published_register)

    def refuse(*args, **kwargs):
        raise ValidationError("refused after the revision was opened")

    monkeypatch.setattr(actions, "import_risks", refuse)
    with pytest.raises(ValidationError):
        actions.import_into_year(people["alice"], published_register, parsed.rows)
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 1
    assert not AuditEvent.objects.filter(event="risk.register.revise").exists()


def test_rounds_stay_on_their_revision_and_a_year_has_one_of_each(monitoring_round, people):
    first = monitoring_round.register
    second = actions.revise_register(people["alice"], first)
    with pytest.raises(ValidationError):
        actions.open_round(people["alice"], second, 12)  # a draft is not monitored
    actions.approve_register(people["bob"], second)
    actions.publish_register(people["bob"], second)
    with pytest.raises(ValidationError):
        actions.open_round(people["alice"], second, 6)  # opened on revision 1 already
    with pytest.raises(ValidationError):
        actions.open_round(people["alice"], first, 12)  # only on the newest published revision
    twelve = actions.open_round(people["alice"], second, 12)
    monitoring_round.refresh_from_db()
    assert monitoring_round.register_id == first.pk and twelve.register_id == second.pk
    url = reverse("risk_round", kwargs={"org": "wangphai", "year": 2562, "months": 6})
    assert client_for(people["carol"]).get(url).status_code == 200


def test_the_web_revise_asks_first_then_opens_the_revision(published_register, people):
    url = reverse("risk_register_revise", kwargs={"org": "wangphai", "year": 2562})
    client = client_for(people["alice"])
    page = client.get(url).content.decode()
    assert "ปรับปรุงทะเบียน (ฉบับที่ 2)" in page and "ยกเลิก" in page
    assert RiskRegister.objects.filter(fiscal_year=2562).count() == 1  # asking writes nothing
    register_page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562}))
    assert url in register_page.content.decode()
    assert client.post(url).status_code == 302
    page = client.get(reverse("risk_register", kwargs={"org": "wangphai", "year": 2562})).content.decode()
    assert "ฉบับที่ ๒" in page and 'href="/o/wangphai/risks/2562/r/1/"' in page
    assert client.get(url).status_code == 404  # a draft is not revised


def test_the_web_import_into_a_published_year_previews_then_opens_the_revision(published_register, people):
    client = client_for(people["alice"])
    url = reverse("risk_import", kwargs={"org": "wangphai", "year": 2562})
    upload = io.BytesIO(edited(published_register, {2: 2}))
    upload.name = "r.xlsx"
    preview = client.post(url, {"file": upload})
    text = preview.content.decode()
    assert "ฉบับที่ ๒ เป็นฉบับร่าง" in text and RiskRegister.objects.count() == 1
    confirm = text.split('name="confirm" value="')[1].split('"')[0]
    done = client.post(url, {"confirm": confirm, "file_name": "r.xlsx"})
    assert done.status_code == 302
    second = RiskRegister.objects.get(revision=2)
    assert second.status == RegisterStatus.DRAFT
    assert [r.likelihood for r in second.risks.order_by("position")] == [2, 4]


def test_export_json_names_the_revision_and_computes_score_and_level(published_register, people):
    second = actions.revise_register(people["alice"], published_register)
    actions.update_risk(people["alice"], second.risks.all()[0], risk_data(likelihood=5, impact=5))
    data = spreadsheet.register_json(second)
    assert (data["revision"], data["status"]) == (2, "draft")
    assert [(r["score"], r["level"]["key"]) for r in data["risks"]] == [(25, "very_high"), (16, "very_high")]
    assert spreadsheet.register_json(published_register)["risks"][0]["score"] == 16


def retry_while_locked(operation, *args):
    """The shared in-memory SQLite test database answers "locked" at once where a file would wait."""
    for _attempt in range(200):
        try:
            return operation(*args)
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise AssertionError("the other writer never finished")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_revise_calls_make_one_revision(published_register, people):
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def revise_fresh(user):
        register = RiskRegister.objects.select_related("organization").get(pk=published_register.pk)
        return actions.revise_register(user, register)

    def revise(user):
        try:
            start.wait(timeout=10)
            retry_while_locked(revise_fresh, user)
            outcomes.append("revised")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=revise, args=(people[name],)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "revised"], outcomes
    assert list(RiskRegister.objects.filter(fiscal_year=2562).values_list("revision", flat=True)) == [2, 1]
    assert AuditEvent.objects.filter(event="risk.register.revise").count() == 1


def test_a_plan_item_lists_a_revised_risk_once(published, register, people):
    from prongsai.risks import published as risk_pages

    item = published.items.first()
    risk = actions.add_risk(people["alice"], register, risk_data())
    link = actions.MeasureData(plan_slug=published.slug, item_uid=item.uid)
    actions.add_measure(people["alice"], risk, link)
    actions.approve_register(people["bob"], register)
    actions.publish_register(people["bob"], register)
    second = actions.revise_register(people["alice"], register)
    own = risk_pages.treating_measures(published.organization, published.slug, item.uid)
    assert [m.risk.register_id for m in own] == [second.pk]  # the newest revision, not both
    public = risk_pages.item_measures(published.organization, published.slug, item.uid)
    assert [m.risk.register_id for m in public] == [register.pk]  # the published one until revision 2 is
