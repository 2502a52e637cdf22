"""
What the fault and soak runs share (bench/pg_restart.py, bench/soak.py): a
private PostgreSQL cluster and a private Redis on free loopback ports, the
site served as in production (gunicorn with 2 gthread workers, db_worker,
run_scheduler) against them with the local Akismet-protocol server, and a
load driver of reader page views and comment posts that records every
answer.

Nothing here touches a shared service: the cluster is created for the run
(`pg_createcluster`, needs root or the postgres user) and dropped after it,
and Redis runs from a temporary directory without persistence.
"""

import contextlib
import dataclasses
import html.parser
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PY = REPO_ROOT / ".venv" / "bin" / "python"
GUNICORN = REPO_ROOT / ".venv" / "bin" / "gunicorn"
CLUSTER_NAME = "faults"
DATABASE = "newsarchive"
# Marks the bench's comments in the database, with the run's id after it.
BODY_MARK = "bench-comment"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    """A command's full path (Debian's cluster tools, createdb, redis-server)."""
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} not found: install postgresql and redis-server")
    return path


def wait_for_port(port: int, *, seconds: float, process=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


# Private services ---------------------------------------------------------------


def postgres_version() -> str:
    versions = sorted(
        (p.name for p in Path("/usr/lib/postgresql").iterdir() if p.name.isdigit()),
        key=int,
    )
    if not versions:
        sys.exit("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return versions[-1]


class PrivateCluster:
    """A PostgreSQL cluster of our own, so restarting it disturbs nobody."""

    def __init__(self) -> None:
        self.version = postgres_version()
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - Debian's cluster tools, fixed arguments
            [tool("pg_ctlcluster"), self.version, CLUSTER_NAME, *args],
            check=True,
            capture_output=True,
        )

    def create(self) -> None:
        existing = subprocess.run(  # noqa: S603
            [tool("pg_lsclusters"), "-h"], capture_output=True, text=True, check=True
        ).stdout
        if any(
            line.split()[:2] == [self.version, CLUSTER_NAME]
            for line in existing.splitlines()
        ):
            sys.exit(
                f"A cluster {self.version}/{CLUSTER_NAME} exists (a crashed run?); "
                f"drop it with: pg_dropcluster --stop {self.version} {CLUSTER_NAME}"
            )
        log(f"creating PostgreSQL cluster {self.version}/{CLUSTER_NAME} on {self.port}")
        subprocess.run(  # noqa: S603
            [
                tool("pg_createcluster"),
                self.version,
                CLUSTER_NAME,
                "--port",
                str(self.port),
                "--",
                "--auth=trust",  # loopback only, dropped after the run
            ],
            check=True,
            capture_output=True,
        )
        self._ctl("start")
        subprocess.run(  # noqa: S603
            [
                tool("createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                DATABASE,
            ],
            check=True,
        )

    def restart(self) -> None:
        self._ctl("restart")

    def drop(self) -> None:
        subprocess.run(  # noqa: S603
            [tool("pg_dropcluster"), "--stop", self.version, CLUSTER_NAME],
            check=False,
            capture_output=True,
        )
        log(f"dropped cluster {self.version}/{CLUSTER_NAME}")

    def query(self, sql: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as conn:
            return conn.execute(sql, params).fetchall()


class PrivateRedis:
    """A Redis of our own on a free port, without persistence."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                tool("redis-server"),
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, seconds=10, process=self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def dbsize(self) -> int | None:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=0.5).dbsize()
        except redis.RedisError:
            return None


# The site ------------------------------------------------------------------------


class Site:
    """gunicorn (2 workers, 4 threads), db_worker and run_scheduler, DEBUG off."""

    def __init__(
        self, *, database_url: str, cache_url: str, akismet_url: str, workdir: Path
    ):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        self.env = {
            key: os.environ[key]
            for key in ("PATH", "HOME", "LANG")
            if key in os.environ
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="newsarchive.settings",
            PYTHONDONTWRITEBYTECODE="1",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url,
            CACHE_URL=cache_url,
            CONN_MAX_AGE="60",
            SECURE_SSL_REDIRECT="false",
            SITE_URL=self.origin,
            PORT=str(self.port),
            AKISMET_API_KEY="bench-key",
            AKISMET_API_URL=akismet_url,
            AKISMET_IS_TEST="true",
            # Each post names its own client address (X-Forwarded-For).
            COMMENTS_TRUSTED_PROXIES="1",
            EMAIL_URL="consolemail://",
            LOG_LEVEL="WARNING",
        )
        self.processes: dict[str, subprocess.Popen] = {}

    def manage(self, *args: str, debug: bool = False) -> str:
        env = {**self.env, "DEBUG": "true"} if debug else self.env
        result = subprocess.run(  # noqa: S603
            [str(PY), "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        log("migrate, createcachetable, collectstatic, load_demo_content")
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        # The demo's accounts are made in DEBUG only; the content either way.
        self.manage("load_demo_content", debug=True)

    def _spawn(self, name: str, args: list[str]) -> None:
        out = (self.workdir / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(  # noqa: S603
            args,
            cwd=REPO_ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        self._spawn(
            "gunicorn",
            [
                str(GUNICORN),
                "newsarchive.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
        )
        self._spawn("db_worker", [str(PY), "manage.py", "db_worker", "--no-reload"])
        self._spawn("scheduler", [str(PY), "manage.py", "run_scheduler"])
        wait_for_port(self.port, seconds=30, process=self.processes["gunicorn"])
        log(f"site on {self.origin}")

    def worker_pids(self) -> list[int]:
        master = self.processes["gunicorn"].pid
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        return sorted(int(pid) for pid in children)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def still_running(self) -> dict[str, bool]:
        return {name: p.poll() is None for name, p in self.processes.items()}


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class AkismetProcess:
    """tests/akismet_server.py in its own process, answering ham."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [str(PY), "-m", "tests.akismet_server", "ham"],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@contextlib.contextmanager
def services(*, keep: bool = False):
    """A private cluster, a private Redis, the Akismet server and the site."""
    workdir = Path(tempfile.mkdtemp(prefix="faultload-"))
    cluster = PrivateCluster()
    redis = PrivateRedis(workdir)
    akismet = site = None
    try:
        cluster.create()
        redis.start()
        akismet = AkismetProcess()
        site = Site(
            database_url=cluster.url,
            cache_url=redis.url,
            akismet_url=akismet.url,
            workdir=workdir,
        )
        site.prepare()
        site.start()
        yield cluster, redis, site
    finally:
        if site is not None:
            site.stop()
        if akismet is not None:
            akismet.stop()
        redis.stop()
        cluster.drop()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"logs kept in {workdir}")


# The load ------------------------------------------------------------------------


class _FormParser(html.parser.HTMLParser):
    """The fields of the comment form (the one posting to /comments/post/)."""

    def __init__(self) -> None:
        super().__init__()
        self.action = None
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "/comments/post/" in (a.get("action") or ""):
            self.action, self._inside = a["action"], True
        elif (
            self._inside
            and tag in ("input", "textarea")
            and a.get("name")
            and a.get("type") not in ("checkbox", "submit")
        ):
            self.fields[a["name"]] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


@dataclasses.dataclass
class Answer:
    at: float  # seconds since the load started
    kind: str  # "page" or "post"
    path: str
    status: int  # 0: no HTTP answer (connection refused or reset)
    token: str = ""


class Load:
    """
    `connections` threads, each with one keep-alive connection, view pages
    (article, home, archives, search, feeds) and post comments at about
    `posts_per_second` in all. A post uses a form fetched at least four
    seconds before (the pipeline calls faster posts bots).
    """

    SEARCH_WORDS = ("harbour", "council", "storm", "school", "budget", "river", "vote")

    def __init__(
        self, origin: str, *, connections: int, posts_per_second: float, run_id: str
    ):
        self.origin = origin
        self.port = int(urllib.parse.urlsplit(origin).port)
        self.connections = connections
        self.post_interval = 1 / posts_per_second if posts_per_second else None
        self.run_id = run_id
        self.answers: list[Answer] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._next_post = 0.0
        self._posts = 0
        self._start = 0.0
        self.articles: list[str] = []
        self.archives: list[str] = []

    # Discovery

    def discover(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", "/sitemap.xml")
        xml = conn.getresponse().read().decode()
        conn.close()
        paths = [
            urllib.parse.urlsplit(u).path
            for u in re.findall(r"<loc>([^<]+)</loc>", xml)
        ]
        self.articles = [
            p for p in paths if re.fullmatch(r"/\d{4}/\d{2}/\d{2}/[-\w]+/", p)
        ]
        months = sorted({p[:9] for p in self.articles})
        self.archives = months + sorted({p[:6] for p in self.articles})
        if not self.articles:
            raise RuntimeError("no articles in the sitemap")
        log(f"{len(self.articles)} articles, {len(self.archives)} archive pages")

    def page_path(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(self.articles)
        if roll < 0.60:
            return "/"
        if roll < 0.75:
            return rng.choice(self.archives)
        if roll < 0.90:
            return f"/search/?q={rng.choice(self.SEARCH_WORDS)}"
        return "/feed/"

    # Running

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self.answers.append(answer)

    def _claim_post(self) -> int | None:
        if self.post_interval is None:
            return None
        now = time.monotonic()
        with self._lock:
            if now < self._next_post:
                return None
            # Keep to the rate; never burst to catch up after a stall.
            self._next_post = max(self._next_post + self.post_interval, now)
            self._posts += 1
            return self._posts

    def _worker(self, n: int) -> None:
        rng = random.Random(f"{self.run_id}-{n}")  # noqa: S311 - load mix only
        conn = None
        cookies: dict[str, str] = {}
        forms: list[tuple[float, str, dict]] = []

        def request(method, path, body=None, headers=None):
            nonlocal conn
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            hdrs = dict(headers or {})
            if cookies:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            try:
                conn.request(method, path, body=body, headers=hdrs)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = None
                return 0, b""
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
            return response.status, data

        while not self._stop.is_set():
            post_no = None
            ready = [f for f in forms if time.monotonic() - f[0] >= 4]
            if ready:
                post_no = self._claim_post()
            if post_no is not None:
                # A loaded form may be sent more than once (its CSRF token and
                # signed timestamp stay valid), so posts keep their rate
                # however slowly pages come.
                _, action, fields = ready[post_no % len(ready)]
                token = f"{BODY_MARK} {self.run_id} #{post_no}"
                fields = {
                    **fields,
                    "author_name": f"Bench reader {post_no}",
                    "author_email": f"reader{post_no}.{self.run_id}@example.com",
                    "author_url": "",
                    "body": f"{token}: the harbour wall held up well tonight.",
                }
                ip = (
                    f"10.{(post_no >> 16) & 255}.{(post_no >> 8) & 255}.{post_no & 255}"
                )
                status, _ = request(
                    "POST",
                    action,
                    body=urllib.parse.urlencode(fields),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Forwarded-For": ip,
                        "Referer": self.origin + action,
                    },
                )
                self._record(
                    Answer(
                        time.monotonic() - self._start, "post", action, status, token
                    )
                )
                continue
            path = self.page_path(rng)
            status, data = request("GET", path)
            self._record(Answer(time.monotonic() - self._start, "page", path, status))
            if status == 200 and path in self.articles:
                parser = _FormParser()
                parser.feed(data.decode("utf-8", "replace"))
                if parser.action and "csrfmiddlewaretoken" in parser.fields:
                    forms = [*forms, (time.monotonic(), parser.action, parser.fields)][
                        -4:
                    ]
            if status == 0:
                time.sleep(0.2)  # refused: do not spin

    def run(self, seconds: float, *, events=()) -> None:
        """Load for `seconds`; each (at, name, callable) of `events` runs on time."""
        self._start = time.monotonic()
        threads = [
            threading.Thread(target=self._worker, args=(n,), daemon=True)
            for n in range(self.connections)
        ]
        for thread in threads:
            thread.start()
        for at, name, action in sorted(events, key=lambda e: e[0]):
            delay = at - (time.monotonic() - self._start)
            if delay > 0:
                time.sleep(delay)
            log(f"t={time.monotonic() - self._start:.1f}s {name}")
            action()
        left = seconds - (time.monotonic() - self._start)
        while left > 0:
            time.sleep(min(left, 30))
            left = seconds - (time.monotonic() - self._start)
            done = len(self.answers)
            log(f"t={seconds - max(left, 0):.0f}s {done} answers")
        self._stop.set()
        for thread in threads:
            thread.join(timeout=35)

    # Figures

    def per_second(self, kind: str = "page") -> dict[int, Counter]:
        table: dict[int, Counter] = defaultdict(Counter)
        for a in self.answers:
            if a.kind == kind:
                table[int(a.at)][a.status] += 1
        return dict(sorted(table.items()))

    def statuses(self, kind: str) -> Counter:
        return Counter(a.status for a in self.answers if a.kind == kind)


def account_for_posts(load: Load, cluster: PrivateCluster) -> dict:
    """Every post answered with a redirect must be a row; the rest, counted."""
    rows = cluster.query(
        "SELECT body, status, hold_reason FROM comments_comment WHERE body LIKE %s",
        f"{BODY_MARK} {load.run_id} #%",
    )
    stored = {body.split(":", 1)[0]: status for body, status, _ in rows}
    posts = [a for a in load.answers if a.kind == "post"]
    redirected = [a for a in posts if a.status == 302]
    missing = [a.token for a in redirected if a.token not in stored]
    others = [a for a in posts if a.status != 302]
    return {
        "posted": len(posts),
        "answered_redirect": len(redirected),
        "redirected_and_stored": len(redirected) - len(missing),
        "redirected_but_missing": missing,
        "other_answers": dict(Counter(a.status for a in others)),
        "other_answers_stored_anyway": sum(1 for a in others if a.token in stored),
        "stored_statuses": dict(Counter(stored.values())),
        "hold_reasons": dict(
            Counter(reason for _, status, reason in rows if status == "held")
        ),
    }


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
