"""
A search asked again by an anonymous reader is served from the full-page
cache (one token query), and is never stale: a story published, edited or
unpublished since shows in the next answer, in every process, because the
stored page dies with the articles token.
"""

import pytest
from django.urls import reverse

from articles import services
from newsarchive.pagecache import HIT_HEADER
from tests.factories import make_article, make_user
from tests.queries import CACHED_PAGE

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


def test_the_same_search_again_comes_from_the_cache(client, django_assert_num_queries):
    make_article(title="Harbour wall approved")
    first = client.get(SEARCH_URL, {"q": "harbour"})
    assert first[HIT_HEADER] == "miss"

    with django_assert_num_queries(CACHED_PAGE):
        again = client.get(SEARCH_URL, {"q": "harbour"})

    assert again[HIT_HEADER] == "hit"
    assert "Harbour wall approved" in again.text


def test_another_query_or_page_is_a_page_of_its_own(client):
    make_article(title="Harbour wall approved")
    make_article(title="Ferry timetable")
    client.get(SEARCH_URL, {"q": "harbour"})

    other = client.get(SEARCH_URL, {"q": "ferry"})

    assert other[HIT_HEADER] == "miss"
    assert "Ferry timetable" in other.text
    assert "Harbour wall approved" not in other.text


def test_a_story_published_since_shows_at_once(client):
    make_article(title="Harbour wall approved")
    client.get(SEARCH_URL, {"q": "harbour"})

    make_article(title="Harbour crane arrives")
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert response[HIT_HEADER] == "miss"
    assert "Harbour crane arrives" in response.text


def test_a_story_taken_down_since_is_gone_at_once(client):
    article = make_article(title="Harbour wall approved")
    assert "Harbour wall approved" in client.get(SEARCH_URL, {"q": "harbour"}).text

    services.article_unpublish(article=article)
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert "Harbour wall approved" not in response.text


def test_signed_in_readers_get_their_own_search_page(client):
    make_article(title="Harbour wall approved")
    client.get(SEARCH_URL, {"q": "harbour"})
    client.force_login(make_user())

    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert response.get(HIT_HEADER) is None
    assert (
        "no-store" in response["Cache-Control"]
        or "private" in response["Cache-Control"]
    )
