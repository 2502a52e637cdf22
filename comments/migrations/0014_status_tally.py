"""
Comments per status, kept by the database: every insert, delete and status
change of a comment appends what it added and took away to
comments_statustally (see comments.models.StatusTally), whichever code path
wrote it (the pipeline, the admin, bulk actions, importers, the archive
generator's COPY, cascades). The queue's tabs sum those rows instead of
counting the comments.

PostgreSQL: statement triggers with transition tables, so a bulk write adds
one row per status, not one per comment. SQLite: row triggers. Django
rebuilds a SQLite table for some schema changes, which drops its triggers:
tests/comments/test_status_tally.py checks that they exist after every
migration.
"""

from django.db import migrations, models

TALLY = "comments_statustally"

POSTGRESQL = f"""
CREATE FUNCTION comments_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TALLY} (status, discarded, amount)
    SELECT status, discarded, COUNT(*) FROM new_rows GROUP BY status, discarded;
    RETURN NULL;
END $$;
CREATE FUNCTION comments_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TALLY} (status, discarded, amount)
    SELECT status, discarded, -COUNT(*) FROM old_rows GROUP BY status, discarded;
    RETURN NULL;
END $$;
CREATE FUNCTION comments_tally_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TALLY} (status, discarded, amount)
    SELECT status, discarded, SUM(amount) FROM (
        SELECT status, discarded, 1 AS amount FROM new_rows
        UNION ALL
        SELECT status, discarded, -1 FROM old_rows
    ) AS changed
    GROUP BY status, discarded
    HAVING SUM(amount) <> 0;
    RETURN NULL;
END $$;
CREATE TRIGGER comments_tally_inserted AFTER INSERT ON comments_comment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_inserted();
CREATE TRIGGER comments_tally_deleted AFTER DELETE ON comments_comment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_deleted();
CREATE TRIGGER comments_tally_updated AFTER UPDATE ON comments_comment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION comments_tally_updated();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS comments_tally_inserted ON comments_comment;
DROP TRIGGER IF EXISTS comments_tally_deleted ON comments_comment;
DROP TRIGGER IF EXISTS comments_tally_updated ON comments_comment;
DROP FUNCTION IF EXISTS comments_tally_inserted();
DROP FUNCTION IF EXISTS comments_tally_deleted();
DROP FUNCTION IF EXISTS comments_tally_updated();
"""

SQLITE = [
    f"""CREATE TRIGGER comments_tally_inserted AFTER INSERT ON comments_comment
    BEGIN
        INSERT INTO {TALLY} (status, discarded, amount)
        VALUES (NEW.status, NEW.discarded, 1);
    END""",
    f"""CREATE TRIGGER comments_tally_deleted AFTER DELETE ON comments_comment
    BEGIN
        INSERT INTO {TALLY} (status, discarded, amount)
        VALUES (OLD.status, OLD.discarded, -1);
    END""",
    f"""CREATE TRIGGER comments_tally_updated
    AFTER UPDATE OF status, discarded ON comments_comment
    WHEN OLD.status IS NOT NEW.status OR OLD.discarded IS NOT NEW.discarded
    BEGIN
        INSERT INTO {TALLY} (status, discarded, amount)
        VALUES (OLD.status, OLD.discarded, -1), (NEW.status, NEW.discarded, 1);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_tally_inserted",
    "DROP TRIGGER IF EXISTS comments_tally_deleted",
    "DROP TRIGGER IF EXISTS comments_tally_updated",
]

# After the triggers, in the same transaction: on PostgreSQL creating them
# locks out writers until the end, so the count misses nothing.
FILL = f"""
INSERT INTO {TALLY} (status, discarded, amount)
SELECT status, discarded, COUNT(*) FROM comments_comment GROUP BY status, discarded
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"no comment tally triggers for {vendor}")
    schema_editor.execute(FILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    else:
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0013_held_queue_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("unchecked", "Unchecked"),
                            ("held", "Held"),
                            ("approved", "Approved"),
                            ("spam", "Spam"),
                            ("removed", "Removed"),
                        ],
                        max_length=10,
                    ),
                ),
                ("discarded", models.BooleanField(default=False)),
                ("amount", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
