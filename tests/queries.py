"""What counts as a page's own query in the query-count tests."""

# The database cache's table: its reads and writes are the cache's, which is
# Redis in production, so they are not the page's queries.
CACHE_TABLE = "newsarchive_cache"


def page_queries(captured: list[dict]) -> list[str]:
    """The SQL of `captured` queries, less the cache's own and its savepoints."""
    return [
        q["sql"]
        for q in captured
        if CACHE_TABLE not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


# Every reader page's query budget, in one place for when pages grow. A page
# rendered for the full-page cache adds its scopes' tokens (some pages read
# them anyway for their fragments) and the next scheduled publication (when
# the stored page ends); a page served from it costs CACHED_PAGE.
CACHED_PAGE = 1
PAGE_QUERIES = {
    # tokens, count, page of articles, bylines+authors, the archive calendar
    # (months with counts), most commented this week, section nav, next
    # publication, and the comments token of the most commented list. The
    # count is read once per change of the articles
    # (selectors.public_article_count), so later views cost one less.
    "home": 9,
    # tokens, next publication, the months with their counts (the period's
    # count, emptiness, previous and next period: selectors.month_counts,
    # read once per change of the articles), section nav, page of
    # articles, bylines+authors.
    "year": 6,
    "month": 6,
    # + the days with articles and the previous and next day look-ups
    # Django's view makes.
    "day": 11,
    # tokens, subject, count, page, bylines+authors, section nav, next
    # publication.
    "subject": 7,
    # tokens, source, count, quotes with articles and sections, the count of
    # articles quoting it, section nav, next publication.
    "source": 7,
    # tokens, count, page of sources, section nav, next publication.
    "sources": 5,
    # tokens, the state for ETag / Last-Modified (latest change, newest live
    # article, stored until the next publication, which is read once for
    # it and the stored page), the items, their bylines+authors, their tags.
    "feed": 7,
    # + our uploaded pictures in the items' bodies, however many
    # (articles.body.bodies_for_feed).
    "feed_with_pictures": 7 + 1,
    # + the subject itself.
    "subject_feed": 8,
    # tokens, article+section, bylines+authors, tags, quotes+sources,
    # corrections, related ids+page, related bylines, previous / next in
    # section, section nav, next publication; then the comment region
    # (comments app): its list's token, its counts and one page of visible
    # comments.
    "article": 11 + 3,
    # + our uploaded pictures in the body, however many (articles.body).
    "article_with_pictures": 11 + 3 + 1,
    # tokens, next publication, the count (PostgreSQL: heading and body
    # matches in one statement), one page of results with sections,
    # bylines+authors; the filters' sections, authors and year span and the
    # section nav, each read once per change of the articles.
    "search": 9,
}


# The same pages once their fragments are cached, full-page cache off: what
# every uncached view costs. Each reads the tokens (one query for all its
# scopes) before anything else; the counts, months and section nav come
# from the cache, keyed by the articles token.
WARM_PAGE_QUERIES = {
    # tokens (articles, comments): the list's fragment is keyed by the
    # articles token, the page and when the next scheduled article goes live
    # (templatetags list_key), so no row is read; most commented this week
    # is kept rendered with both tokens and the day.
    "home": 1,
    # tokens.
    "year": 1,
    "month": 1,
    # tokens: the subject is kept with the articles token
    # (selectors.subject_at), its count too.
    "subject": 1,
    # tokens (articles, its comments): the article itself is kept with the
    # articles token (selectors.article_at).
    "article": 1,
    # tokens; the latest change and newest live article are cached with the
    # articles token, the bytes under the feed's ETag.
    "feed": 1,
    # tokens; a search asked again takes its count, its page of results with
    # their snippets (rendered) and the filters' choices from the cache.
    "search": 1,
}
