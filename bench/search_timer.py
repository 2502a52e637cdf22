"""The search page timed through Django's test client: one helper for the
benchmark scripts that ask first-time searches. Imports nothing of the
project, so that bench/search_turns.py's child keeps its own checkout's code."""

import time
from urllib.parse import urlencode


def search_ms(client, query: str) -> float:
    """One search for `query`, in milliseconds; it must answer 200."""
    began = time.perf_counter()
    response = client.get("/search/?" + urlencode({"q": query}), HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (query, response.status_code)
    return (time.perf_counter() - began) * 1000
