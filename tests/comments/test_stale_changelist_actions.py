"""
Every moderation path acts on the status the moderator was shown, so a
decision made on a stale page is refused instead of overwriting a colleague's:
the changelist's bulk actions, the queue, and the queue's reply-with-approve.
"""

import re
import time

import pytest
from django.tasks import default_task_backend
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.forms import sign_timestamp
from comments.models import AkismetVerdict, Comment, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
ACT = reverse("admin:comments_comment_moderate_act")


@pytest.fixture
def dummy_tasks(settings):
    """Enqueued tasks are kept, not run, so a test can see what was asked for."""
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }


def session_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def seen_statuses(page: str) -> dict[int, str]:
    """The status each changelist row was shown with, as the browser posts it."""
    form = re.search(r'<form id="changelist-form".*?</form>', page, re.DOTALL)
    assert form, "the changelist has no action form"
    return {
        int(pk): status
        for pk, status in re.findall(
            r'<input type="hidden" name="seen-(\d+)" value="(\w+)">', form[0]
        )
    }


def run_action(client, action: str, comments: list[Comment], seen: dict[int, str]):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [c.pk for c in comments],
            **{f"seen-{pk}": status for pk, status in seen.items()},
        },
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def enqueued_task_names() -> list[str]:
    return [result.task.name for result in default_task_backend.results]


def test_each_row_posts_the_status_it_was_shown_with_inside_the_action_form(
    moderator_client, article
):
    held = make_comment(article=article, status=Status.HELD)
    spam = make_comment(article=article, status=Status.SPAM)

    page = moderator_client.get(CHANGELIST).content.decode()

    assert seen_statuses(page) == {held.pk: Status.HELD, spam.pk: Status.SPAM}


def test_a_stale_approve_leaves_a_colleagues_spam_decision_and_reports_no_ham(
    article, dummy_tasks, django_capture_on_commit_callbacks
):
    comment = make_comment(
        article=article,
        status=Status.HELD,
        author_name="Ada",
        akismet_verdict=AkismetVerdict.SPAM,
    )
    alice = session_for(make_moderator(username="alice"))
    seen_by_alice = seen_statuses(alice.get(CHANGELIST).content.decode())
    # Bob marks it spam while Alice's page still shows it held.
    moderation.mark_spam(comment, actor=make_moderator(username="bob"))

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(alice, "approve_selected", [comment], seen_by_alice)

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert list(
        ModerationEvent.objects.values_list("actor__username", "to_status")
    ) == [("bob", Status.SPAM)]
    assert "report_moderator_verdict" not in enqueued_task_names()
    [warning] = [t for t in messages_of(response) if f"#{comment.pk} by Ada" in t]
    assert "already moved by someone else" in warning
    assert "now spam" in warning
    assert "nothing was changed" in warning


def test_a_stale_bulk_action_refuses_only_the_moved_comment(article, dummy_tasks):
    moved = make_comment(article=article, status=Status.HELD)
    still = make_comment(article=article, status=Status.HELD)
    alice = session_for(make_moderator())
    seen_by_alice = seen_statuses(alice.get(CHANGELIST).content.decode())
    moderation.remove(moved, actor=make_moderator())

    response = run_action(alice, "spam_selected", [moved, still], seen_by_alice)

    assert Comment.objects.get(pk=moved.pk).status == Status.REMOVED
    assert Comment.objects.get(pk=still.pk).status == Status.SPAM
    texts = messages_of(response)
    assert "1 comment(s) marked as spam." in texts
    [warning] = [t for t in texts if "already moved by someone else" in t]
    assert f"#{moved.pk} " in warning


def test_a_colleague_moving_it_back_to_a_status_the_action_accepts_is_still_refused(
    article, dummy_tasks
):
    comment = make_comment(article=article, status=Status.SPAM)
    alice = session_for(make_moderator())
    seen_by_alice = seen_statuses(alice.get(CHANGELIST).content.decode())
    # Bob approves it: "Not spam" from Alice's stale page must not act on it.
    moderation.mark_ham(comment, actor=make_moderator())

    response = run_action(alice, "remove_selected", [comment], seen_by_alice)

    assert Comment.objects.get().status == Status.APPROVED
    assert "already moved by someone else" in " ".join(messages_of(response))


def test_a_row_posted_without_its_seen_status_is_refused_not_applied(
    moderator_client, article
):
    shown = make_comment(article=article, status=Status.HELD)
    unshown = make_comment(article=article, status=Status.HELD)

    response = run_action(
        moderator_client,
        "approve_selected",
        [shown, unshown],
        {shown.pk: Status.HELD},
    )

    assert Comment.objects.get(pk=shown.pk).status == Status.APPROVED
    assert Comment.objects.get(pk=unshown.pk).status == Status.HELD
    assert not ModerationEvent.objects.filter(comment=unshown).exists()
    assert any(
        f"#{unshown.pk} " in t and "nothing was changed" in t
        for t in messages_of(response)
    )


def test_a_forged_seen_status_is_refused_not_applied(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    run_action(moderator_client, "approve_selected", [comment], {comment.pk: "nope"})

    assert Comment.objects.get().status == Status.HELD


def test_a_queue_action_posted_without_the_seen_status_is_refused(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)

    response = moderator_client.post(ACT, {"do": f"approve:{comment.pk}"}, follow=True)

    assert Comment.objects.get().status == Status.HELD
    assert "nothing was changed" in " ".join(messages_of(response))


def reply_with_approve(client, comment, **seen):
    return client.post(
        reverse("admin:comments_comment_moderate_reply", args=[comment.pk]),
        {
            "body": "Thanks, corrected.",
            "timestamp": sign_timestamp(
                article_id=comment.article_id, at=time.time() - 10
            ),
            "approve": "1",
            **seen,
        },
    )


def test_a_reply_that_approves_a_comment_a_colleague_marked_spam_is_refused(
    article, akismet_server, dummy_tasks
):
    comment = make_comment(
        article=article, status=Status.HELD, akismet_verdict=AkismetVerdict.SPAM
    )
    alice = session_for(make_moderator(username="alice"))
    moderation.mark_spam(comment, actor=make_moderator(username="bob"))

    response = reply_with_approve(alice, comment, seen=Status.HELD)

    assert Comment.objects.get(pk=comment.pk).status == Status.SPAM
    assert "already moved by someone else" in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()
    assert "report_moderator_verdict" not in enqueued_task_names()


def test_a_reply_with_approve_posted_without_the_seen_status_is_refused(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.HELD)

    response = reply_with_approve(moderator_client, comment)

    assert Comment.objects.get(pk=comment.pk).status == Status.HELD
    assert "nothing was changed" in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()
