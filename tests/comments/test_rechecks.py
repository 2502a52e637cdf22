"""
Comments Akismet could not check are rechecked later: the schedule, the task
and the sweep command, and the decision once the server answers again.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend
from django.utils import timezone

from comments import moderation, spam, tasks
from comments.models import Comment, HoldReason, ModerationEvent, Status, WordRule
from comments.services import checking

pytestmark = pytest.mark.django_db


def _make_due(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )


def test_the_task_approves_a_held_comment_once_akismet_recovers(
    akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Status.HELD

    akismet_server.mode = "ham"
    _make_due(comment)
    result = tasks.recheck_comment.enqueue(comment.pk)

    comment.refresh_from_db()
    assert result.return_value == "approved"
    assert comment.status == Status.APPROVED
    assert comment.hold_reason == ""
    assert comment.next_check_at is None
    assert comment.check_attempts == 2
    assert akismet_server.checks()[-1].form["recheck_reason"] == "retry"
    assert [(e.kind, e.to_status) for e in comment.events.all()] == [
        ("status", Status.UNCHECKED),
        ("failure", Status.HELD),
        ("retry", Status.HELD),
        ("verdict", Status.APPROVED),
    ]


def test_the_sweep_command_decides_spam_after_a_timeout(
    akismet_server, article, post_comment, settings
):
    settings.AKISMET_TIMEOUT = 0.3
    akismet_server.mode = "slow"
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE

    akismet_server.mode = "spam"
    _make_due(comment)
    out = StringIO()
    call_command("recheck_comments", stdout=out)

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert "Rechecked 1 comment(s): 1 spam" in out.getvalue()


def test_a_comment_not_yet_due_is_left_alone(akismet_server, article, post_comment):
    akismet_server.mode = "error500"
    post_comment(article)
    akismet_server.mode = "ham"

    call_command("recheck_comments", stdout=StringIO())

    assert Comment.objects.get().status == Status.HELD
    assert len(akismet_server.checks()) == 1


def test_retries_back_off_one_five_twenty_minutes_then_hourly(
    akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    delays = [comment.next_check_at - comment.checked_at]
    for _ in range(4):
        _make_due(comment)
        checking.comment_recheck(comment_id=comment.pk)
        comment.refresh_from_db()
        delays.append(comment.next_check_at - comment.checked_at)

    minutes = [d / timedelta(minutes=1) for d in delays]
    assert minutes == [1, 5, 20, 60, 60]
    assert comment.check_attempts == 5
    assert comment.events.filter(kind=ModerationEvent.Kind.RETRY).count() == 5
    assert comment.events.filter(kind=ModerationEvent.Kind.FAILURE).count() == 5


def test_an_invalid_key_backs_off_six_hours(akismet_server, article, post_comment):
    akismet_server.mode = "invalid"
    post_comment(article)
    comment = Comment.objects.get()
    _make_due(comment)
    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.next_check_at - comment.checked_at == timedelta(hours=6)
    assert comment.hold_reason == HoldReason.AKISMET_INVALID_KEY


def test_after_fifteen_days_it_is_left_for_a_human(
    akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(days=15, minutes=1)
    )
    _make_due(comment)
    akismet_server.mode = "ham"

    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.COULD_NOT_CHECK
    assert comment.next_check_at is None
    assert len(akismet_server.checks()) == 1  # not asked again
    assert not Comment.objects.due_for_check().exists()


def test_the_last_retry_inside_the_window_gives_up_instead_of_scheduling(
    akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    # Fourteen days and 23.5 hours old: the next hourly retry would be too late.
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(days=14, hours=23, minutes=30),
        check_attempts=10,
    )
    _make_due(comment)

    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.hold_reason == HoldReason.COULD_NOT_CHECK
    assert comment.next_check_at is None
    assert len(akismet_server.checks()) == 2


def test_a_provisional_comment_is_decided_by_its_recheck(
    akismet_server, article, post_comment
):
    akismet_server.mode = "recheck"
    post_comment(article)
    comment = Comment.objects.get()
    akismet_server.mode = "spam"
    _make_due(comment)

    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.AKISMET_SPAM


def test_a_local_rule_still_holds_after_akismet_recovers(
    akismet_server, article, post_comment
):
    WordRule.objects.create(phrase="harbour", action=WordRule.Action.HOLD)
    akismet_server.mode = "drop"
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE

    akismet_server.mode = "ham"
    _make_due(comment)
    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD
    assert comment.next_check_at is None
    assert comment.akismet_verdict == "ham"


def test_the_recheck_is_enqueued_to_run_at_the_next_check_time(
    akismet_server, article, post_comment, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    akismet_server.mode = "error500"
    post_comment(article)

    comment = Comment.objects.get()
    # One check scheduled with the save, one for the retry after the failure.
    first, retry = default_task_backend.results
    assert first.task.name == retry.task.name == "recheck_comment"
    assert first.args == retry.args == [comment.pk]
    assert first.task.run_after == comment.created + checking.FIRST_CHECK_GRACE
    assert retry.task.run_after == comment.next_check_at


def test_a_comment_being_rechecked_is_not_rechecked_twice_at_once(
    akismet_server, article, post_comment, monkeypatch
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    _make_due(comment)
    nested = []
    real_check = spam.check_comment

    def check_while_another_worker_tries(payload):
        nested.append(checking.comment_recheck(comment_id=comment.pk))
        return real_check(payload)

    monkeypatch.setattr(spam, "check_comment", check_while_another_worker_tries)
    akismet_server.mode = "ham"
    checking.comment_recheck(comment_id=comment.pk)

    assert nested == [None]
    assert len(akismet_server.checks()) == 2
    assert Comment.objects.get().status == Status.APPROVED


def test_a_moderator_deciding_during_a_recheck_wins(
    akismet_server, article, post_comment, monkeypatch
):
    akismet_server.mode = "error500"
    post_comment(article)
    comment = Comment.objects.get()
    _make_due(comment)
    real_check = spam.check_comment

    def moderator_acts_meanwhile(payload):
        moderation.mark_spam(Comment.objects.get(pk=comment.pk))
        return real_check(payload)

    monkeypatch.setattr(spam, "check_comment", moderator_acts_meanwhile)
    akismet_server.mode = "ham"

    assert checking.comment_recheck(comment_id=comment.pk) is None
    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert not comment.events.filter(kind=ModerationEvent.Kind.VERDICT).exists()


def test_a_comment_left_unchecked_by_a_crash_is_picked_up_by_the_sweep(
    akismet_server, article
):
    from tests.factories import make_comment

    # Saved, then the process died before Akismet answered.
    comment = make_comment(
        article=article,
        status=Status.UNCHECKED,
        akismet_payload={"user_ip": "192.0.2.1", "comment_content": "Hello"},
        next_check_at=timezone.now() - timedelta(seconds=1),
    )

    call_command("recheck_comments", stdout=StringIO())

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert akismet_server.checks()[0].form["user_ip"] == "192.0.2.1"
