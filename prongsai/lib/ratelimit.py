"""A fixed-window rate limit on a key, kept in Django's cache (never in the database).

Anonymous endpoints limit by what they are about (a survey link), not by who calls, so that no
address is stored anywhere.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allow(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on (scope, key); False once more than ``limit`` hits fall in the current window."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    name = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(name, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds + 1)
        return True
    return count <= limit
