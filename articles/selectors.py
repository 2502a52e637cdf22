"""
Read-side queries for views, feeds, sitemaps and template tags.

Everything a reader can reach starts from Article.objects.published(), the one
visibility rule. Each selector prefetches what its template shows so a page
costs the same number of queries for 3 items as for 300.
"""

from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Quote, Section, Source, Tag


def _bylines() -> Prefetch:
    return Prefetch(
        "bylines",
        queryset=ArticleAuthor.objects.select_related("author").order_by(
            "position", "id"
        ),
    )


def article_list() -> QuerySet[Article]:
    """Published articles as shown in any list: section and bylines included."""
    return (
        Article.objects.published()
        # Lists never show the body; feeds undo this with .defer(None).
        .defer("body", "body_html")
        .select_related("section")
        .prefetch_related(_bylines())
        .order_by("-published_at", "-id")
    )


def _next_publication() -> Subquery:
    """When the next scheduled article goes live. Part of the article page's
    fragment-cache key: its related list changes then, with no write."""
    upcoming = Article.objects.filter(
        status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
        published_at__gt=timezone.now(),
    )
    return Subquery(upcoming.order_by("published_at").values("published_at")[:1])


def next_publication_time():
    """When the next scheduled article goes live (None: none is scheduled).
    Cached pages end then, as the lists change with no write."""
    return (
        Article.objects.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
            published_at__gt=timezone.now(),
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def _with_detail(queryset: QuerySet[Article]) -> QuerySet[Article]:
    queryset = queryset.annotate(next_publication=_next_publication())
    return queryset.select_related("section").prefetch_related(
        _bylines(),
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch(
            "quotes",
            queryset=Quote.objects.select_related("source").order_by("position", "id"),
        ),
    )


def article_detail_queryset() -> QuerySet[Article]:
    """Published articles with everything the article page shows prefetched."""
    return _with_detail(Article.objects.published())


def article_preview_queryset() -> QuerySet[Article]:
    """Any article, whatever its status: for staff previews only."""
    return _with_detail(Article.objects.all())


def related_articles(*, article: Article, limit: int = 4) -> list[Article]:
    """Published articles sharing a tag or the section, newest first."""
    # Read the tag ids from the prefetch cache when present (no extra query).
    tag_ids = [tag.pk for tag in article.tags.all()]
    match = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    if article.section_id:
        match |= Q(section_id=article.section_id)
    ids = (
        Article.objects.published()
        .filter(match)
        .exclude(pk=article.pk)
        .values("pk")
        .distinct()
    )
    return list(article_list().filter(pk__in=ids)[:limit])


def articles_in_section(*, section: Section) -> QuerySet[Article]:
    return article_list().filter(section=section)


def articles_with_tag(*, tag: Tag) -> QuerySet[Article]:
    return article_list().filter(tags=tag)


def articles_by_author(*, author: Author) -> QuerySet[Article]:
    return article_list().filter(bylines__author=author)


def quotes_from_source(*, source: Source) -> QuerySet[Quote]:
    """Every quote from a source in a published article, newest article first."""
    return (
        Quote.objects.filter(
            source=source, article__in=Article.objects.published().values("pk")
        )
        .select_related("source", "article", "article__section")
        .order_by("-article__published_at", "article_id", "position", "id")
    )


def sections() -> QuerySet[Section]:
    return Section.objects.order_by("name")


def latest_articles(*, limit: int = 20) -> QuerySet[Article]:
    """For feeds and sitemaps: newest published articles with tags and bylines."""
    return article_list().defer(None).prefetch_related("tags")[:limit]
