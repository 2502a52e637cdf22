"""
A moderator's spam / not-spam decision is reported to Akismet after commit,
with the payload stored at submission (never the moderator's own details).
"""

import pytest

from comments import moderation
from comments.models import Comment, ModerationEvent
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db


def test_spam_that_akismet_passed_is_reported_with_the_stored_payload(
    akismet_server, article, post_comment, django_capture_on_commit_callbacks
):
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.akismet_verdict == "ham"

    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(comment, actor=make_moderator())

    [report] = [r for r in akismet_server.requests if r.path.endswith("submit-spam")]
    assert {k: v for k, v in report.form.items() if k != "api_key"} == (
        comment.akismet_payload
    )
    assert comment.events.filter(kind=ModerationEvent.Kind.SUBMIT_SPAM).exists()


def test_approving_what_akismet_called_spam_reports_ham(
    akismet_server, article, post_comment, django_capture_on_commit_callbacks
):
    akismet_server.mode = "spam"
    post_comment(article)
    comment = Comment.objects.get()
    akismet_server.mode = "ham"

    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_ham(comment, actor=make_moderator())

    [report] = [r for r in akismet_server.requests if r.path.endswith("submit-ham")]
    assert report.form["comment_content"] == comment.body
    assert report.form["user_ip"] == comment.akismet_payload["user_ip"]
    assert comment.events.filter(kind=ModerationEvent.Kind.SUBMIT_HAM).exists()


def test_nothing_is_reported_before_the_transaction_commits(
    akismet_server, article, post_comment, django_capture_on_commit_callbacks
):
    post_comment(article)
    comment = Comment.objects.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        moderation.mark_spam(comment)

    assert len(callbacks) == 1
    assert not [r for r in akismet_server.requests if "submit" in r.path]


def test_approving_a_held_comment_reports_nothing(
    akismet_server, article, post_comment, django_capture_on_commit_callbacks
):
    akismet_server.mode = "recheck"
    post_comment(article)
    comment = Comment.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment)

    assert not [r for r in akismet_server.requests if "submit" in r.path]


def test_a_failed_report_is_recorded_in_the_history(
    akismet_server, article, post_comment, django_capture_on_commit_callbacks
):
    post_comment(article)
    comment = Comment.objects.get()
    akismet_server.mode = "error500"

    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(comment)

    failure = comment.events.filter(kind=ModerationEvent.Kind.FAILURE).get()
    assert "Could not report spam" in failure.reason
