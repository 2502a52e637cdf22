"""
A moderator's one-click mail link is bound to the comment's latest history
event: it acts only while nothing has happened to the comment since the mail,
so its own use retires it, and every answer is kept out of caches.
"""

import pytest
from django.test import Client

from comments import moderation, tokens
from comments.models import Comment, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return make_moderator(username="mia")


@pytest.fixture
def held(article):
    comment = make_comment(article=article, status=Status.HELD)
    ModerationEvent.objects.create(
        comment=comment, from_status=Status.UNCHECKED, to_status=Status.HELD
    )
    return comment


def link(comment: Comment, moderator, action: str) -> str:
    url = tokens.moderate_url(comment=comment, user=moderator, action=action)
    return url.removeprefix("http://testserver")


def test_a_used_link_is_refused_even_after_the_comment_is_back_where_it_was(
    client, held, moderator
):
    approve = link(held, moderator, "approve")
    assert client.post(approve).status_code == 200
    # A colleague holds it again: the status the mail was sent for.
    moderation.hold(Comment.objects.get(), actor=make_moderator())

    response = client.post(approve)

    assert response.status_code == 409
    assert Comment.objects.get().status == Status.HELD
    assert ModerationEvent.objects.filter(to_status=Status.APPROVED).count() == 1


def test_a_link_for_an_older_event_is_refused(client, held, moderator):
    remove = link(held, moderator, "remove")
    moderation.record(
        held, kind=ModerationEvent.Kind.NOTE, reason="A colleague looked at it"
    )

    assert client.get(remove).status_code == 409
    assert client.post(remove).status_code == 409
    assert Comment.objects.get().status == Status.HELD


def test_a_link_for_the_latest_event_still_works(client, held, moderator):
    moderation.record(held, kind=ModerationEvent.Kind.NOTE, reason="Looked at")
    spam = link(held, moderator, "spam")

    assert client.post(spam).status_code == 200
    assert Comment.objects.get().status == Status.SPAM


def test_a_link_to_a_comment_without_history_works_once(client, article, moderator):
    comment = make_comment(article=article, status=Status.HELD)
    approve = link(comment, moderator, "approve")

    assert client.post(approve).status_code == 200
    moderation.hold(Comment.objects.get(), actor=make_moderator())

    assert client.post(approve).status_code == 409


def assert_not_stored(response) -> None:
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_every_answer_is_marked_no_store(client, held, moderator, method):
    approve = link(held, moderator, "approve")
    send = getattr(client, method)

    assert_not_stored(send(approve))  # the page, or the action done
    assert_not_stored(send(approve))  # used: 409
    assert_not_stored(send(approve[:-4] + "xyz/"))  # tampered: 400
    retired = make_moderator()
    retired.is_active = False
    retired.save()
    assert_not_stored(send(link(held, retired, "spam")))  # 403
    gone = make_comment(article=held.article, status=Status.HELD)
    gone_link = link(gone, moderator, "spam")
    gone.delete()
    assert_not_stored(send(gone_link))  # 404


def test_refusals_are_marked_no_store_too(held, moderator):
    approve = link(held, moderator, "approve")
    strict = Client(enforce_csrf_checks=True)

    without_token = strict.post(approve)
    wrong_method = strict.put(approve)

    assert without_token.status_code == 403
    assert_not_stored(without_token)
    assert wrong_method.status_code == 405
    assert_not_stored(wrong_method)
    assert Comment.objects.get().status == Status.HELD
