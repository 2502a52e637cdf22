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
    # tokens, archive years, count, page, bylines+authors, section nav,
    # next publication.
    "home": 7,
    # + the previous and next period look-ups Django's views make.
    "year": 10,
    "month": 10,
    "day": 11,
    # tokens, subject, count, page, bylines+authors, section nav, next
    # publication.
    "subject": 7,
    # tokens, source, count, quotes with articles and sections, section nav,
    # next publication.
    "source": 6,
    # tokens, articles, bylines, tags, next publication.
    "feed": 5,
    # tokens, article+section, bylines+authors, tags, quotes+sources, related
    # ids+page, related bylines, section nav, next publication; then the
    # comment region (comments app): its list's token, its counts and one
    # page of visible comments.
    "article": 9 + 3,
}
