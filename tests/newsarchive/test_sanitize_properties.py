"""
Properties of both sanitisers, for any input hypothesis can make: the output
holds no tag, attribute or URL scheme outside the allowlist, no comment or
declaration, and sanitising the output again changes nothing.

Inputs are drawn from HTML-shaped pieces (allowed and hostile tags,
attributes with hostile URLs, entities, broken syntax) mixed with any text,
so that hypothesis spends its time where a sanitiser can go wrong.
"""

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsarchive import sanitize
from newsarchive.sanitize import HtmlTooComplex, clean_article_html, clean_comment_html
from tests.newsarchive.test_sanitize import (
    ARTICLE_ELEMENTS,
    ARTICLE_SCHEMES,
    COMMENT_ELEMENTS,
    COMMENT_SCHEMES,
    _parse,
    assert_inert,
)
from tests.xss_payloads import PAYLOADS

TAG_NAMES = [
    *sorted(ARTICLE_ELEMENTS),
    "script", "style", "iframe", "object", "embed", "svg", "math", "form",
    "input", "textarea", "title", "noscript", "template", "base", "meta",
    "link", "xmp", "plaintext", "select", "option", "frame", "h1", "body",
    "SCRIPT", "ScRiPt", "A", "IMG",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "href", "src", "cite", "title", "alt", "rel", "style", "class", "id",
    "onclick", "onerror", "ONLOAD", "srcset", "formaction", "xlink:href",
    "data-x", "width", "colspan", "datetime", "target", "action", "background",
]  # fmt: skip
URLS = [
    "https://example.com/a?b=1&c=2", "http://x.test", "/relative/path", "#top",
    "mailto:a@example.com", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    " javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:x",
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "jav&#x09;ascript:x",
    "data:text/html,<script>x</script>", "vbscript:x", "ftp://x.test",
    "\x01javascript:x", "javascript&colon;x", "//evil.test", "file:///etc/passwd",
]  # fmt: skip
TEXT_PIECES = [
    "<", ">", "&", "&amp;", "&lt;", "&#0;", "&#x110000;", '"', "'", "`", "=",
    "\n", "\n\n", "\r\n", "\t", "\x00", "\x0c", "\u2028", "\u202e", "\ufeff",
    "<!--", "-->", "<!", "<![CDATA[", "]]>", "<?", "?>", "</", "/>",
    "<!DOCTYPE html>", "www.example.com", "https://example.com/x", "ß", "🙂",
    "\u0301", "ﬃ",
]  # fmt: skip


@st.composite
def _attribute(draw) -> str:
    name = draw(st.sampled_from(ATTRIBUTE_NAMES))
    value = draw(st.one_of(st.sampled_from(URLS), st.text(max_size=12)))
    quote = draw(st.sampled_from(['"', "'", ""]))
    return f" {name}={quote}{value}{quote}"


@st.composite
def _tag(draw) -> str:
    name = draw(st.sampled_from(TAG_NAMES))
    if draw(st.booleans()):
        return f"</{name}>"
    attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
    close = draw(st.sampled_from([">", "/>", " >", ""]))
    return f"<{name}{attributes}{close}"


MARKUP = st.lists(
    st.one_of(
        _tag(),
        st.sampled_from(TEXT_PIECES),
        st.sampled_from(PAYLOADS),
        st.text(max_size=20),
    ),
    max_size=30,
).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 300)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _sanitised(clean, markup: str) -> str | None:
    try:
        return clean(markup)
    except HtmlTooComplex:
        return None  # refused whole, with a form error: nothing is output


@PROPERTY_SETTINGS
@given(markup=MARKUP)
@example(markup='<a href="java\tscript:alert(1)">x</a>')
def test_article_output_holds_only_allowlisted_tags_attributes_and_schemes(markup):
    html = _sanitised(clean_article_html, markup)
    if html is not None:
        assert_inert(html, elements=ARTICLE_ELEMENTS, schemes=ARTICLE_SCHEMES)


@PROPERTY_SETTINGS
@given(markup=MARKUP)
@example(markup="<pre><h1>")
@example(markup="<pre>\n\ncode</pre>")
def test_article_sanitising_twice_changes_nothing(markup):
    once = _sanitised(clean_article_html, markup)
    if once is not None:
        assert clean_article_html(once) == once


@PROPERTY_SETTINGS
@given(markup=MARKUP)
@example(markup="see www.example.com/<script>")
def test_comment_output_holds_only_allowlisted_tags_attributes_and_schemes(markup):
    html = _sanitised(clean_comment_html, markup)
    if html is not None:
        assert_inert(html, elements=COMMENT_ELEMENTS, schemes=COMMENT_SCHEMES)
        for tag, attributes in _parse(html).elements:
            if tag == "a":
                assert attributes.get("rel") == "nofollow ugc", html


