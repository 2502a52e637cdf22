"""
A page's decision counts only for the comment as that page showed it. Its
status alone is not enough: a colleague can move a comment away and back
again (spam → approved → spam), and a decision from a page loaded before
that would overturn theirs. Every row therefore posts the comment's version,
which changes with every write, and the state machine matches on it too.
"""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.forms import sign_timestamp
from comments.models import Comment, CommentReport, ModerationEvent, Status
from comments.services.checking import comment_recheck
from comments.services.reporting import report_comment
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")
CHANGELIST = reverse("admin:comments_comment_changelist")


def session_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row_fields(page: str, comment: Comment) -> dict[str, str]:
    """The hidden fields a page posts for the comment's row, as a browser would."""
    fields = dict(
        re.findall(
            rf'<input type="hidden" name="((?:seen|version)-{comment.pk})" '
            r'value="([^"]*)">',
            page,
        )
    )
    assert set(fields) == {f"seen-{comment.pk}", f"version-{comment.pk}"}, (
        "the page does not post the row's status and version"
    )
    return fields


def queue_fields(client: Client, comment: Comment, *, tab: str) -> dict[str, str]:
    return row_fields(client.get(QUEUE, {"tab": tab}).content.decode(), comment)


def changelist_fields(client: Client, comment: Comment, **filters) -> dict[str, str]:
    return row_fields(client.get(CHANGELIST, filters).content.decode(), comment)


def queue_act(client: Client, action: str, comment: Comment, fields: dict):
    return client.post(ACT, {"do": f"{action}:{comment.pk}", **fields}, follow=True)


def changelist_act(client: Client, action: str, comment: Comment, fields: dict):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [comment.pk], **fields},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def reports_sent(akismet_server, kind: str) -> int:
    return sum(r.path.endswith(f"/submit-{kind}") for r in akismet_server.requests)


@pytest.fixture
def spam_comment(akismet_server, article, post_comment):
    """A comment Akismet called spam, waiting in the Spam tab."""
    akismet_server.mode = "spam"
    post_comment(article, author_name="Ada")
    akismet_server.mode = "ham"
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    return comment


