"""
A comment saved as unchecked is never lost: its check is scheduled when it is
saved, moderators see it once it is overdue, an error after saving still
answers the reader, and a comment with nothing to send Akismet waits for a
moderator instead of being called too old to check.
"""

import logging
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from comments import admin_views, cookies, moderation, notifications
from comments.models import AkismetVerdict, Comment, HoldReason, Status
from comments.selectors import moderator as selectors
from comments.services import checking, submit
from comments.views import AWAITING
from newsarchive.demo import load_demo_content, read_demo_content
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")


def unchecked(article, *, minutes_old: float, **fields) -> Comment:
    created = timezone.now() - timedelta(minutes=minutes_old)
    fields.setdefault("next_check_at", created + checking.FIRST_CHECK_GRACE)
    return make_comment(
        article=article, status=Status.UNCHECKED, created=created, **fields
    )


def _make_due(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )


# Scheduled when saved -----------------------------------------------------------


def test_it_schedules_the_check_when_the_comment_is_saved(
    akismet_server, article, post_comment, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    [scheduled] = [
        r for r in default_task_backend.results if r.task.name == "recheck_comment"
    ]
    assert scheduled.args == [comment.pk]
    assert scheduled.task.run_after == comment.created + checking.FIRST_CHECK_GRACE


# Seen by moderators -------------------------------------------------------------


def test_it_lists_unchecked_comments_older_than_a_minute_in_the_held_tab(
    moderator_client, article
):
    overdue = unchecked(article, minutes_old=2)
    unchecked(article, minutes_old=0.1)
    held = make_comment(article=article, status=Status.HELD)

    response = moderator_client.get(QUEUE)

    assert {row.comment for row in response.context["rows"]} == {overdue, held}
    counts = {t["name"]: t["count"] for t in response.context["tabs"]}
    assert counts["held"] == 2


def test_it_says_in_words_that_the_comment_is_not_checked_yet(
    moderator_client, article
):
    overdue = unchecked(article, minutes_old=5)

    [row] = moderator_client.get(QUEUE).context["rows"]

    assert row.comment == overdue
    [reason] = row.reasons
    assert reason.startswith("Not checked yet — its check due at ")
    assert reason.endswith(" has not run yet")


def test_a_moderator_can_approve_an_unchecked_comment_from_the_held_tab(
    moderator_client, article
):
    overdue = unchecked(article, minutes_old=5)
    page = moderator_client.get(QUEUE).content.decode()
    assert f'value="approve:{overdue.pk}"' in page
    assert f'value="spam:{overdue.pk}"' in page

    moderator_client.post(
        ACT,
        {
            "do": f"approve:{overdue.pk}",
            f"seen-{overdue.pk}": Status.UNCHECKED,
            f"version-{overdue.pk}": moderation.version(overdue),
        },
    )

    overdue.refresh_from_db()
    assert overdue.status == Status.APPROVED


def test_the_queue_recheck_asks_akismet_now_about_an_overdue_unchecked_comment(
    moderator_client, article, akismet_server
):
    overdue = unchecked(
        article,
        minutes_old=5,
        akismet_payload={"user_ip": "192.0.2.1", "comment_content": "Hello"},
    )

    moderator_client.post(
        ACT,
        {
            "do": f"recheck:{overdue.pk}",
            f"seen-{overdue.pk}": Status.UNCHECKED,
            f"version-{overdue.pk}": moderation.version(overdue),
        },
    )

    overdue.refresh_from_db()
    assert overdue.status == Status.APPROVED
    assert len(akismet_server.checks()) == 1


def test_the_moderators_digest_counts_and_lists_overdue_unchecked_comments(article):
    overdue = unchecked(article, minutes_old=3)
    unchecked(article, minutes_old=0.1)

    assert selectors.attention_counts()["held"] == 1
    held, _ = selectors.digest_comments(limit=10)
    assert held == [overdue]


# An error after saving ----------------------------------------------------------


def test_an_error_after_saving_answers_awaiting_moderation_and_checks_it_later(
    akismet_server, article, post_comment, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("apply_verdict broke")

    monkeypatch.setattr(submit, "apply_verdict", broken)

    with caplog.at_level(logging.ERROR, logger="comments.services.submit"):
        response = post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.UNCHECKED
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [AWAITING]
    assert cookies.PENDING_COOKIE in response.cookies
    assert any(r.exc_info and comment.pk in r.args for r in caplog.records)

    monkeypatch.undo()
    _make_due(comment)
    checking.sweep_due_comments()
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_an_error_in_the_notifications_still_answers_the_reader(
    akismet_server, article, post_comment, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(notifications, "request_reply_notifications", broken)

    response = post_comment(article, notify_replies="on")

    assert response.status_code == 302
    assert Comment.objects.get().status == Status.APPROVED


# Nothing stored to send ---------------------------------------------------------


def test_a_comment_without_a_stored_payload_is_left_for_a_moderator(
    akismet_server, article, moderator_client
):
    imported = unchecked(article, minutes_old=30, akismet_payload=None)
    _make_due(imported)

    checking.sweep_due_comments()

    imported.refresh_from_db()
    assert akismet_server.checks() == []
    assert imported.next_check_at is None
    assert imported.hold_reason != HoldReason.COULD_NOT_CHECK
    [row] = moderator_client.get(QUEUE).context["rows"]
    words = " ".join(row.reasons)
    assert "no stored Akismet payload" in words
    assert "check window" not in words
    assert "15 days" not in words


def test_a_held_comment_without_a_stored_payload_is_not_called_expired(
    akismet_server, article
):
    held = make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        akismet_payload=None,
        next_check_at=timezone.now() - timedelta(seconds=1),
    )

    checking.sweep_due_comments()

    held.refresh_from_db()
    assert akismet_server.checks() == []
    assert held.next_check_at is None
    assert held.hold_reason == HoldReason.AKISMET_UNREACHABLE
    assert "no stored Akismet payload" in " ".join(admin_views.why_here(held))


def test_an_expired_payload_is_still_reported_as_past_the_check_window(
    akismet_server, article
):
    old = unchecked(
        article,
        minutes_old=16 * 24 * 60,
        akismet_payload=None,
        akismet_payload_expires_at=timezone.now() - timedelta(days=1),
    )
    _make_due(old)

    checking.sweep_due_comments()

    old.refresh_from_db()
    assert old.status == Status.HELD
    assert old.hold_reason == HoldReason.COULD_NOT_CHECK


def test_the_demo_comments_store_only_akismet_verdicts_and_none_is_called_expired(
    akismet_server,
):
    load_demo_content(content=read_demo_content(), now=timezone.now(), moderator=None)
    verdicts = set(Comment.objects.values_list("akismet_verdict", flat=True))
    assert verdicts
    assert verdicts <= set(AkismetVerdict.values)

    Comment.objects.filter(next_check_at__isnull=False).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )
    checking.sweep_due_comments()

    assert akismet_server.checks() == []
    assert not Comment.objects.filter(hold_detail__icontains="window").exists()
