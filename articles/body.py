"""
The article body as readers see it: an <img> naming one of our uploaded
pictures is drawn with its renditions (<picture>, WebP and JPEG srcset, its
size and alt text), as the featured picture is.

Only the stored, sanitised body_html is read. An <img> is ours when its src
is exactly the address the storage gives one of our Image files; any other
<img> stays as the sanitiser left it. All of an article's pictures come
from one query.
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


def body_with_pictures(body_html: str) -> str:
    tags = _IMG_RE.findall(body_html or "")
    if not tags:
        return body_html
    prefix = default_storage.url("")
    wanted = {}
    for tag in tags:
        src = _attributes(tag).get("src", "")
        name = _stored_name(src, prefix)
        if name:
            wanted[src] = name
    if not wanted:
        return body_html
    by_name = selectors.images_named(names=set(wanted.values()))
    # Only an exact match of the stored file's address counts as ours.
    ours = {
        src: by_name[name]
        for src, name in wanted.items()
        if name in by_name and by_name[name].file.url == src
    }
    if not ours:
        return body_html

    def draw(match: re.Match) -> str:
        attrs = _attributes(match.group(0))
        image = ours.get(attrs.get("src", ""))
        if image is None:
            return match.group(0)
        return _picture(image, alt=attrs.get("alt", "").strip() or image.alt)

    return _IMG_RE.sub(draw, body_html)


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
