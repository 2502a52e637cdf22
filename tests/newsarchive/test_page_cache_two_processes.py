"""
The full-page cache across processes: two gunicorn servers share one SQLite
file and its database cache, as `make run` serves. Each event, made in a
third process, ends the cached page on both servers at once; the scheduled
article appears on both at its time with no write at all.
"""

import json
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from newsarchive.pagecache import HIT_HEADER
from tests.newsarchive import page_events
from tests.newsarchive.test_two_server_processes import Server, _env, _manage

SEED = """
import json
from tests.newsarchive import page_events
print(json.dumps(page_events.seed()))
"""
RUN = "from tests.newsarchive import page_events; page_events.run({name!r})"
SCHEDULE = "from tests.newsarchive import page_events; page_events.schedule_soon({s})"


@pytest.fixture(scope="module")
def site():
    with tempfile.TemporaryDirectory(prefix="page-cache-") as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp, {})
        _manage(env, "migrate", "--noinput", "--verbosity", "0")
        _manage(env, "createcachetable")
        urls = json.loads(_manage(env, "shell", "-c", SEED).strip().splitlines()[-1])
        servers = []
        try:
            servers = [Server(env, tmp / f"gunicorn-{i}.log") for i in (1, 2)]
            deadline = time.monotonic() + 20
            for server in servers:
                server.wait_ready(deadline)
            yield {"env": env, "servers": servers, "urls": urls}
        finally:
            for server in servers:
                server.stop()


def _get(server, path: str) -> tuple[str, str]:
    # One site name for both, as behind the proxy in front of them.
    request = urllib.request.Request(
        server.origin + path, headers={"Host": "127.0.0.1"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert "Set-Cookie" not in response.headers
        return response.headers.get(HIT_HEADER, ""), response.read().decode()


def _cache_on_both(site, path: str) -> str:
    first, second = site["servers"]
    _get(first, path)
    hit, html = _get(first, path)
    assert hit == "hit"
    # Stored by the first server, served by the second.
    assert _get(second, path)[0] == "hit"
    return html


@pytest.mark.parametrize("event", page_events.EVENTS, ids=lambda e: e.name)
def test_the_event_ends_the_page_on_both_servers(site, event):
    path = site["urls"][event.page]
    html = _cache_on_both(site, path)
    if event.before:
        assert event.before in html
    if event.untouched:
        _cache_on_both(site, site["urls"][event.untouched])

    _manage(site["env"], "shell", "-c", RUN.format(name=event.name))

    for server in site["servers"]:
        _, html = _get(server, path)
        if event.after:
            assert event.after in html, server.origin
        if event.gone:
            assert event.gone not in html, server.origin
        if event.untouched:
            assert _get(server, site["urls"][event.untouched])[0] == "hit"


def test_a_scheduled_article_appears_on_both_servers_at_its_time(site):
    seconds = 3
    _manage(site["env"], "shell", "-c", SCHEDULE.format(s=seconds))
    due = time.monotonic() + seconds
    html = _cache_on_both(site, "/")
    assert page_events.SCHEDULED_TITLE not in html

    time.sleep(max(0.0, due - time.monotonic()) + 0.5)

    for server in site["servers"]:
        assert page_events.SCHEDULED_TITLE in _get(server, "/")[1], server.origin
