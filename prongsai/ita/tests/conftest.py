"""The survey's abuse protections at test strength: no waiting for a ticket to age, a small proof of work.

Tests of those protections set them back (``settings`` fixture) where they are what is tested.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _quick_survey_tickets(settings: Any) -> None:
    from prongsai.ita import public_views

    settings.SURVEY_TICKET_MIN_SECONDS = 0
    settings.SURVEY_PROOF_BITS = 6
    public_views._pages.clear()  # pages kept by this process were rendered with other settings
