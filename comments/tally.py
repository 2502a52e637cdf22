"""
How many comments each status holds, from the rows the database's triggers
append to comments_statustally (migration comments 0014): a sum over a few
rows instead of a count over a million comments.

The rows are folded into one per status once they pass FOLD_AT, by the read
that finds them so (no worker needs to run for it), and recount() sets the
tally from the comments themselves after every migrate or flush.
"""

from django.db import connection, transaction

from comments.models import StatusTally

TABLE = StatusTally._meta.db_table
# A sum over this many rows costs well under a millisecond; a busy site
# appends about two rows per comment (saved, then decided).
FOLD_AT = 1_000
# PostgreSQL: one fold or recount at a time (another one just skips).
_LOCK_KEY = 0x7A11_C0DE

_READ = (
    f"SELECT status, discarded, SUM(amount), COUNT(*) FROM {TABLE} "  # noqa: S608
    "GROUP BY status, discarded"
)
# One statement, so one snapshot: the rows it deletes are the rows it sums,
# and rows that other transactions append meanwhile are left for next time.
_FOLD_POSTGRESQL = f"""
WITH gone AS (DELETE FROM {TABLE} RETURNING status, discarded, amount)
INSERT INTO {TABLE} (status, discarded, amount)
SELECT status, discarded, SUM(amount) FROM gone
GROUP BY status, discarded HAVING SUM(amount) <> 0
"""  # noqa: S608
_RECOUNT_POSTGRESQL = f"""
WITH gone AS (DELETE FROM {TABLE})
INSERT INTO {TABLE} (status, discarded, amount)
SELECT status, discarded, COUNT(*) FROM comments_comment
GROUP BY status, discarded
"""  # noqa: S608


def counts() -> dict[tuple[str, bool], int]:
    """Comments by (status, discarded), exact; folds a long tally."""
    with connection.cursor() as cursor:
        cursor.execute(_READ)
        rows = cursor.fetchall()
    if sum(row[3] for row in rows) > FOLD_AT:
        fold()
    return {
        (status, bool(discarded)): int(total)
        for status, discarded, total, _rows in rows
        if total
    }


def by_status(tally: dict[tuple[str, bool], int], status: str) -> int:
    return sum(amount for (name, _), amount in tally.items() if name == status)


def fold() -> None:
    """Sum the tally's rows into one per status."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if _locked(cursor):
                cursor.execute(_FOLD_POSTGRESQL)
            return
        # SQLite: transactions begin IMMEDIATE (settings), so no other
        # writer appends between these statements.
        cursor.execute(f"SELECT MAX(id) FROM {TABLE}")  # noqa: S608
        (last,) = cursor.fetchone()
        if last is None:
            return
        cursor.execute(
            f"INSERT INTO {TABLE} (status, discarded, amount) "  # noqa: S608
            f"SELECT status, discarded, SUM(amount) FROM {TABLE} WHERE id <= %s "
            "GROUP BY status, discarded HAVING SUM(amount) <> 0",
            [last],
        )
        cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [last])  # noqa: S608


def recount() -> None:
    """Set the tally from the comments themselves (reads every comment)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if _locked(cursor, wait=True):
                cursor.execute(_RECOUNT_POSTGRESQL)
            return
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {TABLE} (status, discarded, amount) "  # noqa: S608
            "SELECT status, discarded, COUNT(*) FROM comments_comment "
            "GROUP BY status, discarded"
        )


def _locked(cursor, *, wait: bool = False) -> bool:
    if wait:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        return True
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK_KEY])
    return cursor.fetchone()[0]
