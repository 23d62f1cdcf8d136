"""Read-only pages read from a replica of the database when ``DATABASE_REPLICA_URL`` names one.

A national installation's dashboards and public pages are most of its reads; a streaming replica of
PostgreSQL takes them off the primary. Only what is marked read-only goes there: a request that
``ReplicaMiddleware`` lets through (a GET or HEAD of a path in ``REPLICA_PATHS``), or code run inside
``replica_reads()`` (a dashboard view, a command). Everything else reads the primary, and so does
anything in a transaction, every write, and the tables whose freshness a visitor notices at once
(sessions, users, the cache and the job queue): a replica a second behind must not sign anyone out.

Without a replica alias every read is the primary's, whatever is marked.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PRIMARY = "default"
# Apps whose rows a visitor expects to see the moment they were written (signing in, a cached value, a
# job just queued): always the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "django_tasks_db", "accounts"})

_reads_from_replica: ContextVar[bool] = ContextVar("prongsai_reads_from_replica", default=False)

F = TypeVar("F", bound=Callable[..., Any])


def has_replica() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside this block (outside any transaction) may go to the replica."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


def read_only(view: F) -> F:
    """A view whose reads may go to the replica (an oversight dashboard, a public page)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Sends a read to the replica only when it is marked read-only, no transaction is open on the
    primary and its model is not one of ``PRIMARY_ONLY_APPS``; every write goes to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _reads_from_replica.get() or not has_replica():
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # one database, copied: a row read from either is the same row

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY  # the replica is a copy; migrations run on the primary only


_compiled: tuple[tuple[str, ...], list[re.Pattern[str]]] | None = None


def _patterns() -> list[re.Pattern[str]]:
    global _compiled
    configured = tuple(settings.REPLICA_PATHS)
    if _compiled is None or _compiled[0] != configured:
        _compiled = (configured, [re.compile(pattern) for pattern in configured])
    return _compiled[1]


class ReplicaMiddleware:
    """Marks GET and HEAD requests of ``REPLICA_PATHS`` (public pages, the API, open data, dashboards)
    read-only, so their queries may go to the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and has_replica():
            path = request.path_info
            if any(pattern.search(path) for pattern in _patterns()):
                with replica_reads():
                    return self.get_response(request)
        return self.get_response(request)
