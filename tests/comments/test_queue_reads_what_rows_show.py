"""
A queue page reads the columns its rows show and no others: not the article's
body nor the comment's Akismet payload, and no field left out is fetched
later, row by row or at all.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import FETCH_RAISE
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import AkismetVerdict, CommentReport, HoldReason, Status
from comments.selectors import moderator
from tests.factories import make_article, make_comment, make_moderator, make_section

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
TABS = ("held", "reported", "spam", "approved", "removed")


def a_row_of_every_kind() -> None:
    """Comments whose rows use every field a row can show."""
    now = timezone.now()
    article = make_article(section=make_section())
    bare = make_article()
    parent = make_comment(article=article, body="The parent's words.")
    make_comment(
        article=article,
        parent=parent,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        hold_detail="timed out",
        next_check_at=now + timedelta(minutes=5),
        ip="203.0.113.9",
        author_url="https://reader.example/",
    )
    make_comment(
        article=bare,
        status=Status.UNCHECKED,
        created=now - timedelta(minutes=10),
        next_check_at=now - timedelta(minutes=2),
    )
    make_comment(
        article=article,
        status=Status.SPAM,
        hold_reason=HoldReason.AKISMET_SPAM,
        akismet_verdict=AkismetVerdict.SPAM,
        akismet_headers={"X-akismet-pro-tip": "discard"},
    )
    reported = make_comment(
        article=article, status=Status.APPROVED, akismet_verdict=AkismetVerdict.HAM
    )
    CommentReport.objects.create(comment=reported, reason="abusive", reporter_key="k")
    make_comment(
        article=bare,
        status=Status.REMOVED,
        previous_status=Status.APPROVED,
        hold_reason=HoldReason.MODERATOR,
    )


@pytest.mark.parametrize("tab", TABS)
def test_a_row_needs_no_field_the_queue_left_out(client, monkeypatch, tab):
    # Left-out fields are fetched for the page at once in production; here
    # reading one at all is an error.
    monkeypatch.setattr(moderator, "FETCH_PEERS", FETCH_RAISE)
    client.force_login(make_moderator())
    a_row_of_every_kind()

    response = client.get(QUEUE, {"tab": tab})

    assert response.status_code == 200
    assert response.context["rows"]


def test_the_page_query_leaves_out_bodies_and_payloads(client):
    client.force_login(make_moderator())
    a_row_of_every_kind()

    with CaptureQueriesContext(connection) as ctx:
        client.get(QUEUE, {"tab": "held"})

    [page] = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"]
              and '"parent_author"' in q["sql"]]  # fmt: skip
    assert '"comments_comment"."body_html"' in page
    assert '"articles_article"."title"' in page
    for column in (
        '"articles_article"."body"',
        '"articles_article"."body_html"',
        '"comments_comment"."akismet_payload"',
        '"comments_comment"."user_agent"',
    ):
        assert column not in page
