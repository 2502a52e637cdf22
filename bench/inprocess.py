"""
Reader and moderator pages timed in-process (Django's test client, median
of 7 after one warm-up, fragment cache warm, full-page cache off) on the
database DATABASE_URL names, with each page's query count.

    DATABASE_URL=postgres://…/newsarchive_bench CACHE_URL=redis://…/2 \\
        .venv/bin/python bench/inprocess.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ["PAGE_CACHE"] = "false"

PAGES = [
    ("feature article", "/2025/11/14/harbor-authority-approves-storm-wall/", False),
    ("home", "/", False),
    ("month archive", "/2025/11/", False),
    ("feed", "/feed/", False),
    ("moderation queue, Held tab", "/admin/comments/comment/moderate/?tab=held", True),
    (
        "moderation queue, Approved tab",
        "/admin/comments/comment/moderate/?tab=approved",
        True,
    ),
    ("admin comment changelist", "/admin/comments/comment/", True),
]


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article
    from comments.models import Comment

    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True, "is_superuser": True}
    )
    reader, staff = Client(), Client()
    staff.force_login(user)
    print(f"{Article.objects.count():,} articles, {Comment.objects.count():,} comments")
    for label, path, moderator in PAGES:
        client = staff if moderator else reader
        client.get(path, HTTP_HOST="127.0.0.1")
        times = []
        for _ in range(7):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - began) * 1000)
        print(
            f"{label:<32} {statistics.median(times):8.1f} ms  "
            f"{len(queries.captured_queries):3d} queries  HTTP {response.status_code}"
        )


if __name__ == "__main__":
    main()
