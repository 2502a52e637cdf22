"""
Comment feeds at WordPress's addresses: the site's (/comments/feed/) and one
article's (/YYYY/MM/DD/slug/feed/). Public comments only, through
Comment.objects.public(): a held, spam or removed comment never appears.
"""

from datetime import date

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import Truncator

from articles.models import Article
from comments.models import Comment
from comments.selectors.reader import comments_changed, feed_comments
from newsarchive import fragments
from newsarchive.sanitize import strip_tags
from newsarchive.syndication import (
    FeedState,
    SiteFeed,
    absolute,
    absolute_addresses,
)

EXCERPT_WORDS = 55


class _CommentFeed(SiteFeed):
    def state(self, obj: Article | None, request=None) -> FeedState:
        changed = comments_changed(article=obj)
        # Article titles and visibility show in the items too.
        token = fragments.token(fragments.ARTICLES)
        moments = [m for m in (changed["changed"], obj and obj.updated) if m]
        return FeedState(
            parts=(token, changed["changed"], changed["count"]),
            last_modified=max(moments, default=None),
        )

    def items(self, obj: Article | None):
        return feed_comments(article=obj)[: settings.FEED_SIZE]

    def item_link(self, item: Comment) -> str:
        return absolute(item.get_absolute_url())

    def item_guid_is_permalink(self, item: Comment) -> bool:
        return True

    def item_description(self, item: Comment) -> str:
        return Truncator(strip_tags(item.body_html)).words(
            EXCERPT_WORDS, truncate=" […]"
        )

    def item_pubdate(self, item: Comment):
        return item.created

    def item_extra_kwargs(self, item: Comment) -> dict:
        return {
            "authors": [(item.author_name, item.author_url)],
            "content_html": absolute_addresses(
                item.body_html, base=self.item_link(item)
            ),
        }


class SiteCommentsFeed(_CommentFeed):
    def title(self) -> str:
        return f"Comments for {settings.SITE_NAME}"

    def description(self) -> str:
        return f"The latest reader comments on {settings.SITE_NAME}"

    def link(self) -> str:
        return absolute(reverse("articles:home"))

    def feed_url(self) -> str:
        return absolute(reverse("comments:feed"))

    def item_title(self, item: Comment) -> str:
        return f"Comment on {item.article.title} by {item.author_name}"


class ArticleCommentsFeed(_CommentFeed):
    def get_object(self, request, year: str, month: str, day: str, slug: str):
        try:
            pub_date = date(int(year), int(month), int(day))
        except ValueError as exc:
            raise Http404("No such date") from exc
        return get_object_or_404(
            Article.objects.published().only(
                "id", "title", "slug", "published_at", "updated"
            ),
            pub_date=pub_date,
            slug=slug,
        )

    def title(self, obj: Article) -> str:
        return f"Comments on: {obj.title}"

    def description(self, obj: Article) -> str:
        return f"Reader comments on “{obj.title}”, {settings.SITE_NAME}"

    def link(self, obj: Article) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Article) -> str:
        return absolute(obj.get_absolute_url()) + "feed/"

    def item_title(self, item: Comment) -> str:
        return f"By: {item.author_name}"
