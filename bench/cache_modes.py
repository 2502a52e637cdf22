"""
The reader pages with the full-page cache on and off, and a static file, in
one run: two gunicorn servers (same code, database and Redis; only
PAGE_CACHE differs) on loopback ports, measured in turns with wrk so that
the machine's load hits both alike. Every figure is also a ratio to the
same run's static-file rate. Writes bench/results/<date>-<commit>.md and
.json, with each worker's RSS after the run.

    BENCH_DB=newsarchive_bench_speed BENCH_REDIS_DB=12 \\
        .venv/bin/python bench/cache_modes.py [--seconds 10] [--smoke]

Expects the database seeded by bench/seed.py (BENCH_DB) and collectstatic
run; binds 127.0.0.1 only and stops its servers on exit.
"""

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from revision import short_commit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FEATURE = "/2025/11/14/harbor-authority-approves-storm-wall/"
PAGES = {
    "feature article, 50 comments": FEATURE,
    "home": "/",
    "month archive": "/2025/11/",
    "feed": "/feed/",
    "section": "/section/metro/",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(page_cache: bool, port: int) -> dict[str, str]:
    db = os.environ.get("BENCH_DB", "newsarchive_bench")
    if not db.startswith("newsarchive_bench"):
        sys.exit("BENCH_DB must name a benchmark database (newsarchive_bench…)")
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{os.environ.get('BENCH_REDIS_DB', '2')}",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "PAGE_CACHE": "true" if page_cache else "false",
    }


class Server:
    def __init__(self, *, page_cache: bool, workers: int, threads: int, key: str):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = _env(page_cache, self.port)
        env["SECRET_KEY"] = key
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed args
            [
                str(BIN / "gunicorn"),
                "newsarchive.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--no-control-socket",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/robots.txt", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn on {self.port} did not start")

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout.split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            sizes.append(round(kb / 1024, 1))
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(url: str, *, seconds: int, connections: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(  # noqa: S603
        [
            "/usr/bin/wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {
        p: _ms(v) for p, v in re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rate,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _static_path() -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--smoke", action="store_true", help="2 s per run, for CI")
    args = parser.parse_args()
    seconds = 2 if args.smoke else args.seconds
    key = secrets.token_urlsafe(64)
    servers = {}
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
        static = _static_path()
        results: dict = {"static": {}, "pages": {}}
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        for label, path in PAGES.items():
            row = results["pages"].setdefault(label, {"path": path})
            for mode, server in servers.items():
                wrk(server.base + path, seconds=1, connections=4)  # warm
                row[mode] = wrk(server.base + path, seconds=seconds, connections=16)
            # The ceiling, measured next to each page so load drifts alike.
            row["static"] = wrk(
                servers["cached"].base + static, seconds=seconds, connections=16
            )
            row["cached_c1"] = wrk(
                servers["cached"].base + path, seconds=seconds, connections=1
            )
            for mode in ("cached", "uncached"):
                row[f"{mode}_vs_static"] = round(
                    row[mode]["rps"] / row["static"]["rps"], 3
                )
            print(
                f"{label}: cached {row['cached']['rps']:.0f} req/s "
                f"({row['cached_vs_static']:.0%} of static), uncached "
                f"{row['uncached']['rps']:.0f}, static {row['static']['rps']:.0f}",
                file=sys.stderr,
            )
        results["rss_mb"] = {m: s.worker_rss_mb() for m, s in servers.items()}
        results["meta"] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": short_commit(),
            "seconds": seconds,
            "server": f"gunicorn {args.workers} workers x {args.threads} threads",
            "load_before": load_before,
            "cores": os.cpu_count(),
        }
    finally:
        for server in servers.values():
            server.stop()
    _write(results)


def _write(results: dict) -> None:
    meta = results["meta"]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{meta['date'][:10]}-{meta['commit']}-cache-modes"
    (out / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        f"# Full-page cache on and off, {meta['date']} ({meta['commit']})",
        "",
        f"{meta['server']}, {meta['cores']} cores shared (load before: "
        f"{' '.join(meta['load_before'])}); wrk -c16 {meta['seconds']} s per run, "
        "cached / uncached / static in turns per page.",
        "",
        "| page | cached req/s | p50 | p99 | % of static | c=1 p50 | uncached req/s | p99 | static req/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, row in results["pages"].items():
        c, u, s, c1 = row["cached"], row["uncached"], row["static"], row["cached_c1"]
        lines.append(
            f"| {label} | {c['rps']:.0f} | {c['p50_ms']:.1f} ms | {c['p99_ms']:.1f} ms "
            f"| {row['cached_vs_static']:.0%} | {c1['p50_ms']:.2f} ms | {u['rps']:.0f} "
            f"| {u['p99_ms']:.0f} ms | {s['rps']:.0f} |"
        )
    lines += ["", f"Worker RSS after the run (MB): {results['rss_mb']}", ""]
    (out / f"{stem}.md").write_text("\n".join(lines))
    print(f"wrote {out / stem}.md and .json", file=sys.stderr)


if __name__ == "__main__":
    main()
