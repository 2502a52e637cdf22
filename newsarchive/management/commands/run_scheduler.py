import signal

from django.core.management.base import BaseCommand

from newsarchive import scheduler


class Command(BaseCommand):
    help = (
        "Enqueue the recurring jobs (due Akismet rechecks, the moderators' "
        "digest, the daily purge) once per period for db_worker; safe to run on "
        "every app server. Stops on SIGTERM or SIGINT."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one tick, then exit."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=10.0,
            help="Seconds between ticks (default 10).",
        )

    def handle(self, *args, once: bool, interval: float, **options):
        if once:
            enqueued = scheduler.tick()
            for job in scheduler.JOBS:
                if job.name in enqueued:
                    self.stdout.write(f"Enqueued {job.name} ({job.task})")
            if not enqueued:
                self.stdout.write("Scheduler: nothing due.")
            return

        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(f"{job.name} every {job.every}" for job in scheduler.JOBS)
        self.stdout.write(f"Scheduler started ({names})", ending="\n")
        self.stdout.flush()
        scheduler.run(should_stop=lambda: bool(stopping), interval=interval)
        self.stdout.write(
            f"Scheduler stopped ({signal.strsignal(stopping[0])})."
            if stopping
            else "Scheduler stopped."
        )
