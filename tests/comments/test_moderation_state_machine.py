"""
comments.moderation: every allowed and forbidden transition, one history row
per change, and concurrent moderators never overwriting each other.
"""

import itertools

import pytest

from comments import moderation
from comments.models import Comment, HoldReason, ModerationEvent, Status
from tests.factories import make_comment, make_moderator

pytestmark = pytest.mark.django_db

ALLOWED = {
    ("unchecked", "held"),
    ("unchecked", "approved"),
    ("unchecked", "spam"),
    ("held", "approved"),
    ("held", "spam"),
    ("held", "removed"),
    ("approved", "held"),
    ("approved", "spam"),
    ("approved", "removed"),
    ("spam", "approved"),
    ("spam", "removed"),
}
STATUSES = [s.value for s in Status]
NON_REMOVED_PAIRS = [
    (a, b) for a, b in itertools.product(STATUSES, STATUSES) if a != "removed"
]


def test_the_transitions_table_is_exactly_the_one_we_designed():
    table = {
        (a, b)
        for a, targets in moderation.TRANSITIONS.items()
        for b in targets
        if a != "removed"
    }
    assert table == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(ALLOWED))
def test_an_allowed_transition_updates_the_row_and_writes_one_event(
    article, from_status, to_status
):
    comment = make_comment(article=article, status=from_status)
    moderator = make_moderator()

    moderation.transition(comment, to_status, actor=moderator, reason="Because")

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == to_status
    [event] = stored.events.all()
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        from_status,
        to_status,
        moderator,
        "Because",
    )


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    sorted(set(NON_REMOVED_PAIRS) - ALLOWED),
)
def test_a_forbidden_transition_raises_and_changes_nothing(
    article, from_status, to_status
):
    comment = make_comment(article=article, status=from_status)

    with pytest.raises(moderation.TransitionNotAllowed):
        moderation.transition(comment, to_status, reason="No")

    assert Comment.objects.get(pk=comment.pk).status == from_status
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize("previous", ["held", "approved", "spam"])
def test_remove_then_restore_returns_to_the_previous_status(article, previous):
    comment = make_comment(article=article, status=previous)

    moderation.remove(comment)
    assert (comment.status, comment.previous_status) == ("removed", previous)
    moderation.restore(comment)

    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.previous_status) == (previous, "")
    assert [(e.from_status, e.to_status) for e in stored.events.all()] == [
        (previous, "removed"),
        ("removed", previous),
    ]


@pytest.mark.parametrize("target", ["unchecked", "held", "approved", "spam"])
def test_a_removed_comment_goes_nowhere_but_back(article, target):
    comment = make_comment(
        article=article, status=Status.REMOVED, previous_status=Status.HELD
    )
    if target == "held":
        moderation.transition(comment, target, reason="restore")
        assert comment.status == Status.HELD
    else:
        with pytest.raises(moderation.TransitionNotAllowed):
            moderation.transition(comment, target, reason="jump")


def test_the_first_of_two_moderators_wins_and_the_second_is_told(article):
    comment = make_comment(article=article, status=Status.HELD)
    first_view = Comment.objects.get(pk=comment.pk)
    second_view = Comment.objects.get(pk=comment.pk)

    moderation.approve(first_view, actor=make_moderator())
    with pytest.raises(moderation.ConcurrentModification):
        moderation.mark_spam(second_view, actor=make_moderator())

    stored = Comment.objects.get(pk=comment.pk)
    assert stored.status == Status.APPROVED
    assert stored.events.count() == 1


def test_approve_clears_the_hold_reason_and_any_pending_check(article):
    comment = make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_UNREACHABLE,
        next_check_at=article.published_at,
    )

    moderation.approve(comment)

    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.hold_reason, stored.next_check_at) == ("", None)


def test_mark_ham_only_applies_to_spam(article):
    comment = make_comment(article=article, status=Status.HELD)

    with pytest.raises(moderation.TransitionNotAllowed):
        moderation.mark_ham(comment)


def test_hold_records_the_moderator_reason(article):
    comment = make_comment(article=article, status=Status.APPROVED)

    moderation.hold(comment, reason="Checking a claim")

    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.status, stored.hold_reason) == ("held", HoldReason.MODERATOR)
    assert stored.events.get().reason == "Checking a claim"


def test_the_database_refuses_an_unknown_status(article):
    from django.db import IntegrityError, transaction

    comment = make_comment(article=article)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(status="published")


def test_a_moderator_acting_while_akismet_is_asked_wins_over_the_verdict(
    akismet_server, article, post_comment, monkeypatch
):
    from comments import spam

    real_check = spam.check_comment

    def moderator_acts_meanwhile(payload):
        moderation.mark_spam(Comment.objects.get())
        return real_check(payload)

    monkeypatch.setattr(spam, "check_comment", moderator_acts_meanwhile)

    response = post_comment(article)

    assert response.status_code == 302
    stored = Comment.objects.get()
    assert stored.status == Status.SPAM
    assert not stored.events.filter(kind=ModerationEvent.Kind.VERDICT).exists()
