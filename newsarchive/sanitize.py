"""
HTML sanitising: the only module that imports bleach.

Bleach is no longer maintained; keeping it behind these two functions makes a
switch to nh3 a one-file change. Both functions are allowlists: anything not
named here is stripped (tags) or dropped (attributes, URL schemes).

Both also refuse markup past a cap (HtmlTooComplex) before bleach runs: see
"Markup caps" below for why a plain length limit is not enough.
"""

import bisect
import dataclasses
import html as html_lib
import re
from collections import Counter
from functools import partial

import bleach

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "footer", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
        "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul",
    }
)  # fmt: skip

_WEB_ADDRESS_RE = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def _cite_is_a_web_address(tag: str, name: str, value: str) -> bool:
    # A quote's cite names where it came from: a web page, nothing else
    # (no mailto:, no relative path that would resolve against our site).
    return name == "cite" and _WEB_ADDRESS_RE.fullmatch(value.strip()) is not None


ARTICLE_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "blockquote": _cite_is_a_web_address,
    "col": ["span"],
    "colgroup": ["span"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "ol": ["start", "reversed"],
    "q": _cite_is_a_web_address,
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


class _UnwrapNonLinks(bleach.html5lib_shim.Filter):
    """
    An <a> left without an href (none given, or an unsafe one dropped) is not
    a link: its text stays and the tag goes, ahead of linkify, so that a bare
    URL in that text is linked now rather than when sanitised a second time.
    """

    def __iter__(self):
        dropped = []  # per open <a>: whether its start tag was dropped
        for token in super().__iter__():
            if token.get("name") == "a" and token["type"] == "StartTag":
                drop = (None, "href") not in token["data"]
                dropped.append(drop)
                if drop:
                    continue
            elif (
                token.get("name") == "a"
                and token["type"] == "EndTag"
                and dropped
                and dropped.pop()
            ):
                continue
            yield token


_comment_cleaner = bleach.Cleaner(
    tags=COMMENT_TAGS,
    attributes=COMMENT_ATTRIBUTES,
    protocols=frozenset({"http", "https"}),
    strip=True,
    strip_comments=True,
    filters=[
        _UnwrapNonLinks,
        partial(
            bleach.linkifier.LinkifyFilter,
            callbacks=[_nofollow_ugc],
            # Bare text becomes a link only for the schemes the cleaner allows;
            # linkify's default list would make data:, ftp: and xmpp: links.
            url_re=bleach.linkifier.build_url_re(protocols=["http", "https"]),
        ),
    ],
)


# Invisible control characters: bleach turns those in text into "?" but not
# those in markup it reads as text, so a second pass would change them. Form
# feed and vertical tab are whitespace; the rest mean nothing in a page.
_SPACE_CONTROLS_RE = re.compile("[\x0b\x0c]")
_CONTROLS_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _without_controls(text: str) -> str:
    return _CONTROLS_RE.sub("", _SPACE_CONTROLS_RE.sub(" ", text))


# A tag with a newline in it (only those need mending, see below).
_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]*\n[^<>]*>")
# A <p> or </p> the reader typed or pasted.
_TYPED_P_RE = re.compile(r"</?p(?=[\s/>])[^>]*>", re.IGNORECASE)
_EMPTY_P_RE = re.compile(r"<p>\s*</p>")
_P_EDGE_SPACE_RE = re.compile(r"(<p>)\s+|\s+(</p>)")


_PRE_LEADING_NEWLINES_RE = re.compile(r"(<pre\b[^>]*>)(?:\r?\n)+")


def clean_article_html(html: str) -> str:
    """
    Editors' HTML: headings, lists, links, figures, images, tables, code.
    Raises HtmlTooComplex past ARTICLE_LIMITS.
    """
    return _clean_article(html, always_bleach=False)


# Paragraphs of plain text, which is what WordPress's automatic paragraphs
# make of classic content with no markup: bleach gives them back as they
# are but for writing <br /> as <br> (a carriage return it would make a
# newline, an entity or a bracket it would read).
_PLAIN_PARAGRAPHS_RE = re.compile(r"[^<>&\r]*(?:<p>(?:[^<>&\r]|<br />)*</p>[^<>&\r]*)*")


def _clean_article(html: str, *, always_bleach: bool) -> str:
    html = _without_controls(html or "")
    check_article_markup(html)
    if not always_bleach and _PLAIN_PARAGRAPHS_RE.fullmatch(html):
        return html.replace("<br />", "<br>")
    # A parser drops a newline right after <pre>, so one left there (bleach
    # puts one where it strips a block tag) would vanish when the output is
    # read again: dropped here, sanitising twice changes nothing.
    return _PRE_LEADING_NEWLINES_RE.sub(r"\1", _article_cleaner.clean(html))


