"""The honeypot and the signed timestamp: cheap checks before Akismet."""

import time

import pytest

from comments.forms import HONEYPOT_FIELD, sign_timestamp
from comments.models import Comment, HoldReason, Status

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_is_spam_without_asking_akismet(
    akismet_server, article, post_comment, client
):
    response = post_comment(article, **{HONEYPOT_FIELD: "+1 555 0100"})

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.HONEYPOT
    assert akismet_server.requests == []
    # The author is told the same as for a held comment.
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Your comment is awaiting moderation."]


def test_a_post_within_three_seconds_is_spam_without_asking_akismet(
    akismet_server, article, post_comment
):
    post_comment(article, timestamp=sign_timestamp(article_id=article.pk))

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.TOO_FAST
    assert akismet_server.requests == []


def test_a_post_after_three_seconds_goes_to_akismet(
    akismet_server, article, post_comment
):
    post_comment(
        article, timestamp=sign_timestamp(article_id=article.pk, at=time.time() - 4)
    )

    assert Comment.objects.get().status == Status.APPROVED
    assert len(akismet_server.checks()) == 1


def test_a_form_older_than_a_day_is_reshown_with_a_message(
    akismet_server, article, post_comment
):
    old = sign_timestamp(article_id=article.pk, at=time.time() - 24 * 3600 - 5)

    response = post_comment(article, timestamp=old, body="My words survive")

    assert response.status_code == 400
    page = response.content.decode()
    assert "open for more than a day" in page
    assert "My words survive" in page
    assert not Comment.objects.exists()
    assert akismet_server.requests == []
    # The re-shown form carries a fresh timestamp, so sending it again works.
    fresh = response.context["form"]["timestamp"].value()
    assert fresh != old


def test_a_trapped_bot_gets_the_pending_cookie_a_held_comment_gets(
    akismet_server, article, post_comment
):
    response = post_comment(article, **{HONEYPOT_FIELD: "+1 555 0100"})

    assert Comment.objects.get().status == Status.SPAM
    assert "comments_pending" in response.cookies
