"""A comment's history page: every ModerationEvent, who, when, from → to, why."""

import pytest
from django.urls import reverse

from comments import moderation
from comments.models import ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db


def history_url(comment) -> str:
    return reverse("admin:comments_comment_moderate_history", args=[comment.pk])


def test_it_lists_every_event_with_actor_reason_and_akismet_headers(client, article):
    moderator = make_moderator(username="mia")
    client.force_login(moderator)
    comment = make_comment(
        article=article,
        status=Status.APPROVED,
        akismet_verdict="ham",
        akismet_headers={"X-akismet-guid": "abc-123"},
    )
    ModerationEvent.objects.create(
        comment=comment, from_status="", to_status=Status.UNCHECKED, reason="Submitted"
    )
    ModerationEvent.objects.create(
        comment=comment,
        kind="failure",
        from_status=Status.UNCHECKED,
        to_status=Status.HELD,
        reason="Akismet timed out",
        details={"next_check_at": "2026-11-25T14:20:00+00:00", "attempt": 1},
    )
    ModerationEvent.objects.create(
        comment=comment,
        kind="verdict",
        from_status=Status.HELD,
        to_status=Status.HELD,
        reason="Akismet said spam",
        details={"headers": {"X-akismet-pro-tip": "discard"}},
    )
    ModerationEvent.objects.create(
        comment=comment,
        from_status=Status.HELD,
        to_status=Status.APPROVED,
        actor=moderator,
        reason="Approved by a moderator",
    )

    response = client.get(history_url(comment))

    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "Submitted",
        "Akismet timed out",
        "next check at",
        "2026-11-25T14:20:00+00:00",
        "X-akismet-pro-tip",
        "discard",
        "Approved by a moderator",
        "held → approved",
        "new → unchecked",
        "mia",
        "system",
        "X-akismet-guid",
        "abc-123",
    ]:
        assert text in page, text
    assert [e.event.reason for e in response.context["entries"]] == [
        "Submitted",
        "Akismet timed out",
        "Akismet said spam",
        "Approved by a moderator",
    ]


def test_a_queue_action_shows_up_in_the_history(client, article):
    client.force_login(make_moderator(username="omar"))
    comment = make_comment(article=article, status=Status.HELD)

    client.post(
        reverse("admin:comments_comment_moderate_act"),
        {
            "do": f"remove:{comment.pk}",
            f"seen-{comment.pk}": Status.HELD,
            f"version-{comment.pk}": moderation.version(comment),
        },
    )
    page = client.get(history_url(comment)).content.decode()

    assert "held → removed" in page
    assert "omar" in page
    assert "Removed by a moderator" in page


def test_each_queue_row_links_to_its_history(client, article):
    client.force_login(make_moderator())
    comment = make_comment(article=article, status=Status.HELD)

    page = client.get(reverse("admin:comments_comment_moderate")).content.decode()

    assert f'href="{history_url(comment)}"' in page


def test_an_unknown_comment_is_404(client):
    client.force_login(make_moderator())

    assert (
        client.get(
            reverse("admin:comments_comment_moderate_history", args=[999999])
        ).status_code
        == 404
    )
