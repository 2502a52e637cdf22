"""
Streaming reader for WordPress export files (WXR).

The file is fed to defusedxml's expat parser a chunk at a time; each
top-level element of the channel (an author, a term, an item with its
comments) is turned into a plain record as soon as it closes and then
dropped, so memory stays flat whatever the file's size. Entity
declarations (the "billion laughs" bomb) and external entities are refused
by the parser before anything is expanded.
"""

import dataclasses
import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import BinaryIO

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

CHUNK_BYTES = 64 * 1024


class WxrError(Exception):
    """The file cannot be read further; what came before it stays imported."""

    def __init__(self, message: str, *, line: int = 0, column: int = 0) -> None:
        self.line, self.column = line, column
        where = f" (line {line}, column {column})" if line else ""
        super().__init__(f"{message}{where}")


@dataclasses.dataclass
class WxrAuthor:
    author_id: str
    login: str
    email: str
    display_name: str
    line: int = 0


@dataclasses.dataclass
class WxrTerm:
    """A category, tag or other term declared at the top of the export."""

    taxonomy: str  # "category", "post_tag", or a custom taxonomy
    term_id: str
    slug: str
    name: str
    parent_slug: str = ""
    line: int = 0


@dataclasses.dataclass
class WxrComment:
    comment_id: str
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    comment_type: str
    parent_id: str
    user_id: str


@dataclasses.dataclass
class WxrItem:
    post_id: str
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_date: str
    post_date_gmt: str
    post_name: str
    status: str
    post_parent: str
    password: str
    comment_status: str
    attachment_url: str
    # (domain, nicename, name) in the order the export lists them.
    terms: list[tuple[str, str, str]]
    meta: dict[str, str]
    comments: list[WxrComment]
    line: int = 0
    column: int = 0


@dataclasses.dataclass
class WxrChannel:
    title: str = ""
    link: str = ""
    base_blog_url: str = ""
    pub_date: str = ""


