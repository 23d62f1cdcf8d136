"""The installation's administrators manage organisations, memberships and accounts here.

Every save goes through the audited actions (``organizations.actions``): an organisation renamed, a
member added or a role changed in the admin is an entry in that organisation's log, made by the
administrator who did it. Deleting organisations is not offered (their plans and logs must stay).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from prongsai.organizations import actions
from prongsai.organizations.audit_state import ORG_FIELDS
from prongsai.organizations.models import Membership, Organization


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name_th", "slug", "kind", "district", "province"]
    list_filter = ["kind", "size", "district__province__region", "district__province"]
    search_fields = ["name_th", "name_en", "slug"]
    autocomplete_fields = ["district", "subdistrict"]
    list_select_related = ["district__province"]

    @admin.display(description=_("จังหวัด"), ordering="district__province__name_th")
    def province(self, obj: Organization) -> str:
        return obj.district.province.name_th

    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Organization | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Organization, form: ModelForm[Organization], change: bool
    ) -> None:
        fields = {name: form.cleaned_data.get(name, getattr(obj, name)) for name in ORG_FIELDS}
        if change:
            saved = actions.update_organization(_user(request), Organization.objects.get(pk=obj.pk), fields)
        else:
            saved = actions.create_organization(_user(request), fields)
        obj.pk = saved.pk

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Organization],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        _save_memberships(request, formset)


def _save_memberships(request: HttpRequest, formset: BaseInlineFormSet[Any, Any, Any]) -> None:
    actor = _user(request)
    for inline_form in formset.forms:
        if not hasattr(inline_form, "cleaned_data") or not inline_form.cleaned_data:
            continue
        data = inline_form.cleaned_data
        instance = inline_form.instance
        if data.get("DELETE") and instance.pk:
            actions.remove_member(
                actor, Membership.objects.select_related("organization").get(pk=instance.pk)
            )
        elif instance.pk and inline_form.has_changed():
            existing = Membership.objects.select_related("organization").get(pk=instance.pk)
            if existing.user_id != data["user"].pk:
                actions.remove_member(actor, existing)
                actions.add_member(actor, existing.organization, data["user"], data["role"])
            else:
                actions.change_role(actor, existing, data["role"])
        elif not instance.pk and not data.get("DELETE"):
            actions.add_member(actor, formset.instance, data["user"], data["role"])


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name_th"]
    autocomplete_fields = ["user", "organization"]

    def save_model(
        self, request: HttpRequest, obj: Membership, form: ModelForm[Membership], change: bool
    ) -> None:
        if change:
            existing = Membership.objects.select_related("organization").get(pk=obj.pk)
            if existing.user_id != obj.user_id or existing.organization_id != obj.organization_id:
                actions.remove_member(_user(request), existing)
                saved = actions.add_member(_user(request), obj.organization, obj.user, obj.role)
                obj.pk = saved.pk
            else:
                actions.change_role(_user(request), existing, obj.role)
        else:
            obj.pk = actions.add_member(_user(request), obj.organization, obj.user, obj.role).pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        actions.remove_member(
            _user(request), Membership.objects.select_related("organization").get(pk=obj.pk)
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for membership in queryset.select_related("organization"):
            actions.remove_member(_user(request), membership)


class AuditedUserAdmin(UserAdmin[User]):
    """Accounts: a new account or a change of its rights is an entry in the installation's log."""

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        actions.record_user_saved(_user(request), obj, created=not change)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return False  # accounts that acted stay, so the log can name them; deactivate instead


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
admin.site.unregister(Group)
