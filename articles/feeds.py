"""Atom feeds over the same published() rule as every page."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from articles import selectors
from articles.models import Article, Tag
from articles.templatetags.articles import absolute

FEED_SIZE = 20


class _ArticleFeed:
    feed_type = Atom1Feed
    description_template = "feeds/article_description.html"

    def item_title(self, item: Article) -> str:
        return item.title

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return max(item.updated, item.published_at)

    def item_author_name(self, item: Article) -> str:
        return ", ".join(byline.author.name for byline in item.bylines.all())

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        # Only an uploaded picture has the size and type an enclosure needs.
        image = item.lead_image
        if image is None or not image.mime_type or image.length is None:
            return []
        return [
            Enclosure(
                url=absolute(image.url),
                length=str(image.length),
                mime_type=image.mime_type,
            )
        ]


class LatestArticlesFeed(_ArticleFeed, Feed):
    def title(self) -> str:
        return settings.SITE_NAME

    def subtitle(self) -> str:
        return f"The latest articles from {settings.SITE_NAME}"

    def link(self) -> str:
        return reverse("articles:home")

    def items(self):
        return selectors.latest_articles(limit=FEED_SIZE)


class TagArticlesFeed(_ArticleFeed, Feed):
    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def subtitle(self, obj: Tag) -> str:
        return f"Articles tagged “{obj.name}”"

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Tag):
        return (
            selectors.articles_with_tag(tag=obj)
            .defer(None)
            .prefetch_related("tags")[:FEED_SIZE]
        )
