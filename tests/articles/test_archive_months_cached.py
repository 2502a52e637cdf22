"""
The year and month archives take their emptiness, counts and previous and
next periods from the months' counts, read once per change of the articles
(selectors.month_counts): every change shows on the next view, and so does
a scheduled article going live with nobody writing anything.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    at,
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings, site_zone):
    settings.PAGE_CACHE = False
    settings.ARTICLES_PER_PAGE = 2


def _month(client, url: str):
    return client.get(url).context


def test_the_month_shows_its_count_and_its_neighbours(client):
    make_article(published_at=at(2024, 1, 9, 9))
    for day in (3, 4, 5):
        make_article(published_at=at(2024, 3, day, 9))
    make_article(published_at=at(2024, 7, 1, 9))

    context = _month(client, "/2024/03/")

    assert context["paginator"].count == 3
    assert context["paginator"].num_pages == 2
    assert context["previous_month"] == at(2024, 1, 1).date()
    assert context["next_month"] == at(2024, 7, 1).date()


def test_a_new_article_shows_in_the_month_and_as_its_neighbour(client):
    make_article(published_at=at(2024, 3, 5, 9))
    assert _month(client, "/2024/03/")["next_month"] is None

    make_article(published_at=at(2024, 3, 6, 9))
    make_article(published_at=at(2024, 5, 6, 9))

    context = _month(client, "/2024/03/")
    assert context["paginator"].count == 2
    assert context["next_month"] == at(2024, 5, 1).date()
    assert client.get("/2024/05/").status_code == 200
    assert client.get("/2024/").context["next_year"] is None


def test_an_unpublished_article_leaves_its_month_at_once(client):
    make_article(published_at=at(2024, 1, 5, 9))
    article = make_article(published_at=at(2024, 3, 5, 9))
    assert client.get("/2024/03/").status_code == 200
    assert _month(client, "/2024/01/")["next_month"] == at(2024, 3, 1).date()

    article.status = Article.Status.DRAFT
    article.save()

    assert client.get("/2024/03/").status_code == 404
    assert _month(client, "/2024/01/")["next_month"] is None


def test_a_moved_article_changes_both_months(client):
    article = make_article(published_at=at(2024, 3, 5, 9))
    make_article(published_at=at(2024, 3, 6, 9))
    assert _month(client, "/2024/03/")["paginator"].count == 2

    article.published_at = at(2023, 11, 5, 9)
    article.save()

    assert _month(client, "/2024/03/")["paginator"].count == 1
    assert _month(client, "/2024/03/")["previous_month"] == at(2023, 11, 1).date()
    assert client.get("/2023/").context["next_year"] == at(2024, 1, 1).date()


def test_a_scheduled_article_shows_once_its_time_comes(client):
    make_article(published_at=timezone.now() - timedelta(days=40))
    goes_live = timezone.now() + timedelta(minutes=10)
    make_article(status=Article.Status.SCHEDULED, published_at=goes_live)
    month = timezone.localtime(goes_live)
    url = f"/{month:%Y}/{month:%m}/"
    before = client.get(url)
    count = before.context["paginator"].count if before.status_code == 200 else 0

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        assert client.get(url).context["paginator"].count == count + 1


def test_a_renamed_section_shows_in_the_section_nav_at_once(client):
    section = make_section(name="Metro")
    make_article(section=section)
    assert ">Metro</a>" in client.get("/").content.decode()

    section.name = "City"
    section.save()

    page = client.get("/").content.decode()
    assert ">City</a>" in page
    assert ">Metro</a>" not in page


def test_a_renamed_author_shows_in_a_warm_list_at_once(client):
    author = make_author(name="Ada Byline")
    make_article(authors=[author], published_at=at(2024, 3, 5, 9))
    assert "Ada Byline" in client.get("/2024/03/").content.decode()

    author.name = "Ada Lovelace"
    author.save()

    page = client.get("/2024/03/").content.decode()
    assert "Ada Lovelace" in page
    assert "Ada Byline" not in page


@pytest.mark.parametrize("subject", ["section", "tag", "author"])
def test_a_subject_pages_cached_count_follows_each_change(client, subject):
    section, tag, author = make_section(), make_tag(), make_author()

    def add():
        return make_article(section=section, tags=[tag], authors=[author])

    first = add()
    url = {"section": section, "tag": tag, "author": author}[subject].get_absolute_url()
    assert client.get(url).context["paginator"].count == 1
    assert client.get(url).context["paginator"].count == 1

    add()
    assert client.get(url).context["paginator"].count == 2

    first.status = Article.Status.DRAFT
    first.save()
    assert client.get(url).context["paginator"].count == 1


def test_a_source_pages_article_count_follows_each_change(client):
    source = make_source(name="TASS")
    first = make_article()
    make_quote(article=first, source=source)
    url = source.get_absolute_url()
    assert client.get(url).context["article_count"] == 1
    assert client.get(url).context["article_count"] == 1

    make_quote(article=make_article(), source=source)
    assert client.get(url).context["article_count"] == 2

    first.status = Article.Status.DRAFT
    first.save()
    assert client.get(url).context["article_count"] == 1


@pytest.mark.parametrize("url", ["/2024/", "/2024/03/"])
def test_a_view_reads_the_month_counts_from_the_cache_once(client, monkeypatch, url):
    from articles import selectors

    make_article(published_at=at(2024, 3, 5, 9))
    assert client.get(url).status_code == 200  # stores them
    reads = []
    real_get = selectors.cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(selectors.cache, "get", counting_get)

    assert client.get(url).status_code == 200
    assert len([key for key in reads if "month-counts" in key]) == 1
