"""Thin wrapper over purge_comments(): the scheduler runs it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import retention


class Command(BaseCommand):
    help = (
        "Delete spam older than COMMENTS_SPAM_KEEP_DAYS (discarded spam: one "
        "day) and removed comments older than 30 days, delete Akismet payloads "
        "older than COMMENTS_AKISMET_PAYLOAD_DAYS, and anonymise IP addresses "
        "older than COMMENTS_ANONYMISE_IP_DAYS."
    )

    def handle(self, *args, **options) -> None:
        report = retention.purge_comments()
        days = settings.COMMENTS_ANONYMISE_IP_DAYS
        lines = [
            f"Deleted {report.spam_deleted} spam comment(s) older than "
            f"{retention.spam_keep().days} days.",
            f"Deleted {report.discarded_deleted} discarded spam comment(s) older "
            f"than {retention.DISCARD_KEEP.days} day.",
            f"Deleted {report.removed_deleted} removed comment(s) older than "
            f"{retention.REMOVED_KEEP.days} days.",
            f"Kept {report.replies_kept} repl(y/ies) to deleted comments.",
            f"Deleted {report.payloads_deleted} expired Akismet payload(s).",
            f"Anonymised {report.ips_anonymised} IP address(es) older than {days} days."
            if days and days > 0
            else "IP anonymisation is off (COMMENTS_ANONYMISE_IP_DAYS=0).",
        ]
        for line in lines:
            self.stdout.write(line)
