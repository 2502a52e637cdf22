"""
Readers report published comments: a small form that works without
JavaScript, distinct reporters counted, held at the threshold, rate-limited
per IP, and moderators can dismiss reports.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comments import moderation
from comments.models import Comment, CommentReport, HoldReason, ModerationEvent, Status
from comments.services import reporting
from tests.factories import make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db


def _report(client, comment, *, ip="10.0.0.1", reason="abusive", text=""):
    return client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": reason, "text": text},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def comment(article):
    return make_comment(article=article, body="You are all idiots.")


def test_the_report_page_shows_the_comment_and_the_reasons(client, comment):
    response = client.get(reverse("comments:report", kwargs={"pk": comment.pk}))

    assert response.status_code == 200
    html = response.content.decode()
    assert "You are all idiots." in html
    for label in ("Spam", "Abusive or hateful", "Off-topic", "Something else"):
        assert label in html


def test_a_report_is_stored_and_the_reader_is_sent_back_with_thanks(client, comment):
    response = _report(client, comment, text="Insults other readers")

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Thank you. The moderators will take a look at this comment."
    ]
    report = CommentReport.objects.get()
    assert (report.comment, report.reason, report.text) == (
        comment,
        "abusive",
        "Insults other readers",
    )
    assert "10.0.0.1" not in report.reporter_key
    assert comment.events.filter(kind=ModerationEvent.Kind.REPORT).count() == 1


def test_a_report_without_a_reason_is_refused(client, comment):
    response = _report(client, comment, reason="")

    assert response.status_code == 400
    assert not CommentReport.objects.exists()


def test_below_the_threshold_the_comment_stays_published(client, comment, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    _report(client, comment, ip="10.0.0.1")
    _report(client, comment, ip="10.0.0.2")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 2


def test_three_distinct_reporters_hold_the_comment_with_the_reason(
    client, comment, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    _report(client, comment, ip="10.0.0.1", reason="abusive")
    _report(client, comment, ip="10.0.0.2", reason="spam")
    response = _report(client, comment, ip="10.0.0.3", reason="abusive")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    assert comment.hold_reason == HoldReason.REPORTED
    assert comment.hold_detail == "reported 3× — abusive or hateful"
    assert response["Location"].endswith("#comments")
    assert comment.events.filter(
        to_status=Status.HELD, from_status=Status.APPROVED
    ).exists()


def test_the_same_reporter_twice_counts_once(client, comment, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    _report(client, comment, ip="10.0.0.1")
    response = _report(client, comment, ip="10.0.0.1", reason="spam")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentReport.objects.count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "You have already reported this comment; thank you."
    )


def test_signed_in_readers_are_counted_by_account_not_address(comment, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    alice, bob = make_user(), make_user()

    reporting.report_comment(comment=comment, reason="spam", ip="10.0.0.9", user=alice)
    result = reporting.report_comment(
        comment=comment, reason="spam", ip="10.0.0.9", user=bob
    )

    assert result.reporters == 2
    assert result.held


def test_held_comments_cannot_be_reported(client, article):
    held = make_comment(article=article, status=Status.HELD)

    assert _report(client, held).status_code == 404
    assert not CommentReport.objects.exists()


def test_a_comment_a_moderator_approved_again_needs_new_reports(comment, settings):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    for ip in ("10.0.0.1", "10.0.0.2"):
        reporting.report_comment(comment=comment, reason="abusive", ip=ip)
    comment.refresh_from_db()
    moderation.approve(comment, actor=make_moderator())

    result = reporting.report_comment(comment=comment, reason="abusive", ip="10.0.0.3")

    assert (result.reporters, result.held) == (1, False)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_reports_are_rate_limited_per_ip(client, article):
    comments = [make_comment(article=article) for _ in range(11)]
    for comment in comments[:10]:
        assert _report(client, comment, ip="10.0.0.7").status_code == 302

    response = _report(client, comments[10], ip="10.0.0.7")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert CommentReport.objects.count() == 10
    # Another address is not affected.
    assert _report(client, comments[10], ip="10.0.0.8").status_code == 302


def test_dismissing_reports_clears_them_and_records_who(comment):
    moderator = make_moderator()
    for ip in ("10.0.0.1", "10.0.0.2"):
        reporting.report_comment(comment=comment, reason="spam", ip=ip)

    assert moderation.dismiss_reports(comment=comment, actor=moderator) == 2

    assert not CommentReport.objects.filter(dismissed_at__isnull=True).exists()
    assert set(CommentReport.objects.values_list("dismissed_by", flat=True)) == {
        moderator.pk
    }
    event = comment.events.get(kind=ModerationEvent.Kind.NOTE)
    assert (event.actor, event.reason) == (moderator, "Dismissed 2 reader reports")
    # Dismissed reports no longer block the same reader from reporting again.
    again = reporting.report_comment(comment=comment, reason="spam", ip="10.0.0.1")
    assert again.created


def test_dismissing_a_comment_without_reports_records_nothing(comment):
    assert moderation.dismiss_reports(comment=comment, actor=make_moderator()) == 0
    assert not comment.events.exists()


def test_published_comments_show_a_report_link(client, article, comment):
    response = client.get(article.get_absolute_url())

    assert reverse("comments:report", kwargs={"pk": comment.pk}) in (
        response.content.decode()
    )
