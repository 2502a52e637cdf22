"""
A soak: page views and comment posts for ten minutes through gunicorn on
PostgreSQL + Redis.

    sudo .venv/bin/python bench/soak.py                  # 600 s, figures in bench/results/soak.md
    .venv/bin/python bench/soak.py --smoke               # 30 s, figures in artifacts/bench/
    .venv/bin/python bench/soak.py --seconds 120 --connections 16

Serves the site as in production (gunicorn 2 workers x 4 threads, db_worker,
run_scheduler) on a private PostgreSQL cluster and a private Redis (see
bench/faultload.py; root or the postgres user, for `pg_createcluster`), with
the local Akismet server answering ham, and drives `--connections` keep-alive
connections at it: articles, the home page, date archives, search and the
feed, with comment posts at about `--posts-per-second` in all. Reports the
status codes (the run fails on any 5xx), each gunicorn worker's RSS after the
warm-up and at the end, and that every comment whose POST was answered with a
redirect is in the database, with every other answer counted.
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
    rss_kib,
    services,
    write_json,
)

WARM_UP_SECONDS = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument(
        "--smoke", action="store_true", help="30 s, output to artifacts/"
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--posts-per-second", type=float, default=5)
    parser.add_argument("--out", default="")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args()
    seconds = 30 if args.smoke else args.seconds
    run_id = time.strftime("s%Y%m%d%H%M%S")
    out = Path(
        args.out
        or (
            REPO_ROOT / "artifacts/bench" / f"soak-{run_id}.md"
            if args.smoke
            else REPO_ROOT / "bench/results/soak.md"
        )
    )

    with services(keep=args.keep_logs) as (cluster, _redis, site):
        load = Load(
            site.origin,
            connections=args.connections,
            posts_per_second=args.posts_per_second,
            run_id=run_id,
        )
        load.discover()
        pids = site.worker_pids()
        rss: dict[int, dict[str, int]] = {pid: {} for pid in pids}
        task_worker = site.processes["db_worker"].pid
        rss[task_worker] = {}

        def sample(name):
            def run():
                for pid in rss:
                    rss[pid][name] = rss_kib(pid)

            return run

        warm = min(WARM_UP_SECONDS, seconds / 3)
        started = time.monotonic()
        load.run(seconds, events=[(warm, "RSS after warm-up", sample("start"))])
        elapsed = time.monotonic() - started
        sample("end")()
        same_workers = site.worker_pids() == pids
        running = site.still_running()
        time.sleep(5)  # the last posts' checks
        posts = account_for_posts(load, cluster)
        unchecked = cluster.query(
            "SELECT count(*) FROM comments_comment WHERE status = 'unchecked' "
            "AND body LIKE %s",
            f"bench-comment {run_id} #%",
        )[0][0]

    pages = load.statuses("page")
    post_statuses = load.statuses("post")
    fivexx = sum(n for code, n in (pages + post_statuses).items() if code >= 500)
    no_answer = pages.get(0, 0) + post_statuses.get(0, 0)
    paths = Counter(_kind(a.path) for a in load.answers if a.kind == "page")
    ok = (
        fivexx == 0
        and no_answer == 0
        and not posts["redirected_but_missing"]
        and same_workers
        and all(running.values())
    )
    figures = {
        "run": run_id,
        "seconds": round(elapsed, 1),
        "connections": args.connections,
        "posts_per_second_target": args.posts_per_second,
        "page_statuses": dict(pages),
        "post_statuses": dict(post_statuses),
        "pages_by_kind": dict(paths),
        "requests_per_second": round(len(load.answers) / elapsed, 1),
        "posts_per_second": round(sum(post_statuses.values()) / elapsed, 2),
        "5xx": fivexx,
        "no_http_answer": no_answer,
        "rss_kib": {str(pid): v for pid, v in rss.items()},
        "gunicorn_workers": pids,
        "task_worker": task_worker,
        "gunicorn_workers_unchanged": same_workers,
        "processes_running_at_end": running,
        "posts": posts,
        "still_unchecked_after_5_s": unchecked,
        "ok": ok,
    }
    write_json(REPO_ROOT / "artifacts/bench" / f"soak-{run_id}.json", figures)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(figures))
    log(f"figures in {out}; {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


def _kind(path: str) -> str:
    if path == "/":
        return "home"
    if path.startswith("/search/"):
        return "search"
    if path == "/feed/":
        return "feed"
    return "article" if path.count("/") == 5 else "archive"


def _codes(counter: dict) -> str:
    return ", ".join(f"{code or 'none'}: {n}" for code, n in sorted(counter.items()))


def report(f: dict) -> str:
    posts = f["posts"]
    lines = [
        "# Soak: page views and comment posts through gunicorn on PostgreSQL + Redis",
        "",
        f"Run `{f['run']}`: `bench/soak.py`, {f['seconds']:.0f} s, {f['connections']} "
        "keep-alive connections, comment posts at about "
        f"{f['posts_per_second_target']:g}/s, through gunicorn (2 workers x 4 threads, "
        "CONN_MAX_AGE 60), db_worker and run_scheduler, on a private PostgreSQL "
        "cluster and a private Redis, with the local Akismet server answering ham. "
        "Driver, site and services on one 2-core machine shared with other work, "
        "over loopback: the rates say what this box did, not what the site can.",
        "",
        f"- Requests: {f['requests_per_second']}/s in all; pages by kind: "
        f"{_codes(f['pages_by_kind'])}.",
        f"- Page answers: {_codes(f['page_statuses'])}.",
        f"- Comment posts: {_codes(f['post_statuses'])} ({f['posts_per_second']}/s).",
        f"- 5xx: {f['5xx']}; requests with no HTTP answer: {f['no_http_answer']}.",
        f"- Every post accounted for: {posts['posted']} posted, {posts['answered_redirect']} "
        f"answered with a redirect, {posts['redirected_and_stored']} of them in the "
        f"database (missing: {len(posts['redirected_but_missing'])}); other answers "
        f"{posts['other_answers'] or 'none'}, stored anyway: "
        f"{posts['other_answers_stored_anyway']}. Stored statuses: "
        f"{posts['stored_statuses']} (held because: {posts['hold_reasons'] or 'none'}); still unchecked 5 s after the end: "
        f"{f['still_unchecked_after_5_s']}.",
        f"- Same gunicorn workers at the end: {'yes' if f['gunicorn_workers_unchanged'] else 'NO'}; "
        f"all processes running: {'yes' if all(f['processes_running_at_end'].values()) else 'NO'}.",
        "",
        "RSS (KiB, from /proc/<pid>/status) after the warm-up and at the end:",
        "",
        "| process | start | end | change |",
        "|---|---:|---:|---:|",
    ]
    for pid, values in f["rss_kib"].items():
        name = "db_worker" if int(pid) == f["task_worker"] else "gunicorn worker"
        start, end = values.get("start", 0), values.get("end", 0)
        change = f"{(end - start) / start:+.1%}" if start else "n/a"
        lines.append(f"| {name} {pid} | {start:,} | {end:,} | {change} |")
    lines += ["", f"Verdict: {'OK' if f['ok'] else 'FAILED'}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
