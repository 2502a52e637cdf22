"""
PostgreSQL restarted, and Redis stopped and started, under load.

    sudo .venv/bin/python bench/pg_restart.py            # 90 s run, figures in bench/results/
    .venv/bin/python bench/pg_restart.py --seconds 40 --restart-at 10 \\
        --redis-down-at 20 --redis-up-at 28 --out /tmp/pg_restart.md   # quicker

Creates a private PostgreSQL cluster (`pg_createcluster <ver> faults` on a free
port; root or the postgres user) and a private Redis, serves the site on them
as in production (gunicorn 2 workers x 4 threads, db_worker, run_scheduler,
the local Akismet server), and drives reader page views and comment posts at
them. Mid-run it restarts the cluster with `pg_ctlcluster <ver> faults
restart`, later stops Redis and starts it again; the site itself is never
restarted. Reports the readers' status codes per second, the seconds of 503,
when pages were all 200 again, and that every comment whose POST got a
redirect is in the database. The cluster is dropped at the end.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.faultload import (  # noqa: E402 - after the path is set
    REPO_ROOT,
    Load,
    account_for_posts,
    log,
    services,
    write_json,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--restart-at", type=float, default=20)
    parser.add_argument("--redis-down-at", type=float, default=50)
    parser.add_argument("--redis-up-at", type=float, default=65)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--posts-per-second", type=float, default=5)
    parser.add_argument("--out", default=str(REPO_ROOT / "bench/results/pg_restart.md"))
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args()
    run_id = time.strftime("r%Y%m%d%H%M%S")

    with services(keep=args.keep_logs) as (cluster, redis, site):
        load = Load(
            site.origin,
            connections=args.connections,
            posts_per_second=args.posts_per_second,
            run_id=run_id,
        )
        load.discover()
        pids_before = site.worker_pids()
        marks: dict[str, float] = {}
        redis_keys: dict[str, int | None] = {}

        def mark(name, action):
            def run():
                marks[name] = time.monotonic() - load._start
                action()
                marks[name + " done"] = time.monotonic() - load._start

            return run

        def redis_down():
            redis_keys["before stop"] = redis.dbsize()
            redis.stop()

        def redis_up():
            redis.start()
            redis_keys["at start"] = redis.dbsize()

        events = [
            (args.restart_at, "PostgreSQL restart", mark("pg restart", cluster.restart))
        ]
        if args.redis_down_at < args.redis_up_at < args.seconds:
            events += [
                (args.redis_down_at, "Redis stop", mark("redis stop", redis_down)),
                (args.redis_up_at, "Redis start", mark("redis start", redis_up)),
            ]
        load.run(args.seconds, events=events)
        redis_keys["at end"] = redis.dbsize()
        pids_after = site.worker_pids()
        running = site.still_running()
        time.sleep(3)  # the last posts' on-commit work
        posts = account_for_posts(load, cluster)

    table = load.per_second("page")
    post_table = load.per_second("post")
    restart = marks.get("pg restart", 0)
    seconds_503 = sorted(s for s, c in table.items() if c.get(503))
    other_5xx = Counter(
        a.status for a in load.answers if a.status >= 500 and a.status != 503
    )
    no_answer = sum(1 for a in load.answers if a.status == 0)
    after = [s for s in table if s >= int(restart)]
    bad_after = [s for s in after if set(table[s]) != {200}]
    recovered_at = (max(bad_after) + 1) if bad_after else int(restart)
    redis_window = (
        (int(marks["redis stop"]), int(marks["redis start"]) + 1)
        if "redis stop" in marks
        else None
    )
    pages_while_redis_down = Counter()
    if redis_window:
        for s in range(*redis_window):
            pages_while_redis_down.update(table.get(s, {}))
    ok = (
        not posts["redirected_but_missing"]
        and not other_5xx
        and pids_before == pids_after
        and all(running.values())
        and (not redis_window or set(pages_while_redis_down) == {200})
        and (not redis_window or (redis_keys.get("at end") or 0) > 0)
    )
    figures = {
        "run": run_id,
        "seconds": args.seconds,
        "connections": args.connections,
        "marks": marks,
        "seconds_with_503": seconds_503,
        "pages_all_200_again_at": recovered_at,
        "other_5xx": dict(other_5xx),
        "no_http_answer": no_answer,
        "page_statuses": dict(load.statuses("page")),
        "post_statuses": dict(load.statuses("post")),
        "posts": posts,
        "pages_while_redis_down": dict(pages_while_redis_down),
        "redis_keys": redis_keys,
        "gunicorn_workers_unchanged": pids_before == pids_after,
        "processes_running_at_end": running,
        "ok": ok,
    }
    out = Path(args.out)
    write_json(REPO_ROOT / "artifacts/bench" / f"pg_restart-{run_id}.json", figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(figures, table, post_table))
    log(f"figures in {out}; {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


def _codes(counter) -> str:
    return ", ".join(f"{code or 'none'}: {n}" for code, n in sorted(counter.items()))


def report(f: dict, table: dict, post_table: dict) -> str:
    m = f["marks"]
    posts = f["posts"]
    lines = [
        "# PostgreSQL restart and Redis outage under load",
        "",
        f"Run `{f['run']}`: `bench/pg_restart.py`, {f['seconds']:.0f} s, "
        f"{f['connections']} connections of page views plus comment posts at about "
        "5/s through gunicorn (2 workers x 4 threads, CONN_MAX_AGE 60, health checks "
        "on), db_worker and run_scheduler, on a private PostgreSQL cluster and a "
        "private Redis, the local Akismet server answering ham. Loopback only, on a "
        "2-core machine shared with other work.",
        "",
        f"- `pg_ctlcluster … restart` at t={m.get('pg restart', 0):.1f} s, returned at "
        f"t={m.get('pg restart done', 0):.1f} s.",
        f"- Seconds with a 503 for readers: {f['seconds_with_503'] or 'none'} "
        f"({len(f['seconds_with_503'])} s); pages all 200 again from t={f['pages_all_200_again_at']} s, "
        "the site not restarted (same gunicorn workers: "
        f"{'yes' if f['gunicorn_workers_unchanged'] else 'NO'}).",
        f"- Other 5xx: {f['other_5xx'] or 'none'}; requests with no HTTP answer: {f['no_http_answer']}.",
        f"- Pages: {_codes(Counter(f['page_statuses']))}.",
        f"- Comment posts: {_codes(Counter(f['post_statuses']))}. Answered with a redirect: "
        f"{posts['answered_redirect']}, of which in the database: {posts['redirected_and_stored']} "
        f"(missing: {len(posts['redirected_but_missing'])}). Answered otherwise but stored: "
        f"{posts['other_answers_stored_anyway']}. Stored statuses: {posts['stored_statuses']} (held because: {posts['hold_reasons'] or 'none'}).",
    ]
    if "redis stop" in m:
        lines += [
            f"- Redis stopped at t={m['redis stop']:.1f} s and started (empty) at "
            f"t={m['redis start']:.1f} s; pages meanwhile: {_codes(Counter(f['pages_while_redis_down']))}. "
            f"Keys in Redis before the stop: {f['redis_keys'].get('before stop')}, at its start: "
            f"{f['redis_keys'].get('at start')}, at the end: {f['redis_keys'].get('at end')} "
            "(the site wrote to it again without a restart).",
        ]
    lines += [
        f"- Verdict: {'OK' if f['ok'] else 'FAILED'}.",
        "",
        "Readers' status codes per second (page views; posts in the last column):",
        "",
        "| t (s) | page answers | posts |",
        "|---:|---|---|",
    ]
    for second in sorted(set(table) | set(post_table)):
        lines.append(
            f"| {second} | {_codes(table.get(second, Counter()))} | "
            f"{_codes(post_table.get(second, Counter()))} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
