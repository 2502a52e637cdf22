"""Print (or write to a file) everything kept about one email address, as JSON."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from comments.selectors.personal_data import personal_data


class Command(BaseCommand):
    help = (
        "Export every comment, report and reply-notification record kept for "
        "an email address, as JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--output", help="write the JSON to this file instead of standard output"
        )

    def handle(self, *args, email: str, output: str | None, **options) -> None:
        try:
            data = personal_data(email=email)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(
                f"Wrote {len(data['comments'])} comment(s) for {data['email']} "
                f"to {output}."
            )
        else:
            self.stdout.write(text)
