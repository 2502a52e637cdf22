"""
The task worker (`manage.py db_worker`) outlives a database outage: a
connection error while it looks for work is logged, the connections are
dropped, and it tries again, instead of exiting and leaving comments' checks
and mail waiting until someone restarts it.
"""

import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker as upstream

from newsarchive.management.commands import db_worker
from tests.newsarchive import scheduler_tasks

# Outside a test transaction: the worker closes and reopens connections
# between tasks, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_keeps_going_after_the_database_drops_away(
    database_queue, monkeypatch, caplog
):
    monkeypatch.setattr(db_worker, "RETRY_SECONDS", 0)
    result = scheduler_tasks.probe.enqueue()
    real_close = upstream.close_old_connections
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def close_old_connections():
        # The database goes away once, as the worker wakes up.
        for failure in failures:
            raise failure
        real_close()

    monkeypatch.setattr(upstream, "close_old_connections", close_old_connections)

    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO()
    )

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert "database is unavailable" in caplog.text


def test_a_batch_run_gives_the_callers_signal_handlers_back(database_queue):
    before = signal.getsignal(signal.SIGTERM)

    call_command(
        "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=StringIO()
    )

    assert signal.getsignal(signal.SIGTERM) is before
