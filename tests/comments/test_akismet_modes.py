"""
Each way the (local) Akismet server can answer, through real HTTP: the stored
status and reason, and the history rows written.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment, HoldReason, ModerationEvent, Status

pytestmark = pytest.mark.django_db


def _only_comment() -> Comment:
    return Comment.objects.get()


def _history(comment: Comment) -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.from_status, e.to_status)
        for e in comment.events.order_by("created", "id")
    ]


def test_ham_is_approved_and_published(akismet_server, article, post_comment):
    response = post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.APPROVED
    assert comment.hold_reason == ""
    assert comment.akismet_verdict == "ham"
    assert comment.akismet_guid
    assert comment.check_attempts == 1
    assert comment.next_check_at is None
    assert response.status_code == 302
    assert _history(comment) == [
        ("status", "", Status.UNCHECKED),
        ("verdict", Status.UNCHECKED, Status.APPROVED),
    ]


def test_spam_is_stored_as_spam_and_never_published(
    akismet_server, article, post_comment
):
    akismet_server.mode = "spam"
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.AKISMET_SPAM
    assert comment.discarded is False
    assert not Comment.objects.public().exists()
    assert _history(comment)[-1] == ("verdict", Status.UNCHECKED, Status.SPAM)


def test_discard_is_spam_marked_discarded(akismet_server, article, post_comment):
    akismet_server.mode = "discard"
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.SPAM
    assert comment.discarded is True
    assert comment.hold_reason == HoldReason.AKISMET_DISCARD
    assert comment.akismet_pro_tip == "discard"


def test_discard_is_plain_spam_when_the_setting_is_off(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_AKISMET_DISCARD = False
    akismet_server.mode = "discard"
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.SPAM
    assert comment.discarded is False


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("invalid", HoldReason.AKISMET_INVALID_KEY),
        ("error500", HoldReason.AKISMET_ERROR),
        ("garbage", HoldReason.AKISMET_ERROR),
        ("drop", HoldReason.AKISMET_UNREACHABLE),
        ("error_header", HoldReason.AKISMET_ERROR),
    ],
)
def test_a_failing_akismet_holds_the_comment_and_schedules_a_recheck(
    akismet_server, article, post_comment, mode, reason
):
    akismet_server.mode = mode
    before = timezone.now()
    response = post_comment(article)

    comment = _only_comment()
    assert response.status_code == 302
    assert comment.status == Status.HELD
    assert comment.hold_reason == reason
    assert comment.hold_detail
    assert comment.check_attempts == 1
    expected_delay = timedelta(hours=6) if mode == "invalid" else timedelta(minutes=1)
    assert comment.next_check_at is not None
    assert (
        before + expected_delay
        <= comment.next_check_at
        <= timezone.now() + expected_delay
    )
    assert _history(comment) == [
        ("status", "", Status.UNCHECKED),
        ("failure", Status.UNCHECKED, Status.HELD),
        ("retry", Status.HELD, Status.HELD),
    ]


def test_a_slow_akismet_times_out_and_holds_the_comment(
    akismet_server, article, post_comment, settings
):
    settings.AKISMET_TIMEOUT = 0.3
    akismet_server.mode = "slow"
    akismet_server.slow_seconds = 1.5
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE
    assert "0.3" in comment.hold_detail


def test_a_refused_connection_holds_the_comment(article, post_comment, settings):
    settings.AKISMET_API_KEY = "test-key-123"
    settings.AKISMET_API_URL = "http://127.0.0.1:9"  # nothing listens there
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE


def test_recheck_after_holds_provisionally_until_the_delay(
    akismet_server, article, post_comment
):
    akismet_server.mode = "recheck"
    before = timezone.now()
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.AKISMET_PROVISIONAL
    assert comment.akismet_headers["X-akismet-recheck-after"] == "120"
    assert comment.next_check_at >= before + timedelta(seconds=120)
    assert _history(comment)[-1] == ("verdict", Status.UNCHECKED, Status.HELD)


def test_alert_headers_are_stored_for_admins(akismet_server, article, post_comment):
    akismet_server.mode = "alert"
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.APPROVED
    assert comment.akismet_alert_code == "10003"
    assert comment.akismet_alert_msg == "Your subscription has lapsed."
    verdict_event = comment.events.get(kind=ModerationEvent.Kind.VERDICT)
    assert verdict_event.details["headers"]["X-akismet-alert-code"] == "10003"


def test_no_key_holds_every_comment_without_asking(
    akismet_server, article, post_comment, settings
):
    settings.AKISMET_API_KEY = ""
    post_comment(article)

    comment = _only_comment()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.NO_KEY
    assert akismet_server.requests == []
    # Held once, not retried: it is rechecked on demand once a key is set.
    assert comment.next_check_at is None
    assert _history(comment) == [
        ("status", "", Status.UNCHECKED),
        ("failure", Status.UNCHECKED, Status.HELD),
    ]
