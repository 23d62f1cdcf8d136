"""The plan document as PDF, laid out by Typst (``typst/plan.typ``) from the data of ``content.py``.

The plan reaches Typst only as JSON in ``sys.inputs`` — never pasted into markup — so titles such as
``#set text(red)`` or ``$x$`` print as they are. One compiler per process keeps the font index and
Typst's caches warm; compiling is serialised because the compiler is not meant for concurrent use.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from pathlib import Path
from typing import Any

from django.utils import timezone

from prongsai.documents.content import document_data
from prongsai.documents.fonts import font_folder
from prongsai.plans.models import Plan

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATE_DIR / "plan.typ"

_lock = threading.Lock()
_compilers: dict[str, Any] = {}


def _compiler(font: str) -> Any:
    import typst

    compiler = _compilers.get(font)
    if compiler is None:
        compiler = _compilers[font] = typst.Compiler(
            str(TEMPLATE),
            root=str(TEMPLATE_DIR),
            font_paths=[str(font_folder(font))],
            ignore_system_fonts=True,
        )
    return compiler


def compile_pdf(data: dict[str, Any], timestamp: dt.datetime | None = None) -> bytes:
    """Lay out document ``data`` (see ``content.document_data``); ``timestamp`` is the PDF's creation date."""
    payload = json.dumps(data, ensure_ascii=False)
    when = int((timestamp or timezone.now()).timestamp())
    with _lock:
        pdf, warnings = _compiler(data["meta"]["font"]).compile_with_warnings(
            format="pdf", sys_inputs={"document": payload}, timestamp=when
        )
    for warning in warnings:
        logger.warning("typst: %s", warning.message)
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(plan: Plan, amount_digits: str | None = None) -> bytes:
    """The PDF of ``plan``. A published plan carries its publication time, so re-rendering gives the same bytes."""
    return compile_pdf(document_data(plan, amount_digits), plan.published_at)
