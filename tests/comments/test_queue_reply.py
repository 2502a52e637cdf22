"""A moderator replies to a comment from the queue, through comment_submit."""

import time

import pytest
from django.urls import reverse

from comments import moderation
from comments.forms import sign_timestamp
from comments.models import Comment, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db


def reply_url(comment) -> str:
    return reverse("admin:comments_comment_moderate_reply", args=[comment.pk])


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator(username="mia", email="mia@paper.example"))
    return client


def reply(client, comment, body="Thanks, corrected.", **extra):
    form = client.get(reply_url(comment)).context["form"]
    assert form["parent"].value() == comment.pk
    return client.post(
        reply_url(comment),
        {
            "body": body,
            # The form's own signed timestamp, as if written over ten seconds.
            "timestamp": sign_timestamp(
                article_id=comment.article_id, at=time.time() - 10
            ),
            "seen": comment.status,
            "version": moderation.version(comment),
            **extra,
        },
    )


def test_a_reply_is_posted_as_the_moderator_under_the_comment(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.APPROVED)

    response = reply(moderator_client, comment)

    assert response.status_code == 302
    posted = Comment.objects.get(parent=comment)
    assert (posted.author_name, posted.author_email) == ("mia", "mia@paper.example")
    assert posted.user.username == "mia"
    assert posted.status == Status.APPROVED
    # Through the pipeline: Akismet was asked, as an administrator.
    [check] = akismet_server.checks()
    assert check.form["user_role"] == "administrator"


def test_replying_to_a_held_comment_approves_it_too(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.HELD)

    reply(moderator_client, comment, approve="1")

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert Comment.objects.filter(parent=comment).exists()


def test_a_reply_to_a_held_comment_without_approving_it_is_refused(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.HELD)

    response = reply(moderator_client, comment)

    assert response.status_code == 200
    assert "not found on this article" in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()


def test_the_queue_links_each_row_to_its_reply_form(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    page = moderator_client.get(
        reverse("admin:comments_comment_moderate")
    ).content.decode()

    assert f'href="{reply_url(comment)}?next=' in page
    assert 'data-mq-key="r"' in page


def test_a_reply_that_cannot_be_sent_approves_nothing(
    moderator_client, article, akismet_server
):
    held = make_comment(article=article, status=Status.HELD)

    response = reply(moderator_client, held, body="", approve="on")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Status.HELD
    assert not Comment.objects.filter(parent=held).exists()


def test_a_stale_approve_says_only_that_it_was_moved(
    moderator_client, article, akismet_server
):
    held = make_comment(article=article, status=Status.HELD)
    form_seen = moderation.version(held)
    moderation.remove(held, actor=make_moderator(username="colleague"))
    moderation.restore(held, actor=make_moderator(username="other"))

    response = moderator_client.post(
        reply_url(held),
        {
            "body": "Thanks, corrected.",
            "timestamp": sign_timestamp(article_id=article.pk, at=time.time() - 10),
            "seen": Status.HELD,
            "version": form_seen,
            "approve": "on",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "already moved by someone else" in page
    assert "not found on this article" not in page
    assert Comment.objects.get(pk=held.pk).status == Status.HELD
    assert not Comment.objects.filter(parent=held).exists()
