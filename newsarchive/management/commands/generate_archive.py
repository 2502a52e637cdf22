"""manage.py generate_archive --articles N --comments M --seed S"""

from django.core.management.base import BaseCommand, CommandError

from newsarchive.archive_generator import generate


class Command(BaseCommand):
    help = (
        "Add a large, deterministic archive (articles across sections, tags, "
        "authors and sources, quotes, comment threads in every status, and "
        "the feature article with 50 approved comments) for measuring at scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--comments", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, articles: int, comments: int, seed: int, **options):
        if articles < 1 or comments < 0:
            raise CommandError(
                "--articles must be at least 1 and --comments at least 0"
            )
        report = generate(
            articles=articles, comments=comments, seed=seed, stream=self.stderr
        )
        self.stdout.write(report.feature_url)
