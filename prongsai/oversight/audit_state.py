"""Oversight records an organisation's change log vouches for: the scope marks on its plan items."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from prongsai.audit.events import describe_events
from prongsai.audit.state import track, when
from prongsai.oversight.models import ScopeMark


def mark_state(mark: ScopeMark) -> dict[str, Any]:
    return {
        "plan_slug": mark.plan_slug,
        "item_uid": str(mark.item_uid),
        "reason": mark.reason,
        "marked_by": mark.marked_by.get_username(),
        "marked_at": when(mark.marked_at),
    }


def register() -> None:
    track(
        "oversight.scope_mark",
        ScopeMark,
        state=mark_state,
        rows=lambda organization: ScopeMark.objects.filter(organization=organization).select_related(
            "marked_by"
        ),
    )
    describe_events(
        {
            "scope.mark": _("ทำเครื่องหมายรายการ “%(item)s” ว่าไม่สอดคล้องกับมิติของการป้องกันการทุจริต: %(reason)s"),
            "scope.unmark": _("ยกเลิกเครื่องหมายไม่สอดคล้องของรายการ “%(item)s”"),
        }
    )
