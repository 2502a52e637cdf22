"""
Article feeds, RSS 2.0 and Atom, for the site and for each section, tag,
author and source, over the same published() rule as every page.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.text import Truncator

from articles import body, selectors
from articles.models import Article, Author, Section, Source, Tag
from newsarchive import fragments, pagecache
from newsarchive.sanitize import strip_tags
from newsarchive.syndication import (
    FeedState,
    SiteFeed,
    absolute,
    absolute_addresses,
)

# WordPress's excerpt length, so excerpts read as they did on the old site.
EXCERPT_WORDS = 55


def articles_state(request=None) -> FeedState:
    """
    Every article feed changes with the articles' version token (any write,
    deletes included) or when a scheduled article goes live, which writes
    nothing: the newest published_at among what readers see.
    """
    token = pagecache.token_for(request, fragments.ARTICLES)
    changed, live = selectors.feed_moments(request)
    moments = [m for m in (changed, live) if m is not None]
    return FeedState(parts=(token, live), last_modified=max(moments, default=None))


def excerpt(article: Article) -> str:
    return article.dek or Truncator(strip_tags(article.body_html)).words(
        EXCERPT_WORDS, truncate=" […]"
    )


class _ArticleFeed(SiteFeed):
    """The items every article feed shares; subclasses name the list."""

    url_name = ""
    # The articles token changes with every write to what an item shows.
    store_by_etag = True

    def state(self, obj, request=None) -> FeedState:
        return articles_state(request)

    def feed_url(self, obj) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        name = self.url_name + ("_atom" if self.feed_type.__name__ == "Atom" else "")
        return absolute(reverse(f"articles:{name}", kwargs=kwargs))

    def items(self, obj) -> list[Article]:
        items = list(selectors.feed_articles(self.articles(obj))[: settings.FEED_SIZE])
        if settings.FEEDS_FULL_CONTENT:
            # Every item's pictures in one query, and on the item itself: one
            # Feed instance answers every request.
            bodies = body.bodies_for_feed([item.body_html for item in items])
            for item, body_html in zip(items, bodies, strict=True):
                item.feed_body_html = absolute_addresses(
                    body_html, base=absolute(item.get_absolute_url())
                )
        return items

    def item_title(self, item: Article) -> str:
        return item.title

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid_is_permalink(self, item: Article) -> bool:
        return True

    def item_description(self, item: Article) -> str:
        return excerpt(item)

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return max(item.updated, item.published_at)

    def item_comments(self, item: Article) -> str:
        return absolute(item.get_absolute_url()) + "#comments"

    def item_categories(self, item: Article) -> list[str]:
        names = [item.section.name] if item.section else []
        return names + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = item.lead_image
        if image is None:
            return []
        # An uploaded picture's size is known; of an image on another server
        # it is not, and 0 is what WordPress sends then and validators accept.
        length = str(image.length) if image.length is not None else "0"
        return [
            Enclosure(
                url=absolute(image.url),
                length=length,
                mime_type=image.mime_type or "image/jpeg",
            )
        ]

    def item_extra_kwargs(self, item: Article) -> dict:
        return {
            "authors": [
                (b.author.name, absolute(b.author.get_absolute_url()))
                for b in item.bylines.all()
            ],
            "comment_feed": absolute(item.get_absolute_url()) + "feed/",
            "content_html": item.feed_body_html if settings.FEEDS_FULL_CONTENT else "",
        }


class LatestArticlesFeed(_ArticleFeed):
    url_name = "feed"

    def title(self) -> str:
        return settings.SITE_NAME

    def description(self) -> str:
        return f"The latest articles from {settings.SITE_NAME}"

    subtitle = description

    def link(self) -> str:
        return absolute(reverse("articles:home"))

    def articles(self, obj):
        return selectors.article_list()


class _SubjectFeed(_ArticleFeed):
    model = None
    kind = ""

    def get_object(self, request, slug: str):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj) -> str:
        return f"{self.kind} {obj.name} on {settings.SITE_NAME}"

    subtitle = description

    def link(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class SectionArticlesFeed(_SubjectFeed):
    model, kind, url_name = Section, "Articles in", "section_feed"

    def articles(self, obj: Section):
        return selectors.articles_in_section(section=obj)


class TagArticlesFeed(_SubjectFeed):
    model, kind, url_name = Tag, "Articles tagged", "tag_feed"

    def articles(self, obj: Tag):
        return selectors.articles_with_tag(tag=obj)


class AuthorArticlesFeed(_SubjectFeed):
    model, kind, url_name = Author, "Articles by", "author_feed"

    def articles(self, obj: Author):
        return selectors.articles_by_author(author=obj)


class SourceArticlesFeed(_SubjectFeed):
    model, kind, url_name = Source, "Articles quoting", "source_feed"

    def articles(self, obj: Source):
        return selectors.articles_quoting(source=obj)
