"""Odd searches get a page that says what to do, and keep what was typed."""

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


@pytest.fixture
def harbour(site_zone):
    return make_article(title="Harbour wall reopens", body="<p>Repairs done.</p>")


def test_an_empty_search_shows_the_form_and_how_to_search(client, harbour):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    assert "<h1>Search the archive</h1>" in response.text
    assert '<kbd>"interest rates" -mortgage</kbd>' in response.text
    assert "search-result__title" not in response.text


def test_a_search_over_200_characters_says_how_long_it_may_be(client, harbour):
    query = " ".join(["harbour"] * 30)
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 400
    assert (
        "Searches can be up to 200 characters long; this one has 239. "
        "Shorten it and try again." in response.text
    )
    # Nothing is lost: the whole search is back in the box to shorten.
    assert f'value="{query}"' in response.text
    assert "search-result__title" not in response.text


@pytest.mark.parametrize("query", ["-", '""', "or", "- or -", "&", '" "', "…"])
def test_a_search_of_operators_alone_asks_for_a_word(client, harbour, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    assert "There is nothing to look for in" in response.text
    assert "Type a word, or a “phrase in quotes”." in response.text
    assert "search-result__title" not in response.text
    assert "No articles match" not in response.text


def test_a_search_of_exclusions_alone_asks_for_a_word_to_look_for(client, harbour):
    response = client.get(SEARCH_URL, {"q": "-storm"})
    assert response.status_code == 200
    assert "A minus sign only leaves words out" in response.text
    assert "search-result__title" not in response.text


def test_a_search_with_too_many_words_says_which_were_left_out(client, harbour):
    response = client.get(SEARCH_URL, {"q": "harbour " + "x " * 13})
    assert response.status_code == 200
    assert "A search uses up to 12 words and phrases; the last 2 were left out." in (
        response.text
    )


def test_a_bad_filter_value_is_a_friendly_400(client, harbour):
    response = client.get(SEARCH_URL, {"q": "harbour", "year": "soon"})
    assert response.status_code == 400
    assert '<form class="search-form" role="search"' in response.text
    assert 'value="harbour"' in response.text
    assert "The year filter “soon” was not understood: Enter a whole number." in (
        response.text
    )
