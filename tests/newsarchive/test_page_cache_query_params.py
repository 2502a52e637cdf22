"""
Query parameters no cached page reads are dropped before the page is
looked up or rendered: a reader from a tracking link gets the page everyone
gets, made-up parameters cannot fill the cache with copies of one page,
and the parameters pages do read still make pages of their own.
"""

import pytest
from django.conf import settings

from articles.forms import SearchForm
from articles.views import LEGACY_QUERY_KEYS
from comments.templatetags.comments import PAGE_PARAM, REPLY_PARAM
from newsarchive import cache, pagecache
from newsarchive.pagecache import HIT_HEADER
from newsarchive.redirects import add_redirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_pages(monkeypatch):
    keys = []
    real = cache.set

    def counting(key, value, timeout):
        if key.startswith(pagecache.KEY_PREFIX):
            keys.append(key)
        return real(key, value, timeout)

    monkeypatch.setattr(pagecache.cache, "set", counting)
    return keys


def test_a_tracking_link_gets_the_page_from_its_one_entry(client, stored_pages):
    make_article(title="Storm wall approved")
    assert client.get("/")[HIT_HEADER] == "miss"

    response = client.get("/?utm_source=social&fbclid=abc123")

    assert response[HIT_HEADER] == "hit"
    assert "Storm wall approved" in response.content.decode()
    assert len(stored_pages) == 1


def test_made_up_parameters_store_no_new_pages(client, stored_pages):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)

    for n in range(20):
        assert client.get(f"{url}?x{n}=y")[HIT_HEADER] == "hit"

    assert len(stored_pages) == 1


def test_a_dropped_parameter_is_not_carried_into_the_pages_links(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Harbour one")
    make_article(title="Harbour two")

    html = client.get("/search/?q=harbour&utm_campaign=evil").content.decode()

    assert "Harbour" in html
    assert "utm_campaign" not in html
    assert "evil" not in html


def test_parameters_pages_read_still_make_pages_of_their_own(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Newest harbour story")
    client.get("/")

    assert client.get("/?page=1")[HIT_HEADER] == "miss"
    assert client.get("/search/?q=harbour")[HIT_HEADER] == "miss"
    assert client.get("/search/?q=ferry")[HIT_HEADER] == "miss"


def test_the_order_of_parameters_does_not_matter(client):
    client.get("/search/?q=harbour&year=2025")

    assert client.get("/search/?year=2025&q=harbour")[HIT_HEADER] == "hit"


def test_an_old_wordpress_address_still_redirects(client):
    article = make_article(title="Storm wall approved")
    add_redirect(old_path="/?p=123", new_path=article.get_absolute_url())

    response = client.get("/?p=123&utm_source=x")

    assert response.status_code == 301


def test_every_parameter_a_cached_page_reads_is_kept():
    read = {
        "page",  # Django's paginated views
        PAGE_PARAM,
        REPLY_PARAM,
        *SearchForm.base_fields,
        *LEGACY_QUERY_KEYS,
    }

    assert read <= settings.PAGE_CACHE_QUERY_PARAMS
