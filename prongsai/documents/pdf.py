"""The plan document as PDF, laid out by Typst (``typst/plan.typ``) from the data of ``content.py``.

The plan reaches Typst only as data — a JSON file the template reads with ``json("document.json")``, never
pasted into markup — so titles such as ``#set text(red)`` or ``$x$`` print as they are.

Why a file rather than ``sys.inputs``: Typst memoises layout across compilations, but a change of
``sys.inputs`` invalidates all of it, while a changed file invalidates only what depends on the changed
part. Laying out Thai text is slow (about 0.4 ms a line here, five times Latin text), so after an edit of
one item a 250-item plan re-renders in a fraction of the time a cold layout takes.

One compiler per process, with its own working folder under ``VAR_DIR`` holding a copy of the template and
the data file; compiling is serialised because the compiler is not meant for concurrent use.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from prongsai.documents.content import document_data
from prongsai.documents.fonts import font_folder
from prongsai.plans.models import Plan

logger = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATE_DIR / "plan.typ"

DATA_FILE = "document.json"

_lock = threading.Lock()
_compilers: dict[str, tuple[Any, Path]] = {}


def _compiler(font: str) -> tuple[Any, Path]:
    """The compiler for documents in ``font`` and the folder its data file goes in."""
    import typst

    found = _compilers.get(font)
    if found is None or not found[1].exists():
        work = Path(settings.VAR_DIR) / "typst-work" / f"{os.getpid()}-{len(_compilers)}"
        work.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TEMPLATE, work / TEMPLATE.name)
        compiler = typst.Compiler(
            str(work / TEMPLATE.name),
            root=str(work),
            font_paths=[str(font_folder(font))],
            ignore_system_fonts=True,
        )
        found = _compilers[font] = (compiler, work)
    return found


def compile_pdf(data: dict[str, Any], timestamp: dt.datetime | None = None) -> bytes:
    """Lay out document ``data`` (see ``content.document_data``); ``timestamp`` is the PDF's creation date."""
    payload = json.dumps(data, ensure_ascii=False)
    when = int((timestamp or timezone.now()).timestamp())
    with _lock:
        compiler, work = _compiler(data["meta"]["font"])
        (work / DATA_FILE).write_text(payload, encoding="utf-8")
        # Untagged: a tagged PDF of a few hundred pages costs Typst another 60 MB or so.
        pdf, warnings = compiler.compile_with_warnings(format="pdf", timestamp=when, pdf_tags=False)
    for warning in warnings:
        logger.warning("typst: %s", warning.message)
    assert isinstance(pdf, bytes)
    return pdf


def render_pdf(plan: Plan, amount_digits: str | None = None) -> bytes:
    """The PDF of ``plan``. A published plan carries its publication time, so re-rendering gives the same bytes."""
    return compile_pdf(document_data(plan, amount_digits), plan.published_at)
