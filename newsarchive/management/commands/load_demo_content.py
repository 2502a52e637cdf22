"""
manage.py load_demo_content: about 30 articles, comments in every state and,
in DEBUG, `editor` and `moderator` accounts. Idempotent: a second run creates
nothing and changes nothing. The content is in newsarchive/demo/*.toml.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from newsarchive.demo import (
    DemoDataError,
    create_demo_accounts,
    load_demo_content,
    read_demo_content,
)


class Command(BaseCommand):
    help = "Load demo articles and comments (idempotent); demo staff in DEBUG."

    def handle(self, *args, **options):
        try:
            content = read_demo_content()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        now = timezone.now()
        with transaction.atomic():
            accounts = create_demo_accounts() if settings.DEBUG else {}
            moderator = accounts.get("moderator")
            report = load_demo_content(
                content=content,
                now=now,
                moderator=moderator.user if moderator else None,
            )
        for username, account in accounts.items():
            if account.created:
                shown = account.new_password or "the DEMO_PASSWORD setting"
                self.stdout.write(
                    f"Created demo account {username!r} ({account.group}), "
                    f"password: {shown}"
                )
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
        self.stdout.write(f"Demo content: created {created}.")
