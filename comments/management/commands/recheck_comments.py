from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comments.services.checking import recheck_no_key_comments, sweep_due_comments


class Command(BaseCommand):
    help = (
        "Recheck with Akismet every held or unchecked comment whose next check "
        "time has come (for sites that run this from cron instead of a worker). "
        "With --all-no-key, check instead every comment held because no Akismet "
        "key was set, once one is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)
        parser.add_argument(
            "--all-no-key",
            action="store_true",
            help="Check the comments held while no Akismet key was set.",
        )

    def handle(self, *args, limit: int, all_no_key: bool, **options):
        if all_no_key:
            if not settings.AKISMET_API_KEY:
                raise CommandError(
                    "No Akismet key is set (AKISMET_API_KEY); nothing was rechecked."
                )
            counts = recheck_no_key_comments(limit=limit)
        else:
            counts = sweep_due_comments(limit=limit)
        total = sum(counts.values())
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        self.stdout.write(
            f"Rechecked {total} comment(s)" + (f": {summary}" if summary else ".")
        )
