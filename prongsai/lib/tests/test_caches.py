"""The caches as settings make them (a table of the database by default, Redis by PRONGSAI_CACHE_URL,
the page caches per process unless asked to be shared), the tables made by migrate, and the checks
lib.E001 and lib.W001."""

from __future__ import annotations

import runpy
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

import prongsai.settings as prongsai_settings
from prongsai.lib.apps import check_cache, check_shared_secret, create_cache_tables

DB_CACHE = "django.core.cache.backends.db.DatabaseCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCAL = "django.core.cache.backends.locmem.LocMemCache"


def settings_with(monkeypatch, tmp_path, **env: str) -> dict[str, Any]:
    monkeypatch.setenv("PRONGSAI_VAR_DIR", str(tmp_path / "var"))
    for name in ("PRONGSAI_CACHE_URL", "PRONGSAI_PAGE_CACHES", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(prongsai_settings.__file__)))


def backends(read: dict[str, Any]) -> dict[str, str]:
    return {name: str(cache["BACKEND"]) for name, cache in read["CACHES"].items()}


def test_the_shared_cache_is_a_table_of_the_database_and_the_page_caches_stay_in_each_process(
    monkeypatch, tmp_path
):
    read = settings_with(monkeypatch, tmp_path)
    assert backends(read) == {"default": DB_CACHE, "portal": LOCAL, "pieces": LOCAL}
    assert read["CACHES"]["default"]["LOCATION"] == "prongsai_cache"


def test_redis_is_chosen_by_a_url_and_the_page_caches_may_share_it(monkeypatch, tmp_path):
    read = settings_with(monkeypatch, tmp_path, PRONGSAI_CACHE_URL="redis://cache.example:6379/2")
    assert backends(read) == {"default": REDIS_CACHE, "portal": LOCAL, "pieces": LOCAL}
    assert read["CACHES"]["default"]["LOCATION"] == "redis://cache.example:6379/2"
    shared = settings_with(
        monkeypatch, tmp_path, PRONGSAI_CACHE_URL="rediss://cache.example/0", PRONGSAI_PAGE_CACHES="shared"
    )
    assert set(backends(shared).values()) == {REDIS_CACHE}
    assert len({cache["KEY_PREFIX"] for cache in shared["CACHES"].values()}) == 3  # kept apart
    in_tables = settings_with(monkeypatch, tmp_path, PRONGSAI_PAGE_CACHES="shared")
    assert [c["LOCATION"] for c in in_tables["CACHES"].values()] == [
        "prongsai_cache",
        "prongsai_cache_portal",
        "prongsai_cache_pieces",
    ]
    assert in_tables["CACHES"]["pieces"]["OPTIONS"] == {"MAX_ENTRIES": 5000}


def test_a_cache_url_or_page_cache_choice_not_understood_stops_the_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="PRONGSAI_CACHE_URL"):
        settings_with(monkeypatch, tmp_path, PRONGSAI_CACHE_URL="memcached://cache:11211")
    with pytest.raises(ImproperlyConfigured, match="PRONGSAI_PAGE_CACHES"):
        settings_with(monkeypatch, tmp_path, PRONGSAI_PAGE_CACHES="everywhere")


def test_migrate_made_the_cache_table_and_a_value_is_seen_by_another_cache_object(db):
    assert "prongsai_cache" in connection.introspection.table_names()
    from django.core.cache import caches

    caches["default"].set("several-servers", "seen", 60)
    another_process = DatabaseCache("prongsai_cache", {})
    assert another_process.get("several-servers") == "seen"
    create_cache_tables(sender=cast(Any, None))  # again, as every migrate does: nothing to make, nothing lost
    assert another_process.get("several-servers") == "seen"


def test_a_redis_cache_without_the_redis_package_is_a_system_check_error(settings, monkeypatch):
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": REDIS_CACHE, "LOCATION": "redis://x"}}
    assert check_cache() == []  # installed here (dev extra)
    monkeypatch.setattr("prongsai.lib.apps.find_spec", lambda name: None)
    assert [e.id for e in check_cache()] == ["lib.E001"]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")  # no query is made here
def test_a_shared_installation_with_a_secret_key_made_on_one_machine_is_warned(settings):
    settings.SECRET_KEY_FROM_VAR_DIR = True
    sqlite = {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"}
    settings.DATABASES = {"default": sqlite}
    assert check_shared_secret() == []  # SQLite alone: one machine
    settings.DATABASES = {"default": sqlite, "replica": {"ENGINE": "django.db.backends.postgresql"}}
    assert [w.id for w in check_shared_secret()] == ["lib.W001"]
    settings.DATABASES = {"default": {**sqlite, "ENGINE": "django.db.backends.postgresql"}}
    assert [w.id for w in check_shared_secret()] == ["lib.W001"]
    settings.SECRET_KEY_FROM_VAR_DIR = False
    assert check_shared_secret() == []


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="no redis-server on this machine")
def test_two_redis_cache_objects_share_what_they_hold(tmp_path):
    from django.core.cache.backends.redis import RedisCache

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        url = f"redis://127.0.0.1:{port}/0"
        one, two = (
            RedisCache(url, {"KEY_PREFIX": "prongsai:default"}),
            RedisCache(url, {"KEY_PREFIX": "prongsai:default"}),
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                one.set("stamp", "1.2.3", 60)
                break
            except Exception:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert two.get("stamp") == "1.2.3"
        two.delete("stamp")
        assert one.get("stamp") is None
    finally:
        server.terminate()
        server.wait(timeout=10)
