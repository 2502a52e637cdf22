"""Anonymise one email address's comments and delete what else is kept about it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from comments.selectors.personal_data import normalise_email, stored_counts
from comments.services.personal_data import erase_personal_data


class Command(BaseCommand):
    help = (
        "Erase an email address's personal data: its comments become "
        "'Anonymous' (email, website, IP, user agent and the Akismet copy "
        "blanked, words kept), its reports lose their account and text, its "
        "reply-notification record is deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, email: str, interactive: bool, **options) -> None:
        try:
            email = normalise_email(email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        counts = stored_counts(email=email)
        if not any(counts.values()):
            self.stdout.write("Nothing is stored for that address.")
            return
        if interactive:
            answer = input(
                f"Erase the personal data of {email}: {counts['comments']} "
                f"comment(s), {counts['reports']} report(s), "
                f"{counts['subscriptions']} reply-notification record(s)? "
                "This cannot be undone. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                self.stdout.write("Nothing was erased.")
                return
        report = erase_personal_data(email=email)
        self.stdout.write(
            f"Anonymised {report.comments} comment(s), cleared {report.reports} "
            f"report(s) and deleted {report.subscriptions} reply-notification "
            "record(s)."
        )
