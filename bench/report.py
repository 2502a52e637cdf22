"""
Turn bench/run's raw wrk output into bench/RESULTS.md, beside the WordPress
figures from /work/shared/bench/wordpress-baseline.md.

    .venv/bin/python bench/report.py RAW_DIR OUT.md
    .venv/bin/python bench/report.py --layout OUT.md   # the table, no figures

RAW_DIR holds pages.tsv (key, label, path, bytes, queries), <key>.c16.txt and
<key>.c1.txt (wrk --latency output), and meta.txt, free.txt, commands.txt.
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

# WordPress 6.1.9 / PHP 8.2 / MariaDB on the same kind of 2-core machine:
# (c=16 req/s, c=16 p50 ms, c=16 p99 ms, c=1 p50 ms); None where not measured.
WP_STOCK = {
    "feature": (13.4, 1160, 1440, 124),
    "home": (42.7, 356, 1180, 38.8),
    "search": (34.1, 461, 613, 55.6),
    "month": (48.1, 327, 512, 37.5),
    "feed": (75.1, 209, 331, 24.1),
}
WP_CLASSIC = {
    "feature": (60.7, 261, 344, 29.9),
    "home": (60.4, 234, 409, None),
    "search": (38.9, 398, 575, None),
    "month": (70.4, 224, 308, None),
}
NGINX_STATIC_RPS = 25600  # a 90 KB file, c=16

PAGES = [
    ("feature", "feature article, 50 comments"),
    ("home", "home `/`"),
    ("month", "month archive `/2025/11/`"),
    ("feed", "feed `/feed/`"),
    ("search", "search `/search/?q=harbor`"),
    ("static_css", "static CSS (whitenoise)"),
    ("static_90k", "static 87 KB JS (whitenoise)"),
]

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


@dataclass
class Wrk:
    rps: float
    p50: float
    p99: float
    requests: int
    errors: int  # socket errors + non-2xx/3xx responses


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS_MS[unit]


def parse_wrk(text: str) -> Wrk:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    errors = sum(map(int, socket.groups())) if socket else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return Wrk(
        rps, p50, p99, requests, errors + (int(non2xx.group(1)) if non2xx else 0)
    )


def fmt_ms(ms: float | None) -> str:
    if not ms:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_rps(rps: float | None) -> str:
    return "—" if rps is None else f"{rps:,.1f}" if rps < 100 else f"{rps:,.0f}"


def errors(run: Wrk) -> str:
    # wrk prints zeros when no response came back in time: say so.
    return "no responses" if run.requests == 0 else str(run.errors)


def ratio(ours: float | None, theirs: float | None) -> str:
    if theirs is None:
        return "—"  # WordPress not measured there
    if ours is None:
        return "…"  # layout only, not yet measured
    if ours == 0:
        return "—"  # no responses (wrk prints zero latencies then)
    return f"{ours / theirs:.2f}×"


def tables(raw: Path | None) -> list[str]:
    rows: dict[str, dict] = {}
    if raw is not None:
        for line in (raw / "pages.tsv").read_text().splitlines():
            key, label, path, size, queries = line.split("\t")
            rows[key] = {
                "path": path,
                "size": int(size),
                "queries": queries,
                "c16": parse_wrk((raw / f"{key}.c16.txt").read_text()),
                "c1": parse_wrk((raw / f"{key}.c1.txt").read_text()),
            }
    out = [
        "### c=16 (`wrk -t2 -c16 --latency`)",
        "",
        "Ratios are ours ÷ WordPress: above 1× is better for req/s, "
        "below 1× is better for p50.",
        "",
        "| page | size | queries | req/s | p50 | p99 | errors | "
        "req/s ÷ WP classic | p50 ÷ WP classic | req/s ÷ WP stock | p50 ÷ WP stock |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in PAGES:
        row = rows.get(key)
        if raw is not None and row is None:
            continue  # page not benchmarked (e.g. no search URL yet)
        c16 = row["c16"] if row else None
        classic = WP_CLASSIC.get(key, (None,) * 4)
        stock = WP_STOCK.get(key, (None,) * 4)
        if key.startswith("static"):
            classic = (NGINX_STATIC_RPS, None, None, None)  # nginx, 90 KB
        out.append(
            "| "
            + " | ".join(
                [
                    label,
                    f"{row['size'] / 1024:.0f} KB" if row else "…",
                    row["queries"] if row else "…",
                    fmt_rps(c16.rps) if c16 else "…",
                    fmt_ms(c16.p50) if c16 else "…",
                    fmt_ms(c16.p99) if c16 else "…",
                    errors(c16) if c16 else "…",
                    ratio(c16 and c16.rps, classic[0]),
                    ratio(c16 and c16.p50, classic[1]),
                    ratio(c16 and c16.rps, stock[0]),
                    ratio(c16 and c16.p50, stock[1]),
                ]
            )
            + " |"
        )
    out += [
        "",
        "Errors are wrk's socket errors (a timeout is a response slower than "
        'wrk\'s default 2 s) plus non-2xx answers; "no responses" means every '
        "request timed out.",
        "",
        'Static rows: the "WP classic" column compares with nginx serving a '
        f"90 KB file ({NGINX_STATIC_RPS:,} req/s), the ceiling.",
        "",
        "### c=1 (`wrk -t1 -c1 --latency`)",
        "",
        "| page | req/s | p50 | p99 | errors | p50 ÷ WP classic | p50 ÷ WP stock |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label in PAGES:
        row = rows.get(key)
        if raw is not None and row is None:
            continue
        c1 = row["c1"] if row else None
        out.append(
            "| "
            + " | ".join(
                [
                    label,
                    fmt_rps(c1.rps) if c1 else "…",
                    fmt_ms(c1.p50) if c1 else "…",
                    fmt_ms(c1.p99) if c1 else "…",
                    errors(c1) if c1 else "…",
                    ratio(c1 and c1.p50, WP_CLASSIC.get(key, (None,) * 4)[3]),
                    ratio(c1 and c1.p50, WP_STOCK.get(key, (None,) * 4)[3]),
                ]
            )
            + " |"
        )
    out += [
        "",
        "### WordPress figures used (from the baseline file)",
        "",
        "| page | classic c=16 req/s | p50 | p99 | c=1 p50 "
        "| stock c=16 req/s | p50 | p99 | c=1 p50 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in PAGES:
        if key not in WP_STOCK:
            continue
        classic = WP_CLASSIC.get(key, (None,) * 4)
        stock = WP_STOCK[key]
        out.append(
            f"| {label} | {fmt_rps(classic[0])} | {fmt_ms(classic[1])} "
            f"| {fmt_ms(classic[2])} | {fmt_ms(classic[3])} | {fmt_rps(stock[0])} "
            f"| {fmt_ms(stock[1])} | {fmt_ms(stock[2])} | {fmt_ms(stock[3])} |"
        )
    if rows:
        out += ["", "Paths: " + ", ".join(f"`{r['path']}`" for r in rows.values())]
    return out


HEADER = """# Benchmark results: newsarchive vs WordPress

