"""
The benchmark's servers and load generator: gunicorn on a free loopback
port, production-like (DEBUG=false, PostgreSQL + Redis from BENCH_DB and
BENCH_REDIS_DB), and wrk with its figures parsed. bench/full.py uses them.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(db: str | None = None, redis_db: str = "2") -> dict[str, str]:
    """
    The site's production settings on the benchmark's own database and Redis
    db (BENCH_DB, BENCH_REDIS_DB, else `db` and `redis_db`), loopback only:
    for servers, in-process probes and the scripts bench/full.py runs.
    """
    db = db or os.environ.get("BENCH_DB", "newsarchive_bench")
    if not db.startswith("newsarchive_bench"):
        sys.exit("BENCH_DB must name a benchmark database (newsarchive_bench…)")
    redis_db = os.environ.get("BENCH_REDIS_DB", redis_db)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings",
        "BENCH_DB": db,
        "BENCH_REDIS_DB": redis_db,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


# gunicorn's gthread worker keeps at most worker_connections - threads
# connections alive while they sit idle, and takes no new one past the cap.
KEPT_ALIVE = 8


def worker_connections(threads: int) -> int:
    """The cap `make run` gives each worker: 8 kept alive, one per thread."""
    return threads + KEPT_ALIVE


class Server:
    def __init__(
        self,
        *,
        page_cache: bool,
        workers: int,
        threads: int,
        key: str,
        connections: int | None = None,
    ):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **bench_env(),
            "SECRET_KEY": key,
            "SITE_URL": self.base,
            "PAGE_CACHE": "true" if page_cache else "false",
        }
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
                # As make run: kept-alive clients spread over the workers.
                "--worker-connections",
                str(connections or worker_connections(threads)),
                "--no-control-socket",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
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

    def workers(self) -> list[str]:
        return subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout.split()

    def connections_per_worker(self) -> list[int]:
        """
        How the established client connections sit on the workers, most
        first: keep-alive connections stay with the worker that took them,
        so an uneven spread leaves a worker idle and the rate low.
        """
        out = subprocess.run(  # noqa: S603
            [
                "/usr/bin/ss",
                "-tnpH",
                "state",
                "established",
                f"( sport = :{self.port} )",
            ],
            capture_output=True,
            text=True,
        ).stdout
        return spread(out, self.workers())

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.workers():
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


def spread(ss_output: str, workers: list[str]) -> list[int]:
    """Connections per worker from `ss -tnp` lines, most first."""
    held = dict.fromkeys(workers, 0)
    for pid in re.findall(r"pid=(\d+)", ss_output):
        if pid in held:
            held[pid] += 1
    return sorted(held.values(), reverse=True)
