"""Finished task rows, which keep their arguments, are deleted after a while."""

from datetime import timedelta

import pytest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsarchive import tasks

pytestmark = pytest.mark.django_db


def _row(status, *, finished_ago: timedelta | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": ["reader@example.com"], "kwargs": {}},
        task_path="comments.tasks.send_reply_confirmation",
        backend_name="default",
        run_after=now,
        finished_at=None if finished_ago is None else now - finished_ago,
    )


def test_it_deletes_finished_rows_past_their_keep_and_nothing_else():
    old_done = _row(TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(days=2))
    new_done = _row(TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))
    old_failed = _row(TaskResultStatus.FAILED, finished_ago=timedelta(days=8))
    new_failed = _row(TaskResultStatus.FAILED, finished_ago=timedelta(days=2))
    waiting = _row(TaskResultStatus.READY, finished_ago=None)

    assert tasks.prune_task_results.call() == 2

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        new_done.pk,
        new_failed.pk,
        waiting.pk,
    }
    assert not DBTaskResult.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()
