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
