"""
The embedded default cache (no CACHE_URL) is shared by every process, as
`make run` serves with several gunicorn workers next to the task worker.

Two real gunicorn servers run on one temporary SQLite file with the default
cache: a moderator's decision made in a third process shows on both at once,
and flood control counts a commenter's posts across both.
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
from pathlib import Path

import pytest

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from tests.processes import site_env

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "two-servers-" + "x7Kp2Lq9Zw" * 5

SEED = """
import json
from tests.factories import make_article, make_comment
article = make_article(title="Harbour wall", slug="harbour-wall")
comment = make_comment(article=article, body="Seen on every server.")
print(json.dumps({"url": article.get_absolute_url(), "article": article.pk,
                  "comment": comment.pk}))
"""

REMOVE = """
from comments import moderation
from comments.models import Comment
from tests.processes import site_env
moderation.remove(Comment.objects.get(pk={pk}), reason="Off topic")
"""


def _env(tmp: Path) -> dict[str, str]:
    """Development defaults: no CACHE_URL, DEBUG on, files in `tmp` only."""
    return site_env(
        tmp,
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
        env = _env(tmp)
        # What `make run` does before serving.
        _manage(env, "migrate", "--noinput", "--verbosity", "0")
        _manage(env, "createcachetable")
        seeded = json.loads(_manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        servers = []
        try:
            servers = [Server(env, tmp / f"gunicorn-{i}.log") for i in (1, 2)]
            deadline = time.monotonic() + 20
            for server in servers:
                server.wait_ready(deadline)
            yield {"env": env, "servers": servers, **seeded}
        finally:
            for server in servers:
                server.stop()


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


def test_flood_control_counts_posts_to_either_server(site, settings):
    settings.SECRET_KEY = SECRET_KEY  # the servers' key signs the form timestamp
    first, second = site["servers"]
    opener = _opener()

    def post(server, *, body: str, client_ip: str) -> int:
        action = _comment_form(opener, server, site)
        data = {
            "author_name": "Ada Reader",
            "author_email": "ada@example.com",
            "author_url": "",
            "body": body,
            "parent": "",
            "timestamp": sign_timestamp(
                article_id=site["article"], at=time.time() - 10
            ),
            HONEYPOT_FIELD: "",
        }
        return _post(
            # An anonymous reader's post is checked by its origin, as a
            # browser sends it.
            opener,
            action,
            data,
            {"X-Forwarded-For": client_ip, "Origin": server.origin},
        )

    assert post(first, body="First thoughts.", client_ip="203.0.113.7") == 302
    assert post(second, body="Second thoughts.", client_ip="198.51.100.9") == 429
