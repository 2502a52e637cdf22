"""
With the database unreachable, readers get a friendly 503 page that asks them
to come back shortly (Retry-After), rendered without the database or a
session, and a comment post is answered the same way instead of a bare 500.

The site runs as in production (gunicorn, DEBUG off) pointed at a PostgreSQL
port nothing listens on.
"""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import site_env

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site_without_database():
    dead_port = _free_port()  # bound and released: nothing listens there
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="db-down-") as tmp_name:
        tmp = Path(tmp_name)
        env = site_env(
            tmp,
            DEBUG="false",
            SECRET_KEY="db-down-" + "Qm4Zr8Tk2W" * 6,
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{dead_port}/newsarchive",
            CACHE_URL="dbcache://newsarchive_cache",
            SECURE_SSL_REDIRECT="false",
            LOG_LEVEL="CRITICAL",
        )
        subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        log = (tmp / "gunicorn.log").open("w")
        process = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "newsarchive.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--no-control-socket",
                "--graceful-timeout",
                "2",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                assert process.poll() is None, "gunicorn exited at start"
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def _fetch(
    url: str, data: bytes | None = None, headers: dict | None = None
) -> urllib.error.HTTPError:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback
    return caught.value


@pytest.mark.parametrize("path", ["/", "/2024/01/02/some-story/", "/search/?q=x"])
def test_readers_get_a_friendly_503_page_asking_them_to_come_back(
    site_without_database, path
):
    error = _fetch(site_without_database + path)

    assert error.code == 503
    assert error.headers["Retry-After"] == "30"
    assert "no-store" in error.headers["Cache-Control"]
    html = error.read().decode()
    assert "<h1>We’ll be right back</h1>" in html
    assert 'rel="stylesheet"' in html
    assert "OperationalError" not in html
    assert "5432" not in html and "postgres" not in html.lower()


def test_the_503_page_sets_no_cookie(site_without_database):
    error = _fetch(site_without_database + "/")

    assert error.code == 503
    assert error.headers.get_all("Set-Cookie") is None


def test_a_comment_post_gets_the_503_page_telling_the_reader_to_send_it_again(
    site_without_database,
):
    # An unmasked CSRF secret in both cookie and form passes the CSRF check
    # without a page to take a token from (the pages are down too).
    secret = "a" * 32
    error = _fetch(
        site_without_database + "/comments/post/1/",
        data=f"csrfmiddlewaretoken={secret}&body=Hello+harbour".encode(),
        headers={"Cookie": f"csrftoken={secret}"},
    )

    assert error.code == 503
    assert "send it again" in error.read().decode()


def test_kept_connections_are_checked_before_a_request_reuses_them(settings):
    # With CONN_MAX_AGE, a connection from before a database restart is dead;
    # the check makes the first request after it reconnect instead of fail.
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
