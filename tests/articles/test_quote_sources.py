"""
A blockquote with its source: the editor's quote-source button writes
<blockquote cite="https://…"> and a <footer><cite> line; the sanitiser keeps
exactly that, and no cite address but a web page's.
"""

import json
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import add_article_with_body

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")

# What the editor's "quote source" dialog makes (static/js/prose_quote_source.js).
SOURCED_QUOTE = (
    '<blockquote cite="https://tass.example/news/1">'
    "<p>The port will reopen in spring.</p>"
    "<footer><cite>said TASS</cite></footer></blockquote>"
)


def test_a_quote_with_its_source_is_kept_as_the_editor_made_it(editor_client):
    article = add_article_with_body(editor_client, SOURCED_QUOTE)

    assert article.body_html == SOURCED_QUOTE


def test_a_source_linked_by_the_editor_is_kept(editor_client):
    html = (
        "<blockquote><p>Words.</p><footer><cite>"
        '<a href="https://tass.example/">said TASS</a></cite></footer></blockquote>'
    )

    assert add_article_with_body(editor_client, html).body_html == html


def test_readers_see_the_source_under_the_quote(editor_client, client):
    article = add_article_with_body(editor_client, SOURCED_QUOTE)
    article.status = Article.Status.PUBLISHED
    article.published_at = article.created
    article.save()

    html = client.get(article.get_absolute_url()).text

    assert SOURCED_QUOTE in html


@pytest.mark.parametrize(
    "cite",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "mailto:someone@example.com",
        "/admin/",
        "//evil.example/",
        "ftp://files.example/",
        "https://",
    ],
)
def test_a_cite_that_is_not_a_web_address_is_dropped(editor_client, cite):
    article = add_article_with_body(
        editor_client, f'<blockquote cite="{cite}"><p>Words.</p></blockquote>'
    )

    assert article.body_html == "<blockquote><p>Words.</p></blockquote>"


def test_a_cite_on_an_inline_quote_is_held_to_the_same_rule(editor_client):
    article = add_article_with_body(
        editor_client,
        '<p><q cite="mailto:a@example.com">a</q> <q cite="https://ok.example/">b</q></p>',
    )

    assert article.body_html == '<p><q>a</q> <q cite="https://ok.example/">b</q></p>'


def test_other_attributes_on_the_quote_and_its_source_are_dropped(editor_client):
    article = add_article_with_body(
        editor_client,
        '<blockquote cite="https://ok.example/" onmouseover="x()" style="color:red">'
        '<p>Words.</p><footer class="x" onclick="x()"><cite id="c" '
        'style="background:url(javascript:x)">said TASS</cite></footer></blockquote>',
    )

    assert article.body_html == (
        '<blockquote cite="https://ok.example/"><p>Words.</p>'
        "<footer><cite>said TASS</cite></footer></blockquote>"
    )


def test_the_editor_loads_the_quote_source_extension(editor_client):
    html = editor_client.get(ADD_URL).text

    attribute = re.search(r"data-django-prose-editor-configurable=\"([^\"]+)\"", html)
    config = json.loads(attribute[1].replace("&quot;", '"'))
    assert config["extensions"]["QuoteSource"] is True
    assert config["extensions"]["Blockquote"] is True
    assert [m for m in config["js_modules"] if m.endswith("js/prose_quote_source.js")]
