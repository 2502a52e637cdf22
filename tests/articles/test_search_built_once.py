"""
A first-time search builds its querysets once, for its count and its page of
results alike: building them costs about as much as running the count.
"""

import pytest
from django.urls import reverse

from articles import search
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_first_time_search_is_built_once(client, monkeypatch, site_zone):
    for i in range(search.SUGGEST_BELOW):
        make_article(title=f"Harbour news {i}")
    built = []

    def search_articles(*args, **kwargs):
        built.append(args)
        return original(*args, **kwargs)

    original = search.search_articles
    monkeypatch.setattr(search, "search_articles", search_articles)

    response = client.get(reverse("articles:search"), {"q": "harbour"})

    assert response.status_code == 200
    assert response.text.count('class="search-result__title"') == search.SUGGEST_BELOW
    assert len(built) == 1
