"""manage.py import_wordpress FILE: a WordPress export (WXR) into the site."""

import os
import sys
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from articles.importers.wordpress import OUTCOMES, Report
from newsarchive.importing import import_wxr


class Command(BaseCommand):
    help = (
        "Import a WordPress export file (Tools → Export): posts, pages, authors, "
        "terms and comments. Running it again changes only what the file changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the WXR file")
        parser.add_argument(
            "--dry-run", action="store_true", help="do everything, keep nothing"
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="the old site's address (default: the one the export names)",
        )
        parser.add_argument(
            "--skip-pings",
            action="store_true",
            help="leave pingbacks and trackbacks out",
        )
        parser.add_argument(
            "--time-zone",
            default="",
            help="zone of the export's local dates, used where a GMT date is "
            "missing (default: the zone of the export's own date)",
        )

    def handle(self, *args, **options):
        zone = None
        if options["time_zone"]:
            try:
                zone = ZoneInfo(options["time_zone"])
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise CommandError(
                    f"Unknown time zone {options['time_zone']!r}"
                ) from exc
        try:
            stream = open(options["file"], "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(
                f"Cannot open {options['file']}: {exc.strerror}"
            ) from exc
        size = os.fstat(stream.fileno()).st_size
        bar = _Bar(size, self.stderr) if self.stderr.isatty() else None
        try:
            report = import_wxr(
                stream,
                site_url=options["site_url"],
                dry_run=options["dry_run"],
                skip_pings=options["skip_pings"],
                time_zone=zone,
                progress=bar.update if bar else None,
            )
        finally:
            stream.close()
        if bar:
            bar.done()
        self.stdout.write(summary(report))
        if report.failed:
            problems = len(report.errors) + bool(report.fatal)
            raise CommandError(f"{problems} problem(s): see above.")


def summary(report: Report) -> str:
    """The end-of-run table, then each item worth a look."""
    width = max([len(kind) for kind, *_ in report.rows()] + [4])
    lines = ["Dry run: nothing was kept." if report.dry_run else ""]
    lines.append("kind".ljust(width) + "".join(o.rjust(11) for o in OUTCOMES))
    for kind, *numbers in report.rows():
        lines.append(kind.ljust(width) + "".join(f"{n:>11,}" for n in numbers))
    if report.attachments:
        lines.append(f"Attachments read for featured images: {report.attachments:,}")
    if report.shortcodes:
        lines.append(
            "Shortcodes removed: "
            + ", ".join(f"{k} ×{v}" for k, v in sorted(report.shortcodes.items()))
        )
    for title, problems in (
        ("Errors", report.errors),
        ("Skipped", report.skipped),
        ("Notes", report.notes),
    ):
        if problems:
            lines.append(f"\n{title} ({len(problems)}):")
            lines.extend(f"  {p}" for p in problems)
    if report.fatal:
        lines.append(f"\nStopped: {report.fatal}")
    return "\n".join(line for line in lines if line is not None).strip("\n") + "\n"


class _Bar:
    """A one-line progress bar with items per second, for a terminal."""

    def __init__(self, size: int, out) -> None:
        self.size, self.out = max(size, 1), out
        self.started = time.monotonic()

    def update(self, items: int, done: int) -> None:
        share = min(done / self.size, 1.0)
        filled = int(share * 30)
        rate = items / max(time.monotonic() - self.started, 1e-6)
        self.out.write(
            f"\r[{'#' * filled}{' ' * (30 - filled)}] {share:4.0%}  "
            f"{items:,} items  {rate:,.0f} items/s",
            ending="",
        )
        self.out.flush()

    def done(self) -> None:
        self.out.write("", ending="\n")
        sys.stderr.flush()
