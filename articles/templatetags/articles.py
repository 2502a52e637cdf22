"""Template tags for article pages: quotes, share links, JSON-LD, section nav."""

import json
from urllib.parse import quote as urlquote

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import body, selectors
from articles.models import Article, Quote
from newsarchive import cache, fragments, pagecache

register = template.Library()

# The escapes json_script uses: no "</script>" or "<!--" can end the element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


@register.filter
def absolute_url(url: str) -> str:
    """Prefix a site path with SITE_URL (canonical links, share links, meta)."""
    return absolute(str(url))


@register.filter
def with_pictures(body_html: str) -> str:
    """A sanitised body with our uploaded pictures drawn with their renditions."""
    return mark_safe(body.body_with_pictures(body_html))  # noqa: S308


@register.inclusion_tag("articles/includes/quote.html")
def render_quote(quote: Quote) -> dict:
    source = quote.source
    return {
        "quote": quote,
        "cite_url": quote.source_url or (source.url if source else ""),
        "source": source,
    }


@register.inclusion_tag("articles/includes/share_links.html")
def share_links(article: Article) -> dict:
    url = absolute(article.get_absolute_url())
    u, t = urlquote(url, safe=""), urlquote(article.title, safe="")
    return {
        "url": url,
        "links": [
            ("email", "Email", f"mailto:?subject={t}&body={u}"),
            ("x", "X", f"https://x.com/intent/post?url={u}&text={t}"),
            (
                "facebook",
                "Facebook",
                f"https://www.facebook.com/sharer/sharer.php?u={u}",
            ),
            (
                "linkedin",
                "LinkedIn",
                f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
            ),
            ("reddit", "Reddit", f"https://www.reddit.com/submit?url={u}&title={t}"),
        ],
    }


@register.simple_tag(takes_context=True)
def article_jsonld(context, article: Article) -> str:
    """A NewsArticle JSON-LD block, escaped so no field can close the script.
    Its payload is cached with the article's fragments; the nonce is this
    response's."""
    key = f"article-jsonld:{article.pk}:{article.updated.timestamp()}:{content_version(context)}"
    payload = cache.get_or_compute(
        key, lambda: _jsonld_payload(article), fragments.FRAGMENT_SECONDS
    )
    return format_html(
        '<script type="application/ld+json" nonce="{}">{}</script>',
        context.get("csp_nonce", ""),
        mark_safe(payload),  # noqa: S308 – escaped in _jsonld_payload, as json_script does
    )


@register.simple_tag
def article_detail(article: Article) -> str:
    """Loads the article's bylines, tags, quotes and corrections: placed at
    the start of each cached fragment, so a fragment served from the cache
    costs none of those queries."""
    selectors.load_article_detail(article)
    return ""


def _jsonld_payload(article: Article) -> str:
    selectors.load_article_detail(article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.dek,
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": article.published_at,
        "dateModified": max(article.updated, article.published_at)
        if article.published_at
        else article.updated,
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute(byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.section:
        data["articleSection"] = article.section.name
    image = article.lead_image
    if image is not None and not image.width:
        data["image"] = [absolute(image.url)]
    elif image is not None:
        picture = {
            "@type": "ImageObject",
            "url": absolute(image.url),
            "width": image.width,
            "height": image.height,
        }
        if image.caption:
            picture["caption"] = image.caption
        if image.credit:
            picture["creditText"] = image.credit
        data["image"] = [picture]
    return json.dumps(data, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES)


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context) -> dict:
    request = context.get("request")
    return {
        "sections": selectors.section_links(request),
        "current_path": request.path if request else "",
    }


@register.simple_tag
def article_bylines(articles) -> str:
    """Loads a list's bylines: placed at the start of the list's cached
    fragment, so a list served from the cache costs no bylines query."""
    selectors.load_bylines(articles)
    return ""


@register.simple_tag(takes_context=True)
def content_version(context) -> str:
    """The article fragments' version token, read once per request (the
    request keeps the tokens it read: pagecache.tokens_for)."""
    return pagecache.token_for(context.get("request"), fragments.ARTICLES)


@register.simple_tag(takes_context=True)
def list_key(context, articles) -> str:
    """
    Part of a paginated list fragment's cache key, with the articles token:
    which list (the page's path), which page of it, and when the next
    scheduled article goes live. No row is read for it, so a list served
    from the cache costs no query of its own.
    """
    page = context.get("page_obj")
    request = context.get("request")
    if page is None or request is None:
        return cards_key(articles)
    mark = selectors.next_publication_mark(request)
    return f"{request.path}:{page.number}:{mark}"


@register.filter
def cards_key(articles) -> str:
    """Part of a list fragment's cache key: which articles, in which state."""
    return ",".join(f"{a.pk}:{a.updated.timestamp()}" for a in articles)


# How a newspaper prints a moment: "29 November 2026, 14:03".
NEWSPAPER_DATETIME = "j F Y, H:i"
NEWSPAPER_DATE = "j F Y"


@register.filter
def newspaper(value, kind: str = "datetime") -> str:
    """A date or datetime as the paper prints it, in the site's time zone."""
    if not value:
        return ""
    if kind == "date":
        return dateformat.format(value, NEWSPAPER_DATE)
    return dateformat.format(timezone.localtime(value), NEWSPAPER_DATETIME)


@register.inclusion_tag("includes/time.html")
def newspaper_time(value, css_class: str = "") -> dict:
    """<time datetime="…"> around a moment as the paper prints it."""
    return {"value": value, "css_class": css_class}
