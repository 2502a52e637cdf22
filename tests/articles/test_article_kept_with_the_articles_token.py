"""
An article page keeps the article it shows in the cache, with the articles
token read before it was fetched: a later view reads one row of tokens
instead of the article's query, and any change readers would see (an edit,
unpublishing, a new date, the next scheduled article going live) shows on
the next view.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


def _article_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        sql
        for sql in page_queries(queries.captured_queries)
        if 'FROM "articles_article"' in sql
    ]


def test_a_second_view_does_not_query_the_article(client):
    url = make_article(title="Storm wall approved").get_absolute_url()
    assert _article_queries(client, url)

    assert _article_queries(client, url) == []


def test_an_edit_shows_on_the_next_view(client):
    article = make_article(title="Storm wall approved")
    url = article.get_absolute_url()
    client.get(url)

    article.title = "Storm wall approved at last"
    article.save()

    assert "Storm wall approved at last" in client.get(url).content.decode()


def test_an_unpublished_article_is_gone_on_the_next_view(client):
    article = make_article()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200

    article.status = Article.Status.DRAFT
    article.save()

    assert client.get(url).status_code == 404


def test_a_redated_article_leaves_its_old_address(client):
    article = make_article()
    old_url = article.get_absolute_url()
    client.get(old_url)

    article.published_at -= timedelta(days=3)
    article.save()

    assert client.get(old_url).status_code in (301, 302, 404)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_next_scheduled_article_going_live_shows_with_no_write(client):
    section = make_section()
    now = timezone.now()
    article = make_article(section=section, published_at=now - timedelta(hours=1))
    goes_live = now + timedelta(minutes=5)
    make_article(
        section=section,
        title="Ferry service resumes",
        status=Article.Status.SCHEDULED,
        published_at=goes_live,
    )
    url = article.get_absolute_url()
    assert "Ferry service resumes" not in client.get(url).content.decode()

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        page = client.get(url).content.decode()

    assert "Ferry service resumes" in page


def test_an_unknown_address_is_not_found_however_often_asked(client):
    article = make_article()
    url = article.get_absolute_url().replace(article.slug, "no-such-story")

    assert [client.get(url).status_code for _ in range(2)] == [404, 404]
