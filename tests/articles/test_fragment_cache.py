"""
Article cards, lists and the article body are cached as fragments under a
content version that every write to an article (or to its section, tags,
authors, bylines, quotes or sources) replaces: an editor's change shows on
the next page view, and a scheduled article joins related lists on time.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_alone(settings):
    # The fragments on their own; whole pages: tests/newsarchive/test_page_cache*.
    settings.PAGE_CACHE = False


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_home_page_view_renders_the_cards_from_the_cache(client):
    article = make_article(title="Storm wall approved", authors=[make_author()])
    _get(client, "/")
    # A write that bypasses save() (and so every invalidation) changes the
    # row but not the cache key: the card shown is the cached one.
    Article.objects.filter(pk=article.pk).update(title="Changed behind its back")

    html = _get(client, "/")

    assert "Storm wall approved" in html
    assert "Changed behind its back" not in html


def test_an_edited_title_shows_on_the_home_page_and_article_at_once(client):
    article = make_article(title="Old headline", body="<p>Old body.</p>")
    assert "Old headline" in _get(client, "/")
    assert "Old body." in _get(client, article.get_absolute_url())

    article.title = "New headline"
    article.body_html = "<p>New body.</p>"
    article.save()

    assert "New headline" in _get(client, "/")
    assert "Old headline" not in _get(client, "/")
    page = _get(client, article.get_absolute_url())
    assert "New body." in page
    assert "Old body." not in page


def test_a_renamed_section_and_author_show_on_the_cards_at_once(client):
    section = make_section(name="Harbours")
    author = make_author(name="Ann Writer")
    make_article(section=section, authors=[author])
    html = _get(client, "/")
    assert "Harbours" in html
    assert "Ann Writer" in html

    section.name = "Ports"
    section.save()
    author.name = "Ann Editor"
    author.save()

    html = _get(client, "/")
    assert "Ann Editor" in html
    assert "Ann Writer" not in html
    assert ">Ports</a>" in html


def test_a_new_tag_shows_on_the_article_page_at_once(client):
    article = make_article(title="Harbour reopens")
    assert 'rel="tag">Shipping<' not in _get(client, article.get_absolute_url())

    article.tags.add(make_tag(name="Shipping"))

    assert 'rel="tag">Shipping<' in _get(client, article.get_absolute_url())


def test_a_scheduled_article_joins_the_related_list_when_it_goes_live(client):
    tag = make_tag(name="Ports")
    article = make_article(title="Harbour reopens", tags=[tag])
    goes_live = timezone.now() + timedelta(hours=1)
    make_article(
        title="Ferries return",
        tags=[tag],
        status=Article.Status.SCHEDULED,
        published_at=goes_live,
    )
    assert "Ferries return" not in _get(client, article.get_absolute_url())

    # Time passing, not a write: no signal, no new content version.
    with time_machine.travel(goes_live + timedelta(minutes=1)):
        assert "Ferries return" in _get(client, article.get_absolute_url())


def test_an_unpublished_article_leaves_the_home_page_at_once(client):
    article = make_article(title="Going away")
    assert "Going away" in _get(client, "/")

    article.status = Article.Status.ARCHIVED
    article.save()

    assert "Going away" not in _get(client, "/")
