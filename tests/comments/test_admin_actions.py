"""The plain changelist's actions call the same moderation functions."""

import pytest
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationEvent, Status
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


def run(client, action: str, comments: list[Comment]):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [c.pk for c in comments],
            # As the changelist rows post it: each one's status and version.
            **{f"seen-{c.pk}": c.status for c in comments},
            **{f"version-{c.pk}": moderation.version(c) for c in comments},
        },
        follow=True,
    )


def test_mark_not_spam_approves_spam(moderator_client, article):
    comment = make_comment(article=article, status=Status.SPAM)

    run(moderator_client, "ham_selected", [comment])

    assert Comment.objects.get().status == Status.APPROVED
    assert ModerationEvent.objects.get().to_status == Status.APPROVED


def test_restore_puts_a_removed_comment_back(moderator_client, article):
    comment = make_comment(
        article=article, status=Status.REMOVED, previous_status=Status.HELD
    )

    run(moderator_client, "restore_selected", [comment])

    assert Comment.objects.get().status == Status.HELD


def test_not_spam_on_a_comment_that_is_not_spam_is_refused(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    response = run(moderator_client, "ham_selected", [comment])

    assert Comment.objects.get().status == Status.HELD
    assert "Not changed" in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_the_changelist_links_to_the_queue(moderator_client):
    page = moderator_client.get(CHANGELIST).content.decode()

    assert f'href="{reverse("admin:comments_comment_moderate")}"' in page
