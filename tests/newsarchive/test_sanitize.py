"""
Both sanitiser allowlists: editors' article HTML and readers' comments.

The allowlists are written out again here on purpose: the test states what is
safe, so widening newsarchive/sanitize.py by mistake makes these tests fail.
"""

import random
import re
from html.parser import HTMLParser

import bleach
import pytest

from comments.forms import BODY_MAX
from newsarchive import sanitize
from newsarchive.sanitize import (
    ARTICLE_LIMITS,
    COMMENT_LIMITS,
    COMMENT_TAGS,
    HtmlTooComplex,
    check_comment_markup,
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
    # The text stays; an <a> left without its href is no link and goes too.
    assert clean_comment_html('<a href="mailto:me@example.com">me</a>') == ("<p>me</p>")


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


# Markup caps --------------------------------------------------------------------
#
# Each hostile input below costs bleach from half a second to minutes of CPU
# (bench/sanitize_cap.py measures them); here they must be refused, and refused
# before bleach is asked.


@pytest.fixture
def bleach_not_called(monkeypatch):
    def refuse(html):
        raise AssertionError("bleach was asked to clean hostile markup")

    monkeypatch.setattr(sanitize._comment_cleaner, "clean", refuse)
    monkeypatch.setattr(sanitize._article_cleaner, "clean", refuse)


HOSTILE_COMMENTS = {
    # 144 KB: bleach takes seconds; longer than the comment form allows.
    "nested em 144 KB": "<em>" * 16000 + "x" + "</em>" * 16000,
    # The longest nesting the comment form lets through (BODY_MAX).
    "nested em 65 KB": "<em>" * 7280 + "x" + "</em>" * 7280,
    "unclosed em": "<em>" * 16000 + "x",
    # Every paragraph re-opens every <em> still open: a tree quadratic in
    # the input, and minutes of CPU for 65 KB.
    "em re-opened per paragraph": "".join(
        f"<p><em title={n}>x</p>" for n in range(3000)
    ),
    "em re-opened per typed paragraph": "".join(f"<em title={n}>" for n in range(60))
    + "x\n\n" * 3000,
    # Closing the outer of two misnested elements leaves the inner open.
    "strong left open by </em>": "".join(
        f"<em><strong title={n}></em>" for n in range(3000)
    )
    + "x",
    "end tags that close nothing": "<em></span></b>" * 3000 + "x",
    # html5lib keeps only three identical formatting elements active; the rest
    # stay open however many end tags follow.
    "identical code elements": ("<code>" * 20 + "<blockquote>" + "</code>" * 20) * 50,
}


@pytest.mark.parametrize("text", HOSTILE_COMMENTS.values(), ids=HOSTILE_COMMENTS)
def test_hostile_comment_markup_is_refused_before_bleach(text, bleach_not_called):
    with pytest.raises(HtmlTooComplex) as refused:
        clean_comment_html(text)

    assert str(refused.value).startswith("This comment has too much markup (")
    assert isinstance(refused.value, ValueError)


def test_check_comment_markup_refuses_what_clean_comment_html_would(
    bleach_not_called,
):
    with pytest.raises(HtmlTooComplex):
        check_comment_markup(HOSTILE_COMMENTS["nested em 65 KB"])
    check_comment_markup("A <em>fine</em> comment.\n\nTwo paragraphs.")


def test_the_refusal_names_the_cap_it_passed():
    with pytest.raises(HtmlTooComplex) as deep:
        clean_comment_html(HOSTILE_COMMENTS["nested em 65 KB"])
    with pytest.raises(HtmlTooComplex) as many:
        clean_comment_html("<em>x</em> " * 5000)

    assert (deep.value.kind, deep.value.limit) == ("depth", COMMENT_LIMITS.depth)
    assert str(deep.value) == (
        f"This comment has too much markup (tags nested more than "
        f"{COMMENT_LIMITS.depth} deep). Please simplify its formatting."
    )
    assert (many.value.kind, many.value.limit) == ("tags", COMMENT_LIMITS.tags)
    assert str(many.value) == (
        f"This comment has too much markup (more than {COMMENT_LIMITS.tags:,} "
        "tags). Please simplify its formatting."
    )


HOSTILE_ARTICLES = {
    "nested em 144 KB": HOSTILE_COMMENTS["nested em 144 KB"],
    "nested div": "<div>" * 8000 + "x" + "</div>" * 8000,
    "em re-opened per paragraph": "".join(f"<p><em title={n}>x" for n in range(3000)),
    "em re-opened per div": "".join(f"<em title={n}>" for n in range(99))
    + "<div>x</div>" * 20000,
    "nested lists": "<ul><li>" * 5000 + "x",
    "nested tables": "<table><tr><td>" * 3000 + "x",
}


@pytest.mark.parametrize("html", HOSTILE_ARTICLES.values(), ids=HOSTILE_ARTICLES)
def test_hostile_article_markup_is_refused_before_bleach(html, bleach_not_called):
    with pytest.raises(HtmlTooComplex) as refused:
        clean_article_html(html)

    assert str(refused.value).startswith("This article has too much markup (")


# Realistic markup up to the caps is still sanitised.

# Six tags: <p>, <a>, </a>, <em>, </em>, </p>.
COMMENT_PARAGRAPH = (
    'Compare <a href="https://example.com/report">the council report</a>, '
    "which is <em>far</em> less sure."
)


def test_a_comment_with_as_many_tags_as_the_cap_allows_is_sanitised():
    paragraphs = COMMENT_LIMITS.tags // 6
    text = "\n\n".join([COMMENT_PARAGRAPH] * paragraphs)
    assert len(text) <= BODY_MAX

    html = clean_comment_html(text)

    assert html.count("<p>") == paragraphs
    assert html.count('rel="nofollow ugc"') == paragraphs
    with pytest.raises(HtmlTooComplex):
        clean_comment_html(text + "\n\n" + COMMENT_PARAGRAPH)


def test_a_comment_quoting_quotes_up_to_the_depth_cap_is_sanitised():
    def quotes(depth):
        return "<blockquote>" * depth + "So it was said." + "</blockquote>" * depth

    html = clean_comment_html(quotes(COMMENT_LIMITS.depth))

    assert html.count("<blockquote>") == COMMENT_LIMITS.depth
    with pytest.raises(HtmlTooComplex):
        clean_comment_html(quotes(COMMENT_LIMITS.depth + 1))


def test_a_long_comment_of_plain_lines_is_not_counted_as_markup():
    # Every newline becomes a <br>; they cannot nest and are not counted.
    text = "\n".join(f"Line {n} of the poem." for n in range(2500))
    assert len(text) <= BODY_MAX

    assert clean_comment_html(text).count("<br>") == 2499 > COMMENT_LIMITS.tags


# A heading, paragraphs with links and emphasis, a list, a figure, a quote, a
# code sample and a results table, as editors write them. Its tags (start and
# end; <img> is void and not counted): h2 2, paragraphs 6 × 8, list 2 + 5 × 4,
# figure 6, quote 6, code 4, table 2 + head 8 + body 2 + 11 rows × 6, p 4.
ARTICLE_BLOCK = (
    "<h2>Results by district</h2>"
    + '<p>Turnout rose in <a href="https://example.com/d">every district</a>, '
    "<em>most</em> of all in the <strong>north</strong>.</p>" * 6
    + "<ul>" + "<li>A <em>point</em> made.</li>" * 5 + "</ul>"
    + '<figure><img src="https://img.example.com/m.jpg" alt="Map">'
    "<figcaption>The new <em>map</em>.</figcaption></figure>"
    + "<blockquote><p>We <strong>will</strong> count again.</p></blockquote>"
    + "<pre><code>turnout = votes / voters</code></pre>"
    + "<table><thead><tr><th>District</th><th>Turnout</th></tr></thead><tbody>"
    + "<tr><td>North</td><td>61%</td></tr>" * 11
    + "</tbody></table>"
    + "<p><em>Corrected</em>.</p>"
)  # fmt: skip
ARTICLE_BLOCK_TAGS = 2 + 48 + 22 + 6 + 6 + 4 + (2 + 8 + 2 + 66) + 4


def test_an_article_with_as_many_tags_as_the_cap_allows_is_sanitised():
    blocks = ARTICLE_LIMITS.tags // ARTICLE_BLOCK_TAGS
    html = ARTICLE_BLOCK * blocks

    assert clean_article_html(html) == html
    with pytest.raises(HtmlTooComplex):
        clean_article_html(html + ARTICLE_BLOCK)


def test_an_article_nested_up_to_the_depth_cap_is_sanitised():
    def nested(depth):
        return "<div>" * depth + "Deep." + "</div>" * depth

    assert clean_article_html(nested(ARTICLE_LIMITS.depth)) == nested(
        ARTICLE_LIMITS.depth
    )
    with pytest.raises(HtmlTooComplex):
        clean_article_html(nested(ARTICLE_LIMITS.depth + 1))


def test_an_article_with_unclosed_paragraphs_items_and_cells_is_not_overcounted():
    # Old CMS exports leave <p>, <li> and <td> open; the parser closes them.
    html = (
        "<p>First paragraph<p>Second <em>paragraph</em>"
        "<ul><li>one<li>two<li>three</ul>"
        "<table><tr><td>a<td>b<tr><td>c<td>d</table>"
        "<dl><dt>term<dd>definition<dt>term<dd>definition</dl>"
        "<h2>Heading<h3>Next heading</h3>"
    ) * 300

    assert "<p>Second <em>paragraph</em></p>" in clean_article_html(html)


def test_both_allowlists_stay_within_the_tags_the_scan_models():
    # Widening an allowlist to, say, <svg> or <select> needs the scan taught
    # how html5lib builds those first.
    assert sanitize.ARTICLE_TAGS <= sanitize.MODELLED_TAGS
    assert sanitize.COMMENT_TAGS <= sanitize.MODELLED_TAGS


def _html5lib_max_open_elements(monkeypatch, html, tags):
    """The most elements html5lib (inside bleach) ever has open for `html`."""
    from bleach._vendor.html5lib.treebuilders import base

    deepest = 0

    class Stack(list):
        def _note(self):
            nonlocal deepest
            # The root is html5lib's own; void elements are pushed and popped.
            opened = [e for e in self[1:] if e.name not in sanitize._VOID]
            deepest = max(deepest, len(opened))

        def append(self, element):
            super().append(element)
            self._note()

        def insert(self, index, element):
            super().insert(index, element)
            self._note()

    reset = base.TreeBuilder.reset

    def tracking_reset(builder):
        reset(builder)
        builder.openElements = Stack()

    with monkeypatch.context() as patch:
        patch.setattr(base.TreeBuilder, "reset", tracking_reset)
        bleach.Cleaner(tags=tags, attributes={}, strip=True).clean(html)
    return deepest


def _tag_soup(rng, names, length):
    parts = []
    for _ in range(length):
        name = rng.choice(names)
        roll = rng.random()
        if roll < 0.45:
            attrs = f' title="{rng.randint(0, 3)}"' if rng.random() < 0.3 else ""
            parts.append(f"<{name}{attrs}>")
        elif roll < 0.85:
            parts.append(f"</{name}>")
        else:
            parts.append(rng.choice(["x", " ", "words"]))
    return "".join(parts)


def test_the_scan_never_counts_fewer_open_elements_than_html5lib_for_comments(
    monkeypatch,
):
    """
    Random tag soup in the comment allowlist (plus tags bleach strips):
    refusing at one level less than html5lib reached must refuse each one.
    """
    rng = random.Random(20260605)
    names = [*sorted(COMMENT_TAGS), "span", "div", "p", "blockquote", "em"]
    deepest_seen = 0
    for _ in range(250):
        html = _tag_soup(rng, names, rng.choice([10, 40, 150, 400]))
        deepest = _html5lib_max_open_elements(monkeypatch, html, COMMENT_TAGS)
        deepest_seen = max(deepest_seen, deepest)
        if deepest == 0:
            continue
        limits = sanitize.MarkupLimits(tags=10**9, depth=deepest - 1)
        with pytest.raises(HtmlTooComplex):
            sanitize._check_markup(html, limits=limits, tags=COMMENT_TAGS, what="x")
    # The soup must nest for this to test anything.
    assert deepest_seen >= 20
