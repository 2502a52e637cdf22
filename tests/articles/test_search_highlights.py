"""
Highlights are escaped before the marks go in: hostile searches and hostile
article text come out as text, and only <mark> is ever markup in a snippet.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.search import START_SEL, STOP_SEL
from tests.factories import make_article, make_author, make_tag
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


def snippets(response) -> list[str]:
    return re.findall(r'class="search-result__snippet">(.*?)</p>', response.text, re.S)


def main(response) -> str:
    text = response.text
    return text[text.index('<main id="main"') : text.index("</main>")]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_no_live_markup(page: str, info: str = "") -> None:
    """No script element, no event handler, no javascript: link: the page's
    markup as the browser would parse it, not its escaped text."""
    parser = _Elements()
    parser.feed(page)
    assert parser.found, "the parser saw no elements at all"
    for tag, attrs in parser.found:
        assert tag not in {"script", "img", "iframe", "svg", "object"}, (info, tag)
        for name, value in attrs.items():
            assert not name.startswith("on"), (info, tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), info


def only_marks(snippet: str) -> bool:
    return set(re.findall(r"</?([a-zA-Z][\w-]*)", snippet)) <= {"mark"}


def test_the_payloads_are_loaded():
    assert len(PAYLOADS) > 50


def test_hostile_searches_are_shown_as_text(client, site_zone):
    make_article(title="Harbour wall", body="<p>The harbour reopened.</p>")
    for payload in PAYLOADS:
        query = f"harbour or {payload}"
        response = client.get(SEARCH_URL, {"q": query[:200]})
        # A NUL byte is the site's own 400 page; everything else is searched.
        assert response.status_code == (400 if "\x00" in payload else 200), payload
        for snippet in snippets(response):
            assert only_marks(snippet), (payload, snippet)
        # Whatever was typed, the page's own markup is all there is.
        assert_no_live_markup(response.text, payload)


def test_hostile_article_text_is_shown_as_text(client, settings, site_zone):
    settings.ARTICLES_PER_PAGE = 40
    # PostgreSQL cannot store a NUL byte, so no article text carries one.
    stored = [payload for payload in PAYLOADS if "\x00" not in payload]
    for i, payload in enumerate(stored):
        make_article(
            title=f"Harbour {i} {payload}",
            dek=f"Harbour dek {payload}",
            body=f"<p>Harbour {payload} harbour</p>",
            tags=[make_tag(name=f"Harbour {payload}"[:100])] if i % 7 == 0 else None,
            authors=[make_author(name=f"Harbour {payload}"[:200])]
            if i % 9 == 0
            else None,
        )
    client_pages = 0
    page_number = 1
    while True:
        response = client.get(SEARCH_URL, {"q": "harbour", "page": page_number})
        assert response.status_code == 200
        assert_no_live_markup(response.text)
        for snippet in snippets(response):
            assert only_marks(snippet), snippet
            assert snippet.count("<mark>") == snippet.count("</mark>") >= 1
        client_pages += 1
        if 'rel="next"' not in response.text:
            break
        page_number += 1
    assert client_pages > 1


def test_marks_written_into_the_text_or_the_search_stay_text(client, site_zone):
    make_article(
        title="Notes",
        body="<p>&lt;mark&gt;harbour&lt;/mark&gt; and a </mark> stray tag.</p>",
    )
    response = client.get(SEARCH_URL, {"q": "harbour"})
    [snippet] = snippets(response)
    assert "&lt;mark&gt;<mark>harbour</mark>&lt;/mark&gt;" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>") == 1


def test_sentinels_typed_into_a_search_are_dropped(client, site_zone):
    make_article(title="Harbour", body="<p>The harbour reopened.</p>")
    response = client.get(SEARCH_URL, {"q": f"{START_SEL}harbour{STOP_SEL}"})
    assert response.status_code == 200
    assert START_SEL not in response.text and STOP_SEL not in response.text
    for snippet in snippets(response):
        assert snippet.count("<mark>") == snippet.count("</mark>")
