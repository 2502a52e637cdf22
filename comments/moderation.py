"""
The moderation state machine: the only code that writes Comment.status.

Each change is a conditional UPDATE (`WHERE pk = … AND status = <from>`) plus
one ModerationEvent, in one transaction. If another moderator or a task moved
the comment first, the UPDATE matches no row and ConcurrentModification tells
the caller; nothing is overwritten.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from comments import notifications, tasks
from comments.models import (
    AkismetVerdict,
    Comment,
    CommentReport,
    HoldReason,
    ModerationEvent,
    Status,
)
from newsarchive import fragments

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNCHECKED: frozenset({Status.HELD, Status.APPROVED, Status.SPAM}),
    Status.HELD: frozenset({Status.APPROVED, Status.SPAM, Status.REMOVED}),
    Status.APPROVED: frozenset({Status.HELD, Status.SPAM, Status.REMOVED}),
    Status.SPAM: frozenset({Status.APPROVED, Status.REMOVED}),
    # Only back to where it was before removal (see restore()).
    Status.REMOVED: frozenset({Status.HELD, Status.APPROVED, Status.SPAM}),
}

# Statuses in which a comment may still be waiting for an Akismet check.
CHECKABLE = frozenset({Status.UNCHECKED, Status.HELD})


class ModerationError(Exception):
    """Base for the state machine's domain errors."""


class TransitionNotAllowed(ModerationError):
    def __init__(self, comment: Comment, to: str) -> None:
        self.from_status, self.to_status = comment.status, to
        super().__init__(f"A comment cannot go from {comment.status} to {to}.")


class ConcurrentModification(ModerationError):
    def __init__(self, comment: Comment) -> None:
        super().__init__(
            f"Comment {comment.pk} changed while you were looking at it; "
            "reload and try again."
        )


def allowed(from_status: str, to_status: str, *, previous_status: str = "") -> bool:
    if from_status == Status.REMOVED:
        return to_status == previous_status
    return to_status in TRANSITIONS.get(from_status, frozenset())


def _actor(actor: AbstractBaseUser | None):
    return actor if actor is not None and actor.is_authenticated else None


@transaction.atomic
def _write(
    comment: Comment,
    *,
    to: str,
    kind: str,
    actor: AbstractBaseUser | None,
    reason: str,
    details: dict | None,
    updates: dict[str, Any],
) -> Comment:
    from_status = comment.status
    updates = {**updates, "status": to, "updated": timezone.now()}
    rows = Comment.objects.filter(pk=comment.pk, status=from_status).update(**updates)
    if rows != 1:
        raise ConcurrentModification(comment)
    for field, value in updates.items():
        setattr(comment, field, value)
    # Readers must see the change at once: a new key for the cached list,
    # committed together with the change itself.
    fragments.bump(fragments.comments_scope(comment.article_id))
    ModerationEvent.objects.create(
        comment=comment,
        kind=kind,
        from_status=from_status,
        to_status=to,
        actor=_actor(actor),
        reason=reason[:300],
        details=details or {},
    )
    return comment


def transition(
    comment: Comment,
    to: str,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str,
    hold_reason: str = "",
    details: dict | None = None,
    kind: str = ModerationEvent.Kind.STATUS,
    updates: dict[str, Any] | None = None,
) -> Comment:
    """
    Move `comment` to status `to`, or raise TransitionNotAllowed /
    ConcurrentModification. `updates` are other columns to write in the same
    UPDATE (Akismet results, check schedule); `comment` is updated in place.
    """
    if not allowed(comment.status, to, previous_status=comment.previous_status):
        raise TransitionNotAllowed(comment, to)
    updates = dict(updates or {})
    updates["hold_reason"] = hold_reason
    updates.setdefault("hold_detail", "")
    if to not in CHECKABLE:
        # A decided comment is no longer waiting for a recheck.
        updates.setdefault("next_check_at", None)
    if to == Status.REMOVED:
        updates["previous_status"] = comment.status
    elif comment.status == Status.REMOVED:
        updates["previous_status"] = ""
    from_status = comment.status
    _write(
        comment,
        to=to,
        kind=kind,
        actor=actor,
        reason=reason,
        details=details,
        updates=updates,
    )
    # Every path (pipeline, admin, queue, mail links) mails through here.
    notifications.status_changed(comment, from_status=from_status)
    return comment


