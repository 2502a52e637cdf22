"""Every queue row says in words why the comment is waiting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from comments.models import CommentReport, HoldReason, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


@pytest.fixture
def reasons(client, article):
    """reasons(**comment fields) -> the phrases the queue shows for it."""
    client.force_login(make_moderator())

    def get(*, tab="held", reports=(), **fields):
        fields.setdefault("status", Status.HELD)
        comment = make_comment(article=article, **fields)
        for n, reason in enumerate(reports):
            CommentReport.objects.create(
                comment=comment, reason=reason, reporter_key=f"k{n}"
            )
        response = client.get(QUEUE, {"tab": tab})
        row = next(r for r in response.context["rows"] if r.comment == comment)
        page = response.content.decode()
        for phrase in row.reasons:
            # What the row computes is what the page shows, escaped.
            assert escape(phrase) in page
        return row.reasons

    return get


def test_akismet_spam(reasons):
    assert reasons(
        status=Status.SPAM, tab="spam", hold_reason=HoldReason.AKISMET_SPAM
    ) == ["Akismet said spam"]


def test_akismet_unreachable_with_the_next_try_in_the_site_time_zone(reasons, settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # +05:30: not the same minutes as UTC
    at = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=3)

    said = reasons(hold_reason=HoldReason.AKISMET_UNREACHABLE, next_check_at=at)

    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        expected = f"Akismet could not be reached — next try at {local:%H:%M}"
    else:  # just before local midnight the date is shown too
        expected = f"Akismet could not be reached — next try at {local:%d %b %H:%M}"
    assert said == [expected]
    assert f"{at:%H:%M}" not in said[0]


def test_a_next_try_on_another_day_shows_the_date(reasons):
    at = timezone.now() + timedelta(days=2)

    said = reasons(hold_reason=HoldReason.AKISMET_UNREACHABLE, next_check_at=at)

    assert said == [
        f"Akismet could not be reached — next try at {timezone.localtime(at):%d %b %H:%M}"
    ]


def test_too_many_links(reasons):
    assert reasons(hold_reason=HoldReason.TOO_MANY_LINKS, hold_detail="3 links") == [
        "3 links"
    ]


def test_a_hold_word(reasons):
    assert reasons(
        hold_reason=HoldReason.HOLD_WORD, hold_detail="Hold word “casino”"
    ) == ["Hold word “casino”"]


def test_first_time_commenter(reasons):
    assert reasons(
        hold_reason=HoldReason.FIRST_TIME, hold_detail="First-time commenter"
    ) == ["First-time commenter"]


def test_pre_moderated_article(reasons):
    assert reasons(
        hold_reason=HoldReason.PREMODERATED, hold_detail="Pre-moderated article"
    ) == ["Pre-moderated article"]


def test_reported_three_times_with_the_commonest_reason_first(reasons):
    said = reasons(
        status=Status.APPROVED,
        tab="reported",
        reports=["abusive", "spam", "abusive"],
    )

    assert said == ["Reported 3× — abusive or hateful, spam"]


def test_held_after_reports(reasons):
    said = reasons(
        hold_reason=HoldReason.REPORTED,
        reports=["abusive", "abusive", "abusive"],
    )

    assert said == ["Reported by readers", "Reported 3× — abusive or hateful"]


def test_no_key(reasons):
    assert reasons(hold_reason=HoldReason.NO_KEY) == ["No Akismet key is configured"]


def test_akismets_pro_tip_header_is_shown(reasons):
    said = reasons(
        status=Status.SPAM,
        tab="spam",
        hold_reason=HoldReason.AKISMET_SPAM,
        akismet_verdict="spam",
        akismet_headers={"X-akismet-pro-tip": "discard"},
    )

    assert said == ["Akismet said spam", "Akismet pro tip: discard"]


def test_a_moderators_spam_call_on_an_akismet_spam_comment(reasons):
    said = reasons(
        status=Status.SPAM,
        tab="spam",
        hold_reason=HoldReason.MODERATOR,
        akismet_verdict="spam",
    )

    assert said == ["Marked spam by a moderator", "Akismet said spam"]


def test_a_removed_comment_says_where_it_was(reasons):
    said = reasons(
        status=Status.REMOVED,
        tab="removed",
        previous_status=Status.APPROVED,
        hold_reason="",
    )

    assert said == ["Removed while approved"]