def test_each_queue_row_posts_its_status_and_version(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    fields = queue_fields(moderator_client, comment, tab=Status.HELD)

    assert fields == {
        f"seen-{comment.pk}": Status.HELD,
        f"version-{comment.pk}": moderation.version(comment),
    }


def test_each_changelist_row_posts_its_status_and_version(moderator_client, article):
    comment = make_comment(article=article, status=Status.HELD)

    fields = changelist_fields(moderator_client, comment)

    assert fields == {
        f"seen-{comment.pk}": Status.HELD,
        f"version-{comment.pk}": moderation.version(comment),
    }


def test_the_version_changes_with_every_moderation_write(article):
    comment = make_comment(article=article, status=Status.SPAM)
    versions = [moderation.version(comment)]

    moderation.mark_ham(comment)
    versions.append(moderation.version(comment))
    moderation.mark_spam(comment)
    versions.append(moderation.version(comment))

    assert len(set(versions)) == 3
    assert moderation.version(Comment.objects.get()) == versions[-1]


def test_the_version_changes_even_when_the_clock_stands_still(article, monkeypatch):
    comment = make_comment(article=article, status=Status.SPAM)
    stopped = comment.updated
    monkeypatch.setattr(moderation.timezone, "now", lambda: stopped)
    seen = moderation.version(comment)

    moderation.mark_ham(comment)
    moderation.mark_spam(comment)

    assert moderation.version(Comment.objects.get()) != seen


def test_the_state_machine_refuses_a_version_that_is_no_longer_current(article):
    comment = make_comment(article=article, status=Status.SPAM)
    seen = moderation.read_version(moderation.version(comment))
    moderation.mark_ham(comment)
    moderation.mark_spam(comment)
    stale = Comment.objects.get()
    assert stale.status == Status.SPAM

    with pytest.raises(moderation.ConcurrentModification):
        moderation.mark_ham(stale, seen_version=seen)

    assert Comment.objects.get().status == Status.SPAM


def test_a_stale_not_spam_in_the_queue_cannot_overturn_a_colleagues_spam_again(
    spam_comment, akismet_server, django_capture_on_commit_callbacks
):
    alice = session_for(make_moderator(username="alice"))
    bob = session_for(make_moderator(username="bob"))
    seen_by_bob = queue_fields(bob, spam_comment, tab=Status.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        queue_act(
            alice,
            "ham",
            spam_comment,
            queue_fields(alice, spam_comment, tab=Status.SPAM),
        )
    with django_capture_on_commit_callbacks(execute=True):
        queue_act(
            alice,
            "spam",
            spam_comment,
            queue_fields(alice, spam_comment, tab=Status.APPROVED),
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = queue_act(bob, "ham", spam_comment, seen_by_bob)

    assert Comment.objects.get().status == Status.SPAM
    decisions = ModerationEvent.objects.filter(actor__isnull=False)
    assert list(decisions.values_list("actor__username", "to_status")) == [
        ("alice", Status.APPROVED),
        ("alice", Status.SPAM),
    ]
    assert reports_sent(akismet_server, "ham") == 1
    [warning] = messages_of(response)
    assert f"#{spam_comment.pk} by Ada" in warning
    assert "already moved by someone else" in warning
    assert "nothing was changed" in warning


def test_a_stale_not_spam_on_the_changelist_cannot_overturn_a_colleagues_spam_again(
    spam_comment, akismet_server, django_capture_on_commit_callbacks
):
    alice = session_for(make_moderator(username="alice"))
    bob = session_for(make_moderator(username="bob"))
    seen_by_bob = changelist_fields(bob, spam_comment)
    with django_capture_on_commit_callbacks(execute=True):
        changelist_act(
            alice, "ham_selected", spam_comment, changelist_fields(alice, spam_comment)
        )
        changelist_act(
            alice, "spam_selected", spam_comment, changelist_fields(alice, spam_comment)
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = changelist_act(bob, "ham_selected", spam_comment, seen_by_bob)

    assert Comment.objects.get().status == Status.SPAM
    assert not ModerationEvent.objects.filter(actor__username="bob").exists()
    assert reports_sent(akismet_server, "ham") == 1
    [warning] = [t for t in messages_of(response) if f"#{spam_comment.pk} " in t]
    assert "already moved by someone else" in warning
    assert "nothing was changed" in warning


def reply_page_fields(client: Client, comment: Comment) -> dict[str, str]:
    url = reverse("admin:comments_comment_moderate_reply", args=[comment.pk])
    page = client.get(url).content.decode()
    fields = dict(
        re.findall(r'<input type="hidden" name="(seen|version)" value="([^"]*)">', page)
    )
    assert set(fields) == {"seen", "version"}, "the reply page posts no version"
    return fields


def reply_with_approve(client: Client, comment: Comment, fields: dict):
    return client.post(
        reverse("admin:comments_comment_moderate_reply", args=[comment.pk]),
        {
            "body": "Thanks, corrected.",
            "timestamp": sign_timestamp(
                article_id=comment.article_id, at=time.time() - 10
            ),
            "approve": "1",
            **fields,
        },
    )


def test_a_stale_reply_with_approve_cannot_overturn_a_colleagues_spam_again(
    spam_comment, akismet_server, django_capture_on_commit_callbacks
):
    alice = make_moderator(username="alice")
    bob = session_for(make_moderator(username="bob"))
    seen_by_bob = reply_page_fields(bob, spam_comment)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_ham(spam_comment, actor=alice)
        moderation.mark_spam(spam_comment, actor=alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = reply_with_approve(bob, spam_comment, seen_by_bob)

    assert Comment.objects.get(pk=spam_comment.pk).status == Status.SPAM
    assert not Comment.objects.filter(parent=spam_comment).exists()
    assert reports_sent(akismet_server, "ham") == 1
    assert "already moved by someone else" in response.content.decode()


def test_a_reply_page_s_own_version_approves_as_before(
    moderator_client, spam_comment, akismet_server
):
    response = reply_with_approve(
        moderator_client,
        spam_comment,
        reply_page_fields(moderator_client, spam_comment),
    )

    assert response.status_code == 302
    assert Comment.objects.get(pk=spam_comment.pk).status == Status.APPROVED
    assert Comment.objects.get(parent=spam_comment).status == Status.APPROVED


def test_a_queue_row_posting_its_status_without_a_version_is_refused(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)

    response = queue_act(
        moderator_client, "approve", comment, {f"seen-{comment.pk}": Status.HELD}
    )

    assert Comment.objects.get().status == Status.HELD
    assert not ModerationEvent.objects.exists()
    assert "nothing was changed" in " ".join(messages_of(response))


@pytest.mark.parametrize("version", ["", "yesterday", "-1", "9" * 40])
def test_a_queue_row_posting_a_version_that_is_not_one_is_refused(
    moderator_client, article, version
):
    comment = make_comment(article=article, status=Status.HELD)

    response = queue_act(
        moderator_client,
        "approve",
        comment,
        {f"seen-{comment.pk}": Status.HELD, f"version-{comment.pk}": version},
    )

    assert Comment.objects.get().status == Status.HELD
    assert "nothing was changed" in " ".join(messages_of(response))


def test_a_changelist_row_posting_its_status_without_a_version_is_refused(
    moderator_client, article
):
    comment = make_comment(article=article, status=Status.HELD)

    response = changelist_act(
        moderator_client,
        "approve_selected",
        comment,
        {f"seen-{comment.pk}": Status.HELD},
    )

    assert Comment.objects.get().status == Status.HELD
    assert not ModerationEvent.objects.exists()
    assert "nothing was changed" in " ".join(messages_of(response))


def test_a_reply_with_approve_posting_a_status_without_a_version_is_refused(
    moderator_client, article, akismet_server
):
    comment = make_comment(article=article, status=Status.HELD)

    response = reply_with_approve(moderator_client, comment, {"seen": Status.HELD})

    assert Comment.objects.get(pk=comment.pk).status == Status.HELD
    assert not Comment.objects.filter(parent=comment).exists()
    assert "nothing was changed" in response.content.decode()


def test_a_stale_dismiss_is_refused_when_a_new_report_came_in_since(
    moderator_client, article, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 0
    comment = make_comment(article=article, status=Status.APPROVED)
    report_comment(comment=comment, reason=CommentReport.Reason.SPAM, ip="192.0.2.1")
    fields = queue_fields(moderator_client, comment, tab="reported")
    report_comment(
        comment=comment, reason=CommentReport.Reason.ABUSIVE, ip="198.51.100.7"
    )

    response = queue_act(moderator_client, "dismiss", comment, fields)

    assert CommentReport.objects.open().count() == 2
    assert "already moved by someone else" in " ".join(messages_of(response))


def test_a_moderator_s_recheck_claims_the_comment_only_as_they_saw_it(
    akismet_server, article
):
    comment = make_comment(article=article, status=Status.HELD)
    seen = moderation.read_version(moderation.version(comment))
    moderation.record(
        comment, kind=ModerationEvent.Kind.NOTE, reason="Colleague's note"
    )

    result = comment_recheck(
        comment_id=comment.pk, reason="moderator", force=True, seen_version=seen
    )

    assert result is None
    assert akismet_server.checks() == []
    assert Comment.objects.get(pk=comment.pk).status == Status.HELD
