"""
An editor changes the source of a quote whose source is a link, in the
quote-source dialog of the body editor in Chromium: the link stays on the
source's words, on words typed over them too, and the quote keeps its
address; only an address that is not http(s) is dropped.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.test_newsroom_editor import log_in
from tests.factories import make_article

LINK = "https://port.example/harbour-master"
STATEMENT = "https://port.example/statement"


def quote(source_html: str) -> str:
    return (
        f'<blockquote cite="{STATEMENT}"><p>We will be back by spring</p>'
        f"<footer><cite>{source_html}</cite></footer></blockquote>"
    )


def open_quote_source_dialog(page, live_server, article):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    body = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    expect(body.locator("blockquote footer cite")).to_be_visible()
    body.locator("blockquote p").click()
    page.locator(".prose-menubar button[data-name=quoteSource]").click()
    return page.locator("dialog.prose-editor-dialog[open]")


def save_source(page, dialog, *, source: str, open: bool = True) -> str:
    """Type `source` in the open dialog (unless already closed), then save."""
    if open:
        dialog.locator("input[name=source]").fill(source)
        dialog.get_by_role("button", name="Update").click()
    body = page.locator(".prose-editor .ProseMirror[contenteditable=true]")
    expect(body.locator("blockquote footer cite")).to_have_text(source)
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.page_errors == []
    return Article.objects.get().body_html


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        # Words added after the linked ones, inside the link's end.
        (
            "said the harbour master, Ana Ruiz",
            f'<a href="{LINK}">said the harbour master, Ana Ruiz</a>',
        ),
        # Every word typed over.
        (
            "according to the port's chief",
            f'<a href="{LINK}">according to the port\'s chief</a>',
        ),
    ],
)
def test_rewording_a_linked_source_keeps_its_link_and_the_quotes_address(
    live_server, page, transactional_db, source, kept
):
    article = make_article(body=quote(f'<a href="{LINK}">said the harbour master</a>'))
    dialog = open_quote_source_dialog(page, live_server, article)
    expect(dialog.locator("input[name=source]")).to_have_value(
        "said the harbour master"
    )
    expect(dialog.locator("input[name=cite]")).to_have_value(STATEMENT)

    body_html = save_source(page, dialog, source=source)

    assert f'<blockquote cite="{STATEMENT}">' in body_html
    assert f"<footer><cite>{kept}</cite></footer>" in body_html


def test_a_partly_linked_source_keeps_its_link_on_the_linked_words(
    live_server, page, transactional_db
):
    article = make_article(body=quote(f'said <a href="{LINK}">the harbour master</a>'))
    dialog = open_quote_source_dialog(page, live_server, article)

    body_html = save_source(page, dialog, source="said on Monday the harbour master")

    assert (
        f'<footer><cite>said on Monday <a href="{LINK}">the harbour master</a>'
        "</cite></footer>"
    ) in body_html


def test_an_address_that_is_not_http_is_still_dropped(
    live_server, page, transactional_db
):
    article = make_article(body=quote(f'<a href="{LINK}">said the harbour master</a>'))
    dialog = open_quote_source_dialog(page, live_server, article)

    dialog.locator("input[name=cite]").fill("ftp://port.example/statement.txt")
    dialog.get_by_role("button", name="Update").click()
    # Dropped by the editor itself, before the server's sanitiser sees it.
    quoted = page.locator(".prose-editor .ProseMirror blockquote")
    expect(quoted).not_to_have_attribute("cite", STATEMENT)
    assert quoted.get_attribute("cite") is None

    body_html = save_source(page, dialog, source="said the harbour master", open=False)

    assert "<blockquote>" in body_html and "ftp:" not in body_html
    assert (
        f'<footer><cite><a href="{LINK}">said the harbour master</a></cite></footer>'
    ) in body_html
