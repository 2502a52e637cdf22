"""
Someone who answers readers' data requests, in Chromium: from the comments
list to the Personal data page, downloads an address's export, then erases
it after the confirmation step; the article then shows the comment as
"Anonymous". No page refuses anything under the site's CSP.
"""

import json

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_article, make_comment, make_moderator

PASSWORD = "privacy-officer-pass"
ADA = "ada@example.com"


@pytest.fixture
def ada_comment(transactional_db):
    article = make_article(title="Harbour wall reopens")
    return make_comment(
        article=article,
        author_name="Ada Lovelace",
        author_email=ADA,
        author_url="https://ada.example/",
        ip="198.51.100.7",
        body="It was the February storms, actually.",
    )


def log_in(page, live_server) -> None:
    user = make_moderator(username="privacy", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="comments", codename="manage_personal_data"
        )
    )
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("privacy")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_address_is_exported_then_erased_from_the_admin(
    live_server, page, screenshot, ada_comment
):
    log_in(page, live_server)
    page.get_by_role("link", name="Personal data").click()
    page.get_by_label("Email address").fill(ADA)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as JSON").click()
    exported = json.loads(download.value.path().read_text())
    assert [c["name"] for c in exported["comments"]] == ["Ada Lovelace"]
    assert download.value.suggested_filename.endswith(".json")

    page.get_by_role("button", name="Erase…").click()
    expect(page.get_by_role("cell", name="1 comment", exact=True)).to_be_visible()
    screenshot("personal-data-confirm")
    page.get_by_role("button", name="Yes, erase").click()
    expect(page.locator(".messagelist")).to_contain_text("Anonymised 1 comment(s)")

    page.goto(live_server.url + ada_comment.article.get_absolute_url())
    comments = page.locator("#comments")
    expect(comments).to_contain_text("Anonymous")
    expect(comments).to_contain_text("It was the February storms, actually.")
    expect(comments).not_to_contain_text("Ada Lovelace")
    assert Comment.objects.get().author_email == ""
    assert page.csp_violations() == []
    assert page.console_csp_violations() == []
    assert page.page_errors == []
