"""
Measure the comment POST (form → pipeline → Akismet → redirect) in-process,
with the local Akismet-protocol server answering after a set delay.

    .venv/bin/python bench/comment_post.py [--delay 0.05] [--posts 100]

Uses a throwaway test database (SQLite unless DATABASE_URL says otherwise).
Not a test: it prints timings and asserts nothing about them.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from comments.forms import sign_timestamp  # noqa: E402
from comments.models import Comment  # noqa: E402
from tests.akismet_server import AkismetServer  # noqa: E402
from tests.factories import make_article  # noqa: E402


def run(*, posts: int, delay: float, key: str, server: AkismetServer) -> list[float]:
    server.reset("ham")
    server.delay = delay
    article = make_article()
    run_id = article.pk
    url = reverse("comments:post", kwargs={"article_id": article.pk})
    client = Client()
    timings = []
    with override_settings(
        AKISMET_API_KEY=key,
        AKISMET_API_URL=server.url,
        AKISMET_SITE_URL="http://testserver",
        SITE_URL="http://testserver",
        TASKS={
            "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
        },
    ):
        for n in range(posts):
            data = {
                "author_name": f"Reader {n}",
                "author_email": f"reader{run_id}-{n}@example.com",
                "body": f"Comment number {n} about the harbour.",
                "timestamp": sign_timestamp(article_id=article.pk, at=time.time() - 10),
            }
            start = time.perf_counter()
            response = client.post(
                url, data, REMOTE_ADDR=f"10.{run_id}.{n // 250}.{n % 250}"
            )
            timings.append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
    return timings


def summary(label: str, timings: list[float], goal_ms: float) -> str:
    ms = sorted(t * 1000 for t in timings[5:])  # skip warm-up
    p95 = ms[max(int(len(ms) * 0.95) - 1, 0)]
    p99 = ms[max(int(len(ms) * 0.99) - 1, 0)]
    return (
        f"{label:<38} n={len(ms):>3}  median {statistics.median(ms):6.1f} ms  "
        f"p95 {p95:6.1f} ms  p99 {p99:6.1f} ms  max {ms[-1]:6.1f} ms  "
        f"(goal p99 < {goal_ms:.0f} ms: {'met' if p99 < goal_ms else 'missed'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--posts", type=int, default=100)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    server = AkismetServer().start()
    try:
        print(f"database: {connection.vendor}")
        timeout = settings.AKISMET_TIMEOUT
        results = [
            (
                f"Akismet answering in {args.delay * 1000:.0f} ms",
                run(posts=args.posts, delay=args.delay, key="bench-key", server=server),
                120,
            ),
            (
                "Akismet answering at once",
                run(posts=args.posts, delay=0.0, key="bench-key", server=server),
                120,
            ),
            (
                f"Akismet timing out ({timeout:g} s)",
                run(
                    posts=max(args.posts // 5, 10),
                    delay=timeout + 1,
                    key="bench-key",
                    server=server,
                ),
                timeout * 1000 + 100,
            ),
            (
                "no key (held, Akismet not asked)",
                run(posts=args.posts, delay=0.0, key="", server=server),
                120,
            ),
        ]
        for label, timings, goal in results:
            print(summary(label, timings, goal))
        print(f"comments stored: {Comment.objects.count()}")
    finally:
        server.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
