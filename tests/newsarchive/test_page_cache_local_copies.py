"""
Each process keeps its own copies of the pages it served, so that a hit
reads nothing from the shared cache; a copy is checked against the
database's tokens on every hit like a shared entry, so it is never staler,
and the copies stay within their byte budget.
"""

import psycopg
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsarchive import cache, fragments, pagecache
from newsarchive.pagecache import HIT_HEADER, local_copies
from tests.factories import make_article
from tests.queries import CACHED_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_copies_from_other_tests():
    local_copies.clear()
    yield
    local_copies.clear()


@pytest.fixture
def shared_reads(monkeypatch):
    reads = []
    real = cache.get

    def counting(key, default=None):
        if key.startswith(pagecache.KEY_PREFIX):
            reads.append(key)
        return real(key, default)

    monkeypatch.setattr(pagecache.cache, "get", counting)
    return reads


def test_a_repeat_hit_reads_nothing_from_the_shared_cache(
    client, shared_reads, django_assert_num_queries
):
    article = make_article(title="Storm wall approved")
    assert client.get(article.get_absolute_url())[HIT_HEADER] == "miss"
    shared_reads.clear()

    with django_assert_num_queries(CACHED_PAGE):
        response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "hit"
    assert "Storm wall approved" in response.content.decode()
    assert shared_reads == []


def test_a_copy_is_not_served_once_its_scope_changed(client):
    article = make_article(title="Storm wall approved")
    client.get(article.get_absolute_url())

    # A write in another process: new rows, new token, nothing told to us.
    Article.objects.filter(pk=article.pk).update(title="Storm wall refused")
    fragments.bump(fragments.ARTICLES)
    response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "miss"
    assert "Storm wall refused" in response.content.decode()


def test_a_newer_page_another_process_stored_is_served_over_an_old_copy(
    client, shared_reads
):
    article = make_article(title="Storm wall approved")
    url = article.get_absolute_url()
    client.get(url)
    key = pagecache._key(client.get(url).wsgi_request)
    old_copy = local_copies.get(key)

    Article.objects.filter(pk=article.pk).update(title="Storm wall refused")
    fragments.bump(fragments.ARTICLES)
    client.get(url)  # rendered again and stored, as the other process would
    local_copies.put(key, old_copy)
    shared_reads.clear()
    response = client.get(url)

    assert response[HIT_HEADER] == "hit"
    assert "Storm wall refused" in response.content.decode()
    assert shared_reads == [key]
    assert local_copies.get(key)["tokens"] != old_copy["tokens"]


def test_a_page_from_the_shared_cache_is_copied_for_the_next_hit(client, shared_reads):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)
    local_copies.clear()  # as in a process that never rendered it

    assert client.get(url)[HIT_HEADER] == "hit"
    assert client.get(url)[HIT_HEADER] == "hit"

    assert len(shared_reads) == 2  # the miss's look, then the first hit only


def test_copies_stay_within_their_byte_budget(client, rf, settings):
    articles = [make_article(title=f"Harbour story {n:02}") for n in range(12)]
    page_size = len(client.get(articles[0].get_absolute_url()).content)
    settings.PAGE_CACHE_LOCAL_BYTES = page_size * 5  # room for about five
    local_copies.clear()

    for article in articles:
        assert client.get(article.get_absolute_url()).status_code == 200

    assert 0 < local_copies.bytes <= settings.PAGE_CACHE_LOCAL_BYTES
    # The most recently served pages are kept; the first ones made room.
    copied = [
        local_copies.get(pagecache._key(rf.get(a.get_absolute_url()))) is not None
        for a in articles
    ]
    assert copied[-1] and not copied[0]
    assert copied == sorted(copied)


def test_a_page_over_a_quarter_of_the_budget_is_not_copied(client, settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 4_000
    article = make_article()

    response = client.get(article.get_absolute_url())

    assert len(response.content) > 1_000
    assert local_copies.bytes == 0
    assert client.get(article.get_absolute_url())[HIT_HEADER] == "hit"


# The connection check: CONN_HEALTH_CHECKS is on in production settings, and
# only PostgreSQL connections can die while idle.
def _new_request(conn) -> None:
    # What close_old_connections() does at a request's start in a server.
    conn.health_check_done = False


@pytest.mark.django_db(transaction=True)
def test_a_hit_makes_no_separate_health_check_query(client, monkeypatch):
    conn = connections["default"]
    article = make_article()
    client.get(article.get_absolute_url())
    checks = []
    monkeypatch.setattr(conn, "is_usable", lambda: checks.append(1) or True)
    conn.ensure_connection()
    _new_request(conn)

    response = client.get(article.get_absolute_url())

    assert response[HIT_HEADER] == "hit"
    assert checks == []


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="only a server connection can die while idle",
)
@pytest.mark.django_db(transaction=True)
def test_a_hit_on_a_connection_that_died_while_idle_is_served_on_a_new_one(client):
    conn = connections["default"]
    article = make_article()
    client.get(article.get_absolute_url())
    conn.ensure_connection()
    dead_pid = conn.connection.info.backend_pid
    with psycopg.connect(dbname=conn.settings_dict["NAME"], **_server(conn)) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dead_pid])
    _new_request(conn)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response[HIT_HEADER] == "hit"
    assert conn.connection.info.backend_pid != dead_pid


def _server(conn) -> dict:
    settings_dict = conn.settings_dict
    return {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "autocommit": True,
    }


def _token_reads(queries) -> int:
    return sum("newsarchive_fragmentversion" in q["sql"] for q in queries)


def test_a_stale_copy_and_its_shared_entry_cost_one_token_read(client):
    article = make_article()
    url = article.get_absolute_url()
    client.get(url)

    fragments.bump(fragments.ARTICLES)  # the local and the shared entry are stale
    with CaptureQueriesContext(connection) as again:
        response = client.get(url)

    assert response[HIT_HEADER] == "miss"
    # Both entries show the same scopes: read once, and reused for rendering.
    assert _token_reads(again.captured_queries) == 1


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql"
    or connections["default"].settings_dict["OPTIONS"].get("prepare_threshold") is None,
    reason="prepared statements are PostgreSQL's, and may be switched off",
)
def test_a_kept_connection_reads_the_tokens_with_a_prepared_statement(client):
    article = make_article()
    for _ in range(4):
        assert client.get(article.get_absolute_url()).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]

    assert any("newsarchive_fragmentversion" in sql for sql in prepared)
