"""
WordPress post content to the HTML our articles store: block comments
dropped, [caption] made into <figure>, other shortcodes removed (and
counted), classic content given WordPress's automatic paragraphs. The
result is sanitised by the caller like any article body.
"""

import html
import re
from collections import Counter
from pathlib import Path

from newsarchive.sanitize import strip_tags

_KNOWN = frozenset(
    line.strip()
    for line in (Path(__file__).with_name("shortcodes.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?", re.S)
_CAPTION = re.compile(
    r"\[(?:wp_)?caption(?P<attrs>[^\]]*)\](?P<body>.*?)\[/(?:wp_)?caption\]", re.S
)
_CAPTION_PARAGRAPH = re.compile(
    r"<p>\s*(\[(?:wp_)?caption[^\]]*\].*?\[/(?:wp_)?caption\])\s*</p>", re.S
)
_CAPTION_ATTR = re.compile(r'caption="(?P<text>[^"]*)"')
# The media part of a caption: an <img>, possibly inside a link.
_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_OPEN = re.compile(r"\[(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?:\s[^\]]*)?)\]")
_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|"
    r"li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|"
    r"legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|"
    r"details|menu|summary)"
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_QUOTE = re.compile(r"<blockquote\b[^>]*>(?P<inner>.*?)</blockquote>", re.S)
_CITE = re.compile(r"<cite\b[^>]*>(?P<cite>.*?)</cite>", re.S)
_HREF = re.compile(r'<a\b[^>]*\bhref="(?P<href>https?://[^"]+)"')


def is_block_content(content: str) -> bool:
    """Written in the block editor (its markup already has paragraphs)."""
    return "<!-- wp:" in content


def to_article_html(content: str) -> tuple[str, Counter]:
    """The body to store, and how many of each removed shortcode there were."""
    blocks = is_block_content(content)
    text = _BLOCK_COMMENT.sub("", content)
    text, removed = strip_shortcodes(text)
    if not blocks:
        text = wpautop(text)
        # As in WordPress, shortcodes run after the paragraphs: a caption
        # alone in its paragraph becomes the figure itself.
        text = _CAPTION_PARAGRAPH.sub(r"\1", text)
    text = _CAPTION.sub(_figure, text)
    return text.strip(), removed


def _figure(match: re.Match) -> str:
    body = re.sub(r"<br />\s*", " ", match.group("body")).strip()
    media, caption = body, ""
    found = _MEDIA.match(body)
    if found:
        media, caption = found.group(1), found.group(2).strip()
    attr = _CAPTION_ATTR.search(match.group("attrs"))
    if not caption and attr:
        # The old form: [caption caption="…"]<img>[/caption]
        caption = html.unescape(attr.group("text"))
        caption = html.escape(caption, quote=False)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{media}{figcaption}</figure>"


def strip_shortcodes(text: str) -> tuple[str, Counter]:
    """
    Remove shortcodes, keeping what an enclosing one wraps ([embed]url[/embed]
    leaves the URL). A bracketed word is a shortcode if it has attributes, a
    closing tag, or is a known name.
    """
    removed: Counter = Counter()
    closers = set(re.findall(r"\[/([a-z][a-z0-9_-]*)\]", text))

    def opening(match: re.Match) -> str:
        name = match.group("name")
        if name in ("caption", "wp_caption"):
            return match.group(0)  # made into a figure later
        if name in _KNOWN or name in closers or "=" in match.group("attrs"):
            removed[name] += 1
            return ""
        return match.group(0)

    text = _OPEN.sub(opening, text)
    text = re.sub(
        r"\[/([a-z][a-z0-9_-]*)\]",
        lambda m: (
            "" if m.group(1) in removed and "caption" not in m.group(1) else m.group(0)
        ),
        text,
    )
    return text, removed


def wpautop(text: str) -> str:
    """WordPress's automatic paragraphs for classic-editor content."""
    if not text.strip():
        return ""
    pres: list[str] = []

    def keep(match: re.Match) -> str:
        pres.append(match.group(0))
        return f"<pre wp-pre-tag-{len(pres) - 1}></pre>"

    text = _PRE.sub(keep, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A newline inside a tag is not a line break.
    text = re.sub(r"<[^<>]*>", lambda m: m.group(0).replace("\n", " "), text)
    text = re.sub(rf"(<{_ALLBLOCKS}[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</{_ALLBLOCKS}>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?{_ALLBLOCKS}[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"(</?{_ALLBLOCKS}[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    for n, pre in enumerate(pres):
        text = text.replace(f"<pre wp-pre-tag-{n}></pre>", pre)
    return text


def quotes(body_html: str) -> list[tuple[str, str, str]]:
    """(text, source name, source URL) of each blockquote that has a <cite>."""
    found = []
    for match in _QUOTE.finditer(body_html):
        inner = match.group("inner")
        cite = _CITE.search(inner)
        if cite is None:
            continue
        name = strip_tags(cite.group("cite")).strip(" \n\t—–-")
        text = strip_tags(_CITE.sub("", inner)).strip(" \n\t—–-")
        if not name or not text:
            continue
        link = _HREF.search(cite.group("cite"))
        found.append((text, name[:200], link.group("href") if link else ""))
    return found
