"""The queue costs the same number of queries for 10 comments as for 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import admin_views
from comments.models import CommentReport, HoldReason, Status
from tests.factories import make_article, make_comment, make_moderator, make_section

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


def fill(n: int, *, status: str) -> None:
    """n comments across articles and sections, replies, reports, repeat authors."""
    sections = [make_section(), make_section()]
    articles = [make_article(section=sections[i % 2]) for i in range(4)]
    parents = [make_comment(article=a, status=Status.APPROVED) for a in articles]
    for i in range(n):
        comment = make_comment(
            article=articles[i % 4],
            parent=parents[i % 4] if i % 3 == 0 else None,
            status=status,
            author_email=f"author{i % 7}@example.com",
            hold_reason=HoldReason.TOO_MANY_LINKS if i % 2 else HoldReason.FIRST_TIME,
            hold_detail="3 links" if i % 2 else "",
            ip="192.0.2.1",
            author_url="https://example.org/",
        )
        if i % 4 == 0:
            CommentReport.objects.create(
                comment=comment, reason="abusive", reporter_key=f"k{i}"
            )


def count_queries(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["rows"])


@pytest.mark.parametrize(
    ("tab", "status"), [("held", "held"), ("reported", "approved"), ("spam", "spam")]
)
def test_query_count_is_the_same_for_10_and_200_comments(
    client, monkeypatch, tab, status, django_assert_num_queries
):
    # Every comment on one page, so an N+1 anywhere in a row would show.
    monkeypatch.setattr(admin_views, "PER_PAGE", 500)
    client.force_login(make_moderator())
    fill(10, status=status)
    few, few_rows = count_queries(client, {"tab": tab})

    fill(190, status=status)
    with django_assert_num_queries(few):
        response = client.get(QUEUE, {"tab": tab})

    many_rows = len(response.context["rows"])
    assert many_rows > few_rows >= 3
    print(f"\nqueue tab={tab}: {few} queries for {few_rows} and {many_rows} rows")


def test_query_count_is_the_same_with_filters_and_search(
    client, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(admin_views, "PER_PAGE", 500)
    client.force_login(make_moderator())
    params = {"q": "example", "date_from": "2000-01-01"}
    fill(10, status=Status.HELD)
    few, _ = count_queries(client, params)

    fill(190, status=Status.HELD)
    with django_assert_num_queries(few):
        client.get(QUEUE, params)


def test_the_history_page_costs_the_same_for_2_and_40_events(
    client, article, django_assert_num_queries
):
    from comments.models import ModerationEvent

    moderator = make_moderator()
    client.force_login(moderator)
    comment = make_comment(article=article, status=Status.HELD)
    url = reverse("admin:comments_comment_moderate_history", args=[comment.pk])

    def add(n):
        for i in range(n):
            ModerationEvent.objects.create(
                comment=comment,
                actor=moderator if i % 2 else None,
                from_status=Status.HELD,
                to_status=Status.HELD,
                reason=f"event {i}",
                details={"headers": {"X-akismet-guid": f"g{i}"}},
            )

    add(2)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    add(38)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)


def test_an_unfiltered_tab_is_counted_once_with_the_other_tabs(client):
    client.force_login(make_moderator())
    fill(12, status=Status.HELD)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, {"tab": "held"})

    counting = [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    held = next(t for t in response.context["tabs"] if t["name"] == "held")
    # The tally and the live parts (comments.selectors.tab_counts): the
    # pager counts nothing more.
    assert len(counting) == 2
    assert response.context["page"].paginator.count == held["count"] == 12


def test_a_filtered_tab_counts_what_the_filter_leaves(client, article):
    client.force_login(make_moderator())
    fill(12, status=Status.HELD)
    make_comment(article=article, status=Status.HELD, author_name="Zed Unique")

    response = client.get(QUEUE, {"tab": "held", "q": "Zed Unique"})

    assert response.context["page"].paginator.count == 1
