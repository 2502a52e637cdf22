"""
Search time at archive size: 100,000 articles on PostgreSQL.

    .venv/bin/python bench/search_at_scale.py            # build + measure
    BENCH_ARTICLES=20000 .venv/bin/python bench/search_at_scale.py
    BENCH_REUSE=1 .venv/bin/python bench/search_at_scale.py   # measure only

Drops and recreates the PostgreSQL database `na_search_bench` (it refuses any
other name), migrates it and fills it with its own small bulk generator (the
archive generator command is not used here): BENCH_ARTICLES (100,000)
published articles of about 300 words over ten years, 8 sections, 60 tags (2
per article), 40 authors (1 or 2 per article), 20 sources quoted in every
third article. Nine in ten articles mention "harbor"; "zeppelin" is in 40.

The rows are written with COPY while the search triggers are switched off
(session_replication_role = replica), then every article's vector is computed
in one UPDATE by the same SQL function the triggers call, and the word list
for suggestions is written from the generated vocabulary: the end state the
triggers reach row by row, reached in minutes instead of an hour.

Then, in this process, for each query: the search page rendered through
Django's test client (DEBUG off, Redis cache on db 4) and, separately, the
search's own database work (count + one page of results with its prefetch),
WARM runs discarded then RUNS timed; median and p95 in milliseconds. EXPLAIN
(ANALYZE, BUFFERS) of the count and the page query for each query goes to
artifacts/bench/search-explain.txt; the table to stdout (and BENCH_OUT).
"""