def clean_comment_html(text: str) -> str:
    """
    A reader's comment as typed, to safe HTML.

    Paragraphs come from blank lines and line breaks from single newlines, as
    WordPress does; bare URLs become links; every link is rel="nofollow ugc".
    Raises HtmlTooComplex past COMMENT_LIMITS.
    """
    return _clean_comment(text, always_bleach=False)


# What bleach would change in a comment's text: markup or an entity to read,
# or something linkify would make a link of (every domain it links has a dot
# followed by a letter or digit). Text with none of these comes out of bleach
# as it went in, and bleach is most of an import's time.
_COMMENT_NEEDS_BLEACH_RE = re.compile(r"[<>&]|\.\w")


def _clean_comment(text: str, *, always_bleach: bool) -> str:
    text = _comment_text(text)
    html = _comment_paragraphs_of(text)
    if not html:
        return ""
    _check_markup(html, limits=COMMENT_LIMITS, tags=COMMENT_TAGS, what="comment")
    if always_bleach or _COMMENT_NEEDS_BLEACH_RE.search(text):
        # bleach puts a newline where it strips a block-level tag; a browser
        # shows it as a space, but read again as a comment it would become a
        # <br>, and space at a paragraph's edges would be trimmed: the output
        # is made as reading it again would make it, so sanitising twice
        # changes nothing.
        html = _comment_cleaner.clean(html).replace("\n", " ")
    html = _P_EDGE_SPACE_RE.sub(lambda m: m.group(1) or m.group(2), html).strip()
    # A block (blockquote) inside our <p> closes it, leaving empty paragraphs.
    return _EMPTY_P_RE.sub("", html)


def _comment_text(text: str) -> str:
    text = _without_controls(text or "")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _comment_paragraphs(text: str) -> str:
    """The comment as the HTML bleach is given: <p> per paragraph, <br> per line."""
    return _comment_paragraphs_of(_comment_text(text))


def _comment_paragraphs_of(text: str) -> str:
    if not text:
        return ""
    # A newline inside a tag ("<a\nhref=…>") is whitespace, not a line break:
    # turning it into <br> would split the tag and mangle its attributes.
    text = _TAG_RE.sub(lambda m: m.group(0).replace("\n", " "), text)
    # Paragraphs are ours to make: a typed <p> or </p> is a paragraph break.
    # Left as tags, a </p> would end our paragraph early and leave the text
    # after it outside any, so that sanitising the result again would not
    # give the same HTML.
    text = _TYPED_P_RE.sub("\n\n", text)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


# Markup caps ------------------------------------------------------------------
#
# html5lib, inside bleach, works per tag in proportion to the elements open,
# and re-opens every formatting element (<em>, <strong>, <a>…) still open when
# a block ends in each new block, so a few KB can build millions of elements:
# 65 KB of nested <em> costs ~0.6 s of CPU, and "<p><em title=N>x</p>" repeated
# costs minutes. A length limit cannot stop that; these caps can, and the scan
# that enforces them is one regex pass plus constant work per tag.
#
# The scan follows the tree-building rules of bleach's html5lib for the tags
# that reach it, erring towards counting more. For the comment allowlist a
# test checks it against html5lib on random tag soup; for article tables,
# html5lib's insertion modes are only approximated, which contrived
# misnesting by an editor could get past. Only allowlisted tags count: bleach
# turns every other tag into text before html5lib builds its tree.
# Void elements (<br>, <img>, <hr>) never nest or re-open and count for nothing,
# which also keeps the <br> we make of every newline in a comment out of it.


@dataclasses.dataclass(frozen=True)
class MarkupLimits:
    # Start and end tags html5lib will process, counting each re-opened element.
    tags: int
    # Elements open at once.
    depth: int


# A long comment (a dozen paragraphs, some emphasis, links and a quote) has
# about 100 tags, 4 levels deep; a whole form's worth (BODY_MAX, 65 KB) of
# ordinary prose stays well under 1,000. The worst markup these caps let
# through costs bleach about 50 ms.
COMMENT_LIMITS = MarkupLimits(tags=2_000, depth=30)
# A long article with a results table has a few thousand tags, and
# figure > table > tbody > tr > td > ul > li > p > a > strong is ten levels;
# nothing an editor writes comes near a hundred. Worst case let through:
# about 0.5 s of bleach, for 20,000 tags of table rows.
ARTICLE_LIMITS = MarkupLimits(tags=20_000, depth=100)


