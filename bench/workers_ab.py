"""
gunicorn's worker and thread counts side by side: each variant serves the
benchmark database twice (full-page cache on and off), and wrk runs the
static file, home, month archive and feature article on every variant in
turns, so that the machine's drift falls alike on all of them. Prints the
median rate, p50 and p99 of each over the rounds.

    .venv/bin/python bench/workers_ab.py 2x4 2x2 2x1 3x2 4x1
    ROUNDS=4 WRK_SECONDS=5 .venv/bin/python bench/workers_ab.py 2x4 2x2

Needs the database bench/run builds (BENCH_DB) and collectstatic.
"""

import json
import os
import statistics
import sys
from pathlib import Path

from full import FEATURE, drain
from servers import Server, bench_env, worker_connections, wrk

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    variants = [tuple(map(int, v.split("x"))) for v in sys.argv[1:] or ["2x4", "2x2"]]
    rounds = int(os.environ.get("ROUNDS", "3"))
    seconds = int(os.environ.get("WRK_SECONDS", "5"))
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    paths = {
        "static file": "/static/" + manifest["paths"]["css/site.css"],
        "home": "/",
        "month archive": "/2025/11/",
        "feature article": FEATURE,
    }
    key = bench_env()["SECRET_KEY"]
    servers = {}
    results: dict[tuple, list[dict]] = {}
    try:
        for workers, threads in variants:
            for cached in (True, False):
                servers[workers, threads, cached] = Server(
                    page_cache=cached,
                    workers=workers,
                    threads=threads,
                    key=key,
                    # Room for wrk's 16 on any count of workers.
                    connections=max(worker_connections(threads), 16 // workers + 2),
                )
        for server in servers.values():
            for path in paths.values():
                wrk(server.base + path, seconds=1, connections=4)  # warm
        for turn in range(rounds):
            for page, path in paths.items():
                for cached in (True,) if page == "static file" else (True, False):
                    for workers, threads in variants:
                        server = servers[workers, threads, cached]
                        result = wrk(
                            server.base + path, seconds=seconds, connections=16
                        )
                        drain(server.base, workers)
                        results.setdefault((page, cached, workers, threads), []).append(
                            result
                        )
            print(f"round {turn + 1} of {rounds}", file=sys.stderr)
    finally:
        for server in servers.values():
            server.stop()
    print("| page | mode | workers × threads | req/s | p50 | p99 | p99 per round |")
    print("|---|---|---|---|---|---|---|")
    for (page, cached, workers, threads), runs in results.items():
        p99s = [run["p99_ms"] for run in runs]
        print(
            f"| {page} | {'cached' if cached else 'uncached'} | {workers} × {threads} "
            f"| {statistics.median(run['rps'] for run in runs):.0f} "
            f"| {statistics.median(run['p50_ms'] for run in runs):.1f} ms "
            f"| {statistics.median(p99s):.1f} ms | {', '.join(f'{v:.0f}' for v in p99s)} |"
        )


if __name__ == "__main__":
    main()
