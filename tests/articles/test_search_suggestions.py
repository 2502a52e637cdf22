"""
"Did you mean …?" when a search finds little: pg_trgm on PostgreSQL, offered
only when the better spelling finds more published articles. SQLite has no
trigram index and offers nothing.
"""

import pytest
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.search import suggest
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def harbour(site_zone):
    return make_article(
        title="Harbour wall reopens",
        body="<p>The harbour master praised the engineers.</p>",
    )


def test_a_misspelt_word_gets_a_suggestion_on_postgresql(client, harbour):
    response = client.get(SEARCH_URL, {"q": "harbuor engineers"})
    assert "No articles match" in response.text
    if POSTGRES:
        assert suggest("harbuor engineers", found=0) == "harbour engineers"
        assert (
            'Did you mean <a href="?q=harbour+engineers">harbour engineers</a>?'
            in response.text
        )
    else:
        assert suggest("harbuor engineers", found=0) is None
        assert "Did you mean" not in response.text


def test_the_suggestion_keeps_phrases_exclusions_and_filters(client, harbour):
    if not POSTGRES:
        assert suggest('"harbuor wall" -storm', found=0) is None
        return
    assert suggest('"harbuor wall" -storm', found=0) == '"harbour wall" -storm'
    response = client.get(
        SEARCH_URL, {"q": "harbuor", "year": harbour.published_at.year}
    )
    assert f"?q=harbour&amp;year={harbour.published_at.year}" in response.text


def test_a_word_from_a_tag_name_can_be_suggested(harbour):
    harbour.tags.add(make_tag(name="Shipwrights"))
    expected = "shipwrights" if POSTGRES else None
    assert suggest("shipwrihgts", found=0) == expected


def test_no_suggestion_when_enough_is_found(client, harbour):
    for i in range(3):
        make_article(title=f"Harbuor typo {i}")
    response = client.get(SEARCH_URL, {"q": "harbuor"})
    assert "3 articles found" in response.text
    assert "Did you mean" not in response.text


def test_no_suggestion_when_the_spelling_is_already_right(harbour):
    assert suggest("harbour", found=1) is None


def test_words_only_in_drafts_are_never_suggested(client, harbour):
    make_article(
        title="Takeover of Meridian Shipping",
        status=Article.Status.DRAFT,
        body="<p>Embargoed until Friday.</p>",
    )
    assert suggest("meridain", found=0) is None
    response = client.get(SEARCH_URL, {"q": "meridain"})
    assert "Did you mean" not in response.text
    assert "Meridian" not in response.text.replace("meridain", "")


def test_a_suggestion_costs_a_bounded_number_of_queries(
    client, django_assert_num_queries, harbour
):
    # Nothing found: the page cache's tokens and next publication, the count
    # (on PostgreSQL heading and body matches in one statement), the filters'
    # three and the section nav, plus on PostgreSQL the word lookup and one
    # count for the suggestion (its heading part already finds more than
    # nothing, so the body part is not read).
    with django_assert_num_queries(9 if POSTGRES else 7):
        client.get(SEARCH_URL, {"q": "harbuor"})