class HtmlTooComplex(ValueError):
    """HTML refused before sanitising because it has too much markup."""

    def __init__(self, *, what: str, kind: str, limit: int) -> None:
        self.what = what
        self.kind = kind  # "tags" or "depth"
        self.limit = limit
        detail = (
            f"more than {limit:,} tags"
            if kind == "tags"
            else f"tags nested more than {limit:,} deep"
        )
        super().__init__(
            f"This {what} has too much markup ({detail}). "
            "Please simplify its formatting."
        )


def check_article_markup(html: str) -> None:
    """Raise HtmlTooComplex if clean_article_html() would refuse `html`."""
    _check_markup(
        _without_controls(html or ""),
        limits=ARTICLE_LIMITS,
        tags=ARTICLE_TAGS,
        what="article",
    )


def check_comment_markup(text: str) -> None:
    """Raise HtmlTooComplex if clean_comment_html() would refuse `text`."""
    _check_markup(
        _comment_paragraphs(text),
        limits=COMMENT_LIMITS,
        tags=COMMENT_TAGS,
        what="comment",
    )


# How html5lib sees a tag: "<" or "</", an ASCII letter, the name up to
# whitespace, "/" or ">", then anything up to ">". A quoted ">" in an attribute
# ends the match early; the rest then reads as text, which only counts more.
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)[^>]*>?")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Element categories exactly as bleach's html5lib (1.1) has them: older than
# today's HTML standard (figcaption, main and summary are not "special").
_VOID = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img",
        "image", "input", "keygen", "link", "meta", "param", "source", "track",
        "wbr",
    }
)  # fmt: skip
_FORMATTING = frozenset(
    {
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small",
        "strike", "strong", "tt", "u",
    }
)  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPECIAL = frozenset(
    {
        "address", "applet", "area", "article", "aside", "base", "basefont",
        "bgsound", "blockquote", "body", "br", "button", "caption", "center",
        "col", "colgroup", "command", "dd", "details", "dir", "div", "dl", "dt",
        "embed", "fieldset", "figure", "footer", "form", "frame", "frameset",
        *_HEADINGS, "head", "header", "hr", "html", "iframe", "image", "img",
        "input", "isindex", "li", "link", "listing", "marquee", "menu", "meta",
        "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param",
        "plaintext", "pre", "script", "section", "select", "style", "table",
        "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
        "wbr", "xmp",
    }
)  # fmt: skip
# Elements that bound "has an element in scope".
_SCOPE = ("applet", "caption", "html", "marquee", "object", "table", "td", "th")
# Closing one of these forgets the formatting elements opened inside it.
_MARKERS = frozenset({"applet", "caption", "marquee", "object", "td", "th"})
# Start tags that close an open <p> first.
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "header", "hgroup", *_HEADINGS, "li", "listing", "main", "menu",
        "nav", "ol", "p", "plaintext", "pre", "section", "summary", "table",
        "ul", "xmp",
    }
)  # fmt: skip
# End tags that close their element and everything opened inside it.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "button", "center",
        "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption",
        "figure", "footer", "header", "hgroup", "listing", "main", "menu", "nav",
        "ol", "pre", "section", "summary", "ul",
    }
)  # fmt: skip
_TABLE_SECTIONS = ("tbody", "thead", "tfoot")
_TABLE_PARTS = frozenset({"caption", "colgroup", "td", "th", "tr", *_TABLE_SECTIONS})
# Start tags that do not first re-open the formatting elements left open.
_NO_REOPEN = (_CLOSES_P - {"xmp"}) | _TABLE_PARTS
# The tags whose tree building the scan follows: the allowlists must stay
# within these (tests/newsarchive/test_sanitize.py checks).
MODELLED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "footer", *_HEADINGS, "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul",
    }
)  # fmt: skip


def _check_markup(
    html: str, *, limits: MarkupLimits, tags: frozenset, what: str
) -> None:
    scan = _Scan(limits=limits, what=what)
    end = 0
    for match in _TAG_TOKEN.finditer(html):
        text_before = match.start() > end
        end = match.end()
        # bleach's own test: a tag it does not allow becomes text.
        if match.group(2).lower() not in tags:
            scan.text()
            continue
        if text_before:
            scan.text()
        name = match.group(2).translate(_ASCII_LOWER)
        if match.group(1):
            scan.end_tag(name)
        else:
            scan.start_tag(name)
    if end < len(html):
        scan.text()