@PROPERTY_SETTINGS
@given(markup=MARKUP)
def test_comment_sanitising_twice_changes_nothing(markup):
    once = _sanitised(clean_comment_html, markup)
    if once is not None:
        assert clean_comment_html(once) == once


@pytest.mark.parametrize("clean", [clean_article_html, clean_comment_html])
def test_the_strategy_reaches_hostile_markup(clean):
    # The properties above could hold vacuously if the inputs never carried
    # anything to strip: one drawn example must lose a script tag.
    found = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(markup=MARKUP)
    def probe(markup):
        html = _sanitised(clean, markup)
        if "<script" in markup.lower() and html and "<script" not in html.lower():
            found.append(markup)

    probe()
    assert found


# Prose as readers type it, with what could make bleach change it: a dot
# before a letter (a domain to link), entities and brackets, controls that
# vanish, odd spaces and characters past the Basic Multilingual Plane.
PROSE_PIECES = [
    "word", "Ünïcode", "ß", " ", "  ", "\n", "\n\n", "\r\n", "\t", ".", ". ",
    "!", "?", ",", '"', "'", "-", "(", ")", "x.y", "www", "example", "com",
    ".com", ":", "//", "http", "@", "1.5", "\x01", "\x0b", "\x0c", "\x7f",
    "\u00a0", "\u2028", "\u3000", "\ufeff", "\ufffd", "\ufdd0", "\uffff",
    "🙂", "\U0010ffff", "&", "<", ">", "&amp;", "=",
]  # fmt: skip
PROSE = st.lists(
    st.one_of(st.sampled_from(PROSE_PIECES), st.text(max_size=4)), max_size=40
).map("".join)


@PROPERTY_SETTINGS
@given(text=PROSE)
@example(text="end.\x01Next")
@example(text="x\x0c.com")
def test_comment_text_that_skips_bleach_comes_out_as_bleach_makes_it(text):
    try:
        slow = sanitize._clean_comment(text, always_bleach=True)
    except HtmlTooComplex:
        with pytest.raises(HtmlTooComplex):
            clean_comment_html(text)
        return
    assert clean_comment_html(text) == slow


def test_the_prose_strategy_reaches_both_paths():
    # The property above holds vacuously if every example went through bleach.
    paths = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(text=PROSE)
    def probe(text):
        cleaned = sanitize._comment_text(text)
        paths.add(bool(sanitize._COMMENT_NEEDS_BLEACH_RE.search(cleaned)))

    probe()
    assert paths == {True, False}


# Article bodies as WordPress's automatic paragraphs make them, with pieces
# that take them off the plain path: other tags, nesting, stray ends.
PARAGRAPH_PIECES = [
    "<p>", "</p>", "<br />", "<br />\n", "</p>\n<p>", "\n", "<br>", "<p >",
    "<em>", "</em>", "<pre>", "</pre>",
]  # fmt: skip
_LINES = st.lists(PROSE, min_size=1, max_size=4).map("<br />\n".join)
# Well-formed paragraphs of prose (the plain path when the prose is plain),
# or soup.
PARAGRAPHS = st.one_of(
    st.lists(_LINES.map("<p>{}</p>".format), max_size=5).map("\n".join),
    st.lists(
        st.one_of(
            st.sampled_from(PARAGRAPH_PIECES),
            st.sampled_from(PROSE_PIECES),
            st.text(max_size=4),
        ),
        max_size=40,
    ).map("".join),
)


@PROPERTY_SETTINGS
@given(html=PARAGRAPHS)
@example(html="<p>One line<br />\nthe next</p>\n<p>Second</p>")
@example(html="<p>a<p>b</p>")
@example(html="</p>x")
@example(html="<p>a\r\nb</p>")
def test_article_paragraphs_that_skip_bleach_come_out_as_bleach_makes_them(html):
    try:
        slow = sanitize._clean_article(html, always_bleach=True)
    except HtmlTooComplex:
        with pytest.raises(HtmlTooComplex):
            clean_article_html(html)
        return
    assert clean_article_html(html) == slow


def test_the_paragraphs_strategy_reaches_both_paths():
    paths = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(html=PARAGRAPHS)
    def probe(html):
        plain = sanitize._PLAIN_PARAGRAPHS_RE.fullmatch(
            sanitize._without_controls(html)
        )
        paths.add(bool(plain) and "<p>" in html)

    probe()
    assert paths == {True, False}
