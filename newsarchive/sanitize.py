"""
HTML sanitising: the only module that imports bleach.

Bleach is no longer maintained; keeping it behind these two functions makes a
switch to nh3 a one-file change. Both functions are allowlists: anything not
named here is stripped (tags) or dropped (attributes, URL schemes).
"""

import html as html_lib
import re
from functools import partial

import bleach

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul",
    }
)  # fmt: skip

ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "col": ["span"],
    "colgroup": ["span"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "ol": ["start", "reversed"],
    "q": ["cite"],
    "td": ["colspan", "rowspan", "headers"],
    "th": ["colspan", "rowspan", "scope", "headers"],
    "time": ["datetime"],
}

COMMENT_TAGS = frozenset({"p", "br", "a", "em", "strong", "code", "blockquote"})
COMMENT_ATTRIBUTES = {"a": ["href"]}

_article_cleaner = bleach.Cleaner(
    tags=ARTICLE_TAGS,
    attributes=ARTICLE_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _nofollow_ugc(attrs, new=False):
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


_comment_cleaner = bleach.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=frozenset({"http", "https"}),
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            bleach.linkifier.LinkifyFilter,
            callbacks=[_nofollow_ugc],
            # Bare text becomes a link only for the schemes the cleaner allows;
            # linkify's default list would make data:, ftp: and xmpp: links.
            url_re=bleach.linkifier.build_url_re(protocols=["http", "https"]),
        )
    ],
)


_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPTY_P_RE = re.compile(r"<p>\s*</p>")


def clean_article_html(html: str) -> str:
    """Editors' HTML: headings, lists, links, figures, images, tables, code."""
    return _article_cleaner.clean(html or "")


def clean_comment_html(text: str) -> str:
    """
    A reader's comment as typed, to safe HTML.

    Paragraphs come from blank lines and line breaks from single newlines, as
    WordPress does; bare URLs become links; every link is rel="nofollow ugc".
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    # A newline inside a tag ("<a\nhref=…>") is whitespace, not a line break:
    # turning it into <br> would split the tag and mangle its attributes.
    text = _TAG_RE.sub(lambda m: m.group(0).replace("\n", " "), text)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
    # A block (blockquote) inside our <p> closes it, leaving empty paragraphs.
    return _EMPTY_P_RE.sub("", _comment_cleaner.clean(html))


def count_links(html: str) -> int:
    """How many links a sanitised comment holds (used by the link-count hold rule)."""
    return html.count("<a ")


def strip_tags(html: str) -> str:
    """Plain text for meta descriptions, feeds and reading-time counts."""
    return html_lib.unescape(bleach.clean(html or "", tags=set(), strip=True))
