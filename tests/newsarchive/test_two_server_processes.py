"""
Two app servers share one database and one cache: a moderator's decision on
one is seen by readers of the other at once, and flood and duplicate control
hold across both.

Two real gunicorn servers run on one database: on the PostgreSQL + Redis leg
(DATABASE_URL and CACHE_URL set for the tests) a database of their own on
that PostgreSQL and that Redis under a key prefix of their own; otherwise a
temporary SQLite file with the embedded default cache, which `make run`'s
gunicorn workers and task worker share the same way.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from tests.processes import site_env

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "two-servers-" + "x7Kp2Lq9Zw" * 5

MODERATOR_PASSWORD = "two-servers-moderator-pass"

SEED = f"""
import json
from tests.factories import make_article, make_comment, make_moderator
article = make_article(title="Harbour wall", slug="harbour-wall")
comment = make_comment(article=article, body="Seen on every server.")
doomed = make_comment(article=article, body="Spam a moderator will catch.")
make_moderator(username="mod", password={MODERATOR_PASSWORD!r})
print(json.dumps({{"url": article.get_absolute_url(), "article": article.pk,
                  "comment": comment.pk, "doomed": doomed.pk}}))
"""

COUNT = """
from comments.models import Comment
print(Comment.objects.filter(body={body!r}).count())
"""

REMOVE = """
from comments import moderation
from comments.models import Comment
from tests.processes import site_env
moderation.remove(Comment.objects.get(pk={pk}), reason="Off topic")
"""


def _shared_services(tmp: Path):
    """
    DATABASE_URL and CACHE_URL for the servers, and how to clean up: the
    tests' PostgreSQL and Redis when the run uses them, else SQLite in `tmp`
    and the database cache.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return {}, lambda: None
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_two_servers_{uuid.uuid4().hex[:6]}"
    admin = parts._replace(path="/postgres", scheme="postgresql").geturl()

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    run(f'CREATE DATABASE "{name}"')
    extra = {"DATABASE_URL": parts._replace(path=f"/{name}").geturl()}
    if os.environ.get("CACHE_URL", "").startswith("redis://"):
        extra["CACHE_URL"] = os.environ["CACHE_URL"]
        extra["CACHE_KEY_PREFIX"] = f"two-servers-{uuid.uuid4().hex[:8]}"
    return extra, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(tmp: Path, shared: dict[str, str]) -> dict[str, str]:
    """Development defaults, DEBUG on, files in `tmp` only."""
    return site_env(
        tmp,
        **shared,
        SECRET_KEY=SECRET_KEY,
        AKISMET_API_URL="http://127.0.0.1:9",
        COMMENTS_FLOOD_SECONDS="60",
        # Each POST names its own client address, so only the email is shared.
        COMMENTS_TRUSTED_PROXIES="1",
        LOG_LEVEL="WARNING",
    )


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class Server:
    def __init__(self, env: dict[str, str], log: Path):
        self.port = _free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "newsarchive.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--no-control-socket",
                "--graceful-timeout",
                "2",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited at start"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn on {self.port} did not start")

    def stop(self) -> None:
        _stop(self.process)
        self._log.close()


@pytest.fixture(scope="module")
def site():
    with tempfile.TemporaryDirectory(prefix="two-servers-") as tmp_name:
        tmp = Path(tmp_name)
        shared, drop = _shared_services(tmp)
        env = _env(tmp, shared)
        servers = []
        try:
            # What `make run` does before serving.
            _manage(env, "migrate", "--noinput", "--verbosity", "0")
            _manage(env, "createcachetable")
            seeded = json.loads(
                _manage(env, "shell", "-c", SEED).strip().splitlines()[-1]
            )
            servers = [Server(env, tmp / f"gunicorn-{i}.log") for i in (1, 2)]
            deadline = time.monotonic() + 20
            for server in servers:
                server.wait_ready(deadline)
            yield {"env": env, "servers": servers, **seeded}
        finally:
            for server in servers:
                server.stop()
            drop()


def _opener() -> urllib.request.OpenerDirector:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    return urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _get(opener, url: str) -> str:
    with opener.open(url, timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


def _post(opener, url: str, data: dict, headers: dict) -> int:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers=headers
    )
    try:
        with opener.open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx
        return exc.code


