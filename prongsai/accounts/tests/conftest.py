from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from prongsai.accounts import throttle


@dataclass
class Clock:
    """The throttle's clock, moved by tests instead of sleeping."""

    at: datetime

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(throttle, "now", lambda: fixed.at)
    return fixed
