"""
A moderator works the queue in Chromium with the keyboard only: logs in to
the admin, opens the queue of three held comments, and clears it with
j / k / a / s / d, each key pressing the same POST buttons that work without
JavaScript.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, CommentReport, HoldReason, ModerationEvent, Status
from tests.factories import (
    make_article,
    make_comment,
    make_moderator,
    make_section,
    role_group,
)

PASSWORD = "demo-moderator-pass"


@pytest.fixture
def held_queue(transactional_db):
    """Three held comments with different reasons, as the demo data has."""
    role_group("Moderators")
    now = timezone.now()
    article = make_article(
        title="Harbour wall reopens after a winter of repairs",
        section=make_section(name="Local"),
    )
    parent = make_comment(
        article=article,
        status=Status.APPROVED,
        author_name="Grace Hopper",
        body="The wall took four months because of the storms in January.",
        created=now - timedelta(hours=5),
    )
    links = make_comment(
        article=article,
        status=Status.HELD,
        author_name="Link Seller",
        author_email="deals@cheap-pills.example",
        author_url="https://cheap-pills.example/",
        ip="203.0.113.66",
        body='<a href="https://a.example/">cheap</a> <a href="https://b.example/">'
        'pills</a> <a href="https://c.example/">here</a>',
        hold_reason=HoldReason.TOO_MANY_LINKS,
        hold_detail="3 links",
        created=now - timedelta(hours=3),
    )
    unreachable = make_comment(
        article=article,
        parent=parent,
        status=Status.HELD,
        author_name="Ada Lovelace",
        author_email="ada@example.com",
        ip="198.51.100.7",
        body="It was the February storms, actually — I watched the repairs.",
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        hold_detail="Timed out after 2 s",
        next_check_at=now + timedelta(minutes=20),
        created=now - timedelta(hours=2),
    )
    first = make_comment(
        article=article,
        status=Status.HELD,
        author_name="Nia Newcomer",
        author_email="nia@example.org",
        ip="192.0.2.44",
        body="First time commenting: great to see the harbour open again!",
        hold_reason=HoldReason.FIRST_TIME,
        hold_detail="First-time commenter",
        created=now - timedelta(minutes=30),
    )
    reported = make_comment(
        article=article,
        status=Status.APPROVED,
        author_name="Rex Grumble",
        body="Nobody cares about this harbour.",
        created=now - timedelta(hours=4),
    )
    for key, reason in [("a", "abusive"), ("b", "abusive")]:
        CommentReport.objects.create(comment=reported, reason=reason, reporter_key=key)
    # Newest first: Nia, Ada, the link seller.
    return [first, unreachable, links]


def log_in(page, live_server) -> None:
    make_moderator(username="moderator", password=PASSWORD)
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def selected_author(page) -> str:
    return page.locator("[data-mq-row].is-selected .mq-name").inner_text()


def press_and_reload(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_moderator_clears_the_queue_with_the_keyboard(
    live_server, page, screenshot, held_queue
):
    nia, ada, seller = held_queue
    log_in(page, live_server)
    expect(page.get_by_role("link", name="Moderation queue")).to_be_visible()
    page.goto(f"{live_server.url}/admin/comments/comment/moderate/")

    rows = page.locator("[data-mq-row]")
    expect(rows).to_have_count(3)
    expect(page.locator(".mq-tab.is-current")).to_contain_text("Held 3")
    expect(page.locator(".mq-tab", has_text="Reported")).to_contain_text("1")
    # Why each is here, in words.
    expect(rows.nth(0)).to_contain_text("First-time commenter")
    expect(rows.nth(1)).to_contain_text("Akismet could not be reached — next try at")
    expect(rows.nth(1)).to_contain_text("In reply to Grace Hopper")
    expect(rows.nth(2)).to_contain_text("3 links")
    assert selected_author(page) == "Nia Newcomer"

    # j / k move the selection.
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert selected_author(page) == "Link Seller"
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert selected_author(page) == "Nia Newcomer"
    page.keyboard.press("j")
    assert selected_author(page) == "Ada Lovelace"
    screenshot("moderation")

    # ? shows the keys, and hides them again.
    page.keyboard.press("?")
    expect(page.locator("#mq-help")).to_be_visible()
    screenshot("moderation-keys")
    page.keyboard.press("?")
    expect(page.locator("#mq-help")).to_be_hidden()

    # a approves Ada; the selection stays in place, on the next comment.
    press_and_reload(page, "a")
    expect(rows).to_have_count(2)
    expect(page.locator(".messagelist:not(.mq-banners)")).to_contain_text(
        "1 comment approved."
    )
    assert selected_author(page) == "Link Seller"

    # s: the link seller is spam.
    press_and_reload(page, "s")
    expect(rows).to_have_count(1)
    assert selected_author(page) == "Nia Newcomer"

    # d removes the last one.
    press_and_reload(page, "d")
    expect(rows).to_have_count(0)
    expect(page.locator(".mq-empty")).to_contain_text("The queue is clear")
    expect(page.locator(".mq-tab.is-current")).to_contain_text("Held 0")
    screenshot("moderation-cleared")

    statuses = dict(Comment.objects.values_list("author_name", "status"))
    assert statuses["Ada Lovelace"] == "approved"
    assert statuses["Link Seller"] == "spam"
    assert statuses["Nia Newcomer"] == "removed"
    assert ModerationEvent.objects.filter(actor__username="moderator").count() == 3
    assert page.page_errors == []
    assert page.csp_violations() == []
    assert page.console_csp_violations() == []


def test_the_queue_works_without_javascript(
    live_server, playwright_browser, held_queue
):
    context = playwright_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server)
        page.goto(f"{live_server.url}/admin/comments/comment/moderate/")
        row = page.locator("[data-mq-row]").first
        expect(row).to_contain_text("Nia Newcomer")
        with page.expect_navigation():
            row.get_by_role("button", name="Approve").click()
        expect(page.locator(".messagelist:not(.mq-banners)")).to_contain_text(
            "1 comment approved."
        )
        expect(page.locator("[data-mq-row]")).to_have_count(2)
    finally:
        context.close()
    assert Comment.objects.get(author_name="Nia Newcomer").status == Status.APPROVED


def test_r_opens_the_reply_form_for_the_selected_comment(live_server, page, held_queue):
    nia = held_queue[0]
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/moderate/")
    assert selected_author(page) == "Nia Newcomer"

    press_and_reload(page, "r")

    assert f"/moderate/{nia.pk}/reply/" in page.url
    expect(
        page.get_by_role("heading", name=f"Reply to comment #{nia.pk}")
    ).to_be_visible()
    expect(page.get_by_label("Approve this held comment too")).to_be_checked()
    assert page.csp_violations() == []


def test_typing_in_the_search_box_does_not_moderate(live_server, page, held_queue):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/moderate/")

    search = page.get_by_placeholder("Author, email, IP or text")
    search.press_sequentially("sad")
    with page.expect_navigation():
        search.press("Enter")

    assert "q=sad" in page.url
    expect(page.locator(".mq-tab.is-current")).to_contain_text("Held 3")
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "held",
        "approved",
    }
    assert not ModerationEvent.objects.exists()
