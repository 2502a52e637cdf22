"""Shared fixtures: fast hashing, immediate tasks, an isolated cache per test."""

import os
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import settings as hypothesis_settings

from newsarchive import cache
from tests.queries import page_queries

# Property tests draw the same examples on every run, so a CI run cannot fail
# by luck; HYPOTHESIS_PROFILE=explore draws new ones (and should be run with
# HYPOTHESIS_EXAMPLES raised) to look for counterexamples, which then become
# @example cases.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@contextmanager
def _counted_queries(num: int, *, exact: bool, info: str | None = None):
    """Queries the page itself makes: the database cache's own (and their
    savepoints) are left out, so a count means the same on Redis."""
    with CaptureQueriesContext(connection) as context:
        yield context
    queries = page_queries(context.captured_queries)
    if (len(queries) != num) if exact else (len(queries) > num):
        pytest.fail(
            f"Expected {'' if exact else 'at most '}{num} queries but "
            f"{len(queries)} were done{f' ({info})' if info else ''}:\n\n"
            + "\n\n".join(queries)
        )


@pytest.fixture
def django_assert_num_queries(db):
    def assert_num(num: int, exact: bool = True, info: str | None = None):
        return _counted_queries(num, exact=exact, info=info)

    return assert_num


@pytest.fixture
def django_assert_max_num_queries(db):
    def assert_max(num: int, info: str | None = None):
        return _counted_queries(num, exact=False, info=info)

    return assert_max


@pytest.fixture(autouse=True)
def _cache_not_paused():
    """A cache failure in one test does not pause the cache for the next."""
    cache.reset()
    yield
    cache.reset()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads land in the test's own folder, never in the checkout's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    }
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    # A fresh key prefix isolates each test's cache, also on a shared Redis
    # where clearing would disturb the other xdist worker.
    caches = {alias: dict(conf) for alias, conf in settings.CACHES.items()}
    caches["backing"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
