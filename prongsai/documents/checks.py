"""System checks: the document font must be installed, or no PDF can be made; a colour emoji font should
be, or an emoji an officer types prints as an empty box."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

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


@register()
def check_emoji_font(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Typst falls back to every installed font for a character the document font lacks: emoji need one."""
    family = settings.DOCUMENT_EMOJI_FONT
    if not family or family_files(family):
        return []
    return [
        Warning(
            f"DOCUMENT_EMOJI_FONT {family!r} is not installed: emoji in plan texts print as empty boxes.",
            hint="On Debian: apt-get install fonts-noto-color-emoji (scripts/system-packages does).",
            id="documents.W002",
        )
    ]
