"""Housekeeping of the task queue itself (run daily by the scheduler)."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# A finished task's row keeps its arguments (a reader's email address for a
# confirmation mail): kept a day for the worker's log to make sense of, a
# week when it failed, so that someone can see why.
SUCCEEDED_KEEP = timedelta(days=1)
FAILED_KEEP = timedelta(days=7)


@task
def prune_task_results() -> int:
    """Delete finished task rows past their keep; returns how many."""
    now = timezone.now()
    succeeded, _ = (
        DBTaskResult.objects.successful()
        .filter(finished_at__lte=now - SUCCEEDED_KEEP)
        .delete()
    )
    failed, _ = (
        DBTaskResult.objects.failed()
        .filter(finished_at__lte=now - FAILED_KEEP)
        .delete()
    )
    return succeeded + failed
