"""
Every event that changes what a page shows ends its cached copy at once:
the next reader gets a page rendered after the change, and a page that does
not show the change stays cached.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from newsarchive.pagecache import HIT_HEADER
from tests.newsarchive import page_events

pytestmark = pytest.mark.django_db


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, response.content.decode()


def _cached(client, url: str) -> str:
    """Render `url` once and check the next view comes from the cache."""
    _get(client, url)
    response, html = _get(client, url)
    assert response[HIT_HEADER] == "hit", url
    return html


@pytest.mark.parametrize("event", page_events.EVENTS, ids=lambda e: e.name)
def test_the_event_ends_the_cached_pages_that_show_it(client, event):
    urls = page_events.seed()
    html = _cached(client, urls[event.page])
    if event.before:
        assert event.before in html
    if event.after:
        assert event.after not in html
    if event.untouched:
        _cached(client, urls[event.untouched])

    page_events.run(event.name)

    response, html = _get(client, urls[event.page])
    assert response[HIT_HEADER] == "miss"
    if event.after:
        assert event.after in html
    if event.gone:
        assert event.gone not in html
    if event.untouched:
        response, _ = _get(client, urls[event.untouched])
        assert response[HIT_HEADER] == "hit"


def test_an_unpublished_article_page_is_gone_at_once(client):
    page_events.seed()
    url = Article.objects.get(slug="pulled-story").get_absolute_url()
    _cached(client, url)

    page_events.run("article unpublished")

    assert client.get(url).status_code == 404


def test_a_scheduled_article_appears_on_cached_pages_at_its_time(client):
    urls = page_events.seed()
    page_events.schedule_soon(60)
    html = _cached(client, urls["home"])
    assert page_events.SCHEDULED_TITLE not in html

    # No write happens: only the clock moves past the scheduled time.
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        response, html = _get(client, urls["home"])

    assert response[HIT_HEADER] == "miss"
    assert page_events.SCHEDULED_TITLE in html


def test_a_page_cached_before_a_scheduled_time_is_still_served_until_then(client):
    urls = page_events.seed()
    page_events.schedule_soon(60)
    _cached(client, urls["home"])

    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        response, html = _get(client, urls["home"])

    assert response[HIT_HEADER] == "hit"
    assert page_events.SCHEDULED_TITLE not in html
