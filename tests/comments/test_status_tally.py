"""
The database keeps a tally of comments per status (comments.tally): every
write path leaves it equal to a count of the comments themselves, folding
keeps its sums, and migrate or flush sets it from the comments again.
"""

import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_migrate
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import tally
from comments.models import Comment, Status, StatusTally
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

TRIGGERS = {
    "comments_tally_inserted",
    "comments_tally_deleted",
    "comments_tally_updated",
}


def counted() -> dict[tuple[str, bool], int]:
    rows = Comment.objects.values("status", "discarded").annotate(n=Count("pk"))
    return {(row["status"], row["discarded"]): row["n"] for row in rows.order_by()}


def assert_tally_right():
    assert tally.counts() == counted()


def test_the_triggers_exist_after_every_migration():
    # A later migration that rebuilds the comments table on SQLite would
    # drop them without a word.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'comments_comment'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'comments_comment'"
            )
        names = {name for (name,) in cursor.fetchall()}
    assert names >= TRIGGERS


def test_a_saved_comment_is_tallied_under_its_status():
    article = make_article()
    make_comment(article=article, status=Status.HELD)
    make_comment(article=article, status=Status.APPROVED)
    make_comment(article=article, status=Status.APPROVED)

    assert tally.counts() == {("held", False): 1, ("approved", False): 2}


def test_a_status_change_moves_the_comment_between_statuses():
    comment = make_comment(article=make_article(), status=Status.HELD)

    comment.status = Status.APPROVED
    comment.save()

    assert tally.counts() == {("approved", False): 1}


def test_a_save_that_keeps_the_status_changes_nothing():
    comment = make_comment(article=make_article(), status=Status.HELD)
    before = StatusTally.objects.count()

    comment.author_name = "Renamed"
    comment.save()

    assert StatusTally.objects.count() == before
    assert tally.counts() == {("held", False): 1}


def test_spam_is_tallied_apart_once_discarded():
    comment = make_comment(article=make_article(), status=Status.SPAM)

    Comment.objects.filter(pk=comment.pk).update(discarded=True)

    assert tally.counts() == {("spam", True): 1}


def test_bulk_writes_updates_and_deletes_keep_the_tally_right():
    article, other = make_article(), make_article()
    Comment.objects.bulk_create(
        [
            Comment(article=article, body="x", body_html="x", status=status)
            for status in [Status.HELD] * 4 + [Status.SPAM] * 3 + [Status.APPROVED]
        ]
    )
    make_comment(article=other, status=Status.APPROVED)
    assert_tally_right()

    Comment.objects.filter(status=Status.HELD).update(status=Status.APPROVED)
    assert_tally_right()
    Comment.objects.filter(status=Status.SPAM).delete()
    assert_tally_right()
    # A cascade from the article takes its comments off the tally.
    Article.objects.filter(pk=article.pk).delete()
    assert_tally_right()
    assert tally.counts() == {("approved", False): 1}


def test_a_fold_keeps_the_sums_in_one_row_per_status():
    article = make_article()
    comments = [
        make_comment(article=article, status=Status.UNCHECKED) for _ in range(6)
    ]
    for comment in comments[:4]:
        comment.status = Status.APPROVED
        comment.save()
    comments[0].delete()
    before = tally.counts()

    tally.fold()

    assert tally.counts() == before == counted()
    assert StatusTally.objects.count() == 2


def test_reading_a_long_tally_folds_it(monkeypatch):
    monkeypatch.setattr(tally, "FOLD_AT", 3)
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.HELD)
    assert StatusTally.objects.count() > 3

    first = tally.counts()

    assert StatusTally.objects.count() == 1
    assert first == tally.counts() == {("held", False): 5}


def test_a_short_tally_is_read_in_one_query():
    make_comment(article=make_article(), status=Status.HELD)

    with CaptureQueriesContext(connection) as ctx:
        tally.counts()

    assert len(ctx.captured_queries) == 1


def test_a_recount_sets_the_tally_from_the_comments():
    make_comment(article=make_article(), status=Status.HELD)
    StatusTally.objects.create(status=Status.APPROVED, amount=-7)  # gone wrong

    tally.recount()

    assert_tally_right()


def test_migrate_and_flush_recount_the_tally():
    make_comment(article=make_article(), status=Status.HELD)
    StatusTally.objects.create(status=Status.REMOVED, amount=-3)

    post_migrate.send(
        sender=apps.get_app_config("comments"),
        app_config=apps.get_app_config("comments"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )

    assert_tally_right()


@pytest.mark.django_db(transaction=True)
def test_a_flush_in_any_table_order_leaves_an_empty_tally(monkeypatch):
    make_comment(article=make_article(), status=Status.APPROVED)
    names = connection.introspection.django_table_names

    def tally_first(*args, **kwargs):
        # SQLite empties the tables one by one in this order: the tally
        # first, then the comments, whose triggers take from it.
        return sorted(names(*args, **kwargs), key=lambda t: t != tally.TABLE)

    monkeypatch.setattr(connection.introspection, "django_table_names", tally_first)

    call_command("flush", interactive=False, verbosity=0)

    assert tally.counts() == {}
    assert StatusTally.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one writer at a time: nothing runs alongside a fold",
)
def test_comments_written_while_others_fold_are_all_tallied():
    article = make_article()
    errors = []

    def write_and_fold(n: int) -> None:
        try:
            for i in range(15):
                comment = make_comment(article=article, status=Status.UNCHECKED)
                comment.status = Status.APPROVED if (n + i) % 2 else Status.HELD
                comment.save()
                tally.fold()
        except Exception as error:  # noqa: BLE001 – reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write_and_fold, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert_tally_right()
    assert sum(tally.counts().values()) == 60
