"""
With the task worker (`manage.py db_worker`) down, nothing is lost: comments
Akismet could not check wait held with the reason, their checks queued in the
database; a worker started later decides them, and `manage.py
recheck_comments` decides them without any worker (after which the queued
checks find nothing left to do).
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, HoldReason, Status
from comments.services import submit
from comments.views import AWAITING

# Outside a test transaction: the worker closes and reopens connections
# between tasks, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    """The production task queue, with no worker running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued_checks(comment: Comment) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        if row.task_path.endswith("recheck_comment")
        and row.args_kwargs["args"] == [comment.pk]
    ]


def _start_worker() -> None:
    """A worker that runs what is due, then stops."""
    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO()
    )


def test_a_comment_akismet_could_not_check_waits_held_with_the_reason(
    database_queue, akismet_server, article, post_comment
):
    akismet_server.mode = "error500"

    response = post_comment(article)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.AKISMET_ERROR
    assert comment.get_hold_reason_display() == "Akismet answered with an error"
    # The retry is queued for when it is due, waiting for a worker.
    assert comment.next_check_at > timezone.now()
    assert comment.next_check_at in [row.run_after for row in _queued_checks(comment)]


def test_a_worker_started_later_decides_the_waiting_comment(
    database_queue, akismet_server, article, post_comment
):
    akismet_server.mode = "drop"
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    akismet_server.mode = "ham"

    _start_worker()  # too early: the retry is not due yet
    comment.refresh_from_db()
    assert comment.status == Status.HELD

    with time_machine.travel(comment.next_check_at + timedelta(seconds=1)):
        _start_worker()

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.hold_reason == ""
    assert _queued_checks(comment) == []


def test_a_comment_saved_but_never_checked_is_decided_when_a_worker_starts(
    database_queue, akismet_server, article, post_comment, monkeypatch
):
    # The process dies (here: fails) after saving, before Akismet answers.
    def crash(*args, **kwargs):
        raise RuntimeError("worker process killed")

    monkeypatch.setattr(submit, "_decide", crash)
    response = post_comment(article)
    assert response.status_code == 302
    assert AWAITING in [str(m) for m in get_messages(response.wsgi_request)]
    comment = Comment.objects.get()
    assert comment.status == Status.UNCHECKED
    monkeypatch.undo()

    with time_machine.travel(comment.next_check_at + timedelta(seconds=1)):
        _start_worker()

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert len(akismet_server.checks()) == 1


def test_recheck_comments_decides_waiting_comments_without_a_worker(
    database_queue, akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)
    post_comment(article, author_email="bo@example.com", body="A second thought.")
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.HELD}
    akismet_server.mode = "spam"

    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later):
        out = StringIO()
        call_command("recheck_comments", stdout=out)

    assert "Rechecked 2 comment(s): 2 spam" in out.getvalue()
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.SPAM}
    asked = len(akismet_server.checks())

    # The checks still queued for a worker find the comments decided.
    with time_machine.travel(later):
        _start_worker()
    assert len(akismet_server.checks()) == asked
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.SPAM}
