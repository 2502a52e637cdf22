"""
Recurring work: enqueue each job in JOBS once per period, for db_worker to run.

`manage.py run_scheduler` calls tick() every few seconds. Every app server may
run one (and `make run` does, next to gunicorn and db_worker): a job's period
belongs to whoever moves its row's `next_run_at` past now with a conditional
UPDATE, which the database grants to exactly one of them. The claim lives in
the database, not in the process or the cache (which may be down), and
periods are aligned to the clock (whole minutes, 10 minutes, UTC days), so
schedulers started at different times agree on them. Jobs are named by
dotted path and imported only when enqueued, so this module does not import
the apps. A job whose enqueueing fails is logged, noted on its row and tried
again the next period; the loop goes on.

Why our own loop rather than a library: django-crontask (APScheduler) keeps
schedulers from running twice only through an optional Redis lock, which
`make run` on SQLite does not have and which fails with the cache; the
schedulers written for django.tasks (django-periodic-tasks,
django-scheduled-tasks) are 0.x releases that register jobs with decorators
on the task functions. Three fixed intervals need no cron syntax, and the
claim is one UPDATE.
"""

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import close_old_connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

from newsarchive.models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django.tasks task taking no arguments
    every: timedelta


JOBS = (
    # Held and unchecked comments whose next Akismet check has come.
    Job(
        "recheck-due-comments",
        "comments.tasks.recheck_due_comments",
        timedelta(minutes=1),
    ),
    # The moderators' digest; the task throttles itself as well.
    Job("notify-moderators", "comments.tasks.notify_moderators", timedelta(minutes=10)),
    # Old spam, removed comments, Akismet payloads and IP addresses.
    Job("purge-comments", "comments.tasks.purge_comments", timedelta(days=1)),
    # Finished task rows, which keep their arguments (email addresses).
    Job(
        "prune-task-results",
        "newsarchive.tasks.prune_task_results",
        timedelta(days=1),
    ),
)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period `now` falls in, counted from the Unix epoch."""
    seconds = every.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=UTC)


def ensure_jobs(jobs: Iterable[Job], *, now: datetime) -> None:
    """A row for each job, due at once when it is new."""
    ScheduledJob.objects.bulk_create(
        [ScheduledJob(name=job.name, next_run_at=now) for job in jobs],
        ignore_conflicts=True,
    )


def claim(job: Job, *, now: datetime, owner: str) -> bool:
    """True for the one caller that moves the job into its next period."""
    claimed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=period_start(now, job.every) + job.every,
        last_run_at=now,
        last_run_by=owner,
    )
    return claimed == 1


def _enqueue(job: Job) -> None:
    try:
        result = import_string(job.task).enqueue()
        if result.status == TaskResultStatus.FAILED:
            # The immediate backend (tests) has already run it, and it failed.
            errors = "".join(error.traceback for error in result.errors)
            raise RuntimeError(f"{job.task} failed:\n{errors}")
    except Exception as exc:  # noqa: BLE001 - logged; the other jobs still run
        logger.exception("Scheduled job %s (%s) failed", job.name, job.task)
        error = "".join(traceback.format_exception_only(exc)).strip()
        ScheduledJob.objects.filter(name=job.name).update(last_error=error)
        raise
    ScheduledJob.objects.filter(name=job.name).update(
        last_task_id=str(result.id), last_error=""
    )
    logger.info("Enqueued %s (%s)", job.name, job.task)


def tick(
    *,
    jobs: Iterable[Job] = JOBS,
    now: datetime | None = None,
    owner: str | None = None,
) -> list[str]:
    """Claim and enqueue every job that is due; the names enqueued."""
    jobs = list(jobs)
    now = now or timezone.now()
    owner = owner or this_process()
    ensure_jobs(jobs, now=now)
    enqueued = []
    for job in jobs:
        if not claim(job, now=now, owner=owner):
            continue
        try:
            _enqueue(job)
        except Exception:  # noqa: BLE001, S112 - logged in _enqueue
            continue
        enqueued.append(job.name)
    return enqueued


def run(
    *,
    should_stop: Callable[[], bool],
    interval: float = 10.0,
    jobs: Iterable[Job] = JOBS,
) -> None:
    """tick() every `interval` seconds until should_stop() says so."""
    jobs = list(jobs)
    while not should_stop():
        close_old_connections()  # a dropped database connection is reopened
        try:
            tick(jobs=jobs)
        except Exception:  # noqa: BLE001 - e.g. the database is down: next tick
            logger.exception("Scheduler tick failed; trying again in %s s", interval)
        deadline = time.monotonic() + interval
        while not should_stop() and time.monotonic() < deadline:
            time.sleep(min(0.2, interval))
