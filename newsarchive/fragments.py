"""
The one fragment-version scheme for both apps.

A cached fragment's key includes the token of its scope (see FragmentVersion).
Readers fetch tokens with one indexed query; writers replace the token inside
their own transaction, so until the write commits readers keep the old token
and afterwards they can only see the new one: no window in which a fragment
rendered from old rows is stored under the new key.
"""

import uuid

import psycopg
from django.db import IntegrityError, connection, transaction

from newsarchive.models import FragmentVersion

ARTICLES = "articles"
FRAGMENT_SECONDS = 24 * 60 * 60


# Every article's comments at once: lists across articles (the home page's
# most commented) show this one; any article's comments scope bumps it too.
COMMENTS = "comments"


def comments_scope(article_id: int) -> str:
    return f"comments:{article_id}"


def _tokens_sql(n: int) -> str:
    quote = connection.ops.quote_name
    # Only quoted identifiers and placeholders go in; the values are parameters.
    return "SELECT {}, {} FROM {} WHERE {} IN ({})".format(  # noqa: S608
        quote("scope"),
        quote("token"),
        quote(FragmentVersion._meta.db_table),
        quote("scope"),
        ", ".join(["%s"] * n),
    )


class _ServerBindingCursor(psycopg.Cursor):
    """
    psycopg's own cursor, which sends the parameters apart from the SQL, so
    the statement is the same text every time and psycopg prepares it after
    the connection's `prepare_threshold` runs (settings). Django's cursors
    bind on the client, which psycopg never prepares.
    """


def _cursor():
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What connection.cursor() does, with the server-binding cursor; wrapped
    # as Django wraps its own, so the query is logged and counted alike.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        cursor = _ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(cursor)
    return connection.make_cursor(cursor)


def tokens(*scopes: str) -> dict[str, str]:
    """The current token of each scope (one query); "0" for a new scope."""
    if not scopes:
        return {}
    # Plain SQL: every full-page cache hit runs this, and building it with
    # the ORM cost as much as the round trip.
    with _cursor() as cursor:
        cursor.execute(_tokens_sql(len(scopes)), scopes)
        found = dict(cursor.fetchall())
    return {scope: found.get(scope, "0") for scope in scopes}


def token(scope: str) -> str:
    return tokens(scope)[scope]


def bump(*scopes: str) -> None:
    """Give each scope a new token, inside the caller's transaction.

    One UPDATE for any number of existing scopes: they share the new token,
    which is safe because a fragment's key names its scope as well.
    """
    if any(scope.startswith("comments:") for scope in scopes):
        scopes = (*scopes, COMMENTS)
    scopes = tuple(dict.fromkeys(scopes))
    if not scopes:
        return
    new = uuid.uuid4().hex
    if FragmentVersion.objects.filter(scope__in=scopes).update(token=new) == len(
        scopes
    ):
        return
    missing = scopes
    if len(scopes) > 1:
        existing = set(
            FragmentVersion.objects.filter(scope__in=scopes).values_list(
                "scope", flat=True
            )
        )
        missing = tuple(s for s in scopes if s not in existing)
    for scope in missing:
        try:
            with transaction.atomic():
                FragmentVersion.objects.create(scope=scope, token=new)
        except IntegrityError:
            # Another writer created it first: replace theirs.
            FragmentVersion.objects.filter(scope=scope).update(token=new)


def bump_all(scopes) -> None:
    """bump() for many scopes in one statement (an import's batch)."""
    FragmentVersion.objects.bulk_create(
        [FragmentVersion(scope=scope, token=uuid.uuid4().hex) for scope in scopes],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )


def articles_changed(**kwargs) -> None:
    """Signal receiver for every write to what article fragments show."""
    bump(ARTICLES)
