"""Two moderators on the same comment: one wins, the other is told."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")


def session_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def seen_fields(page: str, comment: Comment) -> dict[str, str]:
    """The status and version the queue page recorded for the row, as posted."""
    fields = dict(
        re.findall(rf'name="((?:seen|version)-{comment.pk})" value="([^"]*)"', page)
    )
    assert len(fields) == 2, "the row records no status and version"
    return fields


def as_shown(comment: Comment) -> dict[str, str]:
    """What a queue page drawn now posts for the comment's row."""
    return {
        f"seen-{comment.pk}": comment.status,
        f"version-{comment.pk}": moderation.version(comment),
    }


def test_the_second_moderator_is_refused_and_the_first_decision_stands(article):
    comment = make_comment(article=article, status=Status.HELD, author_name="Ada")
    alice = session_for(make_moderator(username="alice"))
    bob = session_for(make_moderator(username="bob"))
    # Both load the queue while the comment is held.
    seen_by_alice = seen_fields(alice.get(QUEUE).content.decode(), comment)
    seen_by_bob = seen_fields(bob.get(QUEUE).content.decode(), comment)

    alice.post(ACT, {"do": f"approve:{comment.pk}", **seen_by_alice})
    response = bob.post(ACT, {"do": f"spam:{comment.pk}", **seen_by_bob}, follow=True)

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    [message] = [str(m) for m in response.context["messages"]]
    assert "already moved by someone else" in message
    assert "now approved" in message
    assert list(
        ModerationEvent.objects.values_list("actor__username", "to_status")
    ) == [("alice", "approved")]


def test_a_stale_bulk_action_skips_only_the_moved_comment(article):
    moved = make_comment(article=article, status=Status.HELD)
    still = make_comment(article=article, status=Status.HELD)
    alice = session_for(make_moderator())
    bob = session_for(make_moderator())
    seen_by_bob = {**as_shown(moved), **as_shown(still)}

    alice.post(ACT, {"do": f"remove:{moved.pk}", **as_shown(moved)})
    response = bob.post(
        ACT,
        {
            "do": "bulk",
            "bulk_action": "approve",
            "selected": [moved.pk, still.pk],
            **seen_by_bob,
        },
        follow=True,
    )

    assert Comment.objects.get(pk=moved.pk).status == Status.REMOVED
    assert Comment.objects.get(pk=still.pk).status == Status.APPROVED
    texts = [str(m) for m in response.context["messages"]]
    assert any("already moved by someone else" in t for t in texts)
    assert "1 comment approved." in texts