def record(
    comment: Comment,
    *,
    kind: str,
    reason: str,
    actor: AbstractBaseUser | None = None,
    details: dict | None = None,
    updates: dict[str, Any] | None = None,
) -> Comment:
    """
    An event that leaves the status as it is (a failed recheck, a new hold
    reason for a held comment), guarded by the same conditional UPDATE.
    """
    return _write(
        comment,
        to=comment.status,
        kind=kind,
        actor=actor,
        reason=reason,
        details=details,
        updates=dict(updates or {}),
    )


def _enqueue_feedback(comment: Comment, verdict: str) -> None:
    comment_id = comment.pk
    transaction.on_commit(
        lambda: tasks.report_moderator_verdict.enqueue(comment_id, verdict)
    )


def approve(
    comment: Comment, *, actor: AbstractBaseUser | None = None, reason: str = ""
) -> Comment:
    """Publish a comment. Approving one Akismet called spam tells Akismet (ham)."""
    was_spam = comment.status == Status.SPAM
    transition(
        comment,
        Status.APPROVED,
        actor=actor,
        reason=reason or "Approved by a moderator",
    )
    if was_spam and comment.akismet_verdict in AkismetVerdict.SPAMMY:
        _enqueue_feedback(comment, AkismetVerdict.HAM)
    if actor is not None:
        # A moderator who publishes a reported comment has answered its reports.
        dismiss_reports(comment=comment, actor=actor)
    return comment


def hold(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    hold_reason: str = HoldReason.MODERATOR,
) -> Comment:
    return transition(
        comment,
        Status.HELD,
        actor=actor,
        reason=reason or "Held by a moderator",
        hold_reason=hold_reason,
    )


def mark_spam(
    comment: Comment, *, actor: AbstractBaseUser | None = None, reason: str = ""
) -> Comment:
    """Call a comment spam. If Akismet had passed it, tell Akismet (spam)."""
    transition(
        comment,
        Status.SPAM,
        actor=actor,
        reason=reason or "Marked as spam by a moderator",
        hold_reason=HoldReason.MODERATOR,
    )
    if comment.akismet_verdict == AkismetVerdict.HAM:
        _enqueue_feedback(comment, AkismetVerdict.SPAM)
    return comment


def mark_ham(
    comment: Comment, *, actor: AbstractBaseUser | None = None, reason: str = ""
) -> Comment:
    """Not spam: approve a spam comment (and tell Akismet if it said spam)."""
    if comment.status != Status.SPAM:
        raise TransitionNotAllowed(comment, Status.APPROVED)
    return approve(comment, actor=actor, reason=reason or "Marked as not spam")


def remove(
    comment: Comment, *, actor: AbstractBaseUser | None = None, reason: str = ""
) -> Comment:
    return transition(
        comment,
        Status.REMOVED,
        actor=actor,
        reason=reason or "Removed by a moderator",
        hold_reason=comment.hold_reason,
        updates={"hold_detail": comment.hold_detail},
    )


def restore(
    comment: Comment, *, actor: AbstractBaseUser | None = None, reason: str = ""
) -> Comment:
    """Put a removed comment back where it was."""
    if comment.status != Status.REMOVED or not comment.previous_status:
        raise TransitionNotAllowed(comment, comment.previous_status or "?")
    return transition(
        comment,
        comment.previous_status,
        actor=actor,
        reason=reason or "Restored by a moderator",
        hold_reason=comment.hold_reason,
        updates={"hold_detail": comment.hold_detail},
    )


def dismiss_reports(*, comment: Comment, actor: AbstractBaseUser | None) -> int:
    """Dismiss every open report of `comment`; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        dismissed = (
            CommentReport.objects.open()
            .filter(comment=comment)
            .update(dismissed_at=now, dismissed_by=_actor(actor))
        )
        if dismissed:
            record(
                comment,
                kind=ModerationEvent.Kind.NOTE,
                actor=actor,
                reason=f"Dismissed {dismissed} reader report"
                f"{'s' if dismissed != 1 else ''}",
                details={"dismissed_reports": dismissed},
            )
    return dismissed
