"""Signed-in commenters: their own name and email, and staff exemptions."""

import pytest

from comments.models import Comment, Status
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_signed_in_user_comments_under_their_own_name_and_email(
    akismet_server, article, post_comment, client
):
    user = make_user(username="ada", email="ada@home.example")
    user.first_name, user.last_name = "Ada", "Lovelace"
    user.save()
    client.force_login(user)

    post_comment(
        article,
        client=client,
        author_name="Someone Else",
        author_email="x@evil.example",
    )

    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email) == (
        "Ada Lovelace",
        "ada@home.example",
    )
    assert comment.user == user


def test_staff_discard_is_never_discarded(
    akismet_server, article, post_comment, client
):
    client.force_login(make_user(is_staff=True))
    akismet_server.mode = "discard"

    post_comment(article, client=client)

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.discarded is False


def test_staff_skip_the_first_time_rule(
    akismet_server, article, post_comment, client, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    client.force_login(make_user(is_staff=True))

    post_comment(article, client=client)

    assert Comment.objects.get().status == Status.APPROVED
