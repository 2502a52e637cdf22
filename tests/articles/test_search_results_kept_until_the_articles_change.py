"""
With the full-page cache off (a signed-in reader, or a page not yet stored),
a search asked again takes its count, its page of results with their
snippets and the filters' choices from the cache, kept under the articles
token: one query, the token. Any publication, edit or take-down changes the
token, so the next answer shows it; a scheduled story shows once its time
comes. Whatever a reader types, the entries' keys are digests of fixed size
and the entries expire.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, RESULTS_SECONDS
from newsarchive import cache as cache_module
from tests.factories import at, make_article, make_author, make_section, make_tag
from tests.queries import WARM_PAGE_QUERIES

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


@pytest.fixture(autouse=True)
def _page_cache_off(settings, site_zone):
    settings.PAGE_CACHE = False


@pytest.mark.parametrize("n", [3, 30])
def test_a_search_asked_again_costs_the_token_query_alone(
    client, django_assert_num_queries, n
):
    section = make_section()
    for i in range(n):
        make_article(
            title=f"Harbour story {i}",
            section=section,
            tags=[make_tag()],
            authors=[make_author(), make_author()],
        )
    first = client.get(SEARCH_URL, {"q": "harbour", "section": section.slug})

    with django_assert_num_queries(WARM_PAGE_QUERIES["search"]):
        again = client.get(SEARCH_URL, {"q": "harbour", "section": section.slug})

    assert again.content == first.content


def test_a_matching_story_published_since_shows_at_once(client):
    make_article(title="Harbour wall approved")
    client.get(SEARCH_URL, {"q": "harbour"})

    make_article(title="Harbour crane arrives")
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert "Harbour crane arrives" in response.text
    assert "2 articles found" in response.text


def test_an_edit_shows_in_the_results_at_once(client):
    article = make_article(title="Harbour wall approved")
    client.get(SEARCH_URL, {"q": "harbour"})

    article.title = "Harbour wall rejected"
    article.save()
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert "Harbour wall rejected" in response.text
    assert "Harbour wall approved" not in response.text


def test_a_story_taken_down_since_is_gone_at_once(client):
    article = make_article(title="Harbour wall approved")
    make_article(title="Harbour crane arrives")
    client.get(SEARCH_URL, {"q": "harbour"})

    services.article_unpublish(article=article)
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert "Harbour wall approved" not in response.text
    assert "1 article found" in response.text


def test_a_renamed_section_shows_in_the_filters_at_once(client):
    section = make_section(name="Metro")
    make_article(title="Harbour wall approved", section=section)
    assert ">Metro</option>" in client.get(SEARCH_URL, {"q": "harbour"}).text

    section.name = "City"
    section.save()
    response = client.get(SEARCH_URL, {"q": "harbour"})

    assert ">City</option>" in response.text
    assert ">Metro</option>" not in response.text


def test_a_scheduled_story_shows_once_its_time_comes(client):
    make_article(title="Harbour wall approved")
    goes_live = timezone.now() + timedelta(minutes=10)
    make_article(
        title="Harbour crane arrives",
        status=Article.Status.SCHEDULED,
        published_at=goes_live,
    )
    assert "Harbour crane arrives" not in client.get(SEARCH_URL, {"q": "harbour"}).text

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        response = client.get(SEARCH_URL, {"q": "harbour"})

    assert "Harbour crane arrives" in response.text


def test_another_page_of_the_same_search_is_its_own(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Harbour crane arrives", published_at=at(2024, 3, 6, 9))
    make_article(title="Harbour wall approved", published_at=at(2024, 3, 5, 9))
    first = client.get(SEARCH_URL, {"q": "harbour"})

    second = client.get(SEARCH_URL, {"q": "harbour", "page": "2"})

    assert "Harbour crane arrives" in first.text
    assert "Harbour wall approved" in second.text
    assert "Harbour crane arrives" not in second.text


@pytest.fixture
def stored(monkeypatch) -> dict[str, float | None]:
    """The search entries written through the cache's one door: key, timeout."""
    written: dict[str, float | None] = {}
    real = cache_module.set

    def spy(key, value, timeout):
        if key.startswith("until-changed:search:"):
            written[key] = timeout
        return real(key, value, timeout)

    monkeypatch.setattr(cache_module, "set", spy)
    return written


def test_pages_past_the_end_share_the_last_pages_entry(client, settings, stored):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Harbour wall approved")
    make_article(title="Harbour crane arrives")
    client.get(SEARCH_URL, {"q": "harbour", "page": "2"})
    assert len(stored) == 2  # the count, page 2

    for page in ("3", "99", "1" * 400, "0", "-1"):
        assert client.get(SEARCH_URL, {"q": "harbour", "page": page}).status_code == 200

    assert len(stored) == 2
    # A page number that is no whole number shows page 1: one entry more.
    for page in ("x", "2.5", "1e3"):
        assert client.get(SEARCH_URL, {"q": "harbour", "page": page}).status_code == 200
    assert len(stored) == 3


def test_long_and_odd_queries_make_keys_of_one_size_that_expire(client, stored):
    make_article(title="Harbour wall approved")
    odd = [
        "harbour " + "x" * (MAX_QUERY_LENGTH - 8),
        '"harbour -wall or %s \u00e9\u00e8 \'; DROP TABLE"',
        "harbour\tor\nferry:*&|! <script>",
    ]
    for query in odd:
        response = client.get(SEARCH_URL, {"q": query})
        assert response.status_code == 200
        assert client.get(SEARCH_URL, {"q": query}).content == response.content

    assert len(stored) == 2 * len(odd)  # each search's count and page 1
    assert len({len(key.split(":")[2]) for key in stored}) == 1
    assert all(len(key) < 200 for key in stored)
    assert not any(query[:12] in key for key in stored for query in odd)
    assert set(stored.values()) == {RESULTS_SECONDS}