def test_a_removed_comment_disappears_from_both_servers(site):
    opener = _opener()
    for server in site["servers"]:
        # Both servers render the list once and keep it in their cache.
        assert "Seen on every server." in _get(opener, server.origin + site["url"])
        assert "Seen on every server." in _get(opener, server.origin + site["url"])

    _manage(site["env"], "shell", "-c", REMOVE.format(pk=site["comment"]))

    for server in site["servers"]:
        for _ in range(4):
            html = _get(opener, server.origin + site["url"])
            assert "Seen on every server." not in html, server.origin


def _comment_form(opener, server, site) -> str:
    """The URL the article's comment form posts to."""
    html = _get(opener, server.origin + site["url"])
    action = re.search(r'<form[^>]+action="([^"]*/comments/post/[^"]*)"', html)
    assert action, "no comment form on the article page"
    return server.origin + action.group(1)


def test_a_moderators_decision_on_one_server_is_seen_on_the_other_at_once(site):
    first, second = site["servers"]
    reader = _opener()
    pk = site["doomed"]
    # The reader's server has the comment list cached.
    for _ in range(2):
        assert "Spam a moderator will catch." in _get(
            reader, second.origin + site["url"]
        )

    moderator = _opener()
    login = first.origin + "/admin/login/"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', _get(moderator, login)
    ).group(1)
    assert (
        _post(
            moderator,
            login,
            {
                "csrfmiddlewaretoken": token,
                "username": "mod",
                "password": MODERATOR_PASSWORD,
                "next": "/admin/",
            },
            {"Referer": login},
        )
        == 302
    )
    queue = first.origin + "/admin/comments/comment/moderate/?tab=approved"
    page = _get(moderator, queue)
    fields = dict(re.findall(rf'name="((?:seen|version)-{pk})" value="([^"]*)"', page))
    assert set(fields) == {f"seen-{pk}", f"version-{pk}"}, "comment not in the queue"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = _post(
        moderator,
        first.origin + "/admin/comments/comment/moderate/act/",
        {"csrfmiddlewaretoken": token, "do": f"spam:{pk}", **fields},
        {"Referer": queue},
    )
    assert answer == 302

    for _ in range(4):
        html = _get(reader, second.origin + site["url"])
        assert "Spam a moderator will catch." not in html
        assert "Harbour wall" in html


def _post_comment(
    opener, server, site, *, email: str, body: str, client_ip: str, form=None
):
    action = form or _comment_form(opener, server, site)
    data = {
        "author_name": "Ada Reader",
        "author_email": email,
        "author_url": "",
        "body": body,
        "parent": "",
        "timestamp": sign_timestamp(article_id=site["article"], at=time.time() - 10),
        HONEYPOT_FIELD: "",
    }
    # An anonymous reader's post is checked by its origin, as a browser sends it.
    return _post(
        opener, action, data, {"X-Forwarded-For": client_ip, "Origin": server.origin}
    )


def test_flood_control_counts_posts_to_either_server(site, settings):
    settings.SECRET_KEY = SECRET_KEY  # the servers' key signs the form timestamp
    first, second = site["servers"]
    opener = _opener()

    def post(server, *, body: str, client_ip: str) -> int:
        return _post_comment(
            opener,
            server,
            site,
            email="ada@example.com",
            body=body,
            client_ip=client_ip,
        )

    assert post(first, body="First thoughts.", client_ip="203.0.113.7") == 302
    assert post(second, body="Second thoughts.", client_ip="198.51.100.9") == 429


def test_the_same_comment_sent_to_both_servers_at_once_is_saved_once(site, settings):
    settings.SECRET_KEY = SECRET_KEY
    first, second = site["servers"]
    for n in range(4):
        email, body = f"twin{n}@example.com", f"Sent twice at once, take {n}."
        openers = [_opener(), _opener()]
        # Both forms loaded first, so the two posts leave together.
        forms = [_comment_form(openers[i], (first, second)[i], site) for i in (0, 1)]

        def send(i, n=n, email=email, body=body, openers=openers, forms=forms):
            return _post_comment(
                openers[i],
                (first, second)[i],
                site,
                email=email,
                body=body,
                client_ip=f"192.0.2.{10 * n + i + 1}",
                form=forms[i],
            )

        with ThreadPoolExecutor(2) as pool:
            answers = sorted(pool.map(send, (0, 1)))

        # One is taken; the other is a duplicate (or, if it came second by
        # a whole request, flood-controlled by the shared email).
        assert answers[0] == 302 and answers[1] in (409, 429), answers
        count = _manage(site["env"], "shell", "-c", COUNT.format(body=body))
        assert count.strip().splitlines()[-1] == "1"
