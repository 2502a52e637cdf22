"""
A comment form that expired (its CSRF cookie gone) gets the friendly page,
and the reader's words are not lost: shown there, and back in the form when
they return to the story. Anonymous readers' forms are checked by their
origin and do not expire; a signed-in reader's carries a CSRF token.
"""

import time

import pytest
from django.test import Client
from playwright.sync_api import expect

from comments.forms import sign_timestamp
from comments.models import Comment
from tests.browser.test_comments import post, write_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "The harbour wall held <b>well</b> in the storm — thank you for this."


def sign_in(page, live_server) -> None:
    client = Client()
    client.force_login(make_user(username="ada"))
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def test_an_expired_comment_form_keeps_the_readers_words(live_server, page, screenshot):
    article = make_article(title="Harbour reopens", slug="harbour-reopens")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    # Signed in, the form knows the reader's name and address.
    page.locator("#commentform textarea[name=body]").fill(WORDS)
    page.eval_on_selector(
        '#commentform input[name="timestamp"]',
        "(el, value) => { el.value = value; }",
        sign_timestamp(article_id=article.pk, at=time.time() - 10),
    )
    # The form expires: its CSRF cookie is gone, as after a long absence.
    page.context.clear_cookies(name="csrftoken")

    post(page)

    expect(page.get_by_role("heading", name="Your form expired")).to_be_visible()
    expect(page.locator("#expired-comment")).to_have_value(WORDS)
    screenshot("expired-form")
    assert Comment.objects.count() == 0
    assert page.csp_violations() == [] and page.page_errors == []

    page.get_by_role("link", name="Back to “Harbour reopens”").click()

    expect(page.locator("#commentform textarea[name=body]")).to_have_value(WORDS)
    expect(page.locator(".comment-form__restored")).to_be_visible()
    assert page.csp_violations() == [] and page.page_errors == []


def test_a_posted_comment_leaves_no_draft_behind(live_server, page):
    article = make_article(title="Harbour reopens", slug="harbour-reopens")
    url = f"{live_server.url}{article.get_absolute_url()}"
    page.goto(url)
    write_comment(page, article, body="Posted once, not twice.")
    post(page)
    assert Comment.objects.count() == 1
    page.goto(url)

    expect(page.locator("#commentform textarea[name=body]")).to_have_value("")
    assert page.evaluate("Object.keys(sessionStorage)") == []
