from django.core.management.base import BaseCommand

from comments.services.checking import sweep_due_comments


class Command(BaseCommand):
    help = (
        "Recheck with Akismet every held or unchecked comment whose next check "
        "time has come (for sites that run this from cron instead of a worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit: int, **options):
        counts = sweep_due_comments(limit=limit)
        total = sum(counts.values())
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        self.stdout.write(
            f"Rechecked {total} comment(s)" + (f": {summary}" if summary else ".")
        )
