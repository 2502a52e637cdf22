"""
Both sanitiser allowlists: editors' article HTML and readers' comments.

The allowlists are written out again here on purpose: the test states what is
safe, so widening newsarchive/sanitize.py by mistake makes these tests fail.
"""

import re
from html.parser import HTMLParser

import pytest

from newsarchive.sanitize import (
    clean_article_html,
    clean_comment_html,
    count_links,
    strip_tags,
)
from tests.xss_payloads import PAYLOADS

ARTICLE_ELEMENTS = {
    "a": {"href", "title", "rel"},
    "abbr": {"title"},
    "b": set(),
    "blockquote": {"cite"},
    "br": set(),
    "caption": set(),
    "cite": set(),
    "code": set(),
    "col": {"span"},
    "colgroup": {"span"},
    "dd": set(),
    "del": set(),
    "dfn": set(),
    "div": set(),
    "dl": set(),
    "dt": set(),
    "em": set(),
    "figcaption": set(),
    "figure": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "h5": set(),
    "h6": set(),
    "hr": set(),
    "i": set(),
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "ins": set(),
    "kbd": set(),
    "li": set(),
    "mark": set(),
    "ol": {"start", "reversed"},
    "p": set(),
    "pre": set(),
    "q": {"cite"},
    "s": set(),
    "samp": set(),
    "small": set(),
    "span": set(),
    "strong": set(),
    "sub": set(),
    "sup": set(),
    "table": set(),
    "tbody": set(),
    "td": {"colspan", "rowspan", "headers"},
    "tfoot": set(),
    "th": {"colspan", "rowspan", "scope", "headers"},
    "thead": set(),
    "time": {"datetime"},
    "tr": set(),
    "u": set(),
    "ul": set(),
}
ARTICLE_SCHEMES = {"http", "https", "mailto"}

COMMENT_ELEMENTS = {
    "p": set(),
    "br": set(),
    "a": {"href", "rel"},
    "em": set(),
    "strong": set(),
    "code": set(),
    "blockquote": set(),
}
COMMENT_SCHEMES = {"http", "https"}

URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "data",
    "formaction",
    "href",
    "lowsrc",
    "ping",
    "poster",
    "src",
    "srcset",
    "xlink:href",
}

# What a browser ignores in a URL before reading its scheme: leading and
# trailing C0 controls and spaces, and tabs/newlines anywhere.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([^:/?#]+):")


