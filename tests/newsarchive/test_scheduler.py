"""
The scheduler enqueues each recurring job once per period, however many
schedulers run: a period is claimed by a conditional UPDATE of the job's row.
A job whose enqueueing fails is logged and tried again the next period.
"""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.tasks import Task
from django.utils.module_loading import import_string

from newsarchive import scheduler
from newsarchive.models import ScheduledJob
from newsarchive.scheduler import Job
from tests.newsarchive import scheduler_tasks

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
PROBE = Job("probe", "tests.newsarchive.scheduler_tasks.probe", every=MINUTE)
OTHER = Job("other", "tests.newsarchive.scheduler_tasks.other_probe", every=MINUTE)
T0 = datetime(2026, 3, 5, 12, 0, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_calls():
    scheduler_tasks.calls.clear()
    yield
    scheduler_tasks.calls.clear()


def test_two_schedulers_enqueue_a_job_once_per_period():
    for owner in ("web-1:101", "web-2:202"):
        scheduler.tick(jobs=[PROBE], now=T0, owner=owner)
    assert scheduler_tasks.calls == ["probe"]

    # Later in the same minute: still claimed.
    scheduler.tick(jobs=[PROBE], now=T0 + timedelta(seconds=45), owner="web-2:202")
    assert scheduler_tasks.calls == ["probe"]

    # The next minute is a new period, claimed by whoever comes first.
    for owner in ("web-2:202", "web-1:101"):
        scheduler.tick(jobs=[PROBE], now=T0 + MINUTE, owner=owner)
    assert scheduler_tasks.calls == ["probe", "probe"]
    assert ScheduledJob.objects.get(name="probe").last_run_by == "web-2:202"


def test_a_claim_is_a_conditional_update_only_one_caller_wins():
    scheduler.ensure_jobs([PROBE], now=T0)
    assert scheduler.claim(PROBE, now=T0, owner="a") is True
    assert scheduler.claim(PROBE, now=T0, owner="b") is False
    assert scheduler.claim(PROBE, now=T0 + MINUTE, owner="b") is True


def test_periods_are_aligned_to_the_clock_not_to_when_a_scheduler_started():
    scheduler.tick(jobs=[PROBE], now=T0, owner="a")  # 12:00:10
    job = ScheduledJob.objects.get(name="probe")
    assert job.next_run_at == datetime(2026, 3, 5, 12, 1, tzinfo=UTC)
    assert job.last_run_at == T0


def test_each_job_keeps_its_own_period():
    slow = Job(
        "slow", "tests.newsarchive.scheduler_tasks.other_probe", every=MINUTE * 10
    )
    scheduler.tick(jobs=[PROBE, slow], now=T0, owner="a")
    scheduler.tick(jobs=[PROBE, slow], now=T0 + MINUTE, owner="a")
    assert scheduler_tasks.calls == ["probe", "other_probe", "probe"]


def test_a_failing_job_is_logged_and_retried_next_period(caplog):
    missing = Job("missing", "tests.newsarchive.scheduler_tasks.nothing", every=MINUTE)
    with caplog.at_level(logging.ERROR, logger="newsarchive.scheduler"):
        enqueued = scheduler.tick(jobs=[missing, PROBE], now=T0, owner="a")

    # The other job still ran; the failure is in the log and on the row.
    assert enqueued == ["probe"]
    assert scheduler_tasks.calls == ["probe"]
    assert "missing" in caplog.text
    assert "nothing" in ScheduledJob.objects.get(name="missing").last_error

    # Not again in the same period, but again in the next one.
    assert scheduler.tick(jobs=[missing], now=T0 + timedelta(seconds=30)) == []
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="newsarchive.scheduler"):
        scheduler.tick(jobs=[missing], now=T0 + MINUTE, owner="a")
    assert "missing" in caplog.text


def test_a_task_that_fails_when_run_inline_is_recorded_on_its_row(caplog):
    broken = Job("broken", "tests.newsarchive.scheduler_tasks.broken", every=MINUTE)
    with caplog.at_level(logging.ERROR, logger="newsarchive.scheduler"):
        scheduler.tick(jobs=[broken], now=T0, owner="a")
    assert "the job broke" in ScheduledJob.objects.get(name="broken").last_error


def test_a_later_success_clears_the_recorded_error():
    job = Job("flaky", "tests.newsarchive.scheduler_tasks.nothing", every=MINUTE)
    scheduler.tick(jobs=[job], now=T0, owner="a")
    fixed = Job("flaky", "tests.newsarchive.scheduler_tasks.probe", every=MINUTE)
    scheduler.tick(jobs=[fixed], now=T0 + MINUTE, owner="a")
    row = ScheduledJob.objects.get(name="flaky")
    assert row.last_error == ""
    assert row.last_task_id


def test_the_recurring_jobs_are_tasks_named_by_dotted_path():
    jobs = {job.name: job for job in scheduler.JOBS}
    assert {job.task for job in jobs.values()} == {
        "comments.tasks.recheck_due_comments",
        "comments.tasks.notify_moderators",
        "comments.tasks.purge_comments",
        "newsarchive.tasks.prune_task_results",
    }
    for job in jobs.values():
        assert isinstance(import_string(job.task), Task)
    assert jobs["recheck-due-comments"].every == timedelta(minutes=1)
    assert jobs["notify-moderators"].every == timedelta(minutes=10)
    assert jobs["purge-comments"].every == timedelta(days=1)
    assert jobs["prune-task-results"].every == timedelta(days=1)


def test_the_job_table_has_a_row_per_job_once_a_tick_ran():
    scheduler.tick(now=T0, owner="a")
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    assert set(rows) == {job.name for job in scheduler.JOBS}
    for row in rows.values():
        assert row.last_run_at == T0
        assert row.next_run_at > T0
        assert row.last_error == ""
    assert str(rows["purge-comments"]) == "purge-comments"


def test_the_command_runs_one_tick_with_once(capsys):
    call_command("run_scheduler", "--once")
    out = capsys.readouterr().out
    for job in scheduler.JOBS:
        assert job.name in out
    assert ScheduledJob.objects.filter(last_error="").count() == len(scheduler.JOBS)
    # A second scheduler in the same period finds nothing to do.
    call_command("run_scheduler", "--once")
    assert "nothing due" in capsys.readouterr().out
