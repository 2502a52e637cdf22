"""
Export: for one email address, everything the comments app keeps about it
(its comments with what was stored with each, the reports it sent, the reports
about its comments, its reply-notification record) as one JSON document.
"""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import CommentReport, ModerationEvent, ReplySubscription, Status
from comments.selectors.personal_data import personal_data
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

ADA = "ada@example.com"


def test_it_lists_every_comment_of_the_address_whatever_its_case_or_status(article):
    mine = [
        make_comment(article=article, author_email=email, status=status)
        for email, status in [
            (ADA, Status.APPROVED),
            ("Ada@Example.COM", Status.HELD),
            (ADA, Status.SPAM),
            (ADA, Status.REMOVED),
        ]
    ]
    make_comment(article=article, author_email="bob@example.com")

    data = personal_data(email="ADA@example.com")

    assert data["email"] == "ada@example.com"
    assert [c["id"] for c in data["comments"]] == [c.pk for c in mine]
    assert [c["status"] for c in data["comments"]] == [
        "approved",
        "held",
        "spam",
        "removed",
    ]


def test_each_comment_carries_everything_stored_with_it(article):
    parent = make_comment(article=article, author_email="bob@example.com")
    payload = {"user_ip": "203.0.113.9", "comment_content": "Words."}
    comment = make_comment(
        article=article,
        parent=parent,
        author_name="Ada Reader",
        author_email=ADA,
        author_url="https://ada.example/",
        body="Words.",
        ip="203.0.113.9",
        user_agent="Firefox/140",
        referrer="https://search.example/?q=harbour",
        akismet_payload=payload,
        notify_replies=True,
    )
    ModerationEvent.objects.create(
        comment=comment,
        kind=ModerationEvent.Kind.EDIT,
        reason="Edited by its author",
        details={"previous_body": "Werds."},
        actor=make_user(username="mod"),
    )

    [row] = personal_data(email=ADA)["comments"]

    assert row["name"] == "Ada Reader"
    assert row["email"] == ADA
    assert row["website"] == "https://ada.example/"
    assert row["text"] == "Words."
    assert row["ip_address"] == "203.0.113.9"
    assert row["user_agent"] == "Firefox/140"
    assert row["came_from"] == "https://search.example/?q=harbour"
    assert row["sent_to_akismet"] == payload
    assert row["asked_for_reply_notifications"] is True
    assert row["in_reply_to"] == parent.pk
    assert row["article"] == {
        "title": article.title,
        "url": "http://testserver" + article.get_absolute_url(),
    }
    assert row["posted_at"] == comment.created.isoformat()
    [event] = row["history"]
    assert event["what"] == "Edited by author"
    assert event["previous_text"] == "Werds."
    # Staff names are not the commenter's data.
    assert "mod" not in json.dumps(row)


def test_reports_about_their_comments_are_listed_without_who_sent_them(article):
    comment = make_comment(article=article, author_email=ADA)
    reporter = make_user(username="carol", email="carol@example.com")
    CommentReport.objects.create(
        comment=comment,
        reason=CommentReport.Reason.OFF_TOPIC,
        text="Carol thinks this is off-topic",
        user=reporter,
        reporter_key="k" * 64,
    )

    [row] = personal_data(email=ADA)["comments"]

    assert row["reports"] == [
        {
            "reason": "Off-topic",
            "reported_at": row["reports"][0]["reported_at"],
            "dismissed": False,
        }
    ]
    assert "carol" not in json.dumps(row).lower()
    assert "k" * 64 not in json.dumps(row)


def test_reports_they_sent_while_signed_in_are_included(article):
    ada = make_user(username="ada", email="Ada@example.com")
    other = make_comment(article=article, author_email="bob@example.com")
    report = CommentReport.objects.create(
        comment=other,
        reason=CommentReport.Reason.ABUSIVE,
        text="This is rude.",
        user=ada,
        reporter_key="a" * 64,
        dismissed_at=timezone.now(),
    )

    data = personal_data(email=ADA)

    assert data["comments"] == []
    assert data["reports_sent"] == [
        {
            "comment_id": other.pk,
            "reason": "Abusive or hateful",
            "text": "This is rude.",
            "reported_at": report.created.isoformat(),
            "dismissed": True,
        }
    ]


def test_the_reply_notification_record_is_included():
    now = timezone.now()
    ReplySubscription.objects.create(
        email=ADA, confirmed_at=now, confirmation_sent_at=now - timedelta(hours=1)
    )

    record = personal_data(email="ada@EXAMPLE.com")["reply_notifications"]

    assert record["email"] == ADA
    assert record["confirmed_at"] == now.isoformat()
    assert record["unsubscribed_at"] is None
    assert record["confirmation_sent_at"] == (now - timedelta(hours=1)).isoformat()


def test_an_address_we_know_nothing_about_gets_empty_lists(db):
    data = personal_data(email="nobody@example.com")

    assert data["comments"] == []
    assert data["reports_sent"] == []
    assert data["reply_notifications"] is None
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize("email", ["", "   ", "not-an-address", "a@b@example.com"])
def test_an_empty_or_malformed_address_is_refused(db, email):
    # An erased comment's email is blank: "" must never match them all.
    with pytest.raises(ValidationError):
        personal_data(email=email)


@pytest.mark.parametrize("count", [1, 6])
def test_the_export_takes_the_same_queries_for_any_number_of_comments(
    count, django_assert_num_queries
):
    ada = make_user(email=ADA)
    ReplySubscription.objects.create(email=ADA)
    for _ in range(count):
        comment = make_comment(article=make_article(), author_email=ADA)
        ModerationEvent.objects.create(comment=comment, reason="Submitted")
        CommentReport.objects.create(
            comment=comment,
            reason=CommentReport.Reason.SPAM,
            user=ada,
            reporter_key=f"{comment.pk:064d}",
        )

    # comments with articles, their history, their reports, reports sent,
    # the reply-notification record.
    with django_assert_num_queries(5):
        data = personal_data(email=ADA)

    assert len(data["comments"]) == count
    assert len(data["reports_sent"]) == count