class _Elements(HTMLParser):
    """Every element and attribute in a fragment, attribute values decoded once
    (as a browser decodes them), plus comments and declarations."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")


def _parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(_URL_JUNK.sub("", url))
    return match.group(1).lower() if match else None


def assert_inert(html: str, *, elements: dict[str, set[str]], schemes: set[str]):
    parsed = _parse(html)
    assert parsed.other == [], f"comment or declaration survived in {html!r}"
    for tag, attrs in parsed.elements:
        assert tag in elements, f"<{tag}> is not allowed: {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name}: {html!r}"
            assert name != "style", f"style attribute: {html!r}"
            assert name in elements[tag], f"<{tag} {name}> not allowed: {html!r}"
            if name in URL_ATTRIBUTES and value:
                scheme = _scheme(value)
                assert scheme is None or scheme in schemes, (
                    f"<{tag} {name}={value!r}> has scheme {scheme!r}: {html!r}"
                )


# The payload list itself ------------------------------------------------------


def test_there_are_at_least_forty_payloads_each_with_an_execution_marker():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    markers = ("__xss", "alert", "confirm", "prompt", "msgbox", "PHNjcmlwdD5")
    for payload in PAYLOADS:
        assert any(marker in payload for marker in markers), payload


def test_the_inertness_check_catches_what_it_should():
    # The checker must be able to fail, or the payload tests prove nothing.
    for unsafe in [
        "<script>x</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<img src="data:image/png;base64,AAAA" alt="">',
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
        "<!-- x -->",
    ]:
        with pytest.raises(AssertionError):
            assert_inert(unsafe, elements=ARTICLE_ELEMENTS, schemes=ARTICLE_SCHEMES)


# Article allowlist --------------------------------------------------------------


def test_article_keeps_headings_lists_and_links():
    html = (
        "<h2>Harbour reopens</h2><h3>What changed</h3>"
        '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>'
        '<p>Read <a href="https://example.com/report" title="Report">the report</a> '
        'or <a href="mailto:desk@example.com">write to us</a>.</p>'
    )
    assert clean_article_html(html) == html


def test_article_keeps_figures_images_with_alt_and_cited_blockquotes():
    html = (
        '<figure><img src="https://img.example.com/port.jpg" alt="Cranes at dawn">'
        "<figcaption>The port at dawn.</figcaption></figure>"
        '<figure><blockquote cite="https://www.reuters.com/world/"><p>We will '
        "rebuild.</p></blockquote><figcaption>— Reuters</figcaption></figure>"
    )
    assert clean_article_html(html) == html


def test_article_keeps_tables_and_code():
    html = (
        '<table><caption>Results</caption><thead><tr><th scope="col">Team</th>'
        '</tr></thead><tbody><tr><td colspan="2">Rovers</td></tr></tbody></table>'
        "<pre><code>x = 1</code></pre><p>Run <code>make test</code>.</p>"
    )
    assert clean_article_html(html) == html


def test_article_turns_an_h1_into_text_because_the_page_owns_the_only_h1():
    assert clean_article_html("<h1>Headline</h1>") == "Headline"


@pytest.mark.parametrize(
    "html",
    [
        "<script>window.__xss=1</script><p>ok</p>",
        '<p onclick="alert(1)">ok</p>',
        '<p style="color:red">ok</p>',
        '<iframe src="https://example.com/"></iframe><p>ok</p>',
        '<object data="x.swf"></object><embed src="x.swf"><p>ok</p>',
        '<svg><circle r="5"/></svg><p>ok</p>',
        "<math><mi>x</mi></math><p>ok</p>",
        '<form action="/"><input name="q"><button>go</button></form><p>ok</p>',
    ],
    ids=["script", "handler", "style", "iframe", "object-embed", "svg", "math", "form"],
)
def test_article_removes_dangerous_elements_and_attributes(html):
    cleaned = clean_article_html(html)
    assert "<p>ok</p>" in cleaned
    for word in (
        "<script",
        "onclick",
        "style=",
        "<iframe",
        "<object",
        "<embed",
        "<svg",
        "<circle",
        "<math",
        "<form",
        "<input",
        "<button",
    ):
        assert word not in cleaned.lower()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6a;avascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_article_drops_links_and_images_with_unsafe_schemes(url):
    cleaned = clean_article_html(
        f'<a href="{url}">a</a><img src="{url}" alt="i"><blockquote cite="{url}">q'
        "</blockquote>"
    )
    assert cleaned == '<a>a</a><img alt="i"><blockquote>q</blockquote>'


@pytest.mark.parametrize("payload", PAYLOADS)
def test_article_renders_every_payload_inert(payload):
    assert_inert(
        clean_article_html(payload), elements=ARTICLE_ELEMENTS, schemes=ARTICLE_SCHEMES
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_article_cleaning_is_stable_so_reparsing_cannot_mutate_it(payload):
    once = clean_article_html(payload)
    assert clean_article_html(once) == once


# Comment allowlist --------------------------------------------------------------


def test_comment_keeps_only_simple_inline_markup():
    html = clean_comment_html(
        "<em>Good</em> <strong>point</strong>, see <code>x</code>.\n\n"
        "<blockquote>Quoted text</blockquote>"
    )
    assert html == (
        "<p><em>Good</em> <strong>point</strong>, see <code>x</code>.</p>"
        "<blockquote>Quoted text</blockquote>"
    )


@pytest.mark.parametrize(
    "markup",
    [
        "<h2>Shouting</h2>",
        '<img src="https://img.example.com/a.jpg" alt="a">',
        "<table><tr><td>cell</td></tr></table>",
        "<ul><li>item</li></ul>",
        '<span class="x">span</span>',
        '<blockquote cite="https://example.com/">cited</blockquote>',
    ],
)
def test_comment_strips_everything_outside_its_allowlist(markup):
    assert_inert(
        clean_comment_html(markup), elements=COMMENT_ELEMENTS, schemes=COMMENT_SCHEMES
    )
    cleaned = clean_comment_html(markup)
    for word in ("<h2", "<img", "<table", "<td", "<ul", "<li", "<span", "cite="):
        assert word not in cleaned


def test_comment_links_get_nofollow_ugc_replacing_any_rel_given():
    html = clean_comment_html(
        '<a href="https://example.com/" rel="dofollow" title="t" target="_blank">x</a>'
    )
    assert html == '<p><a href="https://example.com/" rel="nofollow ugc">x</a></p>'


def test_comment_links_bare_urls():
    html = clean_comment_html("More at https://www.example.com/story?id=4 today.")
    assert html == (
        '<p>More at <a href="https://www.example.com/story?id=4" '
        'rel="nofollow ugc">https://www.example.com/story?id=4</a> today.</p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "mailto:me@example.com",
        "data:www.example.com/x",
        "ftp://files.example.com/x",
        "xmpp:user@example.com",
    ],
)
def test_comment_links_bare_text_only_as_http_or_https(text):
    html = clean_comment_html(f"try {text} now")
    for tag, attrs in _parse(html).elements:
        if tag == "a":
            assert _scheme(attrs["href"]) in {"http", "https"}
    assert not re.search(r'href="(javascript|mailto|data|ftp|xmpp):', html)


def test_comment_drops_mailto_links_because_readers_only_get_web_links():
    assert clean_comment_html('<a href="mailto:me@example.com">me</a>') == (
        "<p><a>me</a></p>"
    )


def test_comment_makes_paragraphs_from_blank_lines_and_breaks_from_newlines():
    assert clean_comment_html("line one\r\nline two\n\n\n\nsecond paragraph") == (
        "<p>line one<br>line two</p><p>second paragraph</p>"
    )


def test_comment_keeps_a_tag_whole_when_a_newline_falls_inside_it():
    html = clean_comment_html('I <a\nhref="https://example.com/">doubt</a> it.')
    assert html == (
        '<p>I <a href="https://example.com/" rel="nofollow ugc">doubt</a> it.</p>'
    )


def test_comment_escapes_angle_brackets_typed_as_text():
    assert clean_comment_html("5 < 6 and 7 > 3") == "<p>5 &lt; 6 and 7 &gt; 3</p>"


def test_comment_of_only_whitespace_is_empty():
    assert clean_comment_html(" \n\n \r\n") == ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_comment_renders_every_payload_inert(payload):
    assert_inert(
        clean_comment_html(payload), elements=COMMENT_ELEMENTS, schemes=COMMENT_SCHEMES
    )


# Helpers ------------------------------------------------------------------------


def test_strip_tags_gives_plain_text_with_entities_decoded():
    assert strip_tags("<p>Fish &amp; chips <script>x</script></p>") == (
        "Fish & chips x"
    )


def test_count_links_counts_anchor_elements():
    html = clean_comment_html("https://www.example.com/a and https://www.example.org/b")
    assert count_links(html) == 2
