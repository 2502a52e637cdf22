"""
Once an article's fragments are cached, a view loads none of what only they
show (bylines, tags, quotes, corrections): the page is the same, with this
response's own CSP nonce on its JSON-LD.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Correction
from tests.factories import make_full_article

pytestmark = pytest.mark.django_db

DETAIL_TABLES = (
    "articles_articleauthor",
    "articles_article_tags",
    "articles_quote",
    "articles_correction",
)
JSONLD = re.compile(
    r'<script type="application/ld\+json" nonce="([^"]*)">(.*?)</script>', re.S
)


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


def _detail_queries(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if any(table in q["sql"].split(" WHERE ")[0] for table in DETAIL_TABLES)
    ]


def test_a_warm_view_loads_no_bylines_tags_quotes_or_corrections(client):
    article = make_full_article(title="Storm wall approved")
    Correction.objects.create(article=article, note="An earlier version misspelt it.")
    url = article.get_absolute_url()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).content.decode()

    with CaptureQueriesContext(connection) as warm:
        second = client.get(url).content.decode()

    assert _detail_queries(cold.captured_queries)
    assert _detail_queries(warm.captured_queries) == []
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert NONCE_FREE(first) == NONCE_FREE(second)
    for tag in article.tags.all():
        assert f'<meta property="article:tag" content="{tag.name}">' in second
    assert "An earlier version misspelt it." in second


def test_the_cached_json_ld_carries_each_responses_nonce(client):
    article = make_full_article()
    url = article.get_absolute_url()
    first, second = client.get(url), client.get(url)

    (nonce_1, data_1), (nonce_2, data_2) = (
        JSONLD.search(r.content.decode()).groups() for r in (first, second)
    )
    assert nonce_1 and nonce_2 and nonce_1 != nonce_2
    assert f"'nonce-{nonce_2}'" in second["Content-Security-Policy"]
    assert json.loads(data_1) == json.loads(data_2)
    authors = {a["name"] for a in json.loads(data_2)["author"]}
    assert authors == {b.author.name for b in article.bylines.all()}


def test_an_edit_shows_on_the_next_view(client):
    article = make_full_article()
    url = article.get_absolute_url()
    client.get(url)

    tag = article.tags.first()
    tag.name = "Harbour works"
    tag.save()

    assert '<meta property="article:tag" content="Harbour works">' in (
        client.get(url).content.decode()
    )


def NONCE_FREE(html: str) -> str:  # noqa: N802
    """The page down to its comments (whose form is signed per response),
    with the per-response nonces taken out."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html.split('<section id="comments"')[0])
