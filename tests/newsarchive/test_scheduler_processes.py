"""
`manage.py run_scheduler` as `make run` starts it: two of them on one SQLite
file enqueue each job once per period into django-tasks-db's queue (for
db_worker, not run inline), and each stops cleanly on SIGTERM or SIGINT.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from newsarchive import scheduler
from newsarchive.models import ScheduledJob
from tests.processes import site_env

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env(tmp: Path) -> dict[str, str]:
    return site_env(tmp, LOG_LEVEL="INFO")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scheduler")
    env = _env(tmp)
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {"env": env, "db": tmp / "db.sqlite3"}


def _start(site) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "run_scheduler", "--interval", "0.2"],
        cwd=REPO_ROOT,
        env=site["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute(sql).fetchall()


def _wait_for(predicate, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _periods(job: scheduler.Job, start: float, stop: float) -> int:
    every = job.every.total_seconds()
    return int(stop // every) - int(start // every) + 1


def test_the_queries_below_name_the_real_tables():
    assert DBTaskResult._meta.db_table == "django_tasks_database_dbtaskresult"
    assert ScheduledJob._meta.db_table == "newsarchive_scheduledjob"


def test_two_schedulers_enqueue_each_job_once_per_period_then_stop(site):
    started = time.time()
    processes = [_start(site), _start(site)]
    try:
        _wait_for(
            lambda: (
                len(
                    _rows(
                        site["db"], "SELECT 1 FROM django_tasks_database_dbtaskresult"
                    )
                )
                >= len(scheduler.JOBS)
            ),
            seconds=15,
        )
        time.sleep(1.5)  # both keep ticking, several times each
        for process, signum in zip(
            processes, (signal.SIGTERM, signal.SIGINT), strict=True
        ):
            os.kill(process.pid, signum)
        outputs = [process.communicate(timeout=10)[0] for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
    stopped = time.time()

    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output
        assert "Scheduler stopped" in output
        assert "Traceback" not in output

    # Enqueued for the task worker, still waiting for it: nothing ran inline.
    enqueued = dict(
        _rows(
            site["db"],
            "SELECT task_path, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'READY' GROUP BY task_path",
        )
    )
    for job in scheduler.JOBS:
        assert 1 <= enqueued.get(job.task, 0) <= _periods(job, started, stopped), (
            job.name,
            enqueued,
        )
    claimed_by = {
        owner
        for (owner,) in _rows(
            site["db"], "SELECT last_run_by FROM newsarchive_scheduledjob"
        )
    }
    assert claimed_by <= {f"{socket.gethostname()}:{p.pid}" for p in processes}
