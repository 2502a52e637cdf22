"""Housekeeping of the task queue itself (run daily by the scheduler)."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsarchive.models import ImportRun

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


@task
def run_wordpress_import(run_id: int) -> str:
    """An import uploaded in the admin; the page reads its progress row."""
    from newsarchive.importing import import_wxr

    claimed = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"  # another worker has it, or it already ran
    run = ImportRun.objects.get(pk=run_id)

    def progress(items: int, done: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(items_done=items, bytes_done=done)

    try:
        with run.file.open("rb") as stream:
            report = import_wxr(
                stream,
                site_url=run.site_url,
                dry_run=run.dry_run,
                skip_pings=run.skip_pings,
                progress=progress,
            )
    except Exception as exc:
        ImportRun.objects.filter(pk=run_id).update(
            state=ImportRun.State.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    # The export holds commenters' addresses: not kept once it has been read.
    run.file.delete(save=False)
    ImportRun.objects.filter(pk=run_id).update(
        state=ImportRun.State.DONE,
        report=report.to_dict(),
        error=report.fatal,
        file="",
        finished_at=timezone.now(),
    )
    return "failed items" if report.failed else "done"
