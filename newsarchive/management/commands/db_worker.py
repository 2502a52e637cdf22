"""
django-tasks-db's worker, kept alive through a database outage. Its loop
stops at the first connection error, so a PostgreSQL restart would leave
comments' checks and mail waiting until someone restarted the worker; here
the worker drops its connections, waits and looks for work again. A task cut
short by the outage stays claimed; the comment it was checking is still due,
and the scheduler's sweep checks it.

This app is listed before django_tasks_db, so `manage.py db_worker` is this.
"""

import logging
import os
import signal
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2
_STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


class Worker(upstream.Worker):
    def run(self) -> None:
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                logger.warning(
                    "The database is unavailable (%s); the task worker tries "
                    "again in %s s",
                    str(exc).strip().splitlines()[0] if str(exc).strip() else exc,
                    RETRY_SECONDS,
                )
                # A connection the outage broke is dropped, a healthy one kept.
                close_old_connections()
                time.sleep(RETRY_SECONDS)
        return None


class Command(upstream.Command):
    help = upstream.Command.help

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # Upstream's handle() with our Worker; its checks and options as there.
        self.configure_logging(verbosity)
        reload = reload and not batch
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            # The worker's own handlers last only while it runs, so a caller
            # (a test, a --batch run from a script) gets its own back.
            saved = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
            worker.configure_signals()
            try:
                worker.run()
            finally:
                for sig, handler in saved.items():
                    signal.signal(sig, handler)
