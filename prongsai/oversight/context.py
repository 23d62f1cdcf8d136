"""The site header's link to the dashboards, for a signed-in user holding a grant (one query, asked only
when a page's header is drawn, and once per request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def oversight(request: HttpRequest) -> dict[str, Any]:
    def has_grant() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        from prongsai.oversight.models import OversightGrant

        return OversightGrant.objects.filter(user_id=user.pk).exists()

    return {"has_oversight_grant": SimpleLazyObject(has_grant)}
