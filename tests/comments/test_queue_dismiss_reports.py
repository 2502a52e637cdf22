"""Dismissing readers' reports from the queue."""

import pytest
from django.urls import reverse

from comments import moderation
from comments.models import CommentReport, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")


def test_dismissing_clears_the_reports_and_the_reported_tab(client, article):
    moderator = make_moderator()
    client.force_login(moderator)
    comment = make_comment(article=article, status=Status.APPROVED)
    for key in ["a", "b"]:
        CommentReport.objects.create(comment=comment, reason="spam", reporter_key=key)
    page = client.get(QUEUE, {"tab": "reported"}).content.decode()
    assert f'value="dismiss:{comment.pk}"' in page

    response = client.post(
        ACT,
        {
            "do": f"dismiss:{comment.pk}",
            f"seen-{comment.pk}": Status.APPROVED,
            f"version-{comment.pk}": moderation.version(comment),
        },
        follow=True,
    )

    assert not CommentReport.objects.filter(dismissed_at__isnull=True).exists()
    assert set(CommentReport.objects.values_list("dismissed_by", flat=True)) == {
        moderator.pk
    }
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert ModerationEvent.objects.filter(comment=comment, actor=moderator).exists()
    assert [str(m) for m in response.context["messages"]] == [
        "1 comment cleared of 2 reports."
    ]
    assert client.get(QUEUE, {"tab": "reported"}).context["rows"] == []


def test_rows_without_open_reports_offer_no_dismiss_button(client, article):
    client.force_login(make_moderator())
    comment = make_comment(article=article, status=Status.HELD)

    page = client.get(QUEUE).content.decode()

    assert f'value="dismiss:{comment.pk}"' not in page


def test_a_report_arriving_during_the_dismiss_is_told_not_a_500(
    client, article, monkeypatch
):
    client.force_login(make_moderator())
    comment = make_comment(article=article, status=Status.APPROVED)
    CommentReport.objects.create(comment=comment, reason="spam", reporter_key="a")
    real_dismiss = moderation.dismiss_reports

    def a_reader_reports_first(**kwargs):
        moderation.record(
            kwargs["comment"], kind=ModerationEvent.Kind.REPORT, reason="New report"
        )
        return real_dismiss(**kwargs)

    monkeypatch.setattr(moderation, "dismiss_reports", a_reader_reports_first)

    response = client.post(
        ACT,
        {
            "do": f"dismiss:{comment.pk}",
            f"seen-{comment.pk}": Status.APPROVED,
            f"version-{comment.pk}": moderation.version(comment),
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "already moved by someone else" in response.content.decode()
    assert CommentReport.objects.filter(dismissed_at__isnull=True).count() == 1
