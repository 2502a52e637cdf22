"""
A poster cannot tell spam from held: the same message, the same redirect,
the same cookies, and their own comment on the page "awaiting moderation"
either way, so a bot learns nothing about what caught it. Nobody else sees
either, and neither goes into the list cached for everyone.
"""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from comments.models import Comment, ModerationEvent, Status, WordRule
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _shape(location: str) -> str:
    return re.sub(r"comment-\d+", "comment-N", location)


def _cookie_shape(response) -> dict[str, tuple]:
    return {
        name: (morsel["max-age"], morsel["httponly"], morsel["samesite"])
        for name, morsel in response.cookies.items()
    }


def _card(html: str, comment: Comment) -> str:
    start = html.index(f'<li id="li-comment-{comment.pk}"')
    return html[start : html.index("</article>", start)]


def _caught_by_akismet(server, article) -> dict:
    server.mode = "spam"
    return {}


def _discarded_by_akismet(server, article) -> dict:
    server.mode = "discard"
    return {}


def _block_word(server, article) -> dict:
    WordRule.objects.create(phrase="cheap watches", action=WordRule.Action.BLOCK)
    return {"body": "Cheap watches at my shop."}


def _honeypot(server, article) -> dict:
    return {HONEYPOT_FIELD: "+1 555 0100"}


def _too_fast(server, article) -> dict:
    return {"timestamp": sign_timestamp(article_id=article.pk, at=time.time())}


SPAM_CATCHERS = pytest.mark.parametrize(
    "catch",
    [_caught_by_akismet, _discarded_by_akismet, _block_word, _honeypot, _too_fast],
    ids=["akismet spam", "akismet discard", "block word", "honeypot", "too fast"],
)


@pytest.fixture
def post_as(post_comment):
    """Post from a fresh browser; returns (client, response, comment)."""

    def post(article, **fields):
        browser = Client()
        response = post_comment(article, client=browser, **fields)
        return browser, response, Comment.objects.latest("id")

    return post


def _post_held(post_as, akismet_server, article):
    akismet_server.mode = "ham"
    WordRule.objects.get_or_create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    return post_as(article, body="Ask the harbourmaster, he knows.")


def _post_spam(post_as, akismet_server, article, catch):
    fields = {"body": "Buy my lovely things.", **catch(akismet_server, article)}
    result = post_as(article, **fields)
    akismet_server.mode = "ham"
    return result


@SPAM_CATCHERS
def test_the_poster_gets_the_same_response_for_spam_as_for_held(
    akismet_server, article, post_as, settings, catch
):
    # A later page makes the redirect carry ?cpage=, as held comments' does.
    settings.COMMENTS_PER_PAGE = 1
    for n in range(2):
        make_comment(article=article, body=f"Earlier published comment {n}.")
    _, held_response, held = _post_held(post_as, akismet_server, article)
    _, spam_response, spam = _post_spam(post_as, akismet_server, article, catch)
    assert (held.status, spam.status) == (Status.HELD, Status.SPAM)

    assert spam_response.status_code == held_response.status_code == 302
    assert _messages(spam_response) == _messages(held_response) == [AWAITING]
    assert _shape(spam_response["Location"]) == _shape(held_response["Location"])
    assert spam_response["Location"].endswith(f"#comment-{spam.pk}")
    assert "?cpage=2" in spam_response["Location"]
    assert _cookie_shape(spam_response) == _cookie_shape(held_response)


@SPAM_CATCHERS
def test_the_page_a_spam_poster_lands_on_shows_their_comment_awaiting_moderation(
    akismet_server, article, post_as, catch
):
    browser, response, spam = _post_spam(post_as, akismet_server, article, catch)

    page = browser.get(response["Location"]).content.decode()

    card = _card(page, spam)
    assert "Buy my lovely" in card or "Cheap watches" in card
    assert AWAITING in card
    assert "comment--pending" in card


