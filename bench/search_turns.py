"""
The search page before and after a change, measured in turns in one run, so
that a noisy machine weighs on both alike: in-process (Django's test client,
full-page cache off, as bench/inprocess.py), on the benchmark databases.

    BENCH_REDIS_DB=8 .venv/bin/python bench/search_turns.py BEFORE_DIR [--rounds 3]

BEFORE_DIR is another checkout (e.g. `git archive <commit> | tar -x -C dir`,
with .venv linked and collectstatic run). Each turn runs one checkout in a
child process on each database: the Redis db (BENCH_REDIS_DB, never the
shared 2 or 5) is emptied first, one warm-up search fills the fragments,
then "harbor" asked again (median of 15, with its query count) and
bench/inprocess.py's first-time searches, each asked once (p50 and p95).
Prints one JSON line per turn and a table of medians over the rounds.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATABASES = ("newsarchive_bench_small", "newsarchive_bench_scale")
REPEATS = 15


def child() -> None:
    # The checkout's own code (cwd), never this one's.
    sys.path.insert(0, os.getcwd())
    sys.path.insert(1, str(HERE))
    os.environ["PAGE_CACHE"] = "false"

    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from search_timer import search_ms
    from stats import percentile

    caches["backing"].clear()
    client = Client()

    search_ms(client, "warmup")
    first = [
        search_ms(client, query)
        for query in json.loads(os.environ["FIRST_TIME_SEARCHES"])
    ]
    search_ms(client, "harbor")
    with CaptureQueriesContext(connection) as queries:
        search_ms(client, "harbor")
    # Counted now: the next request's start empties the log.
    repeat_queries = len(queries.captured_queries)
    again = [search_ms(client, "harbor") for _ in range(REPEATS)]
    print(
        json.dumps(
            {
                "repeat_ms": round(statistics.median(again), 2),
                "repeat_queries": repeat_queries,
                "first_p50_ms": round(statistics.median(first), 1),
                "first_p95_ms": round(percentile(first, 0.95), 1),
            }
        )
    )


def _first_time_searches() -> list[str]:
    sys.path.insert(0, str(HERE))
    from inprocess import FIRST_TIME_SEARCHES

    return FIRST_TIME_SEARCHES


def turn(checkout: Path, db: str, searches: list[str]) -> dict:
    redis_db = os.environ.get("BENCH_REDIS_DB", "8")
    if redis_db in ("2", "5"):
        sys.exit("BENCH_REDIS_DB: use a Redis db of your own, not 2 or 5")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "FIRST_TIME_SEARCHES": json.dumps(searches),
    }
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [str(checkout / ".venv/bin/python"), str(Path(__file__).resolve()), "--child"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    if "--child" in sys.argv:
        child()
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("before", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", nargs="+", default=list(DATABASES))
    args = parser.parse_args()
    searches = _first_time_searches()
    runs: dict[tuple[str, str], list[dict]] = {}
    for n in range(args.rounds):
        for db in args.databases:
            for label, checkout in (("before", args.before), ("after", ROOT)):
                result = turn(checkout.resolve(), db, searches)
                runs.setdefault((db, label), []).append(result)
                print(json.dumps({"round": n, "db": db, "variant": label, **result}))
    print()
    print(
        "| database | variant | repeat ms | repeat queries | first p50 ms | first p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    for (db, label), results in runs.items():
        med = {
            k: statistics.median(r[k] for r in results)
            for k in ("repeat_ms", "repeat_queries", "first_p50_ms", "first_p95_ms")
        }
        print(
            f"| {db} | {label} | {med['repeat_ms']} | {med['repeat_queries']} "
            f"| {med['first_p50_ms']} | {med['first_p95_ms']} |"
        )


if __name__ == "__main__":
    main()
