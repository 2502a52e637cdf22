"""
Every moderation path acts on the comment as the moderator was shown it (its
status and version), so a decision made on a stale page is refused instead of
overwriting a colleague's: the changelist's bulk actions, the queue, and the
queue's reply-with-approve. A filtered changelist says which selected
comments it no longer held.
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


def seen_fields(page: str) -> dict[str, str]:
    """
    What each changelist row posts, as the browser does: the status it was
    shown with and the comment's version then (`seen-<pk>`, `version-<pk>`).
    """
    form = re.search(r'<form id="changelist-form".*?</form>', page, re.DOTALL)
    assert form, "the changelist has no action form"
    return dict(
        re.findall(
            r'<input type="hidden" name="((?:seen|version)-\d+)" value="([^"]*)">',
            form[0],
        )
    )


def as_shown(comment: Comment) -> dict[str, str]:
    """The fields a page showing `comment` as it is now would post for it."""
    return {
        f"seen-{comment.pk}": comment.status,
        f"version-{comment.pk}": moderation.version(comment),
    }


def run_action(
    client, action: str, comments: list[Comment], seen: dict[str, str], *, url=""
):
    return client.post(
        url or CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments], **seen},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def enqueued_task_names() -> list[str]:
    return [result.task.name for result in default_task_backend.results]


def test_each_row_posts_its_status_and_version_inside_the_action_form(
    moderator_client, article
):
    held = make_comment(article=article, status=Status.HELD)
    spam = make_comment(article=article, status=Status.SPAM)

    page = moderator_client.get(CHANGELIST).content.decode()

    assert seen_fields(page) == {**as_shown(held), **as_shown(spam)}


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
    seen_by_alice = seen_fields(alice.get(CHANGELIST).content.decode())
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
    seen_by_alice = seen_fields(alice.get(CHANGELIST).content.decode())
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
    seen_by_alice = seen_fields(alice.get(CHANGELIST).content.decode())
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
        as_shown(shown),
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

    run_action(
        moderator_client,
        "approve_selected",
        [comment],
        {**as_shown(comment), f"seen-{comment.pk}": "nope"},
    )

    assert Comment.objects.get().status == Status.HELD


def test_a_queue_action_posted_without_the_seen_status_is_refused(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)

    response = moderator_client.post(ACT, {"do": f"approve:{comment.pk}"}, follow=True)

    assert Comment.objects.get().status == Status.HELD
    assert "nothing was changed" in " ".join(messages_of(response))


def reply_with_approve(client, comment, **shown):
    return client.post(
        reverse("admin:comments_comment_moderate_reply", args=[comment.pk]),
        {
            "body": "Thanks, corrected.",
            "timestamp": sign_timestamp(
                article_id=comment.article_id, at=time.time() - 10
            ),
            "approve": "1",
            **shown,
        },
    )


def test_a_reply_that_approves_a_comment_a_colleague_marked_spam_is_refused(
    article, akismet_server, dummy_tasks
):
    comment = make_comment(
        article=article, status=Status.HELD, akismet_verdict=AkismetVerdict.SPAM
    )
    alice = session_for(make_moderator(username="alice"))
    shown_to_alice = {"seen": comment.status, "version": moderation.version(comment)}
    moderation.mark_spam(comment, actor=make_moderator(username="bob"))

    response = reply_with_approve(alice, comment, **shown_to_alice)

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


def test_a_stale_action_on_a_filtered_changelist_reports_the_comment_it_left_out(
    article, dummy_tasks
):
    comment = make_comment(article=article, status=Status.SPAM, author_name="Ada")
    spam_list = f"{CHANGELIST}?status__exact={Status.SPAM}"
    alice = session_for(make_moderator(username="alice"))
    seen_by_alice = seen_fields(alice.get(spam_list).content.decode())
    # Bob approves it: Alice's filtered list no longer holds it when she acts.
    moderation.mark_ham(comment, actor=make_moderator(username="bob"))

    response = run_action(
        alice, "remove_selected", [comment], seen_by_alice, url=spam_list
    )

    assert Comment.objects.get().status == Status.APPROVED
    assert not ModerationEvent.objects.filter(actor__username="alice").exists()
    [warning] = [t for t in messages_of(response) if f"#{comment.pk} by Ada" in t]
    assert "already moved by someone else" in warning
    assert "now approved" in warning
    assert "nothing was changed" in warning


def test_a_filtered_changelist_acts_on_what_it_holds_and_reports_the_rest(
    article, dummy_tasks
):
    moved = make_comment(article=article, status=Status.SPAM)
    still = make_comment(article=article, status=Status.SPAM)
    gone = make_comment(article=article, status=Status.SPAM)
    spam_list = f"{CHANGELIST}?status__exact={Status.SPAM}"
    alice = session_for(make_moderator())
    seen_by_alice = seen_fields(alice.get(spam_list).content.decode())
    moderation.mark_ham(moved, actor=make_moderator())
    gone_pk = gone.pk
    gone.delete()

    response = alice.post(
        spam_list,
        {
            "action": "ham_selected",
            "_selected_action": [moved.pk, still.pk, gone_pk],
            **seen_by_alice,
        },
        follow=True,
    )

    assert Comment.objects.get(pk=still.pk).status == Status.APPROVED
    texts = messages_of(response)
    assert "1 comment(s) marked as not spam." in texts
    assert any(
        f"#{moved.pk} " in t and "already moved by someone else" in t for t in texts
    )
    assert any(
        f"#{gone_pk} " in t and "no longer exists" in t and "nothing was changed" in t
        for t in texts
    )


def test_an_action_posted_to_a_list_that_never_held_the_comment_says_so(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)
    seen = seen_fields(moderator_client.get(CHANGELIST).content.decode())

    response = run_action(
        moderator_client,
        "remove_selected",
        [comment],
        seen,
        url=f"{CHANGELIST}?status__exact={Status.SPAM}",
    )

    assert Comment.objects.get().status == Status.HELD
    [warning] = [t for t in messages_of(response) if f"#{comment.pk} " in t]
    assert "not in the list you acted on" in warning
    assert "nothing was changed" in warning
