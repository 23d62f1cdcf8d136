"""No lost updates: an edit form carries the version it was loaded from, and a stale save is refused.

Alice and Frank both plan for organisation A. Each test has Frank save first and Alice, whose form
was loaded before that, save second: her save is refused, Frank's change stays, and she is told who
saved first, when, and what now differs from what she typed.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.urls import reverse

from prongsai.audit.models import AuditEvent
from prongsai.conftest import client_for, log_problems, make_user
from prongsai.organizations.models import Role
from prongsai.plans import actions
from prongsai.plans.models import Part1Entry, Plan, PlanItem

from .test_pages import item_post


@pytest.fixture
def frank(org_a):
    return make_user("frank", org_a, Role.PLANNER)


def first_item(plan):
    return PlanItem.objects.get(plan=plan, title="โครงการความรู้คู่คุณธรรม")


def item_data(item, **overrides):
    data = actions.ItemData(
        kind=item.kind,
        title=item.title,
        budgets={b.fiscal_year: b.amount for b in item.budgets.all()},
        indicators=[
            actions.IndicatorData(i.description, i.target_value, i.unit) for i in item.indicators.all()
        ],
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def item_url(item):
    return reverse("item_edit", kwargs={"org": "wangphai", "plan": item.plan.slug, "item_id": item.pk})


def entries(event):
    return AuditEvent.objects.filter(event=event).count()


# --- Versions ---------------------------------------------------------------------------------------


def test_every_audited_write_adds_one_to_the_version(plan, people):
    alice = people["alice"]
    item = first_item(plan)
    assert item.version == 1 and plan.version == 1
    item = actions.update_item(alice, item, item_data(item, title="โครงการใหม่"))
    assert item.version == 2
    actions.move_item(alice, PlanItem.objects.get(pk=item.pk), 1)  # alone in its mission: nothing moves
    assert PlanItem.objects.get(pk=item.pk).version == 2
    other = actions.add_item(alice, plan, item.mission, actions.ItemData(kind="measure", title="มาตรการใหม่"))
    actions.move_item(alice, other, -1)  # both rows move: both are written and logged
    assert PlanItem.objects.get(pk=item.pk).version == 3
    assert PlanItem.objects.get(pk=other.pk).version == 2
    entry = plan.part1_entries.get(section="preface")
    assert actions.update_part1_entry(alice, entry, "ข้อความใหม่").version == 2
    plan = actions.update_plan_settings(alice, plan, title="ชื่อใหม่", digits="thai")
    assert Plan.objects.get(pk=plan.pk).version == 2
    assert log_problems() == []


# --- Through the actions ----------------------------------------------------------------------------


def test_a_stale_item_save_is_refused_and_nothing_is_overwritten(plan, people, frank):
    item = first_item(plan)
    loaded = item.version
    actions.update_item(
        frank, item, item_data(item, title="ชื่อที่แฟรงก์แก้", note="แฟรงก์"), expected_version=loaded
    )
    before = entries("item.update")
    with pytest.raises(actions.StaleVersion) as refused:
        actions.update_item(people["alice"], item, item_data(item, title="ชื่อที่อลิซแก้"), expected_version=loaded)
    message = " ".join(refused.value.messages)
    assert "frank" in message  # who saved first (the latest log entry for the row)
    assert "ชื่อที่แฟรงก์แก้" in message  # what is saved now
    assert "ชื่อโครงการ/กิจกรรม/มาตรการ" in message and "หมายเหตุ" in message  # the fields that differ
    assert refused.value.current_version == loaded + 1
    saved = PlanItem.objects.get(pk=item.pk)
    assert (saved.title, saved.note, saved.version) == ("ชื่อที่แฟรงก์แก้", "แฟรงก์", loaded + 1)
    assert entries("item.update") == before
    assert log_problems() == []


def test_a_save_from_the_current_version_goes_through(plan, people, frank):
    item = first_item(plan)
    actions.update_item(frank, item, item_data(item, title="ชื่อที่แฟรงก์แก้"), expected_version=1)
    saved = actions.update_item(people["alice"], item, item_data(item, title="ชื่อที่อลิซแก้"), expected_version=2)
    assert (saved.title, saved.version) == ("ชื่อที่อลิซแก้", 3)


def test_a_stale_part1_entry_save_is_refused(plan, people, frank):
    entry = plan.part1_entries.get(section="strengths")
    actions.update_part1_entry(frank, entry, "ข้อความที่แฟรงก์แก้", expected_version=1)
    with pytest.raises(ValidationError) as refused:
        actions.update_part1_entry(people["alice"], entry, "ข้อความที่อลิซแก้", expected_version=1)
    message = " ".join(refused.value.messages)
    assert "frank" in message and "ข้อความที่แฟรงก์แก้" in message
    assert Part1Entry.objects.get(pk=entry.pk).text == "ข้อความที่แฟรงก์แก้"


def test_stale_plan_settings_are_refused(plan, people, frank):
    actions.update_plan_settings(frank, plan, title="ชื่อแผนของแฟรงก์", digits="arabic", expected_version=1)
    with pytest.raises(ValidationError) as refused:
        actions.update_plan_settings(
            people["alice"], plan, title="ชื่อแผนของอลิซ", digits="thai", expected_version=1
        )
    message = " ".join(refused.value.messages)
    assert "frank" in message and "ชื่อแผนของแฟรงก์" in message
    assert "ชื่อแผน" in message and "ตัวเลขที่แสดง" in message
    saved = Plan.objects.get(pk=plan.pk)
    assert (saved.title, saved.digits) == ("ชื่อแผนของแฟรงก์", "arabic")


# --- Through the pages ------------------------------------------------------------------------------


def test_the_item_page_refuses_a_stale_save_and_keeps_what_the_user_typed(plan, people, frank):
    item = first_item(plan)
    alice = client_for(people["alice"])
    page = alice.get(item_url(item)).content.decode()
    assert 'name="version" value="1"' in page
    frank_page = client_for(frank)
    response = frank_page.post(item_url(item), item_post(plan, title="ชื่อที่แฟรงก์แก้", version="1"))
    assert response.status_code == 302

    response = alice.post(item_url(item), item_post(plan, title="ชื่อที่อลิซพิมพ์", version="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "frank" in page and "ชื่อที่แฟรงก์แก้" in page  # the other person's change, at the top
    assert "ชื่อที่อลิซพิมพ์" in page  # her typing is still in the form
    assert 'name="version" value="2"' in page  # saving again is now a deliberate overwrite
    assert PlanItem.objects.get(pk=item.pk).title == "ชื่อที่แฟรงก์แก้"

    response = alice.post(item_url(item), item_post(plan, title="ชื่อที่อลิซพิมพ์", version="2"))
    assert response.status_code == 302
    assert PlanItem.objects.get(pk=item.pk).title == "ชื่อที่อลิซพิมพ์"
    assert log_problems() == []


def test_the_refusal_is_in_english_for_an_english_reader(plan, people, frank):
    item = first_item(plan)
    actions.update_item(frank, item, item_data(item, title="ชื่อที่แฟรงก์แก้"), expected_version=1)
    english = client_for(people["alice"])
    english.cookies["django_language"] = "en"
    page = english.post(item_url(item), item_post(plan, title="x", version="1")).content.decode()
    assert "frank saved this record before you" in page
    assert "Title saved now: ชื่อที่แฟรงก์แก้" in page
    assert "Fields saved differently from what you typed:" in page


def test_the_part1_entry_page_refuses_a_stale_save(plan, people, frank):
    entry = plan.part1_entries.get(section="preface")
    url = reverse("part1_entry_edit", kwargs={"org": "wangphai", "plan": plan.slug, "entry_id": entry.pk})
    alice = client_for(people["alice"])
    assert 'name="version" value="1"' in alice.get(url).content.decode()
    assert client_for(frank).post(url, {"text": "ข้อความที่แฟรงก์แก้", "version": "1"}).status_code == 302
    response = alice.post(url, {"text": "ข้อความที่อลิซพิมพ์", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "frank" in page and "ข้อความที่แฟรงก์แก้" in page and "ข้อความที่อลิซพิมพ์" in page
    assert Part1Entry.objects.get(pk=entry.pk).text == "ข้อความที่แฟรงก์แก้"


def test_the_plan_settings_page_refuses_a_stale_save(plan, people, frank):
    url = reverse("plan_settings", kwargs={"org": "wangphai", "plan": plan.slug})
    alice = client_for(people["alice"])
    assert 'name="version" value="1"' in alice.get(url).content.decode()
    assert (
        client_for(frank).post(url, {"title": "ชื่อแผนของแฟรงก์", "digits": "thai", "version": "1"}).status_code
        == 302
    )
    response = alice.post(url, {"title": "ชื่อแผนของอลิซ", "digits": "thai", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "frank" in page and "ชื่อแผนของแฟรงก์" in page and "ชื่อแผนของอลิซ" in page
    assert Plan.objects.get(pk=plan.pk).title == "ชื่อแผนของแฟรงก์"


# --- Two writers at once ----------------------------------------------------------------------------


def update_waiting_as_sqlite_does(update, *args):
    """Run ``update``, retrying while another connection holds the in-memory test database.

    On a database file SQLite's busy timeout makes a second writer wait for the first to commit
    (``BEGIN IMMEDIATE``); the shared in-memory test database answers "table is locked" at once
    instead. Retrying the whole action (its transaction was rolled back) is that same wait.
    """
    for _attempt in range(200):
        try:
            return update(*args)
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.05)
    raise AssertionError("the other writer never finished")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_of_one_item_one_wins_one_is_refused(plan, people, frank):
    item = first_item(plan)
    loaded = item.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def update(user, title):
        mine = PlanItem.objects.get(pk=item.pk)
        actions.update_item(user, mine, item_data(mine, title=title), expected_version=loaded)

    def save(user, title):
        try:
            start.wait(timeout=10)
            if connection.vendor == "sqlite":
                update_waiting_as_sqlite_does(update, user, title)
            else:
                update(user, title)  # PostgreSQL: the second writer waits on the row lock
            outcomes[user.username] = "saved"
        except actions.StaleVersion:
            outcomes[user.username] = "refused"
        except Exception as error:  # any other outcome is reported by the assertion below
            outcomes[user.username] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(people["alice"], "ชื่อของอลิซ")),
        threading.Thread(target=save, args=(frank, "ชื่อของแฟรงก์")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "saved"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    saved = PlanItem.objects.get(pk=item.pk)
    assert saved.version == loaded + 1
    assert saved.title == {"alice": "ชื่อของอลิซ", "frank": "ชื่อของแฟรงก์"}[winner]
    assert AuditEvent.objects.filter(event="item.update").count() == 1
    assert log_problems() == []
