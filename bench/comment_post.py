"""
Measure the comment POST (form → pipeline → Akismet → redirect) in-process,
with the local Akismet-protocol server answering after a set delay.

    .venv/bin/python bench/comment_post.py [--delay 0.05] [--posts 100] [--json]

--json prints one JSON object at the end (bench/full.py reads it).

Uses a throwaway test database (SQLite unless DATABASE_URL says otherwise).
Not a test: it prints timings and asserts nothing about them.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from stats import percentile

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


def summary(label: str, timings: list[float], goal_ms: float) -> dict:
    ms = sorted(t * 1000 for t in timings[5:])  # skip warm-up
    p99 = percentile(ms, 0.99)
    return {
        "case": label,
        "posts": len(timings),
        "timed": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(ms[-1], 1),
        "goal_p99_ms": goal_ms,
        "met": p99 < goal_ms,
    }


def line(row: dict) -> str:
    return (
        f"{row['case']:<38} n={row['timed']:>3}  median {row['median_ms']:6.1f} ms  "
        f"p95 {row['p95_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms  "
        f"max {row['max_ms']:6.1f} ms  (goal p99 < {row['goal_p99_ms']:.0f} ms: "
        f"{'met' if row['met'] else 'missed'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.05)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    server = AkismetServer().start()
    try:
        if not args.json:
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
        rows = [summary(label, timings, goal) for label, timings, goal in results]
        posted = sum(len(timings) for _label, timings, _goal in results)
        stored = Comment.objects.count()
        if args.json:
            print(
                json.dumps(
                    {
                        "database": connection.vendor,
                        "akismet_delay_ms": round(args.delay * 1000),
                        "akismet_timeout_s": timeout,
                        "cases": rows,
                        "posted": posted,
                        "stored": stored,
                        "all_saved": stored == posted,
                    }
                )
            )
            return
        for row in rows:
            print(line(row))
        print(f"comments posted: {posted}, stored: {stored}")
    finally:
        server.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
