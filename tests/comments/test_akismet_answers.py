"""
Akismet's answers taken as Akismet means them: blatant spam nobody needs to
review, a provisional ham to recheck, alerts for the site owner, and what
happens while no key is set.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import checks, moderation
from comments.models import Comment, HoldReason, ModerationEvent, Status
from comments.services import checking, retention
from tests import akismet_server as protocol
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")
ACT = reverse("admin:comments_comment_moderate_act")
CHANGELIST = reverse("admin:comments_comment_changelist")
NO_KEY_WORDS = "comments are not checked for spam and are held for moderation"


def answer_with(monkeypatch, body: str, headers: dict[str, str]) -> None:
    """The local server answers every comment-check with `body` and `headers`."""

    def comment_check(handler, mode):
        handler._answer(body, {"X-akismet-guid": "g-1", **headers})

    monkeypatch.setattr(protocol._Handler, "_comment_check", comment_check)


def _make_due(comment: Comment) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        next_check_at=timezone.now() - timedelta(seconds=1)
    )


def _tab(client, tab: str):
    response = client.get(QUEUE, {"tab": tab})
    counts = {t["name"]: t["count"] for t in response.context["tabs"]}
    return response, [row.comment for row in response.context["rows"]], counts[tab]


# Blatant spam -------------------------------------------------------------------


def test_it_keeps_discarded_spam_out_of_the_spam_tab_and_counts_it(
    akismet_server, article, post_comment, moderator_client
):
    akismet_server.mode = "discard"
    # A reader's comment: the moderator's own is never discarded.
    post_comment(article, client=Client())
    make_comment(article=article, status=Status.SPAM, body="Ordinary spam")

    response, rows, count = _tab(moderator_client, "spam")

    assert Comment.objects.get(discarded=True).status == Status.SPAM
    assert [c.body for c in rows] == ["Ordinary spam"]
    assert count == 1
    assert "1 discarded in the last 24 h" in response.content.decode()


def test_with_discard_off_blatant_spam_is_reviewed_in_the_spam_tab(
    akismet_server, article, post_comment, moderator_client, settings
):
    settings.COMMENTS_AKISMET_DISCARD = False
    akismet_server.mode = "discard"
    post_comment(article, client=Client())

    response, rows, count = _tab(moderator_client, "spam")

    assert rows == [Comment.objects.get()]
    assert count == 1
    assert "discarded in the last 24 h" not in response.content.decode()


def test_it_purges_discarded_spam_after_a_day(article):
    old, recent = (
        make_comment(article=article, status=Status.SPAM, discarded=True)
        for _ in range(2)
    )
    reviewable = make_comment(article=article, status=Status.SPAM)
    Comment.objects.filter(pk__in=[old.pk, reviewable.pk]).update(
        updated=timezone.now() - retention.DISCARD_KEEP - timedelta(minutes=5)
    )

    out = StringIO()
    call_command("purge_comments", stdout=out)

    assert "Deleted 1 discarded spam comment(s) older than 1 day." in out.getvalue()
    assert set(Comment.objects.values_list("pk", flat=True)) == {
        recent.pk,
        reviewable.pk,
    }
    assert retention.purge_comments().discarded_deleted == 0


# Provisional answers ------------------------------------------------------------


def test_recheck_after_on_a_spam_answer_leaves_it_spam(
    akismet_server, article, post_comment, monkeypatch
):
    answer_with(monkeypatch, "true", {"X-akismet-recheck-after": "120"})

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.AKISMET_SPAM
    assert comment.next_check_at is None


def test_a_provisional_ham_is_decided_by_its_recheck_even_if_asked_again(
    akismet_server, article, post_comment, monkeypatch
):
    akismet_server.mode = "recheck"
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.hold_reason == HoldReason.AKISMET_PROVISIONAL

    _make_due(comment)
    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.next_check_at is None
    assert len(akismet_server.checks()) == 2


# Alerts for the site owner ------------------------------------------------------


def test_the_queue_shows_akismets_alert_with_when_it_was_last_seen(
    akismet_server, article, post_comment, moderator_client
):
    akismet_server.mode = "alert"
    post_comment(article)

    page = moderator_client.get(QUEUE).content.decode()

    assert "Akismet alert 10003: Your subscription has lapsed." in page
    assert "last seen" in page
    assert "akismet.com" in page


def test_an_alert_is_gone_once_akismet_answers_without_it(
    akismet_server, article, post_comment, moderator_client
):
    akismet_server.mode = "alert"
    post_comment(article)
    Comment.objects.update(checked_at=timezone.now() - timedelta(minutes=10))
    akismet_server.mode = "ham"
    post_comment(article, body="A later comment, answered without an alert.")

    queue = moderator_client.get(QUEUE).content.decode()
    changelist = moderator_client.get(CHANGELIST).content.decode()

    assert "Akismet alert" not in queue
    assert "Akismet alert" not in changelist


# Without a key ------------------------------------------------------------------


def test_the_queue_says_comments_are_not_checked_without_a_key(
    moderator_client, settings
):
    settings.AKISMET_API_KEY = ""

    assert NO_KEY_WORDS in moderator_client.get(QUEUE).content.decode()
    assert NO_KEY_WORDS in moderator_client.get(CHANGELIST).content.decode()


def test_with_a_key_the_queue_has_no_such_banner(moderator_client, settings):
    settings.AKISMET_API_KEY = "abc"

    assert NO_KEY_WORDS not in moderator_client.get(QUEUE).content.decode()


def test_without_a_key_a_comment_is_held_once_and_not_retried(
    article, post_comment, settings
):
    settings.AKISMET_API_KEY = ""

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.NO_KEY
    assert comment.next_check_at is None
    assert not comment.events.filter(kind=ModerationEvent.Kind.RETRY).exists()
    assert not Comment.objects.due_for_check().exists()


def test_once_a_key_is_set_the_command_rechecks_comments_held_for_no_key(
    akismet_server, article, post_comment, settings
):
    settings.AKISMET_API_KEY = ""
    post_comment(article)
    other = make_comment(
        article=article, status=Status.HELD, hold_reason=HoldReason.FIRST_TIME
    )
    settings.AKISMET_API_KEY = "test-key-123"

    out = StringIO()
    call_command("recheck_comments", "--all-no-key", stdout=out)

    assert Comment.objects.get(hold_reason="", status=Status.APPROVED)
    assert Comment.objects.get(pk=other.pk).status == Status.HELD
    assert akismet_server.checks()[0].form["recheck_reason"] == "key_configured"
    assert "Rechecked 1 comment(s): 1 approved" in out.getvalue()


def test_the_command_refuses_to_recheck_no_key_comments_without_a_key(settings):
    settings.AKISMET_API_KEY = ""

    with pytest.raises(CommandError, match="No Akismet key is set"):
        call_command("recheck_comments", "--all-no-key", stdout=StringIO())


def test_the_queue_recheck_checks_a_no_key_comment_once_a_key_is_set(
    akismet_server, article, post_comment, moderator_client, settings
):
    settings.AKISMET_API_KEY = ""
    post_comment(article)
    comment = Comment.objects.get()
    settings.AKISMET_API_KEY = "test-key-123"

    moderator_client.post(
        ACT,
        {
            "do": f"recheck:{comment.pk}",
            f"seen-{comment.pk}": Status.HELD,
            f"version-{comment.pk}": moderation.version(comment),
        },
    )

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_the_system_check_says_how_to_recheck_held_comments(settings):
    settings.AKISMET_API_KEY = ""

    [warning] = checks.akismet_key_check(None)

    assert "recheck_comments --all-no-key" in warning.hint
