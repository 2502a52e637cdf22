"""
Hostile markup stored as comments renders inert on the article page.

Each payload goes in as a body (sanitised on the way in, as the pipeline does),
as an author name and as an author website stored raw. The comment region is
then parsed: only the elements and attributes our templates and the comment
allowlist produce may appear, no event handlers, no styles, no script but our
own file, and every link is http(s) or same-page.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.factories import make_article, make_comment
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

TEMPLATE_TAGS = {
    "a", "article", "b", "button", "div", "form", "h2", "h3", "header", "input",
    "label", "li", "nav", "ol", "p", "script", "span", "textarea", "time", "ul",
}  # fmt: skip
COMMENT_TAGS = {"a", "blockquote", "br", "code", "em", "p", "strong"}
ALLOWED_ATTRIBUTES = {
    "action", "aria-busy", "aria-current", "aria-describedby", "aria-hidden",
    "aria-invalid", "aria-label", "autocomplete", "checked", "class", "cols",
    "data-author", "data-comment-id", "data-title", "datetime", "defer", "for",
    "hidden", "href", "id", "maxlength", "method", "name", "rel", "required",
    "role", "rows", "src", "tabindex", "type", "value",
}  # fmt: skip


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def comments_region(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def problems_in(region: str) -> list[str]:
    parser = _Elements()
    parser.feed(region)
    found = []
    scripts = [attrs for tag, attrs in parser.elements if tag == "script"]
    if len(scripts) != 1 or not (scripts[0].get("src") or "").endswith(
        "/js/comments.js"
    ):
        found.append(f"unexpected scripts: {scripts}")
    for tag, attrs in parser.elements[1:]:  # [0] is the <section> itself
        if tag not in TEMPLATE_TAGS | COMMENT_TAGS:
            found.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name not in ALLOWED_ATTRIBUTES:
                found.append(f"attribute {name}={value!r} on <{tag}>")
        href = (attrs.get("href") or "").strip()
        scheme = urlsplit(href).scheme.lower() if href else ""
        if href and scheme not in ("", "http", "https"):
            found.append(f"href {href!r}")
        if href.startswith("//"):
            found.append(f"protocol-relative href {href!r}")
        if "src" in attrs and tag != "script":
            found.append(f"src on <{tag}>")
    return found


def store(article, payload: str):
    # The form refuses NUL; PostgreSQL cannot store it. html5lib reads it as U+FFFD.
    text = payload.replace("\x00", "\ufffd")
    return make_comment(
        article=article, body=text, author_name=text[:245], author_url=text[:200]
    )


def test_the_checker_catches_markup_that_would_run():
    bad = (
        '<section id="comments"><p onclick="x()">a</p><img src=x>'
        '<a href="javascript:alert(1)">b</a><script>1</script></section>'
    )

    found = problems_in(bad)

    assert any("onclick" in p for p in found)
    assert any("<img>" in p for p in found)
    assert any("javascript:" in p for p in found)
    assert any("unexpected scripts" in p for p in found)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_a_hostile_comment_renders_inert(client, payload):
    article = make_article()
    store(article, payload)
    reply_to = store(article, "<p>parent</p>")
    make_comment(article=article, parent=reply_to, body=payload.replace("\x00", ""))

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert problems_in(comments_region(response.content.decode())) == []


def test_a_page_of_every_payload_renders_inert_and_keeps_the_words(client, settings):
    settings.COMMENTS_PER_PAGE = len(PAYLOADS) + 1
    article = make_article()
    for payload in PAYLOADS:
        store(article, payload)
    store(article, "Plain words <em>still</em> read <strong>fine</strong>.")

    html = client.get(article.get_absolute_url()).content.decode()
    region = comments_region(html)

    assert problems_in(region) == []
    assert "<em>still</em>" in region and "<strong>fine</strong>" in region
    assert region.count('<article id="comment-') == len(PAYLOADS) + 1
