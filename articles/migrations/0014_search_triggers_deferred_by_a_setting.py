"""
The row-by-row search triggers step aside while the transaction has set
newsarchive.search_deferred = 'on' (SET LOCAL): a bulk import then indexes
its batch once. Any role may set a custom setting, where
session_replication_role needs a superuser, and foreign keys stay checked.
"""

from django.db import migrations

ARTICLE_TRIGGER = r"""
CREATE OR REPLACE FUNCTION articles_article_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {skip}
    NEW.search_head := articles_search_head(NEW.id, NEW.title, NEW.dek);
    NEW.search_vector := NEW.search_head || articles_search_body(NEW.body_html);
    PERFORM articles_search_add_words(
        concat_ws(' ', NEW.title, NEW.dek, NEW.body_html));
    RETURN NEW;
END $$;
"""

LINK_TRIGGER = r"""
CREATE OR REPLACE FUNCTION articles_search_link_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[] := '{{}}';
BEGIN
    {skip}
    IF TG_OP IN ('INSERT', 'UPDATE') THEN touched := touched || NEW.article_id; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN touched := touched || OLD.article_id; END IF;
    PERFORM articles_search_refresh(touched);
    RETURN NULL;
END $$;
"""

DEFERRED = "current_setting('newsarchive.search_deferred', true) = 'on'"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            ARTICLE_TRIGGER.format(skip=f"IF {DEFERRED} THEN RETURN NEW; END IF;")
        )
        schema_editor.execute(
            LINK_TRIGGER.format(skip=f"IF {DEFERRED} THEN RETURN NULL; END IF;")
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ARTICLE_TRIGGER.format(skip=""))
        schema_editor.execute(LINK_TRIGGER.format(skip=""))


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_article_recent_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
