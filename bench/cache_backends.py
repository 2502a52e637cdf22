"""
The embedded default cache: Django's database cache (on the SQLite file, with
the settings' WAL options) against the file cache, in one run.

    .venv/bin/python bench/cache_backends.py [--rounds 7] [--ops 200]

Both run on the same machine in alternating rounds, so drift and noise hit
them alike (machines here are noisy, ±20 %). Values are what the site stores:
an article card (~1.2 KB of HTML), a page of 50 comments (~25 KB), a version
token, a flood-control timestamp via add(). Each cache holds 500 entries
first, as a warm cache would. Prints the median microseconds per operation
and the ratio database / file (below 1: the database cache is faster).

Then, because flood and duplicate control rely on add() being atomic across
processes: two processes race add() on the same 200 fresh keys, five times,
and the script counts keys that both processes were told they had stored.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import django
from django.conf import settings

CARD = "<article class='card'>" + "x" * 1200 + "</article>"
COMMENT_PAGE = "".join(
    f"<li id='comment-{i}'><p>{'Words of a reader. ' * 25}</p></li>" for i in range(50)
)
TOKEN = uuid.uuid4().hex


def configure(tmp: Path) -> None:
    settings.configure(
        USE_TZ=True,
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp / "db.sqlite3"),
                # As newsarchive/settings.py sets them for SQLite.
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                },
            }
        },
        CACHES={
            "database": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "newsarchive_cache",
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
            "file": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp / "filecache"),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        },
    )
    django.setup()


def operations(cache, n: int):
    """(name, callable running it n times) for the operations the site makes."""
    run = uuid.uuid4().hex[:8]

    def get_card():
        for i in range(n):
            cache.get(f"card:{i % 100}")

    def get_comment_page():
        for i in range(n):
            cache.get(f"comments:{i % 100}")

    def get_miss():
        for i in range(n):
            cache.get(f"missing:{run}:{i}")

    def set_card():
        for i in range(n):
            cache.set(f"card:{i % 100}", CARD, 86400)

    def set_comment_page():
        for i in range(n):
            cache.set(f"comments:{i % 100}", COMMENT_PAGE, 86400)

    def add_new():
        for i in range(n):
            cache.add(f"flood:{run}:{i}", time.time() + 15, 15)

    def add_existing():
        for i in range(n):
            cache.add(f"version:{i % 100}", TOKEN, None)

    return [
        ("get card 1.2 KB", get_card),
        ("get comment page 25 KB", get_comment_page),
        ("get miss", get_miss),
        ("set card 1.2 KB", set_card),
        ("set comment page 25 KB", set_comment_page),
        ("add new key (flood)", add_new),
        ("add existing key", add_existing),
    ]


def warm(cache) -> None:
    for i in range(100):
        cache.set(f"card:{i}", CARD, 86400)
        cache.set(f"comments:{i}", COMMENT_PAGE, 86400)
        cache.set(f"version:{i}", TOKEN, None)
    for i in range(200):
        cache.set(f"other:{i}", CARD, 86400)


def _race_worker(tmp: str, alias: str, keys: list[str], start, results) -> None:
    configure(Path(tmp))
    from django.core.cache import caches

    cache = caches[alias]
    cache.get("warm-up")  # open the connection before the start line
    start.wait()
    results.put([k for k in keys if cache.add(k, os.getpid(), 60)])


def race(tmp: Path, alias: str, *, keys: int, repeats: int) -> int:
    """Keys two processes both 'won' with add(): 0 if add() is atomic."""
    context = multiprocessing.get_context("spawn")
    double = 0
    for _ in range(repeats):
        names = [f"race:{uuid.uuid4().hex}" for _ in range(keys)]
        start, results = context.Barrier(2), context.Queue()
        workers = [
            context.Process(
                target=_race_worker, args=(str(tmp), alias, names, start, results)
            )
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        won = [set(results.get(timeout=120)) for _ in workers]
        for worker in workers:
            worker.join()
        double += len(won[0] & won[1])
    return double


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--race-keys", type=int, default=200)
    parser.add_argument("--race-repeats", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cache-bench-") as tmp_name:
        tmp = Path(tmp_name)
        configure(tmp)
        from django.core.cache import caches
        from django.core.management import call_command

        call_command("createcachetable", verbosity=0)
        aliases = ("database", "file")
        for alias in aliases:
            warm(caches[alias])

        timings: dict[tuple[str, str], list[float]] = {}
        for round_no in range(args.rounds):
            # Alternate which goes first, so neither always runs on a warmer CPU.
            order = aliases if round_no % 2 == 0 else aliases[::-1]
            for alias in order:
                for name, op in operations(caches[alias], args.ops):
                    began = time.perf_counter()
                    op()
                    elapsed = time.perf_counter() - began
                    timings.setdefault((name, alias), []).append(
                        elapsed / args.ops * 1e6
                    )

        names = [name for name, _ in operations(caches["file"], 0)]
        print(
            f"Django {django.get_version()}, Python {sys.version.split()[0]}, "
            f"{args.rounds} rounds x {args.ops} ops, median µs per operation\n"
        )
        print(f"{'operation':<26}{'database':>10}{'file':>10}{'db / file':>11}")
        for name in names:
            db = statistics.median(timings[(name, "database")])
            file = statistics.median(timings[(name, "file")])
            print(f"{name:<26}{db:>10.0f}{file:>10.0f}{db / file:>11.2f}")

        print(
            f"\nadd() race: 2 processes x {args.race_keys} fresh keys x "
            f"{args.race_repeats} runs; keys both processes stored"
        )
        for alias in aliases:
            double = race(tmp, alias, keys=args.race_keys, repeats=args.race_repeats)
            print(f"  {alias:<10}{double:>6}")


if __name__ == "__main__":
    main()
