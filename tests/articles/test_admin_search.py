"""Editors search articles in the admin with the readers' query language,
drafts included, best match first, at a constant number of queries."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    at,
    make_article,
    make_quote,
    make_source,
    make_tag,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:articles_article_changelist")


def listed(response) -> list[str]:
    return re.findall(r'<th class="field-title"><a [^>]*>(.*?)</a>', response.text)


@pytest.fixture
def desk(site_zone):
    make_article(
        title="Rates held",
        body="<p>The bank kept interest rates steady.</p>",
        published_at=at(2024, 2, 1, 9),
    )
    make_article(
        title="Mortgage pain",
        body="<p>Higher interest rates hit mortgage holders.</p>",
        published_at=at(2024, 3, 1, 9),
    )
    make_article(
        title="Interest rates: the draft explainer",
        status=Article.Status.DRAFT,
        body="<p>Why interest rates move.</p>",
    )


def test_the_admin_search_speaks_the_readers_query_language(editor_client, desk):
    response = editor_client.get(LIST_URL, {"q": '"interest rates" -mortgage'})
    assert response.status_code == 200
    # The title match ranks first; the draft is there for editors.
    assert listed(response) == ["Interest rates: the draft explainer", "Rates held"]
    assert 'As on the site: words, "phrases"' in response.text.replace("&quot;", '"')


def test_the_admin_search_finds_names_of_tags_and_sources(editor_client, site_zone):
    tagged = make_article(title="Quay", tags=[make_tag(name="Shipwrights")])
    quoted = make_article(title="Wharf")
    make_quote(article=quoted, source=make_source(name="Interfax"))
    assert listed(editor_client.get(LIST_URL, {"q": "shipwrights"})) == [tagged.title]
    assert listed(editor_client.get(LIST_URL, {"q": "interfax"})) == [quoted.title]


def test_a_column_sort_overrides_relevance(editor_client, desk):
    response = editor_client.get(LIST_URL, {"q": "rates", "o": "1"})  # by title
    assert listed(response) == sorted(listed(response))
    assert len(listed(response)) == 3


def test_an_operator_only_admin_search_lists_nothing(editor_client, desk):
    response = editor_client.get(LIST_URL, {"q": "- or"})
    assert response.status_code == 200
    assert listed(response) == []


@pytest.mark.parametrize("n", [3, 30])
def test_the_admin_search_costs_the_same_queries_for_3_or_30(
    editor_client, django_assert_num_queries, site_zone, n
):
    for i in range(n):
        make_article(title=f"Harbour {i}")
    # Session, user, two permission reads, sections and authors for the
    # filters, the search's count, the total count, the page, the date
    # hierarchy's two.
    with django_assert_num_queries(11):
        response = editor_client.get(LIST_URL, {"q": "harbour"})
    assert len(listed(response)) == n
