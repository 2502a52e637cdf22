"""
Akismet is told whenever a moderator's spam / not-spam decision differs from
what Akismet last believed about the comment: its own verdict, or the last
report we sent it, or queued to send. So a moderator who corrects themselves
corrects Akismet too, and a decision Akismet already agrees with sends nothing.
"""

import pytest

from comments import moderation
from comments.models import AkismetVerdict, Comment, ModerationEvent, Status
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db


def reports(akismet_server) -> list[str]:
    """The spam / ham reports Akismet received, in order."""
    return [
        r.path.rstrip("/").rsplit("/submit-", 1)[1]
        for r in akismet_server.requests
        if "/submit-" in r.path
    ]


@pytest.fixture
def moderator(db):
    return make_moderator(username="mia")


@pytest.fixture
def akismet_ham(akismet_server, article, post_comment) -> Comment:
    post_comment(article)
    comment = Comment.objects.get()
    assert (comment.status, comment.akismet_verdict) == (
        Status.APPROVED,
        AkismetVerdict.HAM,
    )
    return comment


@pytest.fixture
def akismet_spam(akismet_server, article, post_comment) -> Comment:
    akismet_server.mode = "spam"
    post_comment(article)
    akismet_server.mode = "ham"
    comment = Comment.objects.get()
    assert (comment.status, comment.akismet_verdict) == (
        Status.SPAM,
        AkismetVerdict.SPAM,
    )
    return comment


def test_not_spam_after_marking_akismet_ham_spam_reports_ham(
    akismet_ham, akismet_server, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(akismet_ham, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_ham(akismet_ham, actor=moderator)

    assert reports(akismet_server) == ["spam", "ham"]
    assert Comment.objects.get().status == Status.APPROVED


def test_spam_after_approving_akismet_spam_reports_spam(
    akismet_spam, akismet_server, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_ham(akismet_spam, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(akismet_spam, actor=moderator)

    assert reports(akismet_server) == ["ham", "spam"]
    assert Comment.objects.get().status == Status.SPAM


def test_every_correction_back_and_forth_is_reported(
    akismet_spam, akismet_server, moderator, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            moderation.mark_ham(akismet_spam, actor=moderator)
        with django_capture_on_commit_callbacks(execute=True):
            moderation.mark_spam(akismet_spam, actor=moderator)

    assert reports(akismet_server) == ["ham", "spam", "ham", "spam"]


def test_a_report_still_queued_counts_as_what_akismet_was_told(
    akismet_spam, akismet_server, moderator, django_capture_on_commit_callbacks
):
    # The first report has not gone out yet when the moderator corrects it.
    with django_capture_on_commit_callbacks(execute=False) as first:
        moderation.mark_ham(akismet_spam, actor=moderator)
    with django_capture_on_commit_callbacks(execute=False) as second:
        moderation.mark_spam(akismet_spam, actor=moderator)
    assert not ModerationEvent.objects.filter(
        kind__in=[ModerationEvent.Kind.SUBMIT_HAM, ModerationEvent.Kind.SUBMIT_SPAM]
    ).exists()

    for callback in [*first, *second]:
        callback()

    assert reports(akismet_server) == ["ham", "spam"]


def test_a_decision_akismet_already_agrees_with_reports_nothing_again(
    akismet_spam, akismet_server, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_ham(akismet_spam, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hold(akismet_spam, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(akismet_spam, actor=moderator)

    assert reports(akismet_server) == ["ham"]


def test_spam_on_what_akismet_called_spam_reports_nothing(
    akismet_spam, akismet_server, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.remove(akismet_spam, actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.restore(akismet_spam, actor=moderator)

    assert Comment.objects.get().status == Status.SPAM
    assert reports(akismet_server) == []


def test_the_decision_s_event_says_what_akismet_is_told(
    akismet_ham, akismet_server, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.mark_spam(akismet_ham, actor=moderator)

    decision = ModerationEvent.objects.get(actor=moderator)
    assert decision.to_status == Status.SPAM
    assert decision.details["akismet_report"] == AkismetVerdict.SPAM
