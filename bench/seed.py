"""
Build the benchmark data set: the same shape as the WordPress baseline in
/work/shared/bench/wordpress-baseline.md.

    DJANGO_SETTINGS_MODULE=newsarchive.settings .venv/bin/python bench/seed.py

Drops and recreates the PostgreSQL database `newsarchive_bench` (DATABASE_URL
must name exactly that database; the default points there), migrates it and
fills it with 2,000 published articles of about 600 words dated 2024-01 to
2025-12 (8 sections, 60 tags, 2 tags and 1 author each of 3), 1,857 of them
mentioning "harbor", plus one feature article of about 800 words with two
attributed quotes and 50 approved comments of 60 words (20 top-level, 30
replies). Prints the feature article's path on stdout; the rest goes to stderr.
Deterministic: the same data every run.
"""

import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
# A benchmark's own database: never one the site or the tests use.
BENCH_DB = os.environ.get("BENCH_DB", "newsarchive_bench")
if not BENCH_DB.startswith("newsarchive_bench"):
    sys.exit(f"BENCH_DB must start with newsarchive_bench, not {BENCH_DB!r}")
os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
ARTICLES = 2000
NO_HARBOR_EVERY = 14  # every 14th article leaves "harbor" out: 1,857 + feature = 1,858
FEATURE_SLUG = "harbor-authority-approves-storm-wall"


