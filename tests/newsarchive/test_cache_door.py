"""newsarchive/cache.py: a cache that fails is a miss, and add() says when it cannot tell."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import DatabaseError

from newsarchive import cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsarchive.cache.FaultTolerantCache",
            "OPTIONS": {"BACKING": "backing"},
        },
        "backing": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsarchive_cache",
            "KEY_PREFIX": "door",
        },
    }
    # The test database has the table only when the database cache is the
    # configured one (not on the Redis run).
    call_command("createcachetable", "newsarchive_cache", verbosity=0)
    return caches["backing"]


def test_add_tells_stored_from_already_there(database_cache):
    assert cache.add("k", 1, timeout=60) is True
    assert cache.add("k", 1, timeout=60) is False


def test_a_database_cache_write_that_fails_is_unknown_not_already_there(
    database_cache, monkeypatch
):
    def locked(*args, **kwargs):
        raise DatabaseError("database is locked")

    # The database cache swallows the error of its own write and says False.
    monkeypatch.setattr(database_cache, "_base_set", lambda *a, **k: False)
    assert cache.add("k", 1, timeout=60) is None

    monkeypatch.setattr(database_cache, "has_key", locked)
    assert cache.add("k", 1, timeout=60) is None


def test_the_default_cache_answers_misses_when_the_backing_fails(
    database_cache, monkeypatch
):
    def broken(*args, **kwargs):
        raise DatabaseError("no such table")

    for name in ("get", "set", "add", "get_many", "delete"):
        monkeypatch.setattr(database_cache, name, broken)
    default = caches["default"]

    assert default.get("k", "missing") == "missing"
    assert default.set("k", 1) is None
    assert default.add("k", 1) is False
    assert default.get_many(["k"]) == {}
    assert cache.get("k", "missing") == "missing"
    assert cache.set("k", 1, timeout=1) is False


def test_after_a_failure_the_cache_is_left_alone_for_a_pause(
    database_cache, monkeypatch
):
    calls = []

    def hanging(*args, **kwargs):
        calls.append(args)
        raise TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(database_cache, "get", hanging)
    default = caches["default"]

    for _ in range(5):
        assert default.get("k", "missing") == "missing"
        assert cache.get("k", "missing") == "missing"

    assert len(calls) == 1


def test_the_cache_is_asked_again_once_the_pause_is_over(database_cache, monkeypatch):
    def hanging(*args, **kwargs):
        raise TimeoutError("Timeout reading from socket")

    real_get = database_cache.get
    monkeypatch.setattr(database_cache, "get", hanging)
    assert cache.get("k", "missing") == "missing"
    monkeypatch.setattr(database_cache, "get", real_get)
    cache.set("k", "v", timeout=60)  # still paused: not stored
    monkeypatch.setattr(cache, "_paused_until", 0.0)

    assert cache.set("k", "v", timeout=60) is True
    assert cache.get("k") == "v"
