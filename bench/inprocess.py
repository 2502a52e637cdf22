"""
Reader and moderator pages timed in-process (Django's test client, median
of 7 after one warm-up, fragment cache warm, full-page cache off) on the
database DATABASE_URL names, with each page's query count.

    DATABASE_URL=postgres://…/newsarchive_bench CACHE_URL=redis://…/2 \\
        .venv/bin/python bench/inprocess.py [--json]

--json prints one JSON object instead of the table (bench/scale.py reads it).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from search_timer import search_ms
from stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ["PAGE_CACHE"] = "false"

FEATURE = "/2025/11/14/harbor-authority-approves-storm-wall/"
QUEUE = "/admin/comments/comment/moderate/"
# (label, path, as a moderator); "{held}" is the newest held comment's id,
# "{tag}" the first tag's slug.
PAGES = [
    ("feature article", FEATURE, False),
    ("home", "/", False),
    ("month archive", "/2025/11/", False),
    ("section", "/section/metro/", False),
    ("tag", "/tag/{tag}/", False),
    ("author", "/author/ana-ortiz/", False),
    ("source", "/source/reuters/", False),
    ("feed", "/feed/", False),
    ("search", "/search/?q=harbor", False),
    ("moderation queue, Held tab", f"{QUEUE}?tab=held", True),
    ("moderation queue, Reported tab", f"{QUEUE}?tab=reported", True),
    ("moderation queue, Spam tab", f"{QUEUE}?tab=spam", True),
    ("moderation queue, Approved tab", f"{QUEUE}?tab=approved", True),
    ("comment history", QUEUE + "{held}/history/", True),
    ("admin comment changelist", "/admin/comments/comment/", True),
]
RUNS = 7
# Searches no reader asked before (the full-page cache cannot help): single
# words, pairs and a phrase from the generator's vocabulary, each asked once.
FIRST_TIME_SEARCHES = [
    *("council", "ferry", "levee", "quota", "crane"),
    *("budget", "pier", "grid", "tax", "storm"),
    *("river bridge", "school hospital", "market trade", "cargo crew"),
    *("union contract", "court ruling", "train route", "fleet catch"),
    *("steel wall", "pump power"),
    '"storm wall" -flood',
    "harbor -council",
]


def measure() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Tag
    from comments.models import Comment

    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True, "is_superuser": True}
    )
    reader, staff = Client(), Client()
    staff.force_login(user)
    held = (
        Comment.objects.filter(status="held").order_by("-created").values("pk").first()
        or Comment.objects.order_by("-created").values("pk").first()
    )
    tag = Tag.objects.order_by("pk").values_list("slug", flat=True).first()
    result = {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "pages": [],
    }
    for label, path, moderator in PAGES:
        path = path.format(held=held["pk"] if held else 0, tag=tag)
        client = staff if moderator else reader
        client.get(path, HTTP_HOST="127.0.0.1")
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - began) * 1000)
        result["pages"].append(
            {
                "label": label,
                "path": path,
                "ms": round(statistics.median(times), 1),
                "queries": len(queries.captured_queries),
                "status": response.status_code,
            }
        )
    client = Client()
    client.get("/search/?q=warmup", HTTP_HOST="127.0.0.1")
    times = [search_ms(client, query) for query in FIRST_TIME_SEARCHES]
    result["search_first_time"] = {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }
    return result


def main() -> None:
    result = measure()
    if "--json" in sys.argv[1:]:
        print(json.dumps(result))
        return
    print(f"{result['articles']:,} articles, {result['comments']:,} comments")
    for page in result["pages"]:
        print(
            f"{page['label']:<32} {page['ms']:8.1f} ms  "
            f"{page['queries']:3d} queries  HTTP {page['status']}"
        )
    first = result["search_first_time"]
    print(
        f"{first['queries']} first-time searches: p50 {first['p50_ms']} ms, "
        f"p95 {first['p95_ms']} ms, max {first['max_ms']} ms"
    )


if __name__ == "__main__":
    main()
