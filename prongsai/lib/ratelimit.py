"""A fixed-window limit counted in a database row, so that it holds across server processes and restarts.

Anonymous endpoints limit by what they are about (a survey link), not by who calls, so that no address
is stored anywhere. The row is overwritten when the window turns: it never keeps a history.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Case, F, Q, Value, When


def allow(
    model: type[models.Model], key: Any, limit: int, window_seconds: int, now: float | None = None
) -> bool:
    """Count one hit on the row of ``model`` whose primary key is ``key``; False (and nothing counted) once
    ``limit`` hits fall in the current window. ``model`` has integer fields ``window`` and ``hits``.

    One conditional UPDATE does the reading and the counting, so concurrent callers in any number of
    processes cannot both take the last place (the row lock serialises them). Call it inside the
    transaction of the write it guards: if that write is rolled back, so is the hit.
    """
    window = int((time.time() if now is None else now) // window_seconds)
    rows = model._default_manager.filter(pk=key)
    counted = rows.filter(~Q(window=window) | Q(hits__lt=limit)).update(
        hits=Case(When(window=window, then=F("hits") + 1), default=Value(1)), window=window
    )
    if counted:
        return True
    if limit < 1 or rows.exists():
        return False
    try:
        with transaction.atomic():
            model._default_manager.create(pk=key, window=window, hits=1)
    except IntegrityError:  # another process created the row first: count on it
        return allow(model, key, limit, window_seconds, now)
    return True
