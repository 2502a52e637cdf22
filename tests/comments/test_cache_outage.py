"""
Redis stopped mid-test: pages are served from the database, and a comment
POST is still accepted, flood and duplicate control falling back to queries.
"""

import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from django.core.cache import caches

from comments.models import Comment
from newsarchive import cache
from tests.factories import make_article, make_comment

# Redis is on every machine this runs on (CI starts it): no skip if missing.
pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SpareRedis:
    """A Redis of the test's own on a spare port, started empty each time."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "SpareRedis":
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings):
    server = SpareRedis().start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsarchive.cache.FaultTolerantCache",
            "OPTIONS": {"BACKING": "backing"},
        },
        "backing": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": f"outage-{uuid.uuid4().hex[:8]}",
        },
    }
    yield server
    server.stop()


def test_the_cache_is_really_redis_until_it_stops(redis_cache):
    assert caches["default"].backing.__class__.__name__ == "RedisCache"
    assert cache.add("probe", 1, timeout=60) is True
    assert cache.add("probe", 1, timeout=60) is False

    redis_cache.stop()

    assert cache.add("probe", 1, timeout=60) is None
    assert cache.get("probe", "missing") == "missing"


def test_pages_are_served_from_the_database_when_redis_stops(client, redis_cache):
    article = make_article(title="Harbour reopens after the storm")
    make_comment(article=article, body="Glad the ferries run again.")
    assert client.get("/").status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200

    redis_cache.stop()

    home = client.get("/")
    page = client.get(article.get_absolute_url())
    assert home.status_code == 200
    assert "Harbour reopens after the storm" in home.content.decode()
    assert page.status_code == 200
    assert "Glad the ferries run again." in page.content.decode()


def test_a_comment_posted_while_redis_is_down_is_kept(post_comment, redis_cache):
    article = make_article()
    redis_cache.stop()

    response = post_comment(article, body="Posted during the outage.")

    assert response.status_code == 302
    assert Comment.objects.filter(body="Posted during the outage.").exists()


def test_flood_control_falls_back_to_the_database(settings, post_comment, redis_cache):
    settings.COMMENTS_FLOOD_SECONDS = 15
    article = make_article()
    redis_cache.stop()

    first = post_comment(article, body="First words.")
    second = post_comment(
        article, body="Second words.", author_email="other@example.com"
    )

    assert first.status_code == 302
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 15
    assert not Comment.objects.filter(body="Second words.").exists()


def test_duplicates_are_refused_from_the_database(post_comment, redis_cache):
    article = make_article()
    redis_cache.stop()

    assert post_comment(article, body="Said once.").status_code == 302
    assert post_comment(article, body="Said once.").status_code == 409
    assert Comment.objects.filter(body="Said once.").count() == 1


def test_an_outage_is_logged_at_most_once_a_minute(caplog, redis_cache, monkeypatch):
    monkeypatch.setattr(cache, "_last_logged", 0.0)
    redis_cache.stop()

    with caplog.at_level(logging.WARNING, logger="newsarchive.cache"):
        for _ in range(5):
            cache.get("anything")

    assert len(caplog.records) == 1
    assert "serving without the cache" in caplog.records[0].getMessage()


def test_flood_control_holds_when_redis_comes_back_empty(
    settings, post_comment, redis_cache
):
    settings.COMMENTS_FLOOD_SECONDS = 15
    article = make_article()
    redis_cache.stop()
    assert post_comment(article, body="During the outage.").status_code == 302

    redis_cache.start()
    cache.reset()  # this process would try the cache again after its pause
    second = post_comment(article, body="Right after.", author_email="b@example.com")

    assert second.status_code == 429
    assert not Comment.objects.filter(body="Right after.").exists()
