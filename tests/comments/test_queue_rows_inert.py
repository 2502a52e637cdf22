"""
What commenters wrote shows inert in the moderation queue, as readers' words.

The queue's rows are written out in Python (comments.queue_html), not by the
template engine's autoescape, so every field a row shows gets hostile markup
here: the author's name, address, website and IP, the hold detail, the body,
the parent's author and text, the article's title and its section's name.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from comments import admin_views
from comments.models import Status
from tests.factories import make_article, make_comment, make_section
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")

ROW_TAGS = {
    "a", "article", "blockquote", "button", "div", "footer", "header", "input",
    "kbd", "label", "li", "span", "strong", "time", "ul",
}  # fmt: skip
COMMENT_TAGS = {"a", "blockquote", "br", "code", "em", "p", "strong"}
ROW_ATTRIBUTES = {
    "aria-keyshortcuts", "aria-label", "aria-labelledby", "class",
    "data-mq-key", "data-mq-row", "datetime", "for", "href", "id", "name",
    "rel", "tabindex", "target", "title", "type", "value",
}  # fmt: skip


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def rows_region(html: str) -> str:
    start = html.index('<article class="mq-row')
    return html[start : html.rindex("</article>") + len("</article>")]


def problems_in(region: str) -> list[str]:
    parser = _Elements()
    parser.feed(region)
    found = []
    for tag, attrs in parser.elements:
        if tag not in ROW_TAGS | COMMENT_TAGS:
            found.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name not in ROW_ATTRIBUTES:
                found.append(f"attribute {name}={value!r} on <{tag}>")
        href = (attrs.get("href") or "").strip()
        scheme = urlsplit(href).scheme.lower() if href else ""
        if scheme not in ("", "http", "https") or href.startswith("//"):
            found.append(f"href {href!r}")
    return found


def test_the_checker_catches_markup_that_would_run():
    bad = (
        '<article class="mq-row"><p onclick="x()">a</p><img src=x>'
        '<a href="javascript:alert(1)">b</a><script>1</script></article>'
    )

    found = problems_in(bad)

    assert any("onclick" in p for p in found)
    assert any("<img>" in p for p in found)
    assert any("javascript:" in p for p in found)
    assert any("<script>" in p for p in found)


def hostile_row(payload: str, n: int):
    text = payload.replace("\x00", "\ufffd")
    article = make_article(title=text[:200], section=make_section(name=text[:100]))
    parent = make_comment(article=article, author_name=text[:245], body=text)
    return make_comment(
        article=article,
        parent=parent,
        status=Status.HELD,
        author_name=text[:245],
        author_email=f"{text[:80]}@example.com",
        author_url=text[:200],
        body=text,
        hold_reason="too_many_links",
        hold_detail=text[:200],
        created=parent.created.replace(microsecond=n),
    )


def test_a_page_of_hostile_rows_is_inert_and_keeps_the_words(
    moderator_client, monkeypatch
):
    monkeypatch.setattr(admin_views, "PER_PAGE", len(PAYLOADS) + 1)
    for n, payload in enumerate(PAYLOADS):
        hostile_row(payload, n)
    plain = "Plain <em>still</em> & \"quoted\" 'words'"
    hostile_row(plain, len(PAYLOADS))

    html = moderator_client.get(QUEUE).content.decode()
    region = rows_region(html)

    assert problems_in(region) == []
    assert region.count('<article class="mq-row') == len(PAYLOADS) + 1
    # Shown as the words they are, escaped as the template's autoescape does.
    assert escape(plain) in region
    assert f"In reply to {escape(plain)}:" in region
    assert f'<span class="mq-section">{escape(plain)}</span>' in region
    assert "<em>still</em>" in region  # the sanitised body keeps its markup
