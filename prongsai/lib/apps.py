"""``prongsai.lib`` as an app: the cache tables made by ``migrate``, and the checks of the settings that
let several application servers share one installation (ids ``lib.*``)."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def create_cache_tables(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """``createcachetable`` after every ``migrate``: the shared cache's tables exist wherever the schema
    does (set-up, upgrades, the demo, the test databases), with nothing else to run. It creates only the
    tables missing, so a second run costs one query per table."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def check_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """lib.E001: a Redis cache (PRONGSAI_CACHE_URL=redis://…) needs the ``redis`` package."""
    from django.conf import settings

    uses_redis = any("RedisCache" in str(c["BACKEND"]) for c in settings.CACHES.values())
    if uses_redis and find_spec("redis") is None:
        return [
            checks.Error(
                "PRONGSAI_CACHE_URL=redis://… needs the redis package: pip install 'prongsai[redis]'",
                id="lib.E001",
            )
        ]
    return []


def check_shared_secret(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """lib.W001: a shared installation (PostgreSQL, or a replica) with the secret key made under this
    machine's var/: every application server needs the same SECRET_KEY (sessions, CSRF, the anonymous
    forms' tickets, the sign-in throttle's HMACs), so set SECRET_KEY or SECRET_KEY_FILE on each."""
    from django.conf import settings

    shared = settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or "replica" in settings.DATABASES
    if shared and getattr(settings, "SECRET_KEY_FROM_VAR_DIR", False):
        return [
            checks.Warning(
                "SECRET_KEY is the one made under this machine's var/: set SECRET_KEY or SECRET_KEY_FILE, "
                "the same on every application server and worker",
                id="lib.W001",
            )
        ]
    return []


class LibConfig(AppConfig):
    name = "prongsai.lib"
    label = "lib"
    verbose_name = "Prongsai lib"

    def ready(self) -> None:
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="prongsai.lib.cache_tables")
        checks.register(check_cache)
        checks.register(check_shared_secret)