def test_the_spam_and_held_cards_differ_only_in_their_words(
    akismet_server, article, post_as
):
    held_browser, held_response, held = _post_held(post_as, akismet_server, article)
    spam_browser, spam_response, spam = _post_spam(
        post_as, akismet_server, article, _caught_by_akismet
    )

    held_card = _card(
        held_browser.get(held_response["Location"]).content.decode(), held
    )
    spam_card = _card(
        spam_browser.get(spam_response["Location"]).content.decode(), spam
    )

    def skeleton(card: str, comment: Comment) -> str:
        card = re.sub(rf"(comment-|/comment/){comment.pk}\b", r"\1N", card)
        card = card.replace(comment.body, "BODY")
        return re.sub(r"<time[^>]*>.*?</time>", "TIME", card)

    assert skeleton(spam_card, spam) == skeleton(held_card, held)


def test_other_readers_see_neither_and_the_shared_list_holds_neither(
    akismet_server, article, post_as
):
    make_comment(article=article, body="Everyone sees this.")
    stranger = Client()
    assert (
        "Everyone sees this."
        in stranger.get(article.get_absolute_url()).content.decode()
    )
    held_browser, held_response, held = _post_held(post_as, akismet_server, article)
    spam_browser, spam_response, spam = _post_spam(
        post_as, akismet_server, article, _caught_by_akismet
    )
    # Their authors look, then everyone else (the shared list is cached again).
    held_browser.get(held_response["Location"])
    spam_browser.get(spam_response["Location"])

    for _ in range(2):
        page = stranger.get(article.get_absolute_url()).content.decode()
        assert "Everyone sees this." in page
        assert held.body not in page
        assert spam.body not in page
        assert AWAITING not in page
    # And the spam author does not see the held one, nor the reverse.
    spam_page = spam_browser.get(article.get_absolute_url()).content.decode()
    assert held.body not in spam_page
    held_page = held_browser.get(article.get_absolute_url()).content.decode()
    assert spam.body not in held_page


def test_the_count_under_the_article_leaves_out_the_poster_s_spam(
    akismet_server, article, post_as
):
    browser, response, _ = _post_spam(
        post_as, akismet_server, article, _caught_by_akismet
    )

    page = browser.get(response["Location"]).content.decode()

    assert "0 Comments" in page


def test_the_edit_page_treats_a_spam_comment_like_a_held_one(
    akismet_server, article, post_as, django_capture_on_commit_callbacks
):
    held_browser, _, held = _post_held(post_as, akismet_server, article)
    spam_browser, _, spam = _post_spam(
        post_as, akismet_server, article, _caught_by_akismet
    )
    edit = {c.pk: reverse("comments:edit", kwargs={"pk": c.pk}) for c in (held, spam)}

    assert held_browser.get(edit[held.pk]).status_code == 200
    assert spam_browser.get(edit[spam.pk]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        held_edit = held_browser.post(edit[held.pk], {"body": "Held, reworded."})
        spam_edit = spam_browser.post(edit[spam.pk], {"body": "Spam, reworded."})

    assert spam_edit.status_code == held_edit.status_code == 302
    assert _shape(spam_edit["Location"]) == _shape(held_edit["Location"])
    assert _messages(spam_edit) == _messages(held_edit)
    spam.refresh_from_db()
    assert spam.status == Status.SPAM
    assert spam.body == "Spam, reworded."
    assert spam.events.filter(kind=ModerationEvent.Kind.EDIT).exists()


def test_a_published_comment_edited_into_spam_still_shows_its_author_awaiting(
    akismet_server, article, post_as, django_capture_on_commit_callbacks
):
    browser, _, comment = post_as(article, body="A fine comment.")
    assert comment.status == Status.APPROVED
    akismet_server.mode = "spam"

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("comments:edit", kwargs={"pk": comment.pk}),
            {"body": "Cheap watches at my shop."},
        )

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    card = _card(browser.get(response["Location"]).content.decode(), comment)
    assert "Cheap watches at my shop." in card
    assert AWAITING in card
    assert (
        "Cheap watches" not in Client().get(article.get_absolute_url()).content.decode()
    )