import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "na_search_bench"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/4")
os.environ["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Persistent connections, as .env.example suggests for production.
os.environ.setdefault("CONN_MAX_AGE", "60")

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
WARM = int(os.environ.get("BENCH_WARM", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
OUT = os.environ.get("BENCH_OUT")

QUERIES = [
    ("harbor", {}),
    ("harbor", {"section": "port", "year": "2021"}),
    ("council budget", {}),
    ('"storm wall" -flood', {}),
    ("ferry or crane", {}),
    ("zeppelin", {}),
    ("harbr", {}),  # misspelt: finds nothing, so the suggestion runs
]

WORDS = (  # noqa: SIM905 (a paragraph of words reads better than a list)
    "council city report budget plan water river bridge road school hospital "
    "market trade port ship cargo crew storm wind rain flood coast shore beach "
    "town mayor officials residents workers union contract vote meeting week "
    "month year season program funding project study data record figure rate "
    "price cost tax revenue spending public private local regional national "
    "government minister agency court judge ruling appeal police safety fire "
    "station train bus route service schedule delay repair work site crane dock "
    "pier ferry fleet fishing boat catch quota license permit inspection review "
    "engineers design concrete steel wall barrier levee pump power grid energy "
    "solar battery plant factory jobs growth economy business shop owner family "
    "children teachers students parents health clinic doctors nurses patients "
    "weather forecast summer winter spring autumn morning evening night"
).split()
VERBS = [
    "approves",
    "rejects",
    "delays",
    "opens",
    "closes",
    "expands",
    "rebuilds",
    "reviews",
    "funds",
]
SECTIONS = [
    "port",
    "city",
    "business",
    "weather",
    "courts",
    "health",
    "sport",
    "opinion",
]


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def text(rng: random.Random, words: int, *, harbor: bool) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    if harbor:
        picked[rng.randrange(words)] = "harbor"
    return " ".join(picked).capitalize() + "."


def generate() -> None:
    from django.core.management import call_command
    from django.db import connection

    log("migrating")
    call_command("migrate", verbosity=0)
    rng = random.Random(11)  # noqa: S311 – test data, not secrets
    now = datetime.now(UTC)
    start = now - timedelta(days=3650)
    vocabulary = set(WORDS) | set(VERBS) | {"harbor", "zeppelin"}
    connection.ensure_connection()
    raw = connection.connection
    t0 = time.perf_counter()
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        with cur.copy(
            "COPY articles_section (id, name, slug, description) FROM STDIN"
        ) as copy:
            for i, name in enumerate(SECTIONS, 1):
                copy.write_row((i, name.title(), name, ""))
        tags = [
            (i, f"{w.title()} {i}", f"{w}-{i}")
            for i, w in enumerate(rng.sample(WORDS, 60), 1)
        ]
        with cur.copy("COPY articles_tag (id, name, slug) FROM STDIN") as copy:
            for row in tags:
                copy.write_row(row)
        first = [
            "Amelia",
            "Jonas",
            "Priya",
            "Tomasz",
            "Chen",
            "Fatima",
            "Owen",
            "Ingrid",
            "Kofi",
            "Lucia",
        ]
        last = [
            "Hart",
            "Berg",
            "Nair",
            "Nowak",
            "Wei",
            "Haddad",
            "Price",
            "Lund",
            "Mensah",
            "Ortiz",
        ]
        with cur.copy(
            "COPY articles_author (id, name, slug, bio, notify_on_comments) FROM STDIN"
        ) as copy:
            for i in range(1, 41):
                name = f"{first[i % 10]} {last[(i * 7) % 10]} {i}"
                copy.write_row((i, name, f"author-{i}", "", True))
        with cur.copy("COPY articles_source (id, name, slug, url) FROM STDIN") as copy:
            for i in range(1, 21):
                copy.write_row((i, f"Wire Service {i}", f"wire-{i}", ""))
        vocabulary |= {w.lower() for _, name, _ in tags for w in name.split()}
        vocabulary |= {w.lower() for w in first + last} | {"wire", "service"}
        log(f"writing {ARTICLES:,} articles")
        zeppelins = set(rng.sample(range(1, ARTICLES + 1), 40))
        columns = (
            "id, title, slug, dek, body, body_html, status, published_at, pub_date, "
            "created, updated, section_id, featured_image_url, featured_image_alt, "
            "comments_open, comments_premoderate, version"
        )
        with cur.copy(f"COPY articles_article ({columns}) FROM STDIN") as copy:
            for i in range(1, ARTICLES + 1):
                harbor = i % 10 != 0
                title = (
                    f"{rng.choice(WORDS).title()} {rng.choice(VERBS)} "
                    f"{rng.choice(WORDS)} {rng.choice(WORDS)} plan"
                )
                paragraphs = [text(rng, 60, harbor=harbor and p == 0) for p in range(5)]
                if i in zeppelins:
                    paragraphs[2] += " A zeppelin was seen."
                body = "".join(f"<p>{p}</p>" for p in paragraphs)
                published = start + timedelta(seconds=rng.randrange(3650 * 86400))
                copy.write_row(
                    (
                        i,
                        title,
                        f"story-{i}",
                        text(rng, 20, harbor=False),
                        body,
                        body,
                        "published",
                        published,
                        published.date(),
                        published,
                        published,
                        rng.randrange(1, 9),
                        "",
                        "",
                        True,
                        False,
                        0,
                    )
                )
        log("writing tags, bylines and quotes")
        with cur.copy(
            "COPY articles_article_tags (article_id, tag_id) FROM STDIN"
        ) as copy:
            for i in range(1, ARTICLES + 1):
                for tag in rng.sample(range(1, 61), 2):
                    copy.write_row((i, tag))
        with cur.copy(
            "COPY articles_articleauthor (article_id, author_id, position) FROM STDIN"
        ) as copy:
            for i in range(1, ARTICLES + 1):
                for position, author in enumerate(
                    rng.sample(range(1, 41), 1 + (i % 4 == 0))
                ):
                    copy.write_row((i, author, position))
        with cur.copy(
            "COPY articles_quote (article_id, position, text, source_id, source_url, speaker) FROM STDIN"
        ) as copy:
            for i in range(1, ARTICLES + 1, 3):
                copy.write_row(
                    (i, 0, text(rng, 15, harbor=False), rng.randrange(1, 21), "", "")
                )
        cur.execute("SET session_replication_role = DEFAULT")
        for table in (
            "section",
            "tag",
            "author",
            "source",
            "article",
            "article_tags",
            "articleauthor",
            "quote",
        ):
            # Fixed table names, no outside input.
            sequence = f"articles_{table}"
            last = "SELECT max(id) FROM " + sequence  # noqa: S608
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({last}))",
                [sequence],
            )
        log("computing every article's search vector")
        cur.execute(
            "SELECT articles_search_refresh(ARRAY(SELECT id FROM articles_article))"
        )
        with cur.copy("COPY articles_searchword (word) FROM STDIN") as copy:
            for word in sorted(vocabulary):
                copy.write_row((word,))
    raw.commit()
    raw.autocommit = True
    with raw.cursor() as cur:
        log("VACUUM ANALYZE")
        cur.execute("VACUUM ANALYZE")
    raw.autocommit = False
    log(f"built in {time.perf_counter() - t0:.0f} s")


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def timed(fn) -> tuple[float, float]:
    for _ in range(WARM):
        fn()
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return statistics.median(samples), p95


def measure() -> str:
    from django.core.paginator import Paginator
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.search import search_articles

    client = Client()
    count = connection.cursor()
    count.execute("SELECT count(*) FROM articles_article")
    total = count.fetchone()[0]
    lines = [
        f"{total:,} articles, PostgreSQL "
        f"{connection.cursor().connection.info.server_version}, "
        f"{WARM} warm-up + {RUNS} timed runs each, in-process (no HTTP server)",
        "",
        "| query | filters | found | page median ms | page p95 ms | db median ms | db p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    explains = []
    for query, filters in QUERIES:
        params = {"q": query, **filters}
        year = int(filters["year"]) if "year" in filters else None
        kwargs = {"section": filters.get("section"), "year": year}

        def page(params=params):
            response = client.get("/search/", params)
            assert response.status_code == 200, response.status_code

        def db(query=query, kwargs=kwargs):
            paginator = Paginator(search_articles(query, **kwargs), 10)
            return paginator.count, list(paginator.page(1).object_list)

        found = db()[0]
        page_median, page_p95 = timed(page)
        db_median, db_p95 = timed(db)
        lines.append(
            f"| `{query}` | {filters or ''} | {found:,} | {page_median:.1f} | "
            f"{page_p95:.1f} | {db_median:.1f} | {db_p95:.1f} |"
        )
        with CaptureQueriesContext(connection) as captured:
            db()
        for sql in [q["sql"] for q in captured.captured_queries][:2]:
            # The count's statement sets planner settings around its SELECT:
            # the settings for the transaction, the SELECT explained.
            *settings_sql, select = [
                part for part in sql.split("; ") if not part.endswith("TO DEFAULT")
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                for setting in settings_sql:
                    cursor.execute(setting)
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {select}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            explains.append(f"== {query!r} {filters}\n{sql}\n\n{plan}\n")
        log(f"{query!r} {filters}: page p95 {page_p95:.1f} ms")
    artifacts = ROOT / "artifacts" / "bench"
    artifacts.mkdir(parents=True, exist_ok=True)
    (artifacts / "search-explain.txt").write_text("\n".join(explains))
    return "\n".join(lines) + "\n"


def main() -> None:
    if not os.environ.get("BENCH_REUSE"):
        recreate_database()
    import django

    django.setup()
    from django.conf import settings

    # The bench measures search, not static files: no collectstatic manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    if not os.environ.get("BENCH_REUSE"):
        generate()
    table = measure()
    print(table)
    if OUT:
        Path(OUT).write_text(table)


if __name__ == "__main__":
    main()
