"""
A page's cache entries come in one round trip: each GET reads ahead, in one
get_many, the keys its address read last time, and serves no value that the
request itself replaced or that another process wrote since it was read.
"""

import re

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from articles.models import Article
from newsarchive import cache
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


class Calls:
    """The backing cache's reads, counted."""

    def __init__(self, backing, monkeypatch):
        self.gets = self.get_manys = 0
        get, get_many = backing.get, backing.get_many

        def counted_get(*args, **kwargs):
            self.gets += 1
            return get(*args, **kwargs)

        def counted_get_many(*args, **kwargs):
            self.get_manys += 1
            return get_many(*args, **kwargs)

        monkeypatch.setattr(backing, "get", counted_get)
        monkeypatch.setattr(backing, "get_many", counted_get_many)

    def reset(self):
        self.gets = self.get_manys = 0


@pytest.fixture
def calls(monkeypatch):
    return Calls(caches["backing"], monkeypatch)


@pytest.fixture
def article(settings):
    settings.PAGE_CACHE = False
    article = make_article(status=Article.Status.PUBLISHED)
    make_comment(article=article)
    return article


def in_a_request(path, body):
    token = cache.begin_read_ahead(path)
    try:
        return body()
    finally:
        cache.end_read_ahead(token)


def test_a_page_seen_before_reads_its_entries_in_one_round_trip(client, article, calls):
    url = article.get_absolute_url()
    client.get(url)  # fills the fragments
    client.get(url)  # reads them one by one, and remembers their keys
    calls.reset()

    html = client.get(url).content.decode()

    assert (calls.get_manys, calls.gets) == (1, 0)
    assert article.title in html


def test_the_page_read_ahead_is_the_page_read_one_by_one(client, article, settings):
    url = article.get_absolute_url()
    client.get(url)
    one_by_one = client.get(url).content
    read_ahead = client.get(url).content
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "ReadAhead" not in m]
    without = client.get(url).content

    strip = _without_per_reader_values
    assert strip(read_ahead) == strip(one_by_one) == strip(without)


def _without_per_reader_values(html: bytes) -> str:
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'name="timestamp" value="[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


def test_an_edit_between_views_shows_though_the_keys_were_read_ahead(client, article):
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)

    Article.objects.filter(pk=article.pk).update(title="A changed headline")
    article.refresh_from_db()
    article.save()  # through the model, as the admin saves

    assert "A changed headline" in client.get(url).content.decode()


def test_a_value_written_by_the_request_is_read_back_not_the_one_read_ahead():
    in_a_request("/p/", lambda: (cache.get("a"), cache.get("b")))
    cache.set("a", "old", 60)

    def body():
        cache.get("b")  # the read that reads "a" ahead too
        cache.set("a", "new", 60)
        return cache.get("a")

    assert in_a_request("/p/", body) == "new"


def test_a_key_read_twice_asks_the_cache_the_second_time():
    cache.set("a", "first", 60)
    in_a_request("/p/", lambda: cache.get("a"))

    def body():
        first = cache.get("a")
        # Another process writes it meanwhile.
        caches["backing"].set("a", "second", 60)
        return first, cache.get("a")

    assert in_a_request("/p/", body) == ("first", "second")


def test_the_default_cache_reads_ahead_as_the_cache_tag_uses_it(calls):
    default = caches["default"]
    default.set("x", 1)
    default.set("y", 2)
    in_a_request("/q/", lambda: (default.get("x"), default.get("y")))
    calls.reset()

    values = in_a_request("/q/", lambda: (default.get("x"), default.get("y")))

    assert values == (1, 2)
    assert (calls.get_manys, calls.gets) == (1, 0)


def test_a_deleted_key_is_not_served_from_the_read_ahead():
    cache.set("a", "kept", 60)
    in_a_request("/p/", lambda: cache.get("a"))

    def body():
        cache.get("b")  # the read that reads ahead
        caches["default"].delete("a")
        return cache.get("a")

    assert in_a_request("/p/", body) is None


def test_a_cache_that_fails_reading_ahead_is_a_miss(monkeypatch):
    cache.set("a", "kept", 60)
    in_a_request("/p/", lambda: cache.get("a"))

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caches["backing"], "get_many", broken)
    monkeypatch.setattr(caches["backing"], "get", broken)

    assert in_a_request("/p/", lambda: cache.get("a", "default")) == "default"


def test_posts_do_not_read_ahead(calls):
    seen = []
    middleware = cache.ReadAheadMiddleware(
        lambda request: seen.append(cache._request.get()) or "response"
    )

    middleware(RequestFactory().post("/p/"))
    middleware(RequestFactory().get("/p/"))

    assert seen[0] is None
    assert seen[1] is not None and seen[1].path == "/p/"


def test_only_so_many_addresses_are_remembered(monkeypatch):
    monkeypatch.setattr(cache, "READ_AHEAD_PATHS", 3)

    for n in range(5):
        in_a_request(f"/page/{n}/", lambda: cache.get("k"))

    assert list(cache._hints) == ["/page/2/", "/page/3/", "/page/4/"]
