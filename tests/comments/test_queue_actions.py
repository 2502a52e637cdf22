"""Row and bulk actions in the queue: POST forms that go through moderation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")


@pytest.fixture
def moderator(db):
    return make_moderator(username="mia")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def act(
    client,
    action: str,
    comment: Comment,
    *,
    seen: str | None = None,
    follow: bool = False,
    **extra,
):
    return client.post(
        ACT,
        {
            "do": f"{action}:{comment.pk}",
            f"seen-{comment.pk}": seen or comment.status,
            f"version-{comment.pk}": moderation.version(comment),
            "next": f"{QUEUE}?tab={comment.status}",
            **extra,
        },
        follow=follow,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [
        (Status.HELD, "approve", Status.APPROVED),
        (Status.HELD, "spam", Status.SPAM),
        (Status.HELD, "remove", Status.REMOVED),
        (Status.APPROVED, "spam", Status.SPAM),
        (Status.APPROVED, "remove", Status.REMOVED),
        (Status.SPAM, "ham", Status.APPROVED),
        (Status.SPAM, "remove", Status.REMOVED),
    ],
)
def test_each_action_changes_the_status_and_writes_one_event(
    moderator_client, moderator, article, start, action, end
):
    comment = make_comment(article=article, status=start)

    response = act(moderator_client, action, comment)

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?tab={start}"
    comment.refresh_from_db()
    assert comment.status == end
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.from_status, event.to_status, event.actor) == (start, end, moderator)


def test_restore_puts_a_removed_comment_back(moderator_client, moderator, article):
    comment = make_comment(
        article=article, status=Status.REMOVED, previous_status=Status.HELD
    )

    act(moderator_client, "restore", comment)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    event = ModerationEvent.objects.get(comment=comment)
    assert (event.from_status, event.to_status) == (Status.REMOVED, Status.HELD)


def test_a_success_is_confirmed(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    response = act(moderator_client, "approve", comment)
    followed = moderator_client.get(response["Location"])

    assert messages_of(followed) == ["1 comment approved."]


def test_bulk_actions_apply_to_the_selected_comments(moderator_client, article):
    chosen = [make_comment(article=article, status=Status.HELD) for _ in range(3)]
    other = make_comment(article=article, status=Status.HELD)

    response = moderator_client.post(
        ACT,
        {
            "do": "bulk",
            "bulk_action": "spam",
            "selected": [c.pk for c in chosen],
            **{f"seen-{c.pk}": Status.HELD for c in [*chosen, other]},
            **{f"version-{c.pk}": moderation.version(c) for c in [*chosen, other]},
        },
        follow=True,
    )

    assert set(Comment.objects.filter(status=Status.SPAM)) == set(chosen)
    assert Comment.objects.get(pk=other.pk).status == Status.HELD
    assert ModerationEvent.objects.count() == 3
    assert messages_of(response) == ["3 comments marked as spam."]


def test_a_bulk_action_without_a_choice_changes_nothing(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    response = moderator_client.post(
        ACT, {"do": "bulk", "bulk_action": "", "selected": [comment.pk]}, follow=True
    )

    assert messages_of(response) == ["Choose an action."]
    assert Comment.objects.get().status == Status.HELD


def test_a_bulk_action_without_a_selection_says_so(moderator_client):
    response = moderator_client.post(
        ACT, {"do": "bulk", "bulk_action": "approve"}, follow=True
    )

    assert messages_of(response) == ["Select at least one comment first."]


def test_a_transition_the_state_machine_refuses_is_explained(moderator_client, article):
    comment = make_comment(article=article, status=Status.SPAM, author_name="Sam")

    response = act(moderator_client, "spam", comment, follow=True)

    assert Comment.objects.get().status == Status.SPAM
    assert not ModerationEvent.objects.exists()
    assert messages_of(response) == [
        f"Comment #{comment.pk} by Sam is spam, so it cannot be marked as spam; "
        "nothing was changed."
    ]


def test_actions_only_accept_post(moderator_client):
    assert moderator_client.get(ACT).status_code == 405


def test_it_never_redirects_off_the_queue(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    response = act(moderator_client, "approve", comment, next="https://evil.example/")

    assert response["Location"] == QUEUE


def test_not_spam_on_a_comment_akismet_called_spam_tells_akismet(
    moderator_client, article, akismet_server, django_capture_on_commit_callbacks
):
    payload = {
        "blog": "http://testserver",
        "user_ip": "192.0.2.1",
        "user_agent": "Reader/1.0",
        "comment_type": "comment",
        "comment_author": "Ada",
        "comment_content": "Not spam at all.",
        "is_test": "1",
    }
    comment = make_comment(
        article=article,
        status=Status.SPAM,
        akismet_verdict="spam",
        akismet_payload=payload,
        akismet_payload_expires_at=timezone.now() + timedelta(days=15),
    )

    with django_capture_on_commit_callbacks(execute=True):
        act(moderator_client, "ham", comment)

    [sent] = [r for r in akismet_server.requests if r.path.endswith("/submit-ham")]
    assert sent.form["comment_content"] == "Not spam at all."
    assert sent.form["user_ip"] == "192.0.2.1"
    assert ModerationEvent.objects.filter(comment=comment, kind="submit_ham").exists()


def test_an_id_too_large_for_the_database_is_no_comment(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)
    huge = "9" * 25

    one = moderator_client.post(ACT, {"do": f"approve:{huge}"})
    bulk = moderator_client.post(
        ACT, {"do": "bulk", "bulk_action": "approve", "selected": [huge]}
    )

    assert (one.status_code, bulk.status_code) == (302, 302)
    assert Comment.objects.get(pk=comment.pk).status == Status.HELD


def test_a_comment_that_no_longer_exists_is_named(moderator_client, article):
    response = moderator_client.post(
        ACT,
        {"do": "bulk", "bulk_action": "approve", "selected": ["99999"]},
        follow=True,
    )

    assert "Comment #99999 no longer exists; nothing was changed." in (
        response.content.decode()
    )
