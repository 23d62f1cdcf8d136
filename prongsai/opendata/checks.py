"""Start-up checks of the open-data settings (stable ids, each with its test)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from prongsai.lib.public_url import is_valid_public_url
from prongsai.opendata import metadata


@register()
def check_catalog_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = metadata.catalog_file()
    try:
        metadata.parse(path.read_bytes())
    except (OSError, metadata.CatalogFileError) as error:
        return [
            Error(
                f"The open-data catalogue file {path} cannot be used: {error}",
                hint="Fix the file or PRONGSAI_OPENDATA_CATALOG_FILE (see prongsai/opendata/data/catalog-fields.json).",
                id="opendata.E001",
            )
        ]
    return []


@register()
def check_public_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    value: str = settings.PUBLIC_URL
    if value and not is_valid_public_url(value):
        return [
            Error(
                f"PRONGSAI_PUBLIC_URL={value!r} is not an http(s) address without query or fragment.",
                hint="For example PRONGSAI_PUBLIC_URL=https://prongsai.example.go.th, or leave it unset.",
                id="opendata.E002",
            )
        ]
    return []
