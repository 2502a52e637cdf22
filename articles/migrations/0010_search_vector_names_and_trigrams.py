"""
Search also covers tag, author and quote-source names, and offers spellings.

PostgreSQL only (a no-op on SQLite, where articles/search.py matches plainly):

- search_vector becomes a plain column kept by triggers instead of a generated
  one, because a generated column cannot read related rows. Title A; tag,
  author and source names and the dek B; body C. search_head holds the A and
  B parts alone, so that search can rank "matches in the heading" without
  reading every long vector of a common word (see articles/search.py). A trigger on the article sets
  it on every write; triggers on the tag, byline and quote tables and on
  renames of a tag, author or source recompute the articles concerned, so
  every write path (admin, importers, demo loader, bulk updates) keeps it
  current with no application code.
- pg_trgm and articles_searchword: the archive's words as written (unstemmed,
  letters only), filled by the same triggers, trigram-indexed for "Did you
  mean …?". Words are only ever added; a stale one is harmless because a
  suggestion is shown only when it finds more published articles.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

# Keep 'english' in step with articles.search.SEARCH_CONFIG.
CREATE = r"""
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
ALTER TABLE articles_article
    ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN search_head tsvector NOT NULL DEFAULT ''::tsvector;

CREATE TABLE articles_searchword (word text PRIMARY KEY);
CREATE INDEX articles_searchword_trgm
    ON articles_searchword USING gin (word gin_trgm_ops);

CREATE FUNCTION articles_search_names(article bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT concat_ws(' ',
        (SELECT string_agg(t.name, ' ') FROM articles_article_tags link
            JOIN articles_tag t ON t.id = link.tag_id
            WHERE link.article_id = article),
        (SELECT string_agg(a.name, ' ') FROM articles_articleauthor byline
            JOIN articles_author a ON a.id = byline.author_id
            WHERE byline.article_id = article),
        (SELECT string_agg(s.name, ' ') FROM articles_quote q
            JOIN articles_source s ON s.id = q.source_id
            WHERE q.article_id = article))
$$;

CREATE FUNCTION articles_search_head(article bigint, title text, dek text)
RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig,
                                 articles_search_names(article)), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(dek, '')), 'B')
$$;

CREATE FUNCTION articles_search_body(body_html text) RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, coalesce(body_html, '')), 'C')
$$;

