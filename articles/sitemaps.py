"""
Sitemaps at archive size: /sitemap.xml is an index of pages of at most
SITEMAP_PAGE_SIZE addresses (the protocol allows 50,000): articles by month,
then sections, tags, authors, sources and the fixed pages, plus a Google
News sitemap of the last 48 hours. Published articles only; lastmod from
`updated`; every address absolute from SITE_URL, never the request's Host.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Count, Max
from django.db.models.functions import Greatest, TruncMonth
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import Article, Author, Section, Source, Tag
from newsarchive import cache, fragments
from newsarchive.syndication import absolute

URLSET = "sitemaps/urlset.xml"
NEWS_HOURS = 48
# Google News reads at most this many addresses from one news sitemap.
NEWS_LIMIT = 1000


class _SiteSitemap(Sitemap):
    """Addresses from SITE_URL, pages of SITEMAP_PAGE_SIZE."""

    @property
    def limit(self) -> int:
        return settings.SITEMAP_PAGE_SIZE

    @property
    def protocol(self) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


def _published():
    return Article.objects.published()


def _article_lastmod():
    # A scheduled article's row is written before it goes live.
    return Greatest("updated", "published_at")


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


class ArticleMonthSitemap(_SiteSitemap):
    changefreq = "monthly"

    def __init__(self, month: date) -> None:
        self.month = month

    def items(self):
        return (
            _published()
            # A range, so the (pub_date, slug) index serves it.
            .filter(pub_date__gte=self.month, pub_date__lt=_next_month(self.month))
            .only("id", "slug", "published_at", "updated")
            .order_by("published_at", "id")
        )

    def lastmod(self, item: Article):
        return max(item.updated, item.published_at)


class _SubjectSitemap(_SiteSitemap):
    """Subjects with at least one published article, lastmod its newest change."""

    changefreq = "daily"
    model = None
    through = ""

    def items(self):
        return (
            self.model.objects.filter(
                **{f"{self.through}__in": _published().values("pk")}
            )
            .annotate(last_change=Max(f"{self.through}__updated"))
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.last_change


class SectionSitemap(_SubjectSitemap):
    model, through = Section, "articles"


class TagSitemap(_SubjectSitemap):
    model, through = Tag, "articles"


class AuthorSitemap(_SubjectSitemap):
    model, through = Author, "bylines__article"


class SourceSitemap(_SubjectSitemap):
    model, through = Source, "quotes__article"


class StaticSitemap(_SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["articles:home", "articles:sources", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


class NewsSitemap(_SiteSitemap):
    """Google News: what was published in the last 48 hours."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_HOURS)
        return (
            _published()
            .filter(published_at__gte=since)
            .only("id", "title", "slug", "published_at", "updated")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item: Article):
        return max(item.updated, item.published_at)


SUBJECT_SITEMAPS = {
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "sources": SourceSitemap,
    "pages": StaticSitemap,
}


@dataclass(frozen=True)
class IndexEntry:
    location: str
    lastmod: datetime | None


def _pages(url: str, count: int) -> list[str]:
    pages = max(1, -(-count // settings.SITEMAP_PAGE_SIZE))
    return [url if page == 1 else f"{url}?p={page}" for page in range(1, pages + 1)]


def _month_url(month: date) -> str:
    return reverse(
        "sitemap_articles", kwargs={"year": month.year, "month": f"{month.month:02d}"}
    )


def _index_entries() -> list[IndexEntry]:
    months = (
        _published()
        .annotate(month=TruncMonth("pub_date"))
        .values("month")
        .annotate(n=Count("id"), last=Max(_article_lastmod()))
        .order_by("-month")
    )
    entries = [
        IndexEntry(location=absolute(url), lastmod=row["last"])
        for row in months
        for url in _pages(_month_url(row["month"]), row["n"])
    ]
    for name, cls in SUBJECT_SITEMAPS.items():
        count = cls().paginator.count
        if count:
            url = reverse("sitemap_section", kwargs={"section": name})
            entries += [IndexEntry(absolute(u), None) for u in _pages(url, count)]
    entries.append(IndexEntry(absolute(reverse("sitemap_news")), None))
    return entries


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # Counting the whole archive is the costly part: kept while nothing was
    # written (the articles' token) and no scheduled article went live.
    live = (
        _published()
        .order_by("-published_at", "-id")
        .values_list("published_at", flat=True)
        .first()
    )
    key = "sitemap-index:" + ":".join(
        [
            fragments.token(fragments.ARTICLES),
            str(live.timestamp() if live else 0),
            str(settings.SITEMAP_PAGE_SIZE),
            settings.SITE_URL,
        ]
    )
    entries = cache.get_or_compute(key, _index_entries, fragments.FRAGMENT_SECONDS)
    return TemplateResponse(
        request,
        "sitemaps/index.xml",
        {"entries": entries},
        content_type="application/xml",
    )


@require_GET
def articles_month(request: HttpRequest, year: str, month: str) -> HttpResponse:
    try:
        first = date(int(year), int(month), 1)
    except ValueError as exc:
        raise Http404("No such month") from exc
    maps = {"articles": ArticleMonthSitemap(first)}
    if not maps["articles"].items().exists():
        raise Http404("No articles that month")
    return sitemap(request, maps, section="articles", template_name=URLSET)


@require_GET
def section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SUBJECT_SITEMAPS:
        raise Http404("No such sitemap")
    return sitemap(
        request,
        {section: SUBJECT_SITEMAPS[section]()},
        section=section,
        template_name=URLSET,
    )


@require_GET
def news(request: HttpRequest) -> HttpResponse:
    return sitemap(
        request,
        {"news": NewsSitemap()},
        section="news",
        template_name="sitemaps/news.xml",
    )
