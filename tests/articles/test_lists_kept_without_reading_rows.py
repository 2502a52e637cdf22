"""
A list page's fragment is keyed by the articles token, the page's path and
number, and when the next scheduled article goes live: a warm view reads no
row, and each list still changes when what it shows does, with a write or
with time passing.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    make_article,
    make_author,
    make_quote,
    make_section,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

LISTS = ["home", "month", "section", "tag", "author", "source"]


@pytest.fixture(autouse=True)
def _page_cache_off(settings, site_zone):
    settings.PAGE_CACHE = False
    settings.ARTICLES_PER_PAGE = 2


@pytest.fixture
def subjects():
    return {
        "section": make_section(),
        "tag": make_tag(),
        "author": make_author(),
        "source": make_source(),
    }


def _article(subjects, *, title: str, **fields) -> Article:
    article = make_article(
        title=title,
        section=subjects["section"],
        tags=[subjects["tag"]],
        authors=[subjects["author"]],
        **fields,
    )
    make_quote(article=article, source=subjects["source"], text=f"Quote in {title}")
    return article


def _url(kind: str, subjects, article: Article) -> str:
    if kind == "home":
        return "/"
    if kind == "month":
        at = timezone.localtime(article.published_at)
        return f"/{at:%Y}/{at:%m}/"
    return subjects[kind].get_absolute_url()


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", LISTS)
def test_a_scheduled_article_joins_the_list_when_it_goes_live(client, subjects, kind):
    now = timezone.now()
    first = _article(subjects, title="Harbour reopens", published_at=now)
    goes_live = now + timedelta(minutes=10)
    _article(
        subjects,
        title="Ferries return",
        status=Article.Status.SCHEDULED,
        published_at=goes_live,
    )
    url = _url(kind, subjects, first)
    assert "Ferries return" not in _page(client, url)

    with time_machine.travel(goes_live + timedelta(seconds=1)):
        assert "Ferries return" in _page(client, url)


@pytest.mark.parametrize("kind", LISTS)
def test_an_edit_to_a_listed_article_shows_on_the_next_view(client, subjects, kind):
    article = _article(subjects, title="Harbour reopens", published_at=timezone.now())
    url = _url(kind, subjects, article)
    _page(client, url)

    article.title = "Harbour reopens at dawn"
    article.save()

    assert "Harbour reopens at dawn" in _page(client, url)


@pytest.mark.parametrize("kind", LISTS)
def test_each_page_of_a_list_has_its_own_articles(client, subjects, kind):
    now = timezone.now()
    titles = [f"Story number {n}" for n in range(4)]
    for n, title in enumerate(titles):
        _article(subjects, title=title, published_at=now - timedelta(minutes=n))
    url = _url(kind, subjects, Article.objects.first())

    pages = [_page(client, url), _page(client, f"{url}?page=2")]

    assert [t for t in titles if t in pages[0]] == titles[:2]
    assert [t for t in titles if t in pages[1]] == titles[2:]


def test_two_sections_do_not_share_a_list(client, subjects):
    _article(subjects, title="Harbour reopens", published_at=timezone.now())
    other = make_section()
    make_article(title="Council meets", section=other)

    assert "Council meets" not in _page(client, subjects["section"].get_absolute_url())
    assert "Harbour reopens" not in _page(client, other.get_absolute_url())


def test_a_renamed_section_shows_its_new_name_on_its_page(client, subjects):
    section = subjects["section"]
    _article(subjects, title="Harbour reopens", published_at=timezone.now())
    _page(client, section.get_absolute_url())

    section.name = "Waterfront"
    section.save()

    assert "<h1>Waterfront</h1>" in _page(client, section.get_absolute_url())
