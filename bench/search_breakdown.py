"""
Where a first-time search's time goes: bench/inprocess.py's first-time
searches, each asked once in-process (Django's test client, full-page cache
off) after one warm-up search, each printed with its time, its queries' time
and each query's own time in order (tokens, next publication, the count, the
page of results, its bylines, …); what is left is Python.

    DATABASE_URL=postgres://…/na_search_copy CACHE_URL=redis://…/9 \\
        .venv/bin/python bench/search_breakdown.py [-v]

-v prints each query's SQL too. The cache (CACHE_URL, never the shared
Redis dbs 2 or 5) is emptied first.
"""

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


def main() -> None:
    if os.environ.get("CACHE_URL", "").rstrip("/").endswith(("/2", "/5")):
        sys.exit("CACHE_URL: use a Redis db of your own, not 2 or 5")
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from inprocess import FIRST_TIME_SEARCHES

    verbose = "-v" in sys.argv[1:]
    caches["backing"].clear()
    client = Client()
    timed: list[tuple[float, str]] = []

    def timing(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - began) * 1000, sql))

    search_ms(client, "warmup")
    totals = []
    for query in FIRST_TIME_SEARCHES:
        timed.clear()
        with connection.execute_wrapper(timing):
            ms = search_ms(client, query)
        totals.append(ms)
        each = " ".join(f"{t:.1f}" for t, _ in timed)
        print(
            f"{query!r:24} {ms:6.1f} ms, queries {sum(t for t, _ in timed):5.1f} "
            f"in {len(timed)}: {each}"
        )
        if verbose:
            for t, sql in timed:
                print(f"    {t:6.1f} {sql[:300]}")
    print(
        f"p50 {statistics.median(totals):.1f} ms, "
        f"p95 {percentile(totals, 0.95):.1f} ms, max {max(totals):.1f} ms"
    )


if __name__ == "__main__":
    main()