-- Sorted, so that two transactions adding the same words lock them in the
-- same order and cannot deadlock.
CREATE FUNCTION articles_search_add_words(source text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO articles_searchword (word)
    SELECT word FROM unnest(tsvector_to_array(
        to_tsvector('simple'::regconfig, coalesce(source, '')))) AS word
    WHERE word ~ '^[[:alpha:]]{3,30}$'
    ORDER BY word
    ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION articles_search_refresh(articles bigint[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE articles_article a
    SET search_head = head.vector,
        search_vector = head.vector || articles_search_body(a.body_html)
    FROM (SELECT id, articles_search_head(id, title, dek) AS vector
          FROM articles_article WHERE id = ANY(articles)) AS head
    WHERE a.id = head.id
$$;

CREATE FUNCTION articles_article_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_head := articles_search_head(NEW.id, NEW.title, NEW.dek);
    NEW.search_vector := NEW.search_head || articles_search_body(NEW.body_html);
    PERFORM articles_search_add_words(
        concat_ws(' ', NEW.title, NEW.dek, NEW.body_html));
    RETURN NEW;
END $$;

CREATE TRIGGER article_search_vector
    BEFORE INSERT OR UPDATE OF title, dek, body_html ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_trigger();

-- A tag, byline or quote row added, moved or removed.
CREATE FUNCTION articles_search_link_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN touched := touched || NEW.article_id; END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN touched := touched || OLD.article_id; END IF;
    PERFORM articles_search_refresh(touched);
    RETURN NULL;
END $$;

CREATE TRIGGER article_tags_search
    AFTER INSERT OR UPDATE OR DELETE ON articles_article_tags
    FOR EACH ROW EXECUTE FUNCTION articles_search_link_trigger();
CREATE TRIGGER articleauthor_search
    AFTER INSERT OR UPDATE OF article_id, author_id OR DELETE ON articles_articleauthor
    FOR EACH ROW EXECUTE FUNCTION articles_search_link_trigger();
CREATE TRIGGER quote_search
    AFTER INSERT OR UPDATE OF article_id, source_id OR DELETE ON articles_quote
    FOR EACH ROW EXECUTE FUNCTION articles_search_link_trigger();

-- A tag, author or source named or renamed.
CREATE FUNCTION articles_search_name_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM articles_search_add_words(NEW.name);
    IF TG_OP = 'UPDATE' AND OLD.name IS DISTINCT FROM NEW.name THEN
        IF TG_TABLE_NAME = 'articles_tag' THEN
            PERFORM articles_search_refresh(ARRAY(
                SELECT article_id FROM articles_article_tags WHERE tag_id = NEW.id));
        ELSIF TG_TABLE_NAME = 'articles_author' THEN
            PERFORM articles_search_refresh(ARRAY(
                SELECT article_id FROM articles_articleauthor WHERE author_id = NEW.id));
        ELSE
            PERFORM articles_search_refresh(ARRAY(
                SELECT article_id FROM articles_quote WHERE source_id = NEW.id));
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tag_search_name AFTER INSERT OR UPDATE OF name ON articles_tag
    FOR EACH ROW EXECUTE FUNCTION articles_search_name_trigger();
CREATE TRIGGER author_search_name AFTER INSERT OR UPDATE OF name ON articles_author
    FOR EACH ROW EXECUTE FUNCTION articles_search_name_trigger();
CREATE TRIGGER source_search_name AFTER INSERT OR UPDATE OF name ON articles_source
    FOR EACH ROW EXECUTE FUNCTION articles_search_name_trigger();

-- Existing rows: the words, then every article's vector (the BEFORE UPDATE
-- trigger computes it), then the index.
SELECT articles_search_add_words(name) FROM articles_tag;
SELECT articles_search_add_words(name) FROM articles_author;
SELECT articles_search_add_words(name) FROM articles_source;
UPDATE articles_article SET title = title;
CREATE INDEX article_search_vector ON articles_article USING gin (search_vector);
CREATE INDEX article_search_head ON articles_article USING gin (search_head);
"""

# Back to migration 0004's generated column.
DROP = r"""
DROP TRIGGER IF EXISTS article_search_vector ON articles_article;
DROP TRIGGER IF EXISTS article_tags_search ON articles_article_tags;
DROP TRIGGER IF EXISTS articleauthor_search ON articles_articleauthor;
DROP TRIGGER IF EXISTS quote_search ON articles_quote;
DROP TRIGGER IF EXISTS tag_search_name ON articles_tag;
DROP TRIGGER IF EXISTS author_search_name ON articles_author;
DROP TRIGGER IF EXISTS source_search_name ON articles_source;
DROP FUNCTION IF EXISTS articles_search_name_trigger();
DROP FUNCTION IF EXISTS articles_search_link_trigger();
DROP FUNCTION IF EXISTS articles_article_search_trigger();
DROP FUNCTION IF EXISTS articles_search_refresh(bigint[]);
DROP FUNCTION IF EXISTS articles_search_add_words(text);
DROP FUNCTION IF EXISTS articles_search_head(bigint, text, text);
DROP FUNCTION IF EXISTS articles_search_body(text);
DROP FUNCTION IF EXISTS articles_search_names(bigint);
DROP TABLE IF EXISTS articles_searchword;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector;
ALTER TABLE articles_article DROP COLUMN IF EXISTS search_head;
ALTER TABLE articles_article ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(dek, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body_html, '')), 'C')
    ) STORED;
CREATE INDEX article_search_vector ON articles_article USING gin (search_vector);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_article_section_and_updated_indexes")]

    operations = [
        # TrigramExtension does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
