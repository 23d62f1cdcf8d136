"""The plan page's per-item pieces (plans/fragments.py): kept by what they show, so never stale, and free
of anything that belongs to one request or one person."""

import re

from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from prongsai.conftest import client_for
from prongsai.plans.models import PlanItem
from prongsai.plans.tests.test_pages import plan_url


def test_a_change_shows_at_once_even_when_it_bypasses_the_version(plan, people):
    client = client_for(people["alice"])
    before = client.get(plan_url(plan)).content.decode()
    item = plan.items.order_by("pk").first()
    assert item.title in before
    # A direct SQL edit (an administrator's fix) changes no version: the piece must not come back stale.
    PlanItem.objects.filter(pk=item.pk).update(title="ชื่อที่แก้ตรงในฐานข้อมูล", note="หมายเหตุใหม่")
    after = client.get(plan_url(plan)).content.decode()
    assert after.count("ชื่อที่แก้ตรงในฐานข้อมูล") >= 2  # its Part 2 row and its Part 3 sheet
    assert "หมายเหตุใหม่" in after and item.title not in after
    indicator = item.indicators.first()
    type(indicator).objects.filter(pk=indicator.pk).update(description="ตัวชี้วัดที่แก้ตรง")
    assert "ตัวชี้วัดที่แก้ตรง" in client.get(plan_url(plan)).content.decode()


def test_the_pieces_are_drawn_once_and_then_come_from_the_cache(plan, people, settings):
    cache = caches[settings.PLAN_PIECE_CACHE]
    cache.clear()
    client = client_for(people["alice"])
    client.get(plan_url(plan))
    kept = len(vars(cache)["_cache"])  # LocMemCache's entries
    assert kept == plan.items.count()
    client_for(people["bob"]).get(plan_url(plan))  # the approver may edit a draft too: the same pieces
    assert len(vars(cache)["_cache"]) == kept
    client_for(people["dan"]).get(plan_url(plan))  # a viewer has no editing controls: pieces of its own
    assert len(vars(cache)["_cache"]) == 2 * kept


def test_no_piece_holds_a_csrf_token_and_the_move_buttons_submit_the_one_form(plan, people):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["alice"])
    page = strict.get(plan_url(plan)).content.decode()
    # Every token on the page belongs to a form of the page itself, none to a kept piece.
    assert page.count('name="csrfmiddlewaretoken"') == len(re.findall(r'<form\b[^>]*method="post"', page))
    form = re.search(r'<form id="item-move" method="post" hidden>(.*?)</form>', page, re.S)
    assert form is not None
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1))
    assert found is not None
    token = found.group(1)
    buttons = re.findall(r'form="item-move" formaction="([^"]+)" name="direction" value="(up|down)"', page)
    assert len(buttons) == 2 * plan.items.count()
    # The browser sends the form's token with the button's name and value to the button's address.
    second = plan.items.order_by("mission__code", "position").last()
    url = reverse(
        "item_move", kwargs={"org": plan.organization.slug, "plan": plan.slug, "item_id": second.pk}
    )
    assert (url, "up") in buttons
    assert strict.post(url, {"csrfmiddlewaretoken": token, "direction": "up"}).status_code == 302
    assert strict.post(url, {"direction": "up"}).status_code == 403  # and without it, refused
