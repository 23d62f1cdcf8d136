"""The map is data from versioned files (data/SOURCE.md): read here, changed by a new file and a migration."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from prongsai.geography.models import District, Province, Region, SubDistrict


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_th", "verify"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_th", "name_en", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_th", "name_en", "province"]
    list_filter = ["province__region"]
    search_fields = ["code", "name_th", "name_en", "province__name_th"]
    list_select_related = ["province"]


@admin.register(SubDistrict)
class SubDistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_th", "name_en", "district", "postcode"]
    search_fields = ["code", "name_th", "name_en", "district__name_th"]
    list_select_related = ["district__province"]
