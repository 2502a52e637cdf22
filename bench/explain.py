"""
EXPLAIN ANALYZE of the list queries readers and moderators cause, on the
database DATABASE_URL names (e.g. an archive from `manage.py
generate_archive`), written to bench/results/<date>-<commit>-explain.md.

    DATABASE_URL=postgres://…/newsarchive_bench_scale .venv/bin/python bench/explain.py

--smoke names the file …-explain-smoke.md (small archives: not a record).
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from revision import short_commit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")


def queries():
    """(label, SQL, params) of each list query, as the pages build them."""
    from django.conf import settings
    from django.db.models import Count, Exists, OuterRef
    from django.db.models.functions import Lower

    from articles import selectors as articles
    from articles.models import Article
    from comments.models import AKISMET_ANSWERED, Comment
    from comments.selectors import moderator

    per_page = settings.ARTICLES_PER_PAGE

    def of(label, qs, *, count=False):
        sql, params = qs.query.sql_with_params()
        if count:
            sql = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608 - Django's SQL
        return label, sql, params

    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Author, Section, Tag
    from articles.search import parse_query, search_articles

    yield of("home: one page of articles", articles.article_list()[:per_page])
    newest = Article.objects.published().order_by("-published_at").first()
    month = timezone.localtime(newest.published_at).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    yield of(
        "month archive: one page",
        articles.article_list().filter(
            published_at__gte=month, published_at__lt=month + timedelta(days=31)
        )[:per_page],
    )
    subjects = [
        ("section", articles.articles_in_section, "section", Section),
        ("tag", articles.articles_with_tag, "tag", Tag),
        ("author", articles.articles_by_author, "author", Author),
    ]
    for name, select, keyword, model in subjects:
        subject = model.objects.order_by("pk").first()
        listed = select(**{keyword: subject})
        yield of(f"{name} page: one page", listed[:per_page])
        yield of(f"{name} page: the pager's count", listed.order_by(), count=True)
    yield of(
        "feed: the latest articles with bodies",
        articles.feed_articles(articles.article_list())[: settings.FEED_SIZE],
    )
    from articles.search import MAX_COUNTED

    found = search_articles(parse_query("harbor"))
    for n, part in enumerate(found.parts, start=1):
        yield of(
            f'search "harbor", part {n}: the capped count',
            part.order_by().values("pk")[: MAX_COUNTED + 1],
            count=True,
        )
        # Past the cap a cheaper order stands in for the ranking.
        part = found.when_uncounted.get(n - 1, part)
        yield of(f'search "harbor", part {n}: one page', part[:per_page])
    yield of(
        "home: the pager's count",
        articles.article_list().order_by().values("pk"),
        count=True,
    )
    yield of(
        "queue, Held tab: one page",
        moderator.moderation_queue(tab="held")[:50],
    )
    from django.db import connection

    from comments import tally

    yield "queue: every status's count (the tally)", tally._READ, ()
    sql, params, _names = moderator._live_counts_query(
        moderator.COUNT_CAP, connection.vendor
    )
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    yield (
        "queue: the live counts (the last minute's unchecked, reported, discarded)",
        sql,
        [adapt(now - p.ago) if isinstance(p, moderator._Ago) else p for p in params],
    )
    yield of(
        "queue, Approved tab: one page",
        moderator.moderation_queue(tab="approved")[:50],
    )
    emails = list(
        moderator.moderation_queue(tab="held").values_list("author_email", flat=True)[
            :50
        ]
    )
    yield of(
        "queue: authors' records for one page",
        Comment.objects.annotate(email_key=Lower("author_email"))
        .filter(email_key__in={e.lower() for e in emails})
        .values("email_key")
        .annotate(total=Count("status"))
        .order_by(),
    )
    yield of(
        "queue: the article menu",
        Article.objects.filter(Exists(Comment.objects.filter(article=OuterRef("pk"))))
        .order_by("-published_at", "-id")
        .values_list("pk", "title")[:300],
    )
    yield of(
        "admin: Akismet's latest answer (account alert)",
        Comment.objects.filter(AKISMET_ANSWERED)
        .order_by("-checked_at", "-pk")
        .values("akismet_alert_code")[:1],
    )
    yield of(
        "admin changelist: one page",
        Comment.objects.select_related("article").order_by("-created", "-id")[:100],
    )
    yield of(
        "admin changelist: capped count",
        Comment.objects.order_by().values("pk")[: moderator.COUNT_CAP + 1],
        count=True,
    )


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN plans are recorded on PostgreSQL")
    commit = short_commit()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article")
        articles = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM comments_comment")
        comments = cursor.fetchone()[0]
        lines = [
            f"# EXPLAIN ANALYZE at {articles:,} articles, {comments:,} comments "
            f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {commit})",
            "",
        ]
        for label, sql, params in queries():
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            lines += [f"## {label}", "", "```", plan, "```", ""]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    smoke = "-smoke" if "--smoke" in sys.argv[1:] else ""
    path = out / f"{datetime.now(UTC):%Y-%m-%d}-{commit}-explain{smoke}.md"
    path.write_text("\n".join(lines))
    print(path)


if __name__ == "__main__":
    main()
