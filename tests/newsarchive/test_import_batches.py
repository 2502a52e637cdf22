"""
Batches of a WordPress import written in bulk: the same rows as item by item,
a constant number of queries whatever the batch's size, and a batch with a
bad item redone item by item.
"""

import contextlib
import io
import uuid

import pytest
from django.db import connection, reset_queries, transaction

from articles import search
from articles.models import Article, Page, Section, Tag
from comments.models import Comment
from newsarchive import importing
from newsarchive.models import Redirect
from tests.factories import make_article
from tests.wxr import (
    CORPUS,
    author,
    category,
    comment,
    document,
    in_category,
    in_tag,
    item,
    run,
    tag,
)

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


class _Undo(Exception):
    pass


def _state() -> dict:
    """Every imported row, its links by import_ref or slug, never by id."""
    articles = {
        a.import_ref: (
            a.title,
            a.slug,
            a.dek,
            a.body,
            a.body_html,
            a.status,
            a.published_at,
            a.pub_date,
            a.section.slug if a.section else None,
            a.featured_image_url,
            a.featured_image_alt,
            a.comments_open,
            sorted(t.slug for t in a.tags.all()),
            [b.author.slug for b in a.bylines.all()],
            [
                (q.text, q.source.slug if q.source else None, q.source_url)
                for q in a.quotes.all()
            ],
        )  # fmt: skip
        for a in Article.objects.filter(import_ref__isnull=False)
        .select_related("section")
        .prefetch_related("tags", "bylines__author", "quotes__source")
    }
    comments = {
        c.import_ref: (
            c.article.import_ref,
            c.parent.import_ref if c.parent else None,
            c.root.import_ref if c.root else None,
            c.depth,
            c.status,
            c.previous_status,
            c.kind,
            c.author_name,
            c.author_email,
            c.author_url,
            c.ip,
            c.body,
            c.body_html,
            c.created,
            [(e.kind, e.to_status, e.reason, e.details) for e in c.events.all()],
        )  # fmt: skip
        for c in Comment.objects.filter(import_ref__isnull=False)
        .select_related("article", "parent", "root")
        .prefetch_related("events")
    }
    return {
        "articles": articles,
        "comments": comments,
        "pages": set(Page.objects.values_list("import_ref", "path", "title", "status")),
        "sections": set(Section.objects.values_list("slug", "name")),
        "tags": set(Tag.objects.values_list("slug", "name")),
        "redirects": set(Redirect.objects.values_list("old_path", "new_path")),
    }


def _report(report) -> tuple:
    return (
        {kind: dict(c) for kind, c in report.counts.items()},
        report.errors,
        report.skipped,
        sorted(report.notes, key=str),
        report.fatal,
    )


def _import(data: bytes) -> tuple:
    """The report and rows of an import, then undone."""
    with contextlib.suppress(_Undo), transaction.atomic():
        report = importing.import_wxr(io.BytesIO(data))
        found = (_report(report), _state())
        raise _Undo
    return found


def _threads(n: int, *, first: int = 1) -> str:
    """n posts of three comments each, a reply before its parent among them."""
    return "".join(
        item(
            str(p),
            terms=in_category("world", "World") + in_tag("harbour", "Harbour"),
            comments=comment(f"{p}03", parent=f"{p}02")
            + comment(f"{p}01")
            + comment(f"{p}02", parent=f"{p}01"),
        )
        for p in range(first, first + n)
    )


HEAD = author() + category("world", "World") + tag("harbour", "Harbour")


@pytest.fixture
def bulk_faults(monkeypatch) -> list[Exception]:
    """What made a batch fall back to item by item, per batch that did."""
    faults = []
    bulk = importing._bulk

    def watched(batch, ctx):
        try:
            bulk(batch, ctx)
        except Exception as exc:
            faults.append(exc)
            raise

    monkeypatch.setattr(importing, "_bulk", watched)
    return faults


def _one_by_one(monkeypatch) -> None:
    def refuse(batch, ctx):
        raise importing._OneByOne("the test's")

    monkeypatch.setattr(importing, "_bulk", refuse)


@pytest.mark.parametrize("source", ["corpus", "threads"])
def test_a_batch_written_in_bulk_gives_the_rows_of_one_written_item_by_item(
    source, bulk_faults, monkeypatch
):
    data = CORPUS.read_bytes() if source == "corpus" else document(HEAD + _threads(3))

    in_bulk = _import(data)
    assert bulk_faults == []
    _one_by_one(monkeypatch)
    by_item = _import(data)

    assert in_bulk[1]["comments"] and in_bulk[1]["articles"]
    assert in_bulk == by_item


def test_a_second_run_in_bulk_reports_what_item_by_item_reports(
    bulk_faults, monkeypatch
):
    data = CORPUS.read_bytes()
    importing.import_wxr(io.BytesIO(data))

    in_bulk = _import(data)
    _one_by_one(monkeypatch)
    by_item = _import(data)

    assert bulk_faults == []
    assert in_bulk == by_item


