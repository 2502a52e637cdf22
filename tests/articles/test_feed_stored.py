"""
An article feed's bytes are stored under its ETag, which names the articles
token and the newest live article: a poll of an unchanged feed reads one
token and writes nothing, and every change shows on the next poll, a
scheduled article going live included.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section, make_tag
from tests.queries import WARM_PAGE_QUERIES, page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


def _article_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if '"articles_' in q["sql"]]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_second_poll_reads_only_the_token(client, url):
    for _ in range(3):
        make_article()
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    assert _article_reads(queries.captured_queries) == []
    assert len(page_queries(queries.captured_queries)) == WARM_PAGE_QUERIES["feed"]


def test_an_edited_title_shows_on_the_next_poll(client):
    article = make_article(title="Storm wall approved")
    assert b"Storm wall approved" in client.get("/feed/").content

    article.title = "Storm wall rejected"
    article.save()

    body = client.get("/feed/").content
    assert b"Storm wall rejected" in body
    assert b"Storm wall approved" not in body


def test_a_renamed_tag_shows_on_the_next_poll(client):
    tag = make_tag(name="Harbour")
    make_article(tags=[tag])
    assert b"Harbour" in client.get("/feed/").content

    tag.name = "Port"
    tag.save()

    body = client.get("/feed/").content
    assert b"Port" in body
    assert b"Harbour" not in body


def test_a_scheduled_article_shows_once_its_time_comes(client):
    make_article(title="Already out")
    goes_live = timezone.now() + timedelta(minutes=10)
    make_article(
        title="Coming soon", status=Article.Status.SCHEDULED, published_at=goes_live
    )
    assert b"Coming soon" not in client.get("/feed/").content

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        assert b"Coming soon" in client.get("/feed/").content


def test_each_subject_feed_keeps_its_own_items(client):
    world, metro = make_section(slug="world"), make_section(slug="metro")
    make_article(title="From the world desk", section=world)
    make_article(title="From the metro desk", section=metro)
    client.get("/section/world/feed/")

    body = client.get("/section/metro/feed/").content

    assert b"From the metro desk" in body
    assert b"From the world desk" not in body
