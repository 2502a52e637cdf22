"""
The queue's counts stop at a cap, so that a large archive's approved
comments are never all counted on a queue view: the tabs say "cap+" and
the page "more than cap", while counts under the cap stay exact.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Status
from comments.selectors import moderator as selectors
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    return 3


def test_counts_under_the_cap_are_exact_and_over_it_say_so(cap):
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    for _ in range(2):
        make_comment(article=article, status=Status.HELD)

    counts = selectors.tab_counts()

    assert counts["held"] == 2
    assert counts["approved"] == cap + 1  # "more than 3"
    assert counts["spam"] == 0


def test_all_counts_take_one_query(cap):
    make_comment(article=make_article(), status=Status.HELD)

    with CaptureQueriesContext(connection) as ctx:
        selectors.tab_counts()

    assert len(ctx.captured_queries) == 1


def test_the_queue_shows_a_capped_tab_and_page_count(client, cap):
    client.force_login(make_moderator())
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    make_comment(article=article, status=Status.HELD)

    html = client.get(QUEUE, {"tab": "approved"}).content.decode()

    assert 'data-tab-count="approved">3+</span>' in html
    assert 'data-tab-count="held">1</span>' in html
    assert "More than 3 comments" in html


def test_held_counts_the_held_and_the_overdue_unchecked_up_to_the_cap(cap):
    article = make_article()
    for _ in range(2):
        make_comment(article=article, status=Status.HELD)
    overdue = timezone.now() - timedelta(minutes=5)
    for _ in range(2):
        make_comment(article=article, status=Status.UNCHECKED, created=overdue)
    make_comment(article=article, status=Status.UNCHECKED)  # just saved

    assert selectors.tab_counts()["held"] == cap + 1


def test_held_counts_both_kinds_exactly_under_the_cap(cap):
    article = make_article()
    make_comment(article=article, status=Status.HELD)
    make_comment(
        article=article,
        status=Status.UNCHECKED,
        created=timezone.now() - timedelta(minutes=5),
    )

    assert selectors.tab_counts()["held"] == 2


def test_the_queue_page_count_reads_one_index_range_at_a_time(client, cap):
    client.force_login(make_moderator())
    make_comment(article=make_article(), status=Status.HELD)

    # Filtered, so that the pager counts on its own (unfiltered, it takes
    # the held tab's count).
    with CaptureQueriesContext(connection) as ctx:
        client.get(QUEUE, {"tab": "held", "date_from": "2000-01-01"})

    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    page_count = [sql for sql in counts if "LIMIT 4" in sql and "_rows" not in sql]
    assert page_count
    assert not [sql for sql in page_count if "JOIN" in sql or " OR " in sql]


def test_the_comment_changelist_counts_up_to_the_cap_and_says_more(client, cap):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(CHANGELIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "More than 3 comments" in html
    sqls = [q["sql"] for q in ctx.captured_queries]
    # No count of every comment, and no DISTINCT over every comment's date.
    assert not [s for s in sqls if "COUNT(*)" in s and "LIMIT" not in s]
    assert not [s for s in sqls if "DISTINCT" in s]


def test_the_comment_changelist_shows_an_exact_count_under_the_cap(client, cap):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    make_comment(article=make_article(), status=Status.APPROVED)

    html = client.get(CHANGELIST).content.decode()

    assert "1 comment\n" in html or "1 comment " in html
    assert "More than" not in html


def test_the_comment_changelist_filters_by_date(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    article = make_article()
    make_comment(article=article, body="From today.")
    make_comment(
        article=article,
        body="From last year.",
        created=timezone.now() - timedelta(days=400),
    )

    html = client.get(
        CHANGELIST,
        {"created__gte": (timezone.now() - timedelta(days=7)).isoformat()},
    ).content.decode()

    assert "From today." in html
    assert "From last year." not in html


def test_the_counts_follow_the_clock_though_compiled_once():
    article = make_article()
    now = timezone.now()
    make_comment(article=article, status=Status.UNCHECKED, created=now)
    make_comment(
        article=article,
        status=Status.SPAM,
        discarded=True,
        checked_at=now,
    )
    first = selectors.tab_counts()

    with time_machine.travel(now + timedelta(hours=2)):
        later = selectors.tab_counts()
    with time_machine.travel(now + timedelta(days=2)):
        days_later = selectors.tab_counts()

    # Unchecked for a moment: not yet overdue; then held until checked.
    assert (first["held"], later["held"], days_later["held"]) == (0, 1, 1)
    # Discarded spam is counted for its window, then no more.
    assert (first["discarded"], later["discarded"], days_later["discarded"]) == (
        1,
        1,
        0,
    )
