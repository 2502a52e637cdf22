"""
The body's rich-text editor: served from our own static files under the CSP,
and whatever it (or anyone posting the form) sends is sanitised on the way in.
"""

import re

import pytest
from django.urls import reverse

from articles.forms import BODY_EDITOR_CONFIG
from articles.models import Article
from newsarchive.sanitize import ARTICLE_ATTRIBUTES, ARTICLE_TAGS
from tests.factories import add_article_with_body

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)" alt="a">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data url</a>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<img srcset="javascript:alert(1) 1x" src="https://ok.example/a.jpg" alt="b">',
    '<form action="https://evil.example/"><input name="q"></form>',
    '<p><a href="https://ok.example/" target="_blank" onclick="x()">fine link</a></p>',
    "<!--<script>alert(1)</script>-->",
]

# What the editor's toolbar makes: heading, bold, italic, link, lists,
# quote, figure with caption.
EDITOR_OUTPUT = (
    "<h2>What happened</h2>"
    "<p><strong>Bold</strong>, <em>italic</em> and "
    '<a href="https://example.com/report">a link</a>.</p>'
    "<ul><li><p>One</p></li></ul><ol><li><p>Two</p></li></ol>"
    "<blockquote><p>We will rebuild.</p><p>— the mayor</p></blockquote>"
    '<figure><img src="https://img.example/a.jpg" alt="A crane"><figcaption>'
    "The crane.</figcaption></figure>"
)


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_sent_through_the_editor_is_made_harmless(editor_client, html):
    article = add_article_with_body(editor_client, html)

    cleaned = article.body_html.lower()
    assert "<script" not in cleaned
    assert "javascript:" not in cleaned
    assert "data:" not in cleaned
    assert not re.search(r"\son\w+=", cleaned)
    assert "<iframe" not in cleaned and "<form" not in cleaned
    assert "style=" not in cleaned and "srcset=" not in cleaned
    assert article.body == html  # what was written is kept as written


def test_hostile_html_never_reaches_the_reader_page(editor_client, client):
    article = add_article_with_body(editor_client, "".join(HOSTILE))
    article.status = Article.Status.PUBLISHED
    article.published_at = article.created
    article.save()

    html = client.get(article.get_absolute_url()).text
    body = html[html.index('class="article__body"') :]
    body = body[: body.index("</div>")]

    # Stripped tags leave their text ("alert(1)") as harmless words.
    assert "<script" not in body and "onerror" not in body
    assert "javascript:" not in body and "<iframe" not in body


def test_what_the_toolbar_makes_is_kept(editor_client):
    article = add_article_with_body(editor_client, EDITOR_OUTPUT)

    assert article.body_html == EDITOR_OUTPUT


def test_the_toolbar_makes_nothing_the_allowlist_would_drop():
    tags = {"h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "p"}
    tags |= {"blockquote", "br", "hr", "figure", "figcaption", "img"}
    assert tags <= ARTICLE_TAGS
    assert {"src", "alt"} <= set(ARTICLE_ATTRIBUTES["img"])
    assert BODY_EDITOR_CONFIG["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert BODY_EDITOR_CONFIG["extensions"]["Link"]["enableTarget"] is False


def test_the_editor_is_served_from_our_static_files_with_nonces(editor_client):
    response = editor_client.get(ADD_URL)
    html = response.text

    assert "data-django-prose-editor-configurable" in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert any("django_prose_editor/editor.js" in tag for tag in scripts)
    # Every script: our own origin, and inline ones (the import map) carry
    # the nonce the CSP header names.
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag)
        if src:
            assert src[1].startswith("/"), tag
        else:
            assert f'nonce="{nonce}"' in tag, tag
