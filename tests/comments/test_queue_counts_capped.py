"""
The queue never counts a large archive's comments on a view: tabs of a
status come exact from the database's tally, what the clock or reports
decide is counted up to a cap ("cap+"), and the pager stops at the cap too
("more than cap"): the pages further on are for filters.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentReport, Status, StatusTally
from comments.selectors import moderator as selectors
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    return 3


def test_status_tabs_count_exactly_past_the_cap(cap):
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    for _ in range(2):
        make_comment(article=article, status=Status.HELD)

    counts = selectors.tab_counts()

    assert counts.tabs["held"] == 2
    assert counts.tabs["approved"] == 5
    assert counts.tabs["spam"] == 0
    assert not counts.capped


def test_reported_comments_are_counted_up_to_the_cap(cap):
    article = make_article()
    for _ in range(5):
        comment = make_comment(article=article, status=Status.APPROVED)
        CommentReport.objects.create(comment=comment, reason="spam", reporter_key="k")
    dismissed = make_comment(article=article, status=Status.APPROVED)
    CommentReport.objects.create(
        comment=dismissed, reason="spam", reporter_key="k", dismissed_at=timezone.now()
    )

    counts = selectors.tab_counts()

    assert counts.tabs["reported"] == cap + 1  # "more than 3"
    assert counts.capped == {"reported"}


def test_a_report_on_a_comment_no_longer_published_is_not_counted(cap):
    comment = make_comment(article=make_article(), status=Status.REMOVED)
    CommentReport.objects.create(comment=comment, reason="spam", reporter_key="k")
    twice = make_comment(article=make_article(), status=Status.APPROVED)
    for key in ("a", "b"):
        CommentReport.objects.create(comment=twice, reason="spam", reporter_key=key)

    assert selectors.tab_counts().tabs["reported"] == 1


def test_all_counts_take_two_small_queries(cap):
    make_comment(article=make_article(), status=Status.HELD)

    with CaptureQueriesContext(connection) as ctx:
        selectors.tab_counts()

    # The tally, and what the clock and reports decide.
    assert len(ctx.captured_queries) == 2


def test_the_queue_shows_exact_tab_counts_and_a_capped_page_count(client, cap):
    client.force_login(make_moderator())
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    make_comment(article=article, status=Status.HELD)

    html = client.get(QUEUE, {"tab": "approved"}).content.decode()

    assert 'data-tab-count="approved">5</span>' in html
    assert 'data-tab-count="held">1</span>' in html
    assert "More than 3 comments" in html


def test_a_capped_tab_says_more_than_its_count(client, cap):
    client.force_login(make_moderator())
    article = make_article()
    for _ in range(5):
        comment = make_comment(article=article, status=Status.APPROVED)
        CommentReport.objects.create(comment=comment, reason="spam", reporter_key="k")

    html = client.get(QUEUE, {"tab": "reported"}).content.decode()

    assert 'data-tab-count="reported">3+</span>' in html


def test_large_counts_are_grouped_for_reading(client):
    client.force_login(make_moderator())
    make_comment(article=make_article(), status=Status.APPROVED)
    StatusTally.objects.create(status=Status.APPROVED, amount=912_344)

    html = client.get(QUEUE, {"tab": "held"}).content.decode()

    assert 'data-tab-count="approved">912,345</span>' in html


def test_held_counts_the_held_and_the_overdue_unchecked(cap):
    article = make_article()
    for _ in range(2):
        make_comment(article=article, status=Status.HELD)
    overdue = timezone.now() - timedelta(minutes=5)
    for _ in range(2):
        make_comment(article=article, status=Status.UNCHECKED, created=overdue)
    make_comment(article=article, status=Status.UNCHECKED)  # just saved

    counts = selectors.tab_counts()

    assert counts.tabs["held"] == 4
    assert not counts.capped


def test_held_counts_every_overdue_comment_past_the_cap(cap):
    article = make_article()
    make_comment(article=article, status=Status.HELD)
    overdue = timezone.now() - timedelta(minutes=5)
    for _ in range(5):
        make_comment(article=article, status=Status.UNCHECKED, created=overdue)
    for _ in range(4):
        make_comment(article=article, status=Status.UNCHECKED)  # just saved

    counts = selectors.tab_counts()

    assert counts.tabs["held"] == 1 + 5
    assert not counts.capped


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

    held = [counts.tabs["held"] for counts in (first, later, days_later)]
    discarded = [counts.discarded for counts in (first, later, days_later)]
    # Unchecked for a moment: not yet overdue; then held until checked.
    assert held == [0, 1, 1]
    # Discarded spam is counted for its window, then no more.
    assert discarded == [1, 1, 0]
