"""
Search matches the text readers can read in an article's body, on both
databases: not words the sanitiser removed (an HTML comment,
a dropped attribute), and not the markup it kept (tag names, link
addresses, title attributes, entity names). PostgreSQL's parser skips tags
whole; the SQLite fallback must do the same. Otherwise a search is an oracle
for what an editor cut, or a hidden link's address.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from articles.search import match_articles, search_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


@pytest.fixture
def harbour():
    return make_article(
        title="Harbour reopens",
        dek="Ships return.",
        body=(
            "<p>Fish &amp; chips on the quay, 1 &lt; 2.</p>"
            "<!-- source: whistleblower Jane Okafor -->"
            '<p title="embargoedword">x</p>'
            '<p><a href="https://leak.example/linkaddressword" '
            'title="tooltipword > more">a <strong>boldword</strong> link</a></p>'
        ),
    )


def titles(results) -> list[str]:
    return [article.title for article in results]


@pytest.mark.parametrize(
    "word",
    [
        "Okafor",  # an HTML comment, removed
        "embargoedword",  # an attribute the sanitiser dropped
        "linkaddressword",  # a link address kept in href
        "tooltipword",  # a title attribute kept on the link
        "more",  # after a ">" inside an attribute value
        "strong",  # a tag name
        "href",  # an attribute name
        "amp",  # an entity's name
    ],
)
def test_search_finds_nothing_readers_cannot_see(client, harbour, word):
    assert titles(search_articles(word)) == []
    response = client.get(SEARCH_URL, {"q": word})
    assert response.status_code == 200
    assert harbour.title not in response.text


@pytest.mark.parametrize(
    "query", ["boldword", "quay", '"fish & chips"', '"1 < 2"', "link"]
)
def test_search_finds_the_text_readers_see(harbour, query):
    assert titles(search_articles(query)) == [harbour.title]


def test_the_admin_search_matches_the_same_text(harbour):
    everything = Article.objects.all()
    assert titles(match_articles(everything, "linkaddressword")) == []
    assert titles(match_articles(everything, "boldword")) == [harbour.title]
