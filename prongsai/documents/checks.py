"""System checks: the document font must be installed, or no PDF can be made."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from prongsai.documents.fonts import family_files


@register()
def check_document_font(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    family = settings.DOCUMENT_FONT
    if family_files(family):
        return []
    return [
        Error(
            f"DOCUMENT_FONT {family!r} is not installed, so plan documents cannot be made.",
            hint="On Debian: apt-get install fonts-tlwg-laksaman, or set PRONGSAI_DOCUMENT_FONT to an installed family.",
            id="documents.E001",
        )
    ]
