"""Publishing lays out the official PDF with Typst worker processes, which is the documents app's concern
(tested there) and nearly all of the time these tests would take. Here a plan is published through the
same action with a small stand-in PDF: the open data reads the plan, never the PDF."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch: Any) -> None:
    from prongsai.documents import actions

    monkeypatch.setattr(
        actions, "render_pdf", lambda plan, **options: f"%PDF-1.7 stand-in for {plan}\n".encode()
    )
