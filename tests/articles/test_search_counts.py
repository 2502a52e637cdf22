"""
A search counts its matches up to MAX_COUNTED, heading matches first and
then body matches, in one statement on PostgreSQL (with the index walks and
sequential scans off for that statement alone, so the planner takes the GIN
index's bitmap) and part by part elsewhere; a part after the count is full
is never read. A heading match is found by the short heading vector alone,
unless the query leaves out a word the body may hold.
"""

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from articles import search
from articles.models import Article
from articles.search import SearchResults, search_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def archive():
    for i in range(2):
        make_article(title=f"Harbour news {i}")
    for i in range(5):
        make_article(title=f"Port news {i}", body="<p>At the harbour today.</p>")


def test_heading_and_body_matches_are_counted_up_to_the_cap(archive, monkeypatch):
    monkeypatch.setattr(search, "MAX_COUNTED", 3)

    found = search_articles("harbour")

    # SQLite ranks every match in one part; one past the cap says "more".
    assert found._part_sizes() == ([2, 2] if POSTGRES else [4])
    assert found.count() == 3
    assert found.more


def test_every_match_is_counted_under_the_cap(archive):
    found = search_articles("harbour")

    assert found._part_sizes() == ([2, 5] if POSTGRES else [7])
    assert found.count() == 7
    assert not found.more


def test_counting_is_one_query_and_leaves_the_planner_as_it_was(
    archive, django_assert_num_queries
):
    parts = len(search_articles("harbour").parts)
    with django_assert_num_queries(1 if POSTGRES else parts):
        search_articles("harbour").count()

    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "current_setting('enable_indexscan')"
            )
            assert cursor.fetchone() == ("on", "on")


def test_a_part_is_not_counted_once_the_parts_before_it_fill_the_count(
    archive, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(search, "MAX_COUNTED", 1)
    heading = Article.objects.filter(title__startswith="Harbour news")
    # Fails on PostgreSQL should it be run (SQLite makes it NULL).
    never = Article.objects.filter(
        RawSQL(
            '1 / ("articles_article"."id" - "articles_article"."id") = 1',
            (),
            output_field=BooleanField(),
        )
    )
    found = SearchResults([heading, never])

    with django_assert_num_queries(1):
        sizes = found._part_sizes()

    assert sizes == [2, 0]


def test_a_heading_match_is_found_by_the_heading_vector_alone(archive):
    if POSTGRES:
        [heading, body] = search_articles("harbour").parts
        assert "search_vector" not in str(heading.query)
        assert "search_vector" in str(body.query)


def test_a_word_left_out_that_only_the_body_holds_leaves_a_heading_match_out(
    site_zone,
):
    make_article(title="Harbour news", body="<p>The ferry was late.</p>")
    make_article(title="Harbour news again", body="<p>All on time.</p>")

    found = search_articles("harbour -ferry")

    assert [article.title for article in found] == ["Harbour news again"]
    if POSTGRES:
        assert "search_vector" in str(found.parts[0].query)