_PREFIXES = (
    ("wordpress.org/export/", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements", "dc"),
    ("wordpress.org/export/1.", "wp"),
    ("/excerpt/", "excerpt"),
    ("wellformedweb.org/CommentAPI", "wfw"),
)


# A file repeats a few dozen names hundreds of thousands of times; bounded,
# as a hostile file may name a new element each time.
@functools.lru_cache(maxsize=1024)
def _short(tag: str) -> str:
    """'{https://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    # The excerpt namespace sits under wordpress.org/export/ too: test it first.
    if "/excerpt/" in uri:
        return f"excerpt:{local}"
    for needle, prefix in _PREFIXES:
        if needle in uri:
            return f"{prefix}:{local}"
    return local


def _children(elem: ET.Element) -> dict[str, str]:
    """First text of each direct child, by short name."""
    found: dict[str, str] = {}
    for child in elem:
        found.setdefault(_short(child.tag), (child.text or "").strip())
    return found


def _raw(elem: ET.Element, name: str) -> str:
    """A child's text untouched (content keeps its leading whitespace)."""
    for child in elem:
        if _short(child.tag) == name:
            return child.text or ""
    return ""


class _Target(ET.TreeBuilder):
    """Builds one channel element at a time and hands it over when it closes."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parser = None  # the expat parser, for where an item starts
        self.done: list[tuple[ET.Element, int, int]] = []
        self.channel: ET.Element | None = None
        self.starts: list[tuple[int, int]] = []

    def start(self, tag, attrs):
        self.depth += 1
        elem = super().start(tag, attrs)
        if self.depth == 2:
            self.channel = elem
        elif self.depth == 3:
            self.starts.append(
                (self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1)
            )
        return elem

    def end(self, tag):
        elem = super().end(tag)
        if self.depth == 3:
            line, column = self.starts.pop()
            self.done.append((elem, line, column))
            # Forget it: the channel must not grow with the file.
            self.channel.remove(elem)
        self.depth -= 1
        return elem


Record = WxrChannel | WxrAuthor | WxrTerm | WxrItem


def read(stream: BinaryIO) -> Iterator[Record]:
    """
    Records in file order. The channel's own fields come first as one
    WxrChannel (the parser yields it as soon as the first author, term or
    item begins). Raises WxrError for a refused or malformed file, after
    every record completed before the fault.
    """
    target = _Target()
    parser = DefusedXMLParser(target=target)
    target.parser = parser.parser
    channel = WxrChannel()
    channel_sent = False
    failure: WxrError | None = None
    while failure is None:
        chunk = stream.read(CHUNK_BYTES)
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except ET.ParseError as exc:
            line, column = exc.position
            failure = WxrError(
                f"The file is not well-formed XML: {_reason(exc)}",
                line=line,
                column=column + 1,
            )
        except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as exc:
            failure = WxrError(_refusal(exc), line=parser.parser.CurrentLineNumber)
        done, target.done = target.done, []
        for elem, line, column in done:
            name = _short(elem.tag)
            if name in ("title", "link", "wp:base_blog_url", "pubDate"):
                _channel_field(channel, name, (elem.text or "").strip())
                continue
            record = _record(name, elem, line, column)
            if record is None:
                continue
            if not channel_sent:
                channel_sent = True
                yield channel
            yield record
        if not chunk:
            break
    if failure is not None:
        raise failure
    if not channel_sent:
        yield channel


def _reason(exc: ET.ParseError) -> str:
    text = str(exc)
    return text.split(":")[0] if ": line" in text else text


def _refusal(exc: Exception) -> str:
    if isinstance(exc, EntitiesForbidden):
        return (
            "The file declares XML entities, which are refused: they can expand "
            "a small file into gigabytes (an entity-expansion bomb)"
        )
    if isinstance(exc, ExternalReferenceForbidden):
        return (
            "The file refers to an external entity, which is refused: it would "
            "read a file or address outside the export"
        )
    return "The file has a document type declaration, which is refused"


def _channel_field(channel: WxrChannel, name: str, value: str) -> None:
    field = {
        "title": "title",
        "link": "link",
        "wp:base_blog_url": "base_blog_url",
        "pubDate": "pub_date",
    }[name]
    setattr(channel, field, value)


def _record(name: str, elem: ET.Element, line: int, column: int) -> Record | None:
    if name == "item":
        return _item(elem, line, column)
    fields = _children(elem)
    if name == "wp:author":
        return WxrAuthor(
            author_id=fields.get("wp:author_id", ""),
            login=fields.get("wp:author_login", ""),
            email=fields.get("wp:author_email", ""),
            display_name=fields.get("wp:author_display_name", ""),
            line=line,
        )
    if name == "wp:category":
        return WxrTerm(
            taxonomy="category",
            term_id=fields.get("wp:term_id", ""),
            slug=fields.get("wp:category_nicename", ""),
            name=fields.get("wp:cat_name", ""),
            parent_slug=fields.get("wp:category_parent", ""),
            line=line,
        )
    if name == "wp:tag":
        return WxrTerm(
            taxonomy="post_tag",
            term_id=fields.get("wp:term_id", ""),
            slug=fields.get("wp:tag_slug", ""),
            name=fields.get("wp:tag_name", ""),
            line=line,
        )
    if name == "wp:term":
        return WxrTerm(
            taxonomy=fields.get("wp:term_taxonomy", ""),
            term_id=fields.get("wp:term_id", ""),
            slug=fields.get("wp:term_slug", ""),
            name=fields.get("wp:term_name", ""),
            parent_slug=fields.get("wp:term_parent", ""),
            line=line,
        )
    return None


def _item(elem: ET.Element, line: int, column: int) -> WxrItem:
    fields = _children(elem)
    terms: list[tuple[str, str, str]] = []
    meta: dict[str, str] = {}
    comments: list[WxrComment] = []
    for child in elem:
        name = _short(child.tag)
        if name == "category":
            terms.append(
                (
                    child.get("domain", ""),
                    child.get("nicename", ""),
                    (child.text or "").strip(),
                )
            )
        elif name == "wp:postmeta":
            kv = _children(child)
            meta.setdefault(kv.get("wp:meta_key", ""), kv.get("wp:meta_value", ""))
        elif name == "wp:comment":
            c = _children(child)
            comments.append(
                WxrComment(
                    comment_id=c.get("wp:comment_id", ""),
                    author=c.get("wp:comment_author", ""),
                    author_email=c.get("wp:comment_author_email", ""),
                    author_url=c.get("wp:comment_author_url", ""),
                    author_ip=c.get("wp:comment_author_IP", ""),
                    date=c.get("wp:comment_date", ""),
                    date_gmt=c.get("wp:comment_date_gmt", ""),
                    content=_raw(child, "wp:comment_content"),
                    approved=c.get("wp:comment_approved", ""),
                    comment_type=c.get("wp:comment_type", ""),
                    parent_id=c.get("wp:comment_parent", ""),
                    user_id=c.get("wp:comment_user_id", ""),
                )
            )
    return WxrItem(
        post_id=fields.get("wp:post_id", ""),
        post_type=fields.get("wp:post_type", ""),
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        creator=fields.get("dc:creator", ""),
        content=_raw(elem, "content:encoded"),
        excerpt=_raw(elem, "excerpt:encoded").strip(),
        post_date=fields.get("wp:post_date", ""),
        post_date_gmt=fields.get("wp:post_date_gmt", ""),
        post_name=fields.get("wp:post_name", ""),
        status=fields.get("wp:status", ""),
        post_parent=fields.get("wp:post_parent", ""),
        password=fields.get("wp:post_password", ""),
        comment_status=fields.get("wp:comment_status", ""),
        attachment_url=fields.get("wp:attachment_url", ""),
        terms=terms,
        meta=meta,
        comments=comments,
        line=line,
        column=column,
    )
