"""
Count the SQL queries each benchmarked page runs, in-process through the
whole middleware stack, against whatever database the environment names.

    .venv/bin/python bench/query_counts.py / /2025/11/ /feed/ ...

Prints one line per path: "<path> <status> <bytes> <queries first> <queries again>".
The second request shows the steady state (anything cached after the first).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def count(client: Client, path: str) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        # secure=True: the request a TLS proxy would pass on, so no redirect.
        response = client.get(path, HTTP_HOST="127.0.0.1", secure=True)
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return response.status_code, len(body), len(queries)


def main() -> None:
    client = Client()
    for path in sys.argv[1:]:
        status, size, first = count(client, path)
        _, _, again = count(client, path)
        print(path, status, size, first, again)


if __name__ == "__main__":
    main()
