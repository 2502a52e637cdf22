"""
The home page's pager counts the public articles once per change, not on
every view: a large archive's count reads every article. The count stays
right through every change, and when a scheduled article goes live with
nobody writing anything.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import selectors
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_per_page(settings):
    settings.ARTICLES_PER_PAGE = 2
    settings.PAGE_CACHE = False


def _counts(queries) -> int:
    return sum(
        "COUNT(*)" in q["sql"] and "articles_article" in q["sql"] for q in queries
    )


def _pages(client) -> int:
    return client.get("/").context["paginator"].num_pages


def test_a_second_view_does_not_count_the_articles_again(client):
    for _ in range(5):
        make_article()
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert response.context["paginator"].count == 5
    assert _counts(queries.captured_queries) == 0


def test_a_new_article_is_counted(client):
    for _ in range(4):
        make_article()
    assert _pages(client) == 2

    make_article()  # saving bumps the articles scope

    assert _pages(client) == 3


def test_an_unpublished_article_is_no_longer_counted(client):
    articles = [make_article() for _ in range(3)]
    assert _pages(client) == 2

    articles[0].status = Article.Status.DRAFT
    articles[0].save()  # saving bumps the articles scope

    assert _pages(client) == 1


def test_a_scheduled_article_is_counted_once_its_time_comes(client):
    for _ in range(4):
        make_article()
    goes_live = timezone.now() + timedelta(minutes=10)
    make_article(status=Article.Status.SCHEDULED, published_at=goes_live)
    assert _pages(client) == 2

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        assert _pages(client) == 3


def test_the_cached_count_matches_a_fresh_one():
    for _ in range(3):
        make_article()
    make_article(status=Article.Status.DRAFT)

    assert selectors.public_article_count() == Article.objects.published().count() == 3
    assert selectors.public_article_count() == 3
