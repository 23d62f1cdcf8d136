"""What the public pages show: published content, in document order, and nothing that is not published."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.documents.models import PublishedDocument
from prongsai.plans import actions
from prongsai.portal.tests.helpers import new_revision, publish

SECRET_TITLE = "โครงการลับที่ยังเป็นฉบับร่าง"
SECRET_AMOUNT = Decimal("987654")


def plan_url(plan, name="portal:plan_revision", **extra):
    kwargs = {"org": plan.organization.slug, "plan": plan.slug, "rev": plan.revision, **extra}
    return reverse(name, kwargs=kwargs)


def text_of_docx(body: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_an_anonymous_visitor_reads_the_published_plan_in_document_order(published):
    page = client_for(None).get(reverse("portal:plan", kwargs={"org": "wangphai", "plan": "2561-2564"}))
    html = page.content.decode()
    assert page.status_code == 200
    order = [
        "แผนปฏิบัติการป้องกันการทุจริตสี่ปี",
        "ด้วยคณะรัฐมนตรีได้มีมติเห็นชอบยุทธศาสตร์ชาติ",  # preface
        "ผู้บริหารมาจากการเลือกตั้งโดยตรง",  # Part 1 strengths
        'id="part2"',
        "โครงการความรู้คู่คุณธรรม",
        'id="summary"',
        'id="part3"',
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert "๒๐,๐๐๐" in html  # the budget, in the plan's Thai digits
    assert "รวม ๑ โครงการ ๑ กิจกรรม ๐ มาตรการ" in html  # the summary's counts
    assert "ผู้อนุมัติ" in html and "bob" in html
    # No editing controls and no private links.
    assert "/o/wangphai/" not in html
    assert "csrfmiddlewaretoken" not in html
    item = published.items.get(title="โครงการความรู้คู่คุณธรรม")
    assert plan_url(published, "portal:item", uid=item.uid) in html


def test_the_item_page_shows_the_whole_sheet(published):
    item = published.items.get(title="โครงการความรู้คู่คุณธรรม")
    html = client_for(None).get(plan_url(published, "portal:item", uid=item.uid)).content.decode()
    assert "<h1>๑) โครงการความรู้คู่คุณธรรม</h1>" in html
    assert "ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ" in html  # indicator
    assert "ปี ๒๕๖๑ จำนวน ๒๐,๐๐๐ บาท" in html
    assert "๑.๑.๑" in html  # its mission


def test_an_unknown_item_is_404(published):
    import uuid

    assert client_for(None).get(plan_url(published, "portal:item", uid=uuid.uuid4())).status_code == 404


def test_the_published_pdf_is_served_exactly_and_its_sha256_is_the_one_on_the_page(published):
    stored = PublishedDocument.objects.get(plan=published)
    client = client_for(None)
    response = client.get(plan_url(published, "portal:pdf"))
    assert response.status_code == 200
    assert response.content == bytes(stored.pdf)
    digest = hashlib.sha256(response.content).hexdigest()
    assert digest == stored.sha256
    assert response["ETag"] == f'"{digest}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="wangphai-2561-2564-r1.pdf"'
    html = client.get(plan_url(published)).content.decode()
    shown = re.search(r'id="pdf-sha256">([0-9a-f]{64})<', html)
    assert shown is not None and shown.group(1) == digest
    again = client.get(plan_url(published, "portal:pdf"), HTTP_IF_NONE_MATCH=f'"{digest}"')
    assert again.status_code == 304 and again.content == b""


def test_the_docx_is_laid_out_once_and_served_with_its_etag(published, monkeypatch):
    from prongsai.documents import word
    from prongsai.portal import views

    calls: list[Any] = []

    def counted(plan: Any) -> bytes:
        calls.append(plan)
        return word.render_docx(plan)

    monkeypatch.setattr(views, "render_docx", counted)
    client = client_for(None)
    first = client.get(plan_url(published, "portal:docx"))
    second = client.get(plan_url(published, "portal:docx"))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(calls) == 1
    assert "โครงการความรู้คู่คุณธรรม" in text_of_docx(first.content)
    assert first["Content-Disposition"] == 'attachment; filename="wangphai-2561-2564-r1.docx"'
    assert first["ETag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'


def test_a_new_draft_revision_never_leaks_into_any_public_page(published, people, org_a):
    draft = new_revision(published, people)
    actions.update_plan_settings(people["alice"], draft, title="ชื่อแผนฉบับร่างใหม่", digits=draft.digits)
    actions.add_item(
        people["alice"],
        draft,
        draft.missions.get(code="3.1"),
        actions.ItemData(kind="project", title=SECRET_TITLE, budgets={2563: SECRET_AMOUNT}),
    )
    item = published.items.first()
    urls = [
        reverse("portal:directory"),
        reverse("portal:directory") + "?q=วังไผ่",
        reverse("portal:organization", kwargs={"org": "wangphai"}),
        reverse("portal:plan", kwargs={"org": "wangphai", "plan": published.slug}),
        plan_url(published),
        plan_url(published, "portal:item", uid=item.uid),
        plan_url(published, "portal:changes"),
        reverse("portal:verify"),
    ]
    client = client_for(None)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (SECRET_TITLE, "ชื่อแผนฉบับร่างใหม่", "๙๘๗,๖๕๔", "987,654", "987654"):
            assert secret not in body, (url, secret)
    docx = text_of_docx(client.get(plan_url(published, "portal:docx")).content)
    assert SECRET_TITLE not in docx
    assert client.get(plan_url(draft)).status_code == 404


def test_earlier_published_revisions_stay_readable_and_the_alias_follows_the_newest(published, people):
    second = new_revision(published, people)
    actions.update_plan_settings(people["alice"], second, title="แผนฉบับปรับปรุง", digits=second.digits)
    second = publish(second, people)
    client = client_for(None)
    alias = client.get(
        reverse("portal:plan", kwargs={"org": "wangphai", "plan": published.slug})
    ).content.decode()
    assert "แผนฉบับปรับปรุง" in alias and "ฉบับปัจจุบัน" in alias
    old = client.get(plan_url(published)).content.decode()
    assert "แผนปฏิบัติการป้องกันการทุจริตสี่ปี" in old
    assert "ฉบับนี้ถูกแทนที่แล้ว" in old
    assert plan_url(second, "portal:changes") in alias


def test_the_changes_page_compares_two_published_revisions_by_item(published, people):
    second = new_revision(published, people)
    kept = second.items.get(title="โครงการความรู้คู่คุณธรรม")
    actions.update_item(
        people["alice"],
        kept,
        actions.ItemData(
            kind="project",
            title="โครงการความรู้คู่คุณธรรม รุ่นที่ ๒",
            budgets={2561: Decimal("25000"), 2562: Decimal("20000")},
        ),
    )
    actions.delete_item(people["alice"], second.items.get(title__startswith="กิจกรรมประกาศเจตจำนง"))
    actions.add_item(
        people["alice"],
        second,
        second.missions.get(code="4.3"),
        actions.ItemData(kind="activity", title="กิจกรรมส่งเสริมบทบาทสภาท้องถิ่น"),
    )
    actions.add_part1_entry(people["alice"], second, "weaknesses", "บุคลากรมีไม่เพียงพอ")
    second = publish(second, people)
    html = client_for(None).get(plan_url(second, "portal:changes")).content.decode()
    added = html[html.index('id="added"') : html.index('id="removed"')]
    removed = html[html.index('id="removed"') : html.index('id="changed"')]
    changed = html[html.index('id="changed"') : html.index('id="part1-changes"')]
    part1 = html[html.index('id="part1-changes"') :]
    assert "กิจกรรมส่งเสริมบทบาทสภาท้องถิ่น" in added
    assert "กิจกรรมประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร" in removed
    assert "รุ่นที่ ๒" in changed and "+๕,๐๐๐" in changed  # 2561: 20,000 → 25,000
    assert "ร้อยละของผู้เข้าร่วมที่ผ่านการทดสอบ" in changed  # the indicator was dropped
    assert "บุคลากรมีไม่เพียงพอ" in part1
    first = client_for(None).get(plan_url(published, "portal:changes")).content.decode()
    assert "ฉบับนี้เป็นฉบับแรกที่ประกาศ" in first


def test_the_comparison_matches_items_by_uid_not_position(published, people):
    from prongsai.portal.compare import compare

    second = new_revision(published, people)
    item = second.items.get(title="โครงการความรู้คู่คุณธรรม")
    actions.update_item(
        people["alice"],
        item,
        actions.ItemData(kind="project", title="ชื่อใหม่"),
        mission=second.missions.get(code="1.2"),
    )
    changes = compare(published, second)
    assert changes.added == [] and changes.removed == []
    assert [c.after.item.title for c in changes.changed] == ["ชื่อใหม่"]
    labels = [str(f.label) for f in changes.changed[0].fields]
    assert "ชื่อโครงการ/กิจกรรม/มาตรการ" in labels
    assert [(b.year, b.before, b.after) for b in changes.changed[0].budgets] == [
        (2561, Decimal("20000.00"), None),
        (2562, Decimal("20000.00"), None),
    ]
    assert changes.budget_totals[0].difference == Decimal("-20000")
    assert not compare(published, published).changed


def test_the_organisation_home_shows_its_plans_and_only_the_nacc_results(published, people, org_a):
    from prongsai.ita.tests.helpers import open_round, record_source_row

    record_source_row(people["alice"], org_a)
    open_round(people["alice"], org_a)
    html = client_for(None).get(reverse("portal:organization", kwargs={"org": "wangphai"})).content.decode()
    assert "แผนปฏิบัติการป้องกันการทุจริตสี่ปี" in html
    assert 'id="ita"' in html
    assert "รอบประเมินตนเอง" not in html and "/s/" not in html  # survey rounds stay private
    assert reverse("portal:checkpoint", kwargs={"org": "wangphai"}) in html


def test_the_checkpoint_is_plain_text_and_404_before_the_first_one(published, signing_key):
    from prongsai.audit.checkpoint import checkpoint, latest_checkpoint

    url = reverse("portal:checkpoint", kwargs={"org": "wangphai"})
    assert client_for(None).get(url).status_code == 404
    checkpoint()
    response = client_for(None).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    latest = latest_checkpoint(published.organization)
    assert latest is not None and response.content.decode() == latest.note


def test_the_root_is_the_directory_and_officers_keep_their_home_at_home(published, people):
    anonymous = client_for(None).get("/")
    assert anonymous.status_code == 200 and "เทศบาลตำบลวังไผ่" in anonymous.content.decode()
    assert reverse("home") == "/home/"
    alice = client_for(people["alice"])
    signed_in = alice.get("/").content.decode()
    assert 'href="/home/"' in signed_in and "พื้นที่ทำงานของฉัน" in signed_in
    assert alice.get("/home/")["Location"] == "/o/wangphai/"


def test_officers_see_which_revision_the_public_sees(published, people):
    draft = new_revision(published, people)
    url = reverse("plan", kwargs={"org": "wangphai", "plan": draft.slug})
    html = client_for(people["dan"]).get(url).content.decode()
    assert "ประชาชนเห็นฉบับแก้ไขที่ ๑ ซึ่งประกาศแล้ว ไม่ใช่ฉบับนี้" in html
    assert plan_url(published) in html
    old = reverse("plan_revision", kwargs={"org": "wangphai", "plan": draft.slug, "rev": 1})
    assert "ประชาชนเห็นฉบับนี้" in client_for(people["dan"]).get(old).content.decode()


def test_english_pages_are_english(published):
    client = client_for(None)
    client.post(reverse("portal:language"), {"language": "en", "next": "/"})
    html = client.get(reverse("portal:organization", kwargs={"org": "wangphai"})).content.decode()
    assert "Published anti-corruption action plans" in html
    assert 'lang="en"' in html


def test_no_template_comment_or_tag_leaks_into_the_page(published, people):
    """Django has no multi-line {# #}: a comment written that way would show on the page."""
    urls = [
        reverse("portal:plan", kwargs={"org": "wangphai", "plan": "2561-2564"}),
        "/",
        "/p/wangphai/",
        "/verify/",
    ]
    for client, url in [(client_for(None), u) for u in urls] + [
        (client_for(people["alice"]), reverse("plan", kwargs={"org": "wangphai", "plan": "2561-2564"}))
    ]:
        body = client.get(url).content.decode()
        assert "{#" not in body and "{%" not in body and "{{" not in body, url
