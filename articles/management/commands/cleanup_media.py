"""
List, and with --delete remove, picture files in the media storage that no
Image row references (originals and their renditions). Lists only unless
told to delete.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from articles import services


class Command(BaseCommand):
    help = (
        "List picture files no Image references (originals and renditions); "
        "--delete removes them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the files listed."
        )
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=24,
            help="Leave files younger than this alone: an upload may still be "
            "saving its row (default 24).",
        )

    def handle(self, *args, delete: bool, older_than_hours: int, **options):
        report = services.media_cleanup(
            delete=delete, older_than=timedelta(hours=older_than_hours)
        )
        for name in report.unreferenced:
            self.stdout.write(name)
        verb = "Deleted" if delete else "Would delete"
        self.stdout.write(
            f"{verb} {len(report.unreferenced)} file(s), "
            f"{report.bytes / 1_000_000:.1f} MB."
            + ("" if delete or not report.unreferenced else " Run with --delete.")
        )