Produced by `bench/run` (see README, "Benchmark"). WordPress figures: the
same data set on the same kind of 2-core machine, from
`/work/shared/bench/wordpress-baseline.md` (WordPress 6.1.9, PHP 8.2 php-fpm
with OPcache, MariaDB, nginx; no page or object cache). "WP classic" is
Twenty Twenty-One (server-rendered, the harder comparison), "WP stock" is
Twenty Twenty-Three. WordPress caches no pages; whether newsarchive's
full-page cache was on is in the Run section ("full-page cache on/off").
"""


def main() -> None:
    if sys.argv[1] == "--layout":
        out = Path(sys.argv[2])
        text = [
            HEADER,
            "**Not yet measured on a quiet machine.** The script has been run end "
            "to end only in a quick mode on a busy machine; those numbers were "
            "discarded. Run `bench/run` on an otherwise idle machine to fill this in.",
            "",
            "## Results",
            "",
            *tables(None),
        ]
        out.write_text("\n".join(text) + "\n")
        return
    raw, out = Path(sys.argv[1]), Path(sys.argv[2])
    meta = (raw / "meta.txt").read_text().strip()
    text = [
        HEADER,
        "## Run",
        "",
        meta,
        "",
        "Memory (`free -g`) before the run:",
        "",
        "```",
        (raw / "free.txt").read_text().rstrip(),
        "```",
        "",
        "## Results",
        "",
        *tables(raw),
        "",
        "## Exact commands",
        "",
        "```sh",
        (raw / "commands.txt").read_text().rstrip(),
        "```",
    ]
    out.write_text("\n".join(text) + "\n")


if __name__ == "__main__":
    main()
