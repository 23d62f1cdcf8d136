"""Oversight grants in the admin: every save goes through ``oversight.actions`` (the site's log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import User
from django.forms import ModelForm
from django.http import HttpRequest

from prongsai.oversight import actions
from prongsai.oversight.models import OversightGrant


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(OversightGrant)
class OversightGrantAdmin(admin.ModelAdmin[OversightGrant]):
    list_display = ["user", "level", "district", "province", "region", "may_review", "created_at"]
    list_filter = ["level", "may_review", "region"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user", "district", "province"]
    list_select_related = ["user", "district__province", "province", "region"]

    def get_readonly_fields(self, request: HttpRequest, obj: OversightGrant | None = None) -> Any:
        # A grant's area is what it is; changing it is revoking and granting again (two log entries).
        return ["user", "level", "district", "province", "region"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: OversightGrant, form: ModelForm[OversightGrant], change: bool
    ) -> None:
        if change:
            actions.change_review(_user(request), OversightGrant.objects.get(pk=obj.pk), obj.may_review)
            return
        area = obj.district_id or obj.province_id or obj.region_id
        saved = actions.grant(_user(request), obj.user, obj.level, area, may_review=obj.may_review)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: OversightGrant) -> None:
        actions.revoke(_user(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for grant in queryset:
            actions.revoke(_user(request), grant)
