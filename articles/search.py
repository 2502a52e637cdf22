"""
Reader search over published articles.

PostgreSQL gets real full-text search: a weighted vector (title A, dek B, body
C), websearch syntax ("quoted phrases", -exclusions, or), ranking and a
highlighted headline computed in the database. SQLite, which the suite also
runs on, falls back to icontains over title, dek and body, every word required,
newest first, with the snippet cut in Python. The switch is connection.vendor.

On PostgreSQL the vector is a stored generated column with a GIN index
(migration articles 0004), so matching and ranking read it instead of parsing
every article per query.

Highlights never pass reader or editor text through unescaped: the database
marks matches with private-use sentinel characters, and snippet_html() escapes
everything and only then turns sentinel pairs into <mark> elements.
"""

import re
from html import unescape

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles import selectors
from articles.models import Article
from newsarchive.sanitize import strip_tags

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# The SQLite fallback ANDs one condition per word; bound the SQL it builds.
MAX_FALLBACK_TERMS = 12
SNIPPET_WORDS = 35

# Private-use code points: never produced by escaping, unlikely in text.
START_SEL, STOP_SEL = "\ue000", "\ue001"
_MARKED = re.compile(f"{START_SEL}(.*?){STOP_SEL}", re.S)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def search_articles(
    query: str,
    *,
    section: str | None = None,
    tag: str | None = None,
    year: int | None = None,
) -> QuerySet[Article]:
    """
    Published articles matching `query`, optionally narrowed to a section
    slug, a tag slug and a publication year (site time zone). Best match
    first on PostgreSQL, newest first on SQLite. An empty query matches
    nothing.
    """
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    articles = selectors.article_list()
    if section:
        articles = articles.filter(section__slug=section)
    if tag:
        articles = articles.filter(tags__slug=tag)
    if year:
        articles = articles.filter(published_at__year=year)
    if not query:
        return articles.none()
    if uses_full_text_search():
        return _postgres_search(articles, query)
    return _fallback_search(articles, query)


def _postgres_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    # Imported here: django.contrib.postgres is only meaningful on PostgreSQL.
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVectorField,
    )

    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    # The generated column from migration 0004 (title A, dek B, body_html C);
    # to_tsvector's parser drops HTML tags and entities. The headline needs
    # text, so tags are stripped for it.
    vector = RawSQL(  # noqa: S611 – a fixed column name, no reader input
        f'"{Article._meta.db_table}"."search_vector"',
        (),
        output_field=SearchVectorField(),
    )
    body_text = Func(
        F("body_html"),
        Value(r"<[^>]*>"),
        Value(" "),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=TextField(),
    )
    return (
        articles.annotate(search_vector=vector)
        .filter(search_vector=search_query)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search_query),
            search_headline=SearchHeadline(
                Concat("dek", Value(" "), body_text, output_field=TextField()),
                search_query,
                config=SEARCH_CONFIG,
                start_sel=START_SEL,
                stop_sel=STOP_SEL,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-published_at", "-id")
    )


def _terms(query: str) -> list[str]:
    return query.split()[:MAX_FALLBACK_TERMS]


def _fallback_search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    for term in _terms(query):
        articles = articles.filter(
            Q(title__icontains=term) | Q(dek__icontains=term) | Q(body__icontains=term)
        )
    # The snippet is cut in Python from body_html, so load it (body stays out).
    return articles.defer(None).defer("body")


def snippet_html(article: Article, *, query: str) -> SafeString:
    """The article's matching passage, escaped, with the matches in <mark>."""
    headline = getattr(article, "search_headline", None)
    if headline is not None:
        return _marked_html(" ".join(unescape(headline).split()))
    return _fallback_snippet(article, query=query)


def _marked_html(text: str) -> SafeString:
    """Escape text, then turn START_SEL…STOP_SEL pairs into <mark> elements."""
    escaped = escape(text)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    # A stray sentinel (one that was in the text itself) is dropped, so the
    # markup stays balanced.
    marked = marked.replace(START_SEL, "").replace(STOP_SEL, "")
    return mark_safe(marked)  # noqa: S308 – every piece was escaped above


def _fallback_snippet(article: Article, *, query: str) -> SafeString:
    text = " ".join(
        f"{article.dek} {strip_tags(article.body_html)}".replace(START_SEL, "")
        .replace(STOP_SEL, "")
        .split()
    )
    terms = _terms(" ".join(query.split()))
    if not terms:
        return _marked_html(_first_words(text))
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.I)
    found = pattern.search(text)
    if found is None:
        window = _first_words(text)
    else:
        before = text[: found.start()].split()[-(SNIPPET_WORDS // 3) :]
        after = text[found.start() :].split()[: SNIPPET_WORDS - len(before)]
        window = " ".join(before + after)
        if len(before) < len(text[: found.start()].split()):
            window = "… " + window
        if len(text[found.start() :].split()) > len(after):
            window += " …"
    return _marked_html(pattern.sub(lambda m: f"{START_SEL}{m[0]}{STOP_SEL}", window))


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:SNIPPET_WORDS]) + (
        " …" if len(words) > SNIPPET_WORDS else ""
    )
