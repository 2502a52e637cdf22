"""
What every feed of the site shares, for both apps.

RSS 2.0 is shaped like WordPress's (content:encoded, one dc:creator per
author, categories, wfw:commentRss), so readers' subscriptions to the old
site keep working; Atom carries the same items. Every address is absolute
from SITE_URL, never from the request's Host header, which a client sets.
Conditional GET: each feed names a cheap state (a version token, the
latest change), so a reader polling an unchanged feed gets a 304.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import http_date, quote_etag

from newsarchive import cache
from newsarchive.fragments import FRAGMENT_SECONDS

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"


def absolute(url: str) -> str:
    """A site path made absolute with SITE_URL; absolute URLs pass through."""
    url = str(url)
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


# A link's or a picture's start tag as bleach writes it (every value quoted),
# and its attributes one after another: each match takes a whole attribute,
# value and all, so text inside a value (an alt or a title that reads
# "src='…'") is never taken for an attribute of its own.
_ADDRESSED_TAG_RE = re.compile(r"""(<(?:a|img))(\s(?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRIBUTE_RE = re.compile(r"""(\s+([^\s=>]+)=)(?:"([^"]*)"|'([^']*)')""")


def absolute_addresses(body_html: str, *, base: str) -> str:
    """
    Sanitised HTML for a feed item: every relative link and picture address
    resolved against `base`, the item's own page, as a browser showing that
    page would. A feed reader shows the HTML away from our site, where
    /media/… or /2026/… leads nowhere.
    """

    def resolve(match: re.Match) -> str:
        if match.group(2).lower() not in ("href", "src"):
            return match.group(0)
        written = html.unescape(match.group(3) or match.group(4) or "")
        if urlsplit(written).scheme:
            return match.group(0)
        return f'{match.group(1)}"{html.escape(urljoin(base, written))}"'

    return _ADDRESSED_TAG_RE.sub(
        lambda tag: tag.group(1) + _ATTRIBUTE_RE.sub(resolve, tag.group(2)) + ">",
        body_html,
    )


@dataclass(frozen=True)
class FeedState:
    """What a feed's content depends on, read without building the feed."""

    parts: tuple
    last_modified: datetime | None


class WordPressRss(Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:wfw": WFW_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _uri in item.get("authors") or ():
            handler.addQuickElement("dc:creator", name)
        if item.get("comment_feed"):
            handler.addQuickElement("wfw:commentRss", item["comment_feed"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class Atom(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, uri in item.get("authors") or ():
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class SiteFeed(Feed):
    """
    A feed in RSS 2.0 (the default) or Atom. Subclasses return absolute
    links (absolute() above) and define state(obj).
    """

    def __init__(self, *, atom: bool = False) -> None:
        self.feed_type = Atom if atom else WordPressRss

    # True where state() names everything the items show (a version token
    # every write to them replaces): the feed's bytes are then stored under
    # its ETag and written once per change, not on every request.
    store_by_etag = False

    def state(self, obj, request=None) -> FeedState:
        raise NotImplementedError

    def _response(self, obj, request, etag: str) -> HttpResponse:
        key = f"feed:{etag}:{hashlib.sha256(request.path.encode()).hexdigest()[:16]}"
        stored = cache.get(key) if self.store_by_etag else None
        if isinstance(stored, tuple) and len(stored) == 2:
            content_type, body = stored
            return HttpResponse(body, content_type=content_type)
        feedgen = self.get_feed(obj, request)
        response = HttpResponse(content_type=feedgen.content_type)
        feedgen.write(response, "utf-8")
        if self.store_by_etag:
            cache.set(key, (feedgen.content_type, response.content), FRAGMENT_SECONDS)
        return response

    def _etag(self, state: FeedState) -> str:
        # Everything the bytes depend on beyond the rows: format, settings.
        raw = repr(
            (
                self.__class__.__name__,
                self.feed_type.__name__,
                settings.SITE_URL,
                settings.FEEDS_FULL_CONTENT,
                settings.FEED_SIZE,
                *state.parts,
            )
        )
        return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])

    def __call__(self, request, *args, **kwargs):
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist as exc:
            raise Http404("Feed object does not exist.") from exc
        state = self.state(obj, request)
        etag = self._etag(state)
        last_modified = (
            int(state.last_modified.timestamp()) if state.last_modified else None
        )
        response = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if response is None:
            response = self._response(obj, request, etag)
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        return response
