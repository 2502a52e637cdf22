"""After posting: the redirect, the message, and the author's cookies."""

import pytest
from django.test import RequestFactory

from comments import cookies
from comments.models import Comment
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _request_with(response):
    request = RequestFactory().get("/")
    request.COOKIES = {k: v.value for k, v in response.cookies.items()}
    return request


def test_a_published_comment_redirects_to_its_anchor(
    akismet_server, article, post_comment
):
    response = post_comment(article)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert _messages(response) == ["Thanks — your comment is published."]
    assert cookies.PENDING_COOKIE not in response.cookies


def test_a_published_comment_on_a_later_page_redirects_to_that_page(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(2):
        make_comment(article=article, body=f"Earlier {n}")

    response = post_comment(article)

    comment = Comment.objects.latest("id")
    assert response["Location"] == (
        f"{article.get_absolute_url()}?cpage=2#comment-{comment.pk}"
    )


def test_a_held_comment_says_awaiting_moderation_and_sets_the_pending_cookie(
    article, post_comment
):
    response = post_comment(article)  # no key: held

    comment = Comment.objects.get()
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert _messages(response) == ["Your comment is awaiting moderation."]
    morsel = response.cookies[cookies.PENDING_COOKIE]
    assert morsel["max-age"] == 600
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert cookies.pending_comment_ids(_request_with(response)) == {comment.pk}


def test_spam_gets_the_same_message_and_pending_cookie_as_held(
    akismet_server, article, post_comment
):
    akismet_server.mode = "spam"
    response = post_comment(article)

    comment = Comment.objects.get()
    assert _messages(response) == ["Your comment is awaiting moderation."]
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert cookies.pending_comment_ids(_request_with(response)) == {comment.pk}


def test_a_second_held_comment_adds_to_the_pending_cookie(
    article, post_comment, client
):
    post_comment(article, body="One")
    post_comment(article, body="Two")

    request = RequestFactory().get("/")
    request.COOKIES = {k: v.value for k, v in client.cookies.items()}
    assert cookies.pending_comment_ids(request) == set(
        Comment.objects.values_list("pk", flat=True)
    )


def test_a_tampered_pending_cookie_is_ignored():
    request = RequestFactory().get("/")
    request.COOKIES = {cookies.PENDING_COOKIE: "eyIxIjoxfQ:forged:sig"}

    assert cookies.pending_comment_ids(request) == set()


def test_saving_details_sets_the_commenter_cookie(article, post_comment):
    response = post_comment(article, save_details="on")

    morsel = response.cookies[cookies.COMMENTER_COOKIE]
    assert morsel["max-age"] == 365 * 24 * 60 * 60
    assert morsel["httponly"] is True
    assert cookies.commenter_details(_request_with(response)) == {
        "author_name": "Ada Reader",
        "author_email": "ada@example.com",
        "author_url": "https://ada.example/",
    }


def test_not_saving_details_deletes_the_commenter_cookie(article, post_comment):
    response = post_comment(article)

    morsel = response.cookies[cookies.COMMENTER_COOKIE]
    assert morsel.value == ""
    assert morsel["max-age"] == 0


def test_the_body_is_stored_as_typed_and_sanitised_html_beside_it(
    akismet_server, article, post_comment
):
    post_comment(
        article, body='Hi <script>alert(1)</script>\n\n<a href="javascript:x">y</a>'
    )

    comment = Comment.objects.get()
    assert comment.body.startswith("Hi <script>")
    assert "<script" not in comment.body_html
    assert "javascript:" not in comment.body_html
