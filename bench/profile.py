"""
Where the uncached reader pages spend their time: each page profiled
in-process with pyinstrument (Django's test client, settings from the
environment, full-page cache off, fragment cache warmed by two requests
first), on the database DATABASE_URL names.

    DATABASE_URL=postgres://…/newsarchive_bench CACHE_URL=redis://…/2 \\
        DEBUG=false SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1,testserver \\
        .venv/bin/python bench/profile.py [--runs N] [--json]

Writes bench/results/<date>-<commit>-profile.md: per page the median time,
the query count and pyinstrument's call tree over the N profiled requests
(library frames folded, frames under 2 % left out). --json prints one JSON
line at the end: {"profile": "<md path relative to the checkout>",
"pages": [{"label", "path", "ms", "queries", "top": [[frame, percent], …]}]},
"top" being the frames with the most own time across the profiled requests.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
os.environ["PAGE_CACHE"] = "false"

from revision import short_commit  # noqa: E402 - after the path is set

FEATURE = "/2025/11/14/harbor-authority-approves-storm-wall/"
PAGES = [
    ("feature article", FEATURE),
    ("home", "/"),
    ("month archive", "/2025/11/"),
    ("feed", "/feed/"),
    ("section", "/section/metro/"),
    ("search", "/search/?q=harbor"),
]
RUNS = 50
WARM = 2
# The tree leaves out frames under this share of the page's time.
CUTOFF_PERCENT = 2.0
TOP = 12


# Where own (self) time is spent, by the code's kind: the first pattern
# matching the frame's file names it.
KINDS = [
    ("SQL round trips and rows (psycopg)", "/psycopg"),
    ("ORM: building queries, making rows (django/db)", "/django/db/"),
    ("templates (django/template, templatetags)", "/django/template"),
    ("templates (django/template, templatetags)", "/templatetags/"),
    ("cache (redis, pickle)", "/redis/"),
    ("cache (redis, pickle)", "newsarchive/cache.py"),
    ("URL reversing and resolving (django/urls)", "/django/urls/"),
    ("feeds (django/utils/feedgenerator, syndication)", "feedgenerator"),
    ("feeds (django/utils/feedgenerator, syndication)", "syndication"),
    ("text, dates, escaping (django/utils)", "/django/utils/"),
    ("middleware and handlers (django/core, django/middleware)", "/django/core/"),
    ("middleware and handlers (django/core, django/middleware)", "/django/middleware/"),
    ("sessions, auth, messages (django/contrib)", "/django/contrib/"),
    ("test client (django/test)", "/django/test/"),
    ("other Django", "/django/"),
    ("our code (articles, comments, newsarchive)", "/articles/"),
    ("our code (articles, comments, newsarchive)", "/comments/"),
    ("our code (articles, comments, newsarchive)", "/newsarchive/"),
]


def _kind(frame) -> str:
    path = frame.file_path or ""
    for name, pattern in KINDS:
        if pattern in path:
            return name
    return "Python and other libraries"


def _walk(frame, own: dict, ours: dict, seen: tuple = ()) -> None:
    """Own time by kind; total time of each of our functions (once per stack,
    so recursion is not counted twice)."""
    # A synthetic "[self]" child's time is in its parent's total_self_time.
    if frame.is_synthetic:
        return
    kind = _kind(frame)
    own[kind] = own.get(kind, 0.0) + frame.total_self_time
    path = frame.file_path or ""
    key = None
    if str(ROOT) in path and "/.venv/" not in path and "/bench/" not in path:
        key = f"{frame.function} ({path.removeprefix(str(ROOT) + '/')}:{frame.line_no})"
        if key not in seen and not frame.function.endswith("__call__"):
            ours[key] = ours.get(key, 0.0) + frame.time
            seen = (*seen, key)
    for child in frame.children:
        _walk(child, own, ours, seen)


def _recorder(sql: list[str]):
    def record(execute, statement, params, many, context):
        sql.append(statement)
        return execute(statement, params, many, context)

    return record


# Our code and the Django layers we tune stay in the tree; the rest is folded.
SHOW = r".*/(articles|comments|newsarchive)/|.*/django/(views|template|db/models/query\.py|contrib/syndication)"
HIDE = r".*/django/core/handlers/exception\.py|.*/django/utils/deprecation\.py"


def profile_page(client, path: str, runs: int) -> dict:
    from django.db import connection
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    for _ in range(WARM):
        response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (path, response.status_code)
    times = []
    # Timed without the profiler first: its sampling slows every frame.
    for _ in range(runs):
        sql: list[str] = []
        began = time.perf_counter()
        with connection.execute_wrapper(_recorder(sql)):
            client.get(path, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - began) * 1000)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(runs):
        client.get(path, HTTP_HOST="127.0.0.1")
    profiler.stop()
    session = profiler.last_session
    root = session.root_frame() if session else None
    tree = ""
    top: list = []
    if root is not None:
        tree = ConsoleRenderer(
            unicode=True,
            color=False,
            show_all=False,
            time="percent_of_total",
            processor_options={
                "filter_threshold": CUTOFF_PERCENT / 100,
                "show_regex": SHOW,
                "hide_regex": HIDE,
            },
        ).render(session)
        own: dict = {}
        ours: dict = {}
        _walk(root, own, ours)
        whole = root.time or 1.0
        top = [
            [f"own time: {name}", round(100 * seconds / whole, 1)]
            for name, seconds in sorted(own.items(), key=lambda kv: -kv[1])
            if seconds / whole >= 0.01
        ] + [
            [f"under: {name}", round(100 * seconds / whole, 1)]
            for name, seconds in sorted(ours.items(), key=lambda kv: -kv[1])[:TOP]
            if seconds / whole >= CUTOFF_PERCENT / 100
        ]
    return {
        "ms": round(statistics.median(times), 2),
        "queries": len(sql),
        "sql": sql,
        "tree": tree,
        "top": top,
    }


def write_markdown(pages: list[dict], runs: int) -> Path:
    from django.conf import settings

    commit = short_commit()
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    out = ROOT / "bench" / "results" / f"{today}-{commit}-profile.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Uncached reader pages, profiled at {commit}",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; DEBUG={settings.DEBUG}, "
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"full-page cache off, fragment cache warm ({WARM} requests first). "
        f"Median of {runs} unprofiled requests, then {runs} under pyinstrument "
        f"(library frames folded, frames under {CUTOFF_PERCENT:g} % left out).",
        "",
        "| page | path | median ms | queries |",
        "|---|---|---:|---:|",
    ]
    lines += [
        f"| {p['label']} | `{p['path']}` | {p['ms']:.1f} | {p['queries']} |"
        for p in pages
    ]
    for p in pages:
        lines += ["", f"## {p['label']} — {p['ms']:.1f} ms, {p['queries']} queries", ""]
        lines += ["Queries:", ""]
        lines += [f"{n}. `{sql[:300]}`" for n, sql in enumerate(p["sql"], 1)]
        lines += ["", "Most own time:", ""]
        lines += [f"- {pct:.1f} % {name}" for name, pct in p["top"]]
        lines += ["", "```", p["tree"].strip(), "```"]
    out.write_text("\n".join(lines) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", help="profile only pages whose label has this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    client = Client()
    pages = []
    for label, path in PAGES:
        if args.only and args.only not in label:
            continue
        print(f"profiling {label} …", file=sys.stderr)
        pages.append(
            {"label": label, "path": path, **profile_page(client, path, args.runs)}
        )
    out = write_markdown(pages, args.runs)
    print(f"wrote {out.relative_to(ROOT)}", file=sys.stderr)
    if args.json:
        print(
            json.dumps(
                {
                    "profile": str(out.relative_to(ROOT)),
                    "pages": [
                        {k: p[k] for k in ("label", "path", "ms", "queries", "top")}
                        for p in pages
                    ],
                }
            )
        )


if __name__ == "__main__":
    main()
