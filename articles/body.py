"""
The article body as readers see it: an <img> naming one of our uploaded
pictures is drawn with its renditions (<picture>, WebP and JPEG srcset, its
size and alt text), as the featured picture is.

Only the stored, sanitised body_html is read. An <img> is ours when its src
is exactly the address the storage gives one of our Image files; any other
<img> stays as the sanitiser left it. All of an article's pictures come
from one query, and all of a feed's too (bodies_for_feed).
"""

import html
import re
from urllib.parse import unquote

from django.core.files.storage import default_storage
from django.utils.html import format_html

from articles import selectors
from articles.models import Image

# Same layout as the featured picture: the column's width on wide screens.
SIZES = "(min-width: 60rem) 60rem, 100vw"

# An <img> tag as bleach writes it: every value quoted, in single quotes
# when it holds a double quote.
_IMG_RE = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ATTR_RE = re.compile(r"""\s([a-z][a-z0-9-]*)=(?:"([^"]*)"|'([^']*)')""")


def _attributes(tag: str) -> dict[str, str]:
    return {
        name: html.unescape(double or single)
        for name, double, single in _ATTR_RE.findall(tag)
    }


def _stored_name(src: str, prefix: str) -> str | None:
    """The storage name `src` would be the address of, if it is under ours."""
    if not prefix or not src.startswith(prefix) or "?" in src or "#" in src:
        return None
    return unquote(src[len(prefix) :]) or None


def _srcs(body_html: str) -> list[str]:
    return [_attributes(tag).get("src", "") for tag in _IMG_RE.findall(body_html)]


def _storage_prefix() -> str:
    """
    What the storage puts before a stored name to make its address. Asked
    of a one-letter name: the S3 storage, with no custom domain, refuses to
    make the address of an empty one. An address that is not the prefix
    and the name (a signed one) matches no body's picture.
    """
    probe = default_storage.url("x")
    return probe[:-1] if probe.endswith("/x") else ""


def _ours(srcs: list[str]) -> dict[str, Image]:
    """Our uploaded pictures by the address written in a body, in one query."""
    prefix = _storage_prefix()
    wanted = {}
    for src in srcs:
        name = _stored_name(src, prefix)
        if name:
            wanted[src] = name
    if not wanted:
        return {}
    by_name = selectors.images_named(names=set(wanted.values()))
    # Only an exact match of the stored file's address counts as ours.
    return {
        src: by_name[name]
        for src, name in wanted.items()
        if name in by_name and by_name[name].file.url == src
    }


def _with_ours(body_html: str, ours: dict[str, Image], draw) -> str:
    def replace(match: re.Match) -> str:
        attrs = _attributes(match.group(0))
        image = ours.get(attrs.get("src", ""))
        if image is None:
            return match.group(0)
        return draw(image, alt=attrs.get("alt", "").strip() or image.alt)

    return _IMG_RE.sub(replace, body_html)


def body_with_pictures(body_html: str) -> str:
    srcs = _srcs(body_html or "")
    ours = _ours(srcs) if srcs else {}
    if not ours:
        return body_html
    return _with_ours(body_html, ours, _picture)


# Feed readers get one plain <img> per picture of ours, not the page's
# <picture>: most readers clean an item's HTML down to <img src alt> (srcset,
# sizes, <picture> and <source> go) and lay it out in a column of their own,
# so a srcset would reach few of them and be chosen by none. One JPEG (PNG
# with transparency) that every reader can show, at most this wide: sharp
# in a reader's column, a fraction of the original's bytes.
FEED_PICTURE_WIDTH = 960


def bodies_for_feed(bodies: list[str]) -> list[str]:
    """
    Each body with our pictures as their FEED_PICTURE_WIDTH rendition, its
    width, height and alt text; every picture of every body in one query.
    The addresses are the storage's: the feed makes them absolute.
    """
    srcs = [src for body_html in bodies for src in _srcs(body_html or "")]
    ours = _ours(srcs) if srcs else {}
    if not ours:
        return bodies
    return [_with_ours(body_html, ours, _feed_picture) for body_html in bodies]


def _feed_picture(image: Image, *, alt: str) -> str:
    rendition = image.rendition_at_most(FEED_PICTURE_WIDTH)
    if rendition is None:
        url, width, height = image.file.url, image.width, image.height
    else:
        url, width = default_storage.url(rendition["name"]), rendition["width"]
        height = rendition.get("height") or round(
            image.height * width / max(image.width, 1)
        )
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}">', url, alt, width, height
    )


def _picture(image: Image, *, alt: str) -> str:
    webp = image.webp_srcset
    source = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', webp, SIZES)
        if webp
        else ""
    )
    srcset = image.srcset
    return format_html(
        '<picture>{}<img src="{}" alt="{}"{} width="{}" height="{}" '
        'loading="lazy"></picture>',
        source,
        image.file.url,
        alt,
        format_html(' srcset="{}" sizes="{}"', srcset, SIZES) if srcset else "",
        image.width,
        image.height,
    )
