"""
In Chromium: a comment caught as spam shows its author the same "awaiting
moderation" placeholder as a held one, and nobody else sees either.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from comments.forms import sign_timestamp
from comments.models import Comment, Status, WordRule
from tests.factories import make_article

AWAITING = "Your comment is awaiting moderation."


@pytest.fixture
def article(transactional_db):
    return make_article(title="Harbour wall reopens after a winter of repairs")


def post_a_comment(page, article, body: str) -> None:
    form = page.locator("#commentform")
    form.get_by_role("textbox", name=re.compile(r"^Comment\b")).fill(body)
    form.get_by_role("textbox", name=re.compile(r"^Name\b")).fill("Ada Reader")
    form.get_by_role("textbox", name=re.compile(r"^Email\b")).fill("ada@example.com")
    # Ten seconds of writing: a post within three seconds of loading is a bot's.
    page.eval_on_selector(
        '#commentform input[name="timestamp"]',
        "(el, value) => { el.value = value; }",
        sign_timestamp(article_id=article.pk, at=time.time() - 10),
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Post Comment").click()


def test_a_comment_caught_as_spam_shows_its_author_the_same_placeholder_as_held(
    live_server, page, akismet, article, playwright_browser
):
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    post_a_comment(page, article, "Ask the harbourmaster when the ferry returns.")
    akismet.mode = "spam"
    post_a_comment(page, article, "Cheap watches at my shop, best prices.")

    held = Comment.objects.get(body__contains="harbourmaster")
    spam = Comment.objects.get(body__contains="watches")
    assert (held.status, spam.status) == (Status.HELD, Status.SPAM)
    assert page.url.endswith(f"#comment-{spam.pk}")
    held_item = page.locator(f"#li-comment-{held.pk}")
    spam_item = page.locator(f"#li-comment-{spam.pk}")
    expect(spam_item).to_contain_text("Cheap watches at my shop, best prices.")
    for item in (held_item, spam_item):
        expect(item).to_be_visible()
        expect(item).to_have_class(re.compile(r"\bcomment--pending\b"))
        expect(item.locator(".comment__awaiting")).to_have_text(AWAITING)
        expect(item.get_by_role("link", name="Edit")).to_be_visible()
        expect(item.get_by_role("link", name=re.compile("Reply|Report"))).to_have_count(
            0
        )
    assert held_item.get_attribute("class") == spam_item.get_attribute("class")
    expect(page.locator("#comments-heading")).to_have_text("0 Comments")

    stranger = playwright_browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(f"{live_server.url}{article.get_absolute_url()}")
        expect(other.locator("#comments-heading")).to_have_text("0 Comments")
        expect(other.locator(".comment")).to_have_count(0)
        expect(other.get_by_text(AWAITING)).to_have_count(0)
    finally:
        stranger.close()