class _Scan:
    """
    html5lib's stack of open elements, reduced to names, plus the formatting
    elements it will re-open. Elements close where html5lib closes them: one
    kept open by mistake could later be closed together with real ones and
    hide them. Where html5lib's rules cannot be followed from names alone
    (Noah's Ark, the adoption agency's copies) the scan keeps formatting
    elements open, which can only count more.
    """

    def __init__(self, *, limits: MarkupLimits, what: str) -> None:
        self.limits = limits
        self.what = what
        self.tags = 0
        self.open = 0
        # Names by position; None where an element was removed from the middle.
        self.stack: list[str | None] = []
        self.positions: dict[str, list[int]] = {}
        self.specials: list[int] = []
        # Positions of the open elements that bound scope (_SCOPE).
        self.bounds: list[int] = []
        # Specials that stop an <li>/<dd>/<dt> from closing the one before.
        self.item_stops: list[int] = []
        # Formatting elements closed with a block, re-opened by the next text;
        # a cell (a "marker") starts afresh and forgets its own when it closes.
        self.reopen: Counter[str] = Counter()
        self.outer_reopen: list[Counter[str]] = []

    def _refuse(self, kind: str, limit: int) -> HtmlTooComplex:
        return HtmlTooComplex(what=self.what, kind=kind, limit=limit)

    def _count(self) -> None:
        self.tags += 1
        if self.tags > self.limits.tags:
            raise self._refuse("tags", self.limits.tags)

    def _last(self, *names: str) -> int:
        return max(
            (self.positions[n][-1] for n in names if self.positions.get(n)),
            default=-1,
        )

    def _in_scope(self, names: tuple[str, ...], *extra: str) -> int:
        """
        Position of the last of `names` if no element bounding scope (_SCOPE,
        and `extra`) was opened after it, else -1.
        """
        position = self._last(*names)
        bounds = [p for p in self.bounds[-1:] if p != position]
        bound = max(self._last(*extra), *bounds, -1)
        return position if position > bound else -1

    def _in_table_scope(self, names: tuple[str, ...]) -> int:
        position = self._last(*names)
        table = -1 if "table" in names else self._last("table")
        return position if position > table else -1

    def _top(self) -> str | None:
        return self.stack[-1] if self.stack else None

    def _push(self, name: str) -> None:
        self._count()
        position = len(self.stack)
        self.positions.setdefault(name, []).append(position)
        if name in _SPECIAL:
            self.specials.append(position)
            if name not in ("address", "div", "p"):
                self.item_stops.append(position)
            if name in _SCOPE:
                self.bounds.append(position)
        if name in _MARKERS:
            self.outer_reopen.append(self.reopen)
            self.reopen = Counter()
        self.stack.append(name)
        self.open += 1
        if self.open > self.limits.depth:
            raise self._refuse("depth", self.limits.depth)

    def _pop_to(self, position: int) -> None:
        """Close the element at `position` and every element above it."""
        self._pop_above(position)
        self._pop_one(reopen=False)

    def _pop_above(self, position: int) -> None:
        """Close every element above `position`."""
        while len(self.stack) > position + 1:
            self._pop_one(reopen=True)

    def _pop_one(self, *, reopen: bool) -> None:
        name = self.stack.pop()
        if name is None:
            return
        self.open -= 1
        self.positions[name].pop()
        if name in _SPECIAL:
            self.specials.pop()
            if name not in ("address", "div", "p"):
                self.item_stops.pop()
            if name in _SCOPE:
                self.bounds.pop()
        if name in _MARKERS:
            self.reopen = self.outer_reopen.pop()
        elif reopen and name in _FORMATTING:
            self.reopen[name] += 1

    def _remove(self, position: int) -> None:
        """Take one non-special element out of the middle of the stack."""
        name = self.stack[position]
        self.stack[position] = None
        positions = self.positions[name]
        del positions[bisect.bisect_left(positions, position)]
        self.open -= 1
        while self.stack and self.stack[-1] is None:
            self.stack.pop()

    def _end_other(self, name: str) -> None:
        # Closes the last `name` unless a special element was opened inside it.
        position = self._last(name)
        if position >= 0 and position >= max(self.specials[-1:], default=-1):
            self._pop_to(position)

    def _close_formatting(self, name: str) -> None:
        """html5lib's adoption agency algorithm, as far as the stack goes."""
        if self.reopen[name]:
            self.reopen[name] -= 1
            return
        position = self._in_scope((name,))
        if position < 0:
            self._end_other(name)
            return
        if position > max(self.specials[-1:], default=-1):
            # Nothing special opened inside: it closes with what was.
            self._pop_to(position)
            return
        # Blocks were opened inside it. html5lib then moves copies of it into
        # each block, and may not close it at all (it keeps three identical
        # formatting elements active, the rest open until a block ends):
        # count the copies and keep it open, which never counts less.
        first = bisect.bisect_right(self.specials, position)
        for _ in self.specials[first : first + 8]:
            self._count()

    def _close_p(self) -> None:
        position = self._in_scope(("p",), "button")
        if position >= 0:
            self._pop_to(position)

    def _close_cell(self) -> None:
        cell = self._in_table_scope(("td", "th", "caption"))
        if cell >= 0:
            self._pop_to(cell)

    def text(self) -> None:
        pending, self.reopen = self.reopen, Counter()
        for name, times in pending.items():
            for _ in range(times):
                self._push(name)

    def start_tag(self, name: str) -> None:
        if name in _VOID:
            if name == "hr":
                self._close_p()
            elif name == "col":
                self._col()
            else:
                self.text()
            return
        if self._top() == "colgroup":
            self._pop_to(len(self.stack) - 1)
        if name == "table":
            table = self._last("table")
            if table > self._last("td", "th", "caption"):
                # A table straight inside a table (no cell open): html5lib
                # ends the innermost row, section or table and, parsing a
                # fragment as bleach does, drops the new one.
                self._pop_to(max(self._table_context()))
                return
        elif name in _TABLE_PARTS:
            self._close_cell()
            if self._last("table") < 0:
                return  # ignored outside a table
            self._table_part(name)
        if name in _CLOSES_P:
            self._close_p()
        if name in _HEADINGS and self._top() in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        elif name in ("li", "dd", "dt"):
            same = ("li",) if name == "li" else ("dd", "dt")
            position = self._last(*same)
            # The item itself is the last stop when nothing in between stops it.
            if position >= 0 and position >= max(self.item_stops[-1:], default=-1):
                self._pop_to(position)
        elif name == "a":
            # An <a> still open (since the last cell) is closed first, and
            # taken off the stack even where the closing would keep it open.
            if self.reopen["a"]:
                self.reopen["a"] -= 1
            elif (position := self._last("a")) > self._last(*_MARKERS):
                self._close_formatting("a")
                if self._last("a") == position:
                    self._remove(position)
        if name not in _NO_REOPEN:
            self.text()
        self._push(name)

    def _col(self) -> None:
        # In a table, a <col> goes in a <colgroup>, implied if need be, that
        # the next other tag closes; anywhere else it is ignored.
        self._close_cell()
        table = self._last("table")
        if table >= 0 and self._top() != "colgroup":
            self._pop_above(table)
            self._push("colgroup")

    def _table_context(self) -> tuple[int, int, int]:
        """Positions of the open table, its open section and row (or -1)."""
        table = self._last("table")
        section = self._last(*_TABLE_SECTIONS)
        section = section if section > table else -1
        row = self._last("tr")
        row = row if row > max(table, section) else -1
        return table, section, row

    def _table_part(self, name: str) -> None:
        """
        A table part inside a table, no cell open: clear the stack back to
        the table, section or row it belongs in, adding the tbody and tr
        html5lib implies.
        """
        table, section, row = self._table_context()
        if name in ("td", "th"):
            if row >= 0:
                self._pop_above(row)
            elif section >= 0:
                self._pop_above(section)
                self._push("tr")
            else:
                self._pop_above(table)
                self._push("tbody")
                self._push("tr")
        elif name == "tr":
            if section >= 0:
                self._pop_above(section)
            else:
                self._pop_above(table)
                self._push("tbody")
        else:  # caption, colgroup, tbody, thead, tfoot
            self._pop_above(table)

    def end_tag(self, name: str) -> None:
        self._count()
        if name in _VOID:
            if name == "br":  # "</br>" is read as "<br>"
                self.text()
            return
        if name in _FORMATTING:
            self._close_formatting(name)
            return
        if name == "p":
            position = self._in_scope(("p",), "button")
            if position < 0:
                # A stray </p> makes an empty <p> element where it stands.
                self._push("p")
                position = len(self.stack) - 1
        elif name == "li":
            position = self._in_scope(("li",), "ol", "ul")
        elif name in _HEADINGS:
            position = self._in_scope(_HEADINGS)
        elif name in ("caption", "table", "td", "th", "tr", *_TABLE_SECTIONS):
            position = self._in_table_scope((name,))
        elif name in _BLOCKS or name in ("dd", "dt"):
            position = self._in_scope((name,))
        else:
            self._end_other(name)
            return
        if position >= 0:
            self._pop_to(position)


def count_links(html: str) -> int:
    """How many links a sanitised comment holds (used by the link-count hold rule)."""
    return html.count("<a ")


def strip_tags(html: str) -> str:
    """Plain text for meta descriptions, feeds and reading-time counts."""
    return html_lib.unescape(bleach.clean(html or "", tags=set(), strip=True))