def _queries(django_assert_max_num_queries, data: bytes, *, undo: bool) -> int:
    """The queries an import costs, then undone if `undo`."""
    with (
        contextlib.suppress(_Undo),
        transaction.atomic(),
        django_assert_max_num_queries(10_000) as captured,
    ):
        importing.import_wxr(io.BytesIO(data))
        if undo:
            raise _Undo
    return len(captured.captured_queries)


def test_a_batch_costs_the_same_queries_for_two_posts_as_for_twenty(
    django_assert_max_num_queries, bulk_faults
):
    small = _queries(
        django_assert_max_num_queries, document(HEAD + _threads(2)), undo=True
    )
    large = _queries(
        django_assert_max_num_queries, document(HEAD + _threads(20)), undo=False
    )

    assert Comment.objects.count() == 60
    assert bulk_faults == []
    assert large == small


def test_a_second_run_costs_the_same_queries_for_two_posts_as_for_twenty(
    django_assert_max_num_queries,
):
    large_file = document(HEAD + _threads(20))
    importing.import_wxr(io.BytesIO(large_file))
    small = _queries(
        django_assert_max_num_queries, document(HEAD + _threads(2)), undo=True
    )
    large = _queries(django_assert_max_num_queries, large_file, undo=True)

    assert large == small


def test_a_bad_item_in_a_batch_fails_alone_and_the_rest_is_counted_once(
    bulk_faults,
):
    too_deep = "<blockquote>" * 150 + "x" + "</blockquote>" * 150
    report = run(
        HEAD + _threads(2) + item("50", content=too_deep) + _threads(4, first=3)
    )

    assert len(bulk_faults) == 1
    assert [p.wp_id for p in report.errors] == ["50"]
    assert report.counts["post"] == {"created": 6, "failed": 1}
    assert report.counts["comment"] == {"created": 18}
    assert report.counts["tag"] == {"created": 1}
    assert Comment.objects.count() == 18


VECTORS = "SELECT id, search_head::text, search_vector::text FROM articles_article ORDER BY id"


@pytest.mark.skipif(not POSTGRES, reason="search vectors are PostgreSQL's")
def test_posts_written_in_bulk_are_indexed_as_the_triggers_index_them():
    run(HEAD + _threads(3))
    with connection.cursor() as cursor:
        cursor.execute(VECTORS)
        vectors = cursor.fetchall()
        cursor.execute("SELECT word FROM articles_searchword ORDER BY word")
        words = cursor.fetchall()
        cursor.execute("DELETE FROM articles_searchword")
        # The BEFORE UPDATE OF title trigger computes the vector and words again.
        cursor.execute("UPDATE articles_article SET title = title")
        cursor.execute("SELECT word FROM articles_searchword ORDER BY word")
        again = cursor.fetchall()
        cursor.execute(VECTORS)
        recomputed = cursor.fetchall()

    assert len(vectors) == 3 and all(head and vector for _, head, vector in vectors)
    assert recomputed == vectors
    assert ("harbour",) in words and ("story",) in words
    assert set(again) <= set(words)


@pytest.mark.skipif(not POSTGRES, reason="search vectors are PostgreSQL's")
def test_where_the_triggers_cannot_be_switched_off_they_index_the_posts(
    monkeypatch, bulk_faults
):
    # A statement PostgreSQL refuses.
    monkeypatch.setattr(
        search, "TRIGGERS_OFF", "SET LOCAL session_replication_role = nobody"
    )

    run(HEAD + _threads(3))

    with connection.cursor() as cursor:
        cursor.execute(VECTORS)
        vectors = cursor.fetchall()
    assert bulk_faults == []
    assert len(vectors) == 3 and all(head and vector for _, head, vector in vectors)


@pytest.fixture
def as_a_plain_role():
    """The rest of the test's transaction runs as a role that is no superuser."""
    name = f"newsarchive_plain_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        # Created inside the test's transaction, so rolled back with it.
        cursor.execute(f'CREATE ROLE "{name}" NOSUPERUSER')
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{name}"')
        cursor.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{name}"')
        cursor.execute(f'SET LOCAL ROLE "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.mark.skipif(not POSTGRES, reason="search triggers are PostgreSQL's")
def test_a_role_that_is_no_superuser_still_writes_a_batch_without_the_triggers(
    as_a_plain_role,
):
    def vector(article_id):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector::text FROM articles_article WHERE id = %s",
                [article_id],
            )
            return cursor.fetchone()[0]

    during = {}

    def write():
        article = make_article(title="Harbour wall", body="<p>Storm surge.</p>")
        article.tags.add(Tag.objects.create(name="Floods", slug="floods"))
        during["vector"] = vector(article.pk)
        return [article.pk]

    search.write_unindexed(write)

    assert not during["vector"]
    (article,) = Article.objects.all()
    assert "harbour" in vector(article.pk) and "flood" in vector(article.pk)


def test_with_debug_on_the_query_log_does_not_grow_with_the_file(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(importing, "BATCH_ITEMS", 2)
    reset_queries()

    run(HEAD + _threads(2))
    small = len(connection.queries_log)
    reset_queries()
    run(HEAD + _threads(12, first=3))
    large = len(connection.queries_log)

    assert Article.objects.count() == 14
    assert large <= small
