"""Server-side caching of public pages, invalidated by a publication stamp.

A cached page is keyed by the path with its query, the language and the *publication stamp*: the newest
published PDF, the published ITA results and the published report rounds, read with cheap aggregate
queries per request. A new
publication changes the stamp, so every process (each with its own local-memory cache) stops using its
old copies at once without being told. Only anonymous GETs are cached: a signed-in visitor's page has
their name and a sign-out form, and is never stored. See docs/decisions/0007-public-portal.md.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

from prongsai.documents.models import PublishedDocument
from prongsai.ita.models import Assessment, Source
from prongsai.reports.models import ReportRound, RoundStatus

# Headers a cached response keeps; the rest (cookies, Vary) are the middleware's to add again.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag", "X-Robots-Tag")


_stamp: tuple[float, str] | None = None


def forget_stamp(**_kwargs: Any) -> None:
    """Read the stamp afresh on the next request (connected to saves of what the stamp is made of)."""
    global _stamp
    _stamp = None


def publication_stamp() -> str:
    """Changes whenever a plan revision, a report round, a risk register or its monitoring round is
    published, or published ITA results are
    added or removed (a published round never changes or goes back, so its count and newest id suffice).

    Read from the database at most once every ``PORTAL_STAMP_SECONDS`` per process (a crowd then costs
    no query per request); a publication in this process forgets it at once, one in another process is
    seen within that time."""
    global _stamp
    now = time.monotonic()
    if _stamp is not None and now - _stamp[0] < settings.PORTAL_STAMP_SECONDS:
        return _stamp[1]
    stamp = _read_stamp()
    _stamp = (now, stamp)
    return stamp


def _read_stamp() -> str:
    """One query, whatever the number of sources: the newest id and count of each kind of publication."""
    from prongsai.risks.models import MonitoringRound, RegisterStatus, RiskRegister

    # From the database the page itself is read from (the replica for a public GET when there is one:
    # lib/replica.py), so that a page is never newer in its stamp than in its content.
    connection = connections[router.db_for_read(PublishedDocument)]

    def table(model: Any) -> str:
        return str(connection.ops.quote_name(model._meta.db_table))

    # Scalar subqueries of a single SELECT: only quoted table names from the models are interpolated,
    # every value is a parameter.
    sources = [
        (PublishedDocument, "", None),
        (Assessment, "source", Source.PUBLISHED),
        (ReportRound, "status", RoundStatus.PUBLISHED),
        (RiskRegister, "status", RegisterStatus.PUBLISHED),
        (MonitoringRound, "status", RegisterStatus.PUBLISHED),
    ]
    parts: list[str] = []
    params: list[str] = []
    for model, column, value in sources:
        where = f" WHERE {connection.ops.quote_name(column)} = %s" if column else ""
        parts.append(f"(SELECT MAX(id) FROM {table(model)}{where})")  # noqa: S608 (table names only)
        params += [str(value)] if column else []
        if column:
            parts.append(f"(SELECT COUNT(*) FROM {table(model)}{where})")  # noqa: S608
            params.append(str(value))
    sql = "SELECT " + ", ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    (
        documents,
        results,
        results_count,
        rounds,
        rounds_count,
        registers,
        registers_count,
        monitored,
        monitored_count,
    ) = (value or 0 for value in row)
    # Published risk registers and monitoring rounds are terminal too, so newest id and count suffice.
    return (
        f"{documents}.{results}.{results_count}.{rounds}.{rounds_count}"
        f".r{registers}.{registers_count}.m{monitored}.{monitored_count}"
    )


def page_key(request: HttpRequest, stamp: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:32]
    return f"portal:{stamp}:{translation.get_language()}:{path}"


def public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve an anonymous GET of ``view`` from the cache when the stamp has not changed since it was made."""

    @functools.wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A flash message is for this visitor only: the page that shows it is not stored.
        if (
            request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or list(messages.get_messages(request))
        ):
            response = view(request, *args, **kwargs)
            response.setdefault("Cache-Control", "private, no-cache")
            return response
        return cached_response(page_key(request, publication_stamp()), lambda: view(request, *args, **kwargs))

    return cached


def cached_response(
    key: str, make: Callable[[], HttpResponseBase], kept_headers: tuple[str, ...] = KEPT_HEADERS
) -> HttpResponseBase:
    """The response stored under ``key``, or ``make()``'s, stored when it is a plain 200 without cookies.

    ``key`` must name everything the response depends on (for public pages: the path, the language and
    the publication stamp). Only ``kept_headers`` are stored; the middleware adds the rest again."""
    cache = caches[settings.PORTAL_CACHE]
    stored: tuple[int, bytes, dict[str, str]] | None = cache.get(key)
    if stored is None:
        response = make()
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        assert isinstance(response, HttpResponse)
        headers = {name: response[name] for name in kept_headers if response.has_header(name)}
        cache.set(key, (response.status_code, response.content, headers), settings.PORTAL_CACHE_SECONDS)
        response["X-Portal-Cache"] = "miss"
        return response
    status, content, headers = stored
    hit = HttpResponse(content, status=status)
    for name, value in headers.items():
        hit[name] = value
    hit["X-Portal-Cache"] = "hit"
    return hit
