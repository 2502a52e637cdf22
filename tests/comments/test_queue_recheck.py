"""“Recheck with Akismet” on a held comment, on demand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, HoldReason, ModerationEvent, Status
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

ACT = reverse("admin:comments_comment_moderate_act")


def held_unreachable(article) -> Comment:
    """A comment held because Akismet could not be reached, with its payload."""
    return make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        # Far in the future: only a forced recheck runs now.
        next_check_at=timezone.now() + timezone.timedelta(hours=1),
        akismet_payload={
            "blog": "http://testserver",
            "user_ip": "192.0.2.1",
            "user_agent": "Reader/1.0",
            "comment_type": "comment",
            "comment_author": "Ada",
            "comment_content": "Lovely harbour.",
            "is_test": "1",
        },
        akismet_payload_expires_at=timezone.now() + timezone.timedelta(days=15),
    )


def recheck(client, comment, *, seen=Status.HELD):
    return client.post(
        ACT,
        {
            "do": f"recheck:{comment.pk}",
            f"seen-{comment.pk}": seen,
            f"version-{comment.pk}": moderation.version(comment),
        },
        follow=True,
    )


def test_a_recheck_asks_akismet_now_and_applies_its_verdict(
    moderator_client, article, akismet_server
):
    comment = held_unreachable(article)
    akismet_server.mode = "ham"

    response = recheck(moderator_client, comment)

    [check] = akismet_server.checks()
    assert check.form["comment_content"] == "Lovely harbour."
    assert check.form["recheck_reason"] == "moderator"
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert ModerationEvent.objects.filter(
        comment=comment, kind="verdict", to_status=Status.APPROVED
    ).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "1 comment rechecked with Akismet: now approved."
    ]


def test_a_recheck_that_finds_spam_moves_it_to_spam(
    moderator_client, article, akismet_server
):
    comment = held_unreachable(article)
    akismet_server.mode = "spam"

    recheck(moderator_client, comment)

    assert Comment.objects.get(pk=comment.pk).status == Status.SPAM


def test_only_held_and_unchecked_comments_are_rechecked(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.APPROVED)

    response = recheck(moderator_client, comment, seen=Status.APPROVED)

    assert akismet_server.checks() == []
    [message] = [str(m) for m in response.context["messages"]]
    assert "only held and unchecked comments can be rechecked" in message


def test_the_recheck_button_is_offered_on_held_rows_only(moderator_client, article):
    held = make_comment(article=article, status=Status.HELD)
    approved = make_comment(article=article, status=Status.APPROVED)
    queue = reverse("admin:comments_comment_moderate")

    held_page = moderator_client.get(queue).content.decode()
    approved_page = moderator_client.get(queue, {"tab": "approved"}).content.decode()

    assert f'value="recheck:{held.pk}"' in held_page
    assert f'value="recheck:{approved.pk}"' not in approved_page