def recreate_database(url: str) -> None:
    """DROP + CREATE the bench database; refuses any other database name."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or name != BENCH_DB:
        sys.exit(f"seed.py only rebuilds postgres …/{BENCH_DB}, not {url!r}")
    if parts.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("seed.py only talks to a database on 127.0.0.1")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


# Text ----------------------------------------------------------------------

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
    "weather forecast season summer winter spring autumn morning evening night"
).split()
VERBS = (  # noqa: SIM905
    "approves rejects delays opens closes expands rebuilds reviews funds "
    "questions backs weighs extends cuts raises plans"
).split()


def sentence(rng: random.Random, words: int, *, harbor: bool) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    if harbor:
        picked[rng.randrange(1, words)] = "harbor"
    return picked[0].capitalize() + " " + " ".join(picked[1:]) + "."


def paragraph(rng: random.Random, words: int, *, harbor: bool) -> str:
    parts, left = [], words
    while left > 0:
        n = min(left, rng.randint(12, 20))
        if left - n < 6:
            n = left
        parts.append(sentence(rng, n, harbor=harbor and not parts))
        left -= n
    return " ".join(parts)


def article_body(rng: random.Random, words: int, *, harbor: bool) -> str:
    """About `words` words of editor HTML: paragraphs, a subheading, a list, a link."""
    html = []
    for i in range(words // 100):
        if i == 2:
            html.append(f"<h2>{sentence(rng, 5, harbor=False)[:-1]}</h2>")
        if i == 4:
            html.append(
                "<ul>"
                + "".join(
                    f"<li>{sentence(rng, 6, harbor=False)}</li>" for _ in range(3)
                )
                + "</ul>"
            )
        text = paragraph(rng, 100 - (23 if i == 4 else 0), harbor=harbor and i == 0)
        if i == 1:
            text += ' <a href="https://example.com/report">Read the report</a>.'
        html.append(f"<p>{text}</p>")
    return "\n".join(html)


# Data ----------------------------------------------------------------------


def seed() -> str:
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.models import (
        Article,
        ArticleAuthor,
        Author,
        Quote,
        Section,
        Source,
        Tag,
    )
    from comments.models import Comment
    from newsarchive.sanitize import clean_article_html, clean_comment_html

    rng = random.Random(2026)  # noqa: S311 (repeatable data, not secrets)
    tz = timezone.get_current_timezone()

    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=name.title(), slug=name)
            for name in (
                "world",
                "nation",
                "business",
                "science",
                "metro",
                "sports",
                "culture",
                "opinion",
            )  # fmt: skip
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"{word.title()} {n}", slug=f"{word}-{n}")
            for n, word in enumerate(rng.sample(WORDS, 60))
        )
        authors = Author.objects.bulk_create(
            Author(name=name, slug=slugify(name), bio=f"{name} covers the city.")
            for name in ("Ana Ortiz", "Ben Okafor", "Chloe Martin")
        )

        # A few bodies sanitised once and shared: bulk_create skips services.
        harbor_bodies = []
        for _ in range(7):
            body = article_body(rng, 600, harbor=True)
            harbor_bodies.append((body, clean_article_html(body)))
        plain_body = article_body(rng, 600, harbor=False)
        plain = (plain_body, clean_article_html(plain_body))

        start = datetime(2024, 1, 1, 6, 0, tzinfo=tz)
        step = (datetime(2025, 12, 31, 20, 0, tzinfo=tz) - start) / ARTICLES
        articles = []
        for i in range(ARTICLES):
            harbor = i % NO_HARBOR_EVERY != 0
            body, body_html = harbor_bodies[i % 7] if harbor else plain
            published_at = start + step * i
            title = f"{rng.choice(WORDS).title()} {rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(WORDS)} plan"
            articles.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)}-{i}",
                    dek=sentence(rng, 18, harbor=False),
                    body=body,
                    body_html=body_html,
                    status=Article.Status.PUBLISHED,
                    published_at=published_at,
                    pub_date=timezone.localdate(published_at),
                    section=sections[i % len(sections)],
                )
            )
        articles = Article.objects.bulk_create(articles, batch_size=500)

        Through = Article.tags.through
        Through.objects.bulk_create(
            (
                Through(article_id=a.pk, tag_id=tag.pk)
                for a in articles
                for tag in rng.sample(tags, 2)
            ),
            batch_size=2000,
        )
        ArticleAuthor.objects.bulk_create(
            (
                ArticleAuthor(article=a, author=authors[n % 3], position=0)
                for n, a in enumerate(articles)
            ),
            batch_size=2000,
        )

        feature = feature_article(
            rng, sections=sections, tags=tags, authors=authors, tz=tz
        )
        reuters, ap = Source.objects.bulk_create(
            [
                Source(name="Reuters", slug="reuters", url="https://www.reuters.com/"),
                Source(name="AP", slug="ap", url="https://apnews.com/"),
            ]
        )
        Quote.objects.bulk_create(
            [
                Quote(
                    article=feature,
                    position=0,
                    text="The wall will protect the harbor for the next fifty years, "
                    "and the work starts this winter.",
                    source=reuters,
                    source_url="https://www.reuters.com/example/harbor-wall",
                    speaker="Port director Maria Lopez",
                ),
                Quote(
                    article=feature,
                    position=1,
                    text="We asked for this after every storm; now we need to see "
                    "the crews on the pier.",
                    source=ap,
                    source_url="https://apnews.com/example/harbor-wall",
                    speaker="Fisherman Tom Reyes",
                ),
            ]
        )
        add_comments(rng, feature=feature, clean=clean_comment_html)

    print(
        f"seeded {Article.objects.count()} articles "
        f"({Article.objects.filter(body__icontains='harbor').count()} with 'harbor'), "
        f"{Comment.objects.filter(article=feature).count()} comments",
        file=sys.stderr,
    )
    return feature.get_absolute_url()


def feature_article(rng, *, sections, tags, authors, tz):
    from articles.models import Article, ArticleAuthor
    from articles.services import article_set_body

    published_at = datetime(2025, 11, 14, 10, 30, tzinfo=tz)
    feature = Article(
        title="Harbor authority approves a storm wall after a decade of floods",
        slug=FEATURE_SLUG,
        dek="The $240 million barrier will close the harbor mouth during storm "
        "surges; work starts in January.",
        status=Article.Status.PUBLISHED,
        published_at=published_at,
        section=sections[4],
    )
    article_set_body(article=feature, body=article_body(rng, 800, harbor=True))
    feature.save()  # save() sets pub_date
    feature.tags.set(tags[:2])
    ArticleAuthor.objects.create(article=feature, author=authors[0], position=0)
    ArticleAuthor.objects.create(article=feature, author=authors[1], position=1)
    return feature


def add_comments(rng, *, feature, clean) -> None:
    """50 approved comments of 60 words: 20 top-level, 20 replies, 10 replies to replies."""
    from comments.models import Comment

    n = iter(range(1, 51))
    when = feature.published_at

    def comment(parent=None) -> Comment:
        nonlocal when
        i = next(n)
        when += timedelta(minutes=rng.randint(3, 90))
        body = (
            paragraph(rng, 30, harbor=False) + "\n\n" + paragraph(rng, 30, harbor=False)
        )
        return Comment(
            article=feature,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.com",
            author_url="https://example.org/" if i % 5 == 0 else "",
            body=body,
            body_html=clean(body),
            ip=f"192.0.2.{i}",
            user_agent="bench",
            status=Comment.Status.APPROVED,
            akismet_verdict="ham",
            created=when,
        )

    top = Comment.objects.bulk_create([comment() for _ in range(20)])
    replies = Comment.objects.bulk_create([comment(parent) for parent in top])
    Comment.objects.bulk_create([comment(parent) for parent in replies[:10]])


def main() -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    recreate_database(os.environ["DATABASE_URL"])
    django.setup()
    if settings.DATABASES["default"]["NAME"] != BENCH_DB:
        sys.exit(f"refusing: settings point at {settings.DATABASES['default']['NAME']}")
    began = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.monotonic() - began:.1f} s", file=sys.stderr)
    began = time.monotonic()
    path = seed()
    # Fresh planner statistics, as a live database has: without them the
    # related-articles query picks a nested loop and takes ~20× longer.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.monotonic() - began:.1f} s", file=sys.stderr)
    print(path)


if __name__ == "__main__":
    main()
