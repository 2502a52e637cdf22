"""
Every goal of the speed issue measured in one run (what `bench/run` does):
the reader pages from the full-page cache and uncached, each beside the
same run's static-file rate and WordPress's figures; query counts; worker
RSS; the comment POST with the local Akismet server answering in 50 ms and
timing out; with --scale the pages at 100k articles / 1M comments against
2k / 10k, first-time searches and the EXPLAIN plans (bench/scale.py).
Writes bench/results/<date>-<commit>.md and .json.

    bench/run                        # about 12 minutes
    bench/run --scale                # plus the archive-scale run (builds it once)
    bench/run --smoke                # 1 s per wrk run, small sizes: a CI-sized check
    bench/run --wordpress URL        # also measure the WordPress peer, page by page

WordPress ratios come from ../shared/bench/wordpress-baseline.md (its side by
side table, classic theme) unless --wordpress names a running peer
(../shared/peers/wordpress/up.sh), which is then measured in the same turns.
Loopback only; needs PostgreSQL and Redis on 127.0.0.1 and wrk.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from revision import short_commit
from servers import Server, bench_env, worker_connections, wrk

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
BASELINE = ROOT.parent / "shared" / "bench" / "wordpress-baseline.md"
FEATURE = "/2025/11/14/harbor-authority-approves-storm-wall/"
WP_FEATURE = "/2025/12/15/feature-harbor-storm/"

# The goals.
CACHED_SHARE = 0.60  # of the static-file rate, same run
CACHED_P99_MS = 15.0
RSS_MB = 100
SEARCH_P95_MS = 50


@dataclass
class Page:
    key: str
    label: str
    path: str
    wordpress: str | None = None  # the same page on the WordPress peer
    uncached_goal: float | None = None  # req/s at c=16 (the table)
    cached_goal: bool = True  # held to the full-page cache goals


PAGES = [
    Page("feature", "feature article, 50 comments", FEATURE, WP_FEATURE, 300),
    Page("home", "home", "/", "/", 600),
    Page("month", "month archive", "/2025/11/", "/2025/11/", 600),
    Page("year", "year archive", "/2025/"),
    Page("feed", "feed", "/feed/", "/feed/", 600),
    Page("section", "section", "/section/metro/"),
    Page("tag", "tag", "/tag/{tag}/"),
    Page("author", "author", "/author/ana-ortiz/"),
    Page("source", "source", "/source/reuters/"),
    Page("section_feed", "section feed", "/section/metro/feed/"),
    Page("search", 'search "harbor"', "/search/?q=harbor", "/?s=harbor", 300, False),
]


def _env() -> dict[str, str]:
    env = bench_env()
    # The servers (servers.Server) read these from the environment too.
    os.environ.update(BENCH_DB=env["BENCH_DB"], BENCH_REDIS_DB=env["BENCH_REDIS_DB"])
    return env


def _run(args: list[str], env: dict, **kwargs) -> str:
    return subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        args, cwd=ROOT, env=env, check=True, capture_output=True, text=True, **kwargs
    ).stdout


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def seed(env: dict) -> None:
    print("== seeding the benchmark database (bench/seed.py)", file=sys.stderr)
    _run([PY, "bench/seed.py"], env)
    _run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=int(env["BENCH_REDIS_DB"])).flushdb()


def resolve_paths(env: dict) -> None:
    """Fill in slugs the seed picks (a tag's), so the pages exist."""
    tag = _run(
        [
            "/usr/bin/psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-Atc",
            "SELECT slug FROM articles_tag ORDER BY id LIMIT 1",
            env["BENCH_DB"],
        ],
        env,
    ).strip()
    for page in PAGES:
        page.path = page.path.format(tag=tag)


def query_counts(env: dict, *, page_cache: bool) -> dict[str, list[int]]:
    """Each page's queries: the first request and the steady state after it."""
    out = _run(
        [PY, "bench/query_counts.py", *(page.path for page in PAGES)],
        {**env, "PAGE_CACHE": "true" if page_cache else "false"},
    )
    counts = {}
    for line in out.splitlines():
        path, status, _size, first, again = line.split()
        if status != "200":
            sys.exit(f"{path} answered HTTP {status} in-process")
        counts[path] = [int(first), int(again)]
    return counts


def drain(base: str, workers: int) -> None:
    """
    Once wrk stops, the server still works through what it had queued; a slow
    page would bleed into the next run. Probes queue behind that backlog, so
    when they all return the server is idle again.
    """

    def probe():
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/robots.txt", timeout=120).read()  # noqa: S310

    threads = [threading.Thread(target=probe) for _ in range(workers * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure_pages(servers: dict, static: str, args, wordpress: str | None) -> dict:
    seconds, c1_seconds = args.seconds, max(args.seconds // 2, 1)
    results = {}
    for page in PAGES:
        row = {"path": page.path, "label": page.label}
        targets = {mode: server.base + page.path for mode, server in servers.items()}
        if wordpress and page.wordpress:
            targets["wordpress"] = wordpress + page.wordpress

        def run(name: str, url: str, connections: int, length: int):
            server = servers.get(name)
            seen = []
            if server and connections > 1:
                # Half-way through: how wrk's connections sit on the workers.
                timer = threading.Timer(
                    length / 2, lambda: seen.append(server.connections_per_worker())
                )
                timer.start()
            result = wrk(url, seconds=length, connections=connections)
            if server:
                if connections > 1:
                    timer.join()
                    result["connections_per_worker"] = seen[0] if seen else None
                drain(server.base, args.workers)
            return result

        for url in targets.values():
            wrk(url, seconds=1, connections=4)  # warm: fragments, connections
        # Turns, so that the machine's load drifts alike over all of them.
        for name, url in targets.items():
            row[name] = run(name, url, 16, seconds)
        row["static"] = run("cached", servers["cached"].base + static, 16, seconds)
        for name, url in targets.items():
            row[f"{name}_c1"] = run(name, url, 1, c1_seconds)
        for name in targets:
            row[f"{name}_vs_static"] = round(row[name]["rps"] / row["static"]["rps"], 3)
        print(
            f"  {page.label}: cached {row['cached']['rps']:.0f} req/s "
            f"({row['cached_vs_static']:.0%} of static), uncached "
            f"{row['uncached']['rps']:.0f}, static {row['static']['rps']:.0f}"
            + (
                f", WordPress {row['wordpress']['rps']:.0f}"
                if "wordpress" in row
                else ""
            ),
            file=sys.stderr,
        )
        results[page.key] = row
    return results


def wordpress_baseline() -> dict:
    """
    WordPress classic's c=16 req/s and c=1 p50 per page, from the side by side
    table of the baseline (its latest one-run figures).
    """
    if not BASELINE.exists():
        return {}
    text = BASELINE.read_text()
    table = text[text.find("## Side by side") :]
    names = {
        "feature article, 50 comments": "feature",
        "home `/`": "home",
        "month archive `/2025/11/`": "month",
        "feed `/feed/`": "feed",
        'search "harbor"': "search",
    }
    figures = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells and cells[0] in names:
            p50 = re.match(r"([\d.]+) ms", cells[4])
            figures[names[cells[0]]] = {
                "rps": float(cells[1]),
                "c1_p50_ms": float(p50.group(1)) if p50 else None,
            }
    return figures


def comment_post(env: dict, *, smoke: bool) -> dict:
    print("== comment POST (bench/comment_post.py)", file=sys.stderr)
    posts = ["--posts", "20"] if smoke else []
    return _last_json(_run([PY, "bench/comment_post.py", "--json", *posts], env))


def profile(env: dict) -> dict | None:
    """Where the uncached pages spend their time (bench/profile.py)."""
    if not (ROOT / "bench" / "profile.py").exists():
        return None
    print("== profiles of the uncached pages (bench/profile.py)", file=sys.stderr)
    return _last_json(
        _run([PY, "bench/profile.py", "--json"], {**env, "PAGE_CACHE": "false"})
    )


def scale(*, smoke: bool) -> dict:
    print("== archive scale (bench/scale.py)", file=sys.stderr)
    import scale as scale_run

    return scale_run.run(rebuild=False, smoke=smoke)


def goals(report: dict) -> list[dict]:
    """Each goal of the issue, with the figure that meets or misses it."""
    rows = []

    def goal(name: str, measured: str, met: bool | None):
        rows.append({"goal": name, "measured": measured, "met": met})

    pages = report["pages"]
    held = [PAGES_BY_KEY[key] for key in pages if PAGES_BY_KEY[key].cached_goal]
    share = {page.key: pages[page.key]["cached_vs_static"] for page in held}
    lowest = min(share, key=share.get)
    goal(
        f"cached pages at ≥ {CACHED_SHARE:.0%} of the static-file rate",
        f"lowest: {PAGES_BY_KEY[lowest].label} {share[lowest]:.0%}; "
        f"{sum(v >= CACHED_SHARE for v in share.values())} of {len(share)} pages met",
        all(v >= CACHED_SHARE for v in share.values()),
    )
    p99 = {page.key: pages[page.key]["cached"]["p99_ms"] for page in held}
    worst = max(p99, key=p99.get)
    goal(
        f"cached p99 < {CACHED_P99_MS:.0f} ms at c=16",
        f"worst: {PAGES_BY_KEY[worst].label} {p99[worst]:.1f} ms; "
        f"{sum(v < CACHED_P99_MS for v in p99.values())} of {len(p99)} pages met",
        all(v < CACHED_P99_MS for v in p99.values()),
    )
    for page in PAGES:
        if page.uncached_goal:
            rps = pages[page.key]["uncached"]["rps"]
            goal(
                f"uncached {page.label} ≥ {page.uncached_goal:.0f} req/s",
                f"{rps:.0f} req/s",
                rps >= page.uncached_goal,
            )
    c1 = pages["feature"]["uncached_c1"]["p50_ms"]
    goal("uncached feature article c=1 p50 < 5 ms", f"{c1:.1f} ms", c1 < 5)
    rss = [mb for sizes in report["rss_mb"].values() for mb in sizes]
    goal(
        f"each app worker < {RSS_MB} MB RSS after the run",
        f"largest {max(rss):.1f} MB",
        max(rss) < RSS_MB,
    )
    for case in report["comment_post"]["cases"]:
        if "answering in" in case["case"] or "timing out" in case["case"]:
            goal(
                f"comment POST, {case['case']}: p99 < {case['goal_p99_ms']:.0f} ms",
                f"p99 {case['p99_ms']:.1f} ms",
                case["met"],
            )
    post = report["comment_post"]
    goal(
        "every comment posted is saved",
        f"{post['stored']} of {post['posted']}",
        post["all_saved"],
    )
    if report.get("scale"):
        big = report["scale"]
        sizes = (
            f"{big['large']['articles']:,} articles / {big['large']['comments']:,} comments",
            f"{big['small']['articles']:,} / {big['small']['comments']:,}",
        )
        within = [row for row in big["pages"] if row["ratio"] is not None]
        slowest = max(within, key=lambda row: row["ratio"])
        goal(
            f"at {sizes[0]} every page within 20 % of {sizes[1]}",
            f"worst: {slowest['page']} ×{slowest['ratio']}",
            all(row["ratio"] <= 1.2 for row in within),
        )
        queue = [row for row in big["pages"] if "queue" in row["page"]]
        slowest = max(queue, key=lambda row: row["large_ms"])
        goal(
            f"moderation queue < 50 ms in-process at {sizes[0]}",
            f"slowest: {slowest['page']} {slowest['large_ms']:.1f} ms",
            all(row["large_ms"] < 50 for row in queue),
        )
        search = big["search_first_time"]["large"]
        goal(
            f"first-time searches p95 < {SEARCH_P95_MS} ms at {sizes[0]}",
            f"p95 {search['p95_ms']:.1f} ms over {search['queries']} queries",
            search["p95_ms"] < SEARCH_P95_MS,
        )
    else:
        goal("archive scale (100k / 1M)", "not run: bench/run --scale", None)
    return rows


PAGES_BY_KEY = {page.key: page for page in PAGES}


def _spread(result: dict) -> str:
    held = result.get("connections_per_worker")
    return "+".join(map(str, held)) if held else "?"


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.1f}×" if theirs else "—"


CORES = os.cpu_count() or 2


def _even(spread: list[int] | None) -> bool | None:
    """Whether a run's connections sat evenly on the workers (within 2)."""
    return None if not spread else max(spread) - min(spread) <= 2


PROBE_LABEL = "a pure-Python loop of 10⁷ additions (best of 3)"


def speed_probe() -> float:
    """
    How fast this machine runs Python now, in ms: its speed moves by 2-3×
    between turns (WordPress's own rate with it), and a run's figures mean
    something beside another's only with that known.
    """
    times = []
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        times.append((time.perf_counter() - began) * 1000)
    return round(min(times), 1)


def static_tail(pages: dict) -> str:
    """
    The p99 of the static file (whitenoise, no view, no cache read) in the
    same turns: the floor under any page's tail on this machine, where wrk
    and the workers share the cores.
    """
    tails = sorted(row["static"]["p99_ms"] for row in pages.values())
    under = sum(ms < CACHED_P99_MS for ms in tails)
    cached = [
        row["cached"]["p99_ms"] / row["static"]["p99_ms"]
        for key, row in pages.items()
        if PAGES_BY_KEY[key].cached_goal and row["static"]["p99_ms"]
    ]
    return (
        f"- **The static file's own p99** at c=16, measured next to each page: "
        f"{tails[0]:.1f}–{tails[-1]:.1f} ms, under {CACHED_P99_MS:.0f} ms in {under} "
        f"of {len(tails)} turns. Cached pages' p99 against it: median "
        f"×{statistics.median(cached):.2f}. A tail the file alone cannot keep "
        "under the goal is the machine's (wrk and the workers share its "
        f"{CORES} cores), not the page cache's."
    )


def in_the_way(report: dict) -> list[str]:
    """
    For each goal this run missed, what its own figures say stands in the
    way: the in-process time and the ceiling it sets on 2 cores, the profile's
    heaviest parts, how the connections sat on the workers, the slowest rows.
    """
    missed = {row["goal"] for row in report["goals"] if row["met"] is False}
    pages = report["pages"]
    profiled = {p["path"]: p for p in (report.get("profile") or {}).get("pages", [])}
    lines = []
    for page in PAGES:
        if (
            not page.uncached_goal
            or f"uncached {page.label} ≥ {page.uncached_goal:.0f} req/s" not in missed
        ):
            continue
        rps = pages[page.key]["uncached"]["rps"]
        text = (
            f"- **Uncached {page.label}**: {rps:.0f} of {page.uncached_goal:.0f} req/s."
        )
        spread = pages[page.key]["uncached"].get("connections_per_worker")
        if spread:
            even = "evenly" if _even(spread) else "unevenly: one worker did most"
            text += (
                f" The run's connections sat {'+'.join(map(str, spread))} on the "
                f"workers ({even})."
            )
        found = profiled.get(page.path)
        if found:
            ceiling = CORES * 1000 / found["ms"]
            text += (
                f" One view takes {found['ms']:.1f} ms in-process ({found['queries']} "
                f"queries): at that cost {CORES} cores serve about {ceiling:.0f} req/s, "
                f"and the goal needs {CORES * 1000 / page.uncached_goal:.1f} ms or less. "
                "Heaviest: "
                + "; ".join(
                    f"{frame} {share:.0f} %" for frame, share in found["top"][:3]
                )
                + "."
            )
        lines.append(text)
    if "uncached feature article c=1 p50 < 5 ms" in missed:
        c1 = pages["feature"]["uncached_c1"]["p50_ms"]
        found = profiled.get(PAGES_BY_KEY["feature"].path)
        lines.append(
            f"- **Feature article at c=1**: p50 {c1:.1f} ms"
            + (
                f"; the view alone takes {found['ms']:.1f} ms in-process, and the "
                "goal needs the whole round trip under 5 ms."
                if found
                else "."
            )
        )
    share_goal = f"cached pages at ≥ {CACHED_SHARE:.0%} of the static-file rate"
    p99_goal = f"cached p99 < {CACHED_P99_MS:.0f} ms at c=16"
    if share_goal in missed or p99_goal in missed:
        held = [p for p in PAGES if p.cached_goal and p.key in pages]
        runs = [
            (pages[p.key], _even(pages[p.key]["cached"].get("connections_per_worker")))
            for p in held
        ]
        for even, name in ((True, "evenly"), (False, "unevenly")):
            chosen = [row for row, e in runs if e is even]
            if chosen:
                met = sum(row["cached_vs_static"] >= CACHED_SHARE for row in chosen)
                fast = sum(row["cached"]["p99_ms"] < CACHED_P99_MS for row in chosen)
                lines.append(
                    f"- **Cached pages whose connections sat {name}** on the workers: "
                    f"{len(chosen)}; {met} met the share, {fast} the p99 "
                    "(keep-alive connections stay with the worker that accepted them)."
                )
        below = [
            f"{p.label} {pages[p.key]['cached_vs_static']:.0%} "
            f"({_spread(pages[p.key]['cached'])}, p99 {pages[p.key]['cached']['p99_ms']:.1f} ms)"
            for p in held
            if pages[p.key]["cached_vs_static"] < CACHED_SHARE
            or pages[p.key]["cached"]["p99_ms"] >= CACHED_P99_MS
        ]
        statics = sorted(row["static"]["rps"] for row in pages.values())
        lines.append(
            "- **Cached pages short of a goal**: " + "; ".join(below) + ". The static "
            f"file itself ran at {statics[0]:.0f}–{statics[-1]:.0f} req/s in this run."
        )
        if p99_goal in missed:
            lines.append(static_tail(pages))
    big = report.get("scale")
    if big:
        slow = [r for r in big["pages"] if r["ratio"] is not None and r["ratio"] > 1.2]
        if slow:
            lines.append(
                "- **Pages slower at scale**: "
                + "; ".join(
                    f"{r['page']} {r['small_ms']:.1f} → {r['large_ms']:.1f} ms (×{r['ratio']}, "
                    f"{r['small_queries']} / {r['large_queries']} queries)"
                    for r in slow
                )
                + f". Their plans: `{big['explain']}`."
            )
        queue = [
            r for r in big["pages"] if "queue" in r["page"] and r["large_ms"] >= 50
        ]
        if queue:
            lines.append(
                "- **Moderation queue over 50 ms at scale**: "
                + "; ".join(
                    f"{r['page']} {r['large_ms']:.1f} ms (small {r['small_ms']:.1f})"
                    for r in queue
                )
                + "."
            )
        first = big["search_first_time"]
        if not first["met"]:
            lines.append(
                f"- **First-time searches**: p95 {first['large']['p95_ms']} ms at the "
                f"large size against {first['small']['p95_ms']} ms at the small one "
                f"(p50 {first['large']['p50_ms']} / {first['small']['p50_ms']}); their "
                f"plans are in `{big['explain']}`."
            )
    return lines


def write(report: dict) -> Path:
    meta = report["meta"]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = (
        out / f"{meta['date'][:10]}-{meta['commit']}{'-smoke' if meta['smoke'] else ''}"
    )
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    wp_live = meta["wordpress"] == "measured in this run"
    lines = [
        f"# bench/run, {meta['date']} ({meta['commit']}){' — smoke' if meta['smoke'] else ''}",
        "",
        f"- Machine: {meta['machine']}; load average {' '.join(meta['load_before'])} "
        f"before, {' '.join(meta['load_after'])} after; "
        + (
            f"its speed: {PROBE_LABEL} took {meta['probe_ms'][0]:.0f} ms before and "
            f"{meta['probe_ms'][1]:.0f} ms after (the same loop, so runs on other "
            "days compare by it and by WordPress's rate)."
            if meta.get("probe_ms")
            else "its speed was not probed."
        ),
        f"- Server: {meta['server']}, DEBUG=false, PostgreSQL + Redis, loopback; "
        "one server with the full-page cache on, one with it off (fragments warm).",
        f"- Load: wrk -t2 -c16 {meta['seconds']} s and -t1 -c1 "
        f"{max(meta['seconds'] // 2, 1)} s per page and mode, in turns with the "
        "static file (whitenoise, site CSS) measured next to each page.",
        f"- Data: bench/seed.py (2,001 articles, feature article with 50 comments). "
        f"WordPress: {meta['wordpress']}.",
        "",
        "## Goals",
        "",
        "| goal | measured | |",
        "|---|---|---|",
    ]
    for row in report["goals"]:
        verdict = {True: "met", False: "**missed**", None: "—"}[row["met"]]
        lines.append(f"| {row['goal']} | {row['measured']} | {verdict} |")
    lines += [
        "",
        "## Reader pages",
        "",
        "req/s at c=16; “of static” is the share of the static file's rate "
        "measured next to the page; queries: uncached first / again, cached hit.",
        "",
        "| page | cached req/s | of static | p99 | c=1 p50 | uncached req/s | p99 | "
        "c=1 p50 | queries | WordPress req/s | uncached / WP | cached / WP "
        "| connections per worker (cached / uncached / static) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, row in report["pages"].items():
        cached, uncached = row["cached"], row["uncached"]
        wp = row.get("wordpress") or report["wordpress_baseline"].get(key)
        wp_rps = wp["rps"] if wp else None
        counts = report["queries"]
        first, again = counts["uncached"][row["path"]]
        hit = counts["cached"][row["path"]][1]
        lines.append(
            f"| {row['label']} | {cached['rps']:.0f} | {row['cached_vs_static']:.0%} "
            f"| {cached['p99_ms']:.1f} ms | {row['cached_c1']['p50_ms']:.2f} ms "
            f"| {uncached['rps']:.0f} | {uncached['p99_ms']:.0f} ms "
            f"| {row['uncached_c1']['p50_ms']:.1f} ms | {first} / {again}, {hit} "
            f"| {f'{wp_rps:.1f}' if wp_rps else '—'} | {_ratio(uncached['rps'], wp_rps)} "
            f"| {_ratio(cached['rps'], wp_rps)} "
            f"| {' / '.join(_spread(row[name]) for name in ('cached', 'uncached', 'static'))} |"
        )
    statics = sorted(row["static"]["rps"] for row in report["pages"].values())
    lines += [
        "",
        f"Static file: {statics[0]:.0f}–{statics[-1]:.0f} req/s over the run "
        f"(median {statics[len(statics) // 2]:.0f}). A run whose connections sat "
        "unevenly on the workers (e.g. 16+0) measures up to half the rate of an even "
        "one (8+8): keep-alive connections stay with the worker that took them. "
        "WordPress figures are "
        + (
            "from this run."
            if wp_live
            else "from `../shared/bench/wordpress-baseline.md` (side by side, "
            "classic theme), not this run: ratios across runs move ±20 %."
        ),
        "",
        f"Worker RSS after the run (MB): cached {report['rss_mb']['cached']}, "
        f"uncached {report['rss_mb']['uncached']}.",
        "",
        "## Comment POST",
        "",
        f"In-process through the form, the pipeline and the local Akismet-protocol "
        f"server over HTTP ({report['comment_post']['database']}); Akismet timeout "
        f"{report['comment_post']['akismet_timeout_s']:g} s.",
        "",
        "| case | posts | median | p95 | p99 | goal p99 | |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in report["comment_post"]["cases"]:
        lines.append(
            f"| {case['case']} | {case['timed']} | {case['median_ms']:.1f} ms "
            f"| {case['p95_ms']:.1f} ms | {case['p99_ms']:.1f} ms "
            f"| < {case['goal_p99_ms']:.0f} ms | {'met' if case['met'] else '**missed**'} |"
        )
    if report.get("scale"):
        big = report["scale"]
        lines += [
            "",
            f"## At {big['large']['articles']:,} articles / "
            f"{big['large']['comments']:,} comments against "
            f"{big['small']['articles']:,} / {big['small']['comments']:,}",
            "",
            "In-process (test client, median of 7, fragments warm, full-page cache "
            f"off), the best of {big.get('alternations', 2)} alternating runs per size.",
            "",
            "| page | small | large | ratio | queries | |",
            "|---|---|---|---|---|---|",
        ]
        for row in big["pages"]:
            lines.append(
                f"| {row['page']} | {row['small_ms']:.1f} ms | {row['large_ms']:.1f} ms "
                f"| {row['ratio']} | {row['small_queries']} / {row['large_queries']} "
                f"| {'met' if row['met'] else '**missed**'} |"
            )
        first = big["search_first_time"]
        lines += [
            "",
            f"First-time searches ({first['large']['queries']} queries no one asked "
            f"before, each once): p50 {first['small']['p50_ms']} / "
            f"{first['large']['p50_ms']} ms, p95 {first['small']['p95_ms']} / "
            f"{first['large']['p95_ms']} ms (small / large).",
            "",
            f"EXPLAIN ANALYZE of the list queries at the large size: `{big['explain']}`.",
        ]
    if report.get("profile"):
        lines += [
            "",
            "## Where the uncached pages spend their time",
            "",
            f"pyinstrument profiles: `{report['profile']['profile']}`.",
            "",
        ]
        for page in report["profile"]["pages"]:
            top = "; ".join(
                f"{frame} {share:.0f} %" for frame, share in page["top"][:4]
            )
            lines.append(
                f"- **{page['label']}** ({page['ms']:.1f} ms, {page['queries']} "
                f"queries): {top}"
            )
    obstacles = in_the_way(report)
    if obstacles:
        lines += ["", "## What stands in the way of the missed goals", "", *obstacles]
    lines += ["", "## To reproduce", "", "```", *meta["commands"], "```", ""]
    stem.with_suffix(".md").write_text("\n".join(lines))
    return stem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="1 s runs, small sizes")
    parser.add_argument("--scale", action="store_true", help="add the 100k / 1M run")
    parser.add_argument("--wordpress", metavar="URL", help="a running WordPress peer")
    parser.add_argument("--no-seed", action="store_true", help="reuse BENCH_DB as is")
    args = parser.parse_args()
    if args.smoke:
        args.seconds = 1
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    if args.wordpress and not re.match(
        r"http://(127\.0\.0\.1|localhost)[:/]", args.wordpress
    ):
        sys.exit("--wordpress must be a loopback URL")
    env = _env()
    if not args.no_seed:
        seed(env)
    resolve_paths(env)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    probe_before = speed_probe()
    report: dict = {"pages": {}, "wordpress_baseline": wordpress_baseline()}
    print("== query counts (in-process)", file=sys.stderr)
    report["queries"] = {
        mode: query_counts(env, page_cache=mode == "cached")
        for mode in ("uncached", "cached")
    }
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    static = "/static/" + manifest["paths"]["css/site.css"]
    servers = {}
    key = env["SECRET_KEY"]
    try:
        servers = {
            mode: Server(
                page_cache=mode == "cached",
                workers=args.workers,
                threads=args.threads,
                key=key,
            )
            for mode in ("cached", "uncached")
        }
        print("== reader pages (wrk)", file=sys.stderr)
        report["pages"] = measure_pages(servers, static, args, args.wordpress)
        report["rss_mb"] = {mode: s.worker_rss_mb() for mode, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    report["comment_post"] = comment_post(env, smoke=args.smoke)
    report["profile"] = profile(env)
    report["scale"] = scale(smoke=args.smoke) if args.scale else None
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    report["meta"] = {
        "date": datetime.now(UTC).isoformat(timespec="minutes"),
        "commit": short_commit(),
        "smoke": args.smoke,
        "seconds": args.seconds,
        "machine": f"{os.cpu_count()} cores ({cpu})",
        "server": f"gunicorn {args.workers} workers × {args.threads} threads (gthread, "
        f"at most {worker_connections(args.threads)} connections each)",
        "load_before": load_before,
        "probe_ms": [probe_before, speed_probe()],
        "load_after": Path("/proc/loadavg").read_text().split()[:3],
        "wordpress": "measured in this run"
        if args.wordpress
        else "figures from ../shared/bench/wordpress-baseline.md",
        "pages": [asdict(page) for page in PAGES],
        "commands": [
            "bench/run " + " ".join(sys.argv[1:]),
            f"# BENCH_DB={env['BENCH_DB']} BENCH_REDIS_DB={env['BENCH_REDIS_DB']}",
        ],
    }
    report["goals"] = goals(report)
    stem = write(report)
    print((stem.with_suffix(".md")).read_text())
    print(f"wrote {stem.relative_to(ROOT)}.md and .json", file=sys.stderr)


if __name__ == "__main__":
    main()
