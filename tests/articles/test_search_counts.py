"""
A search counts its matches up to MAX_COUNTED, heading matches first and
then body matches, in one statement on PostgreSQL (with the index walks and
sequential scans off for that statement alone, so the planner takes the GIN
index's bitmap) and part by part elsewhere.
"""

import pytest
from django.db import connection

from articles import search
from articles.search import search_articles
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
