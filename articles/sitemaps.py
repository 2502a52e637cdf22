"""sitemap.xml: published articles only, plus the sections readers browse."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "updated")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, item: Article):
        return max(item.updated, item.published_at)


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Section.objects.order_by("name")


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["articles:home", "privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "static": StaticSitemap,
}
