"""
The moderation state machine: the only code that writes Comment.status.

Each change is a conditional UPDATE (`WHERE pk = … AND status = <from>`) plus
one ModerationEvent, in one transaction. If another moderator or a task moved
the comment first, the UPDATE matches no row and ConcurrentModification tells
the caller; nothing is overwritten.

A moderator's page acts on the comment as it showed it, which its status
alone cannot say: a colleague may have moved it away and back since. So each
page also posts the comment's version() and passes it back as
`seen_version`, which the UPDATE matches too (`AND updated = <seen>`): every
write here sets `updated`, so any change since the page was drawn refuses
the decision.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
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
from newsarchive import bulk, fragments

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


# A version is `updated` in whole microseconds since the epoch: an exact
# integer a form can carry and post back, where a formatted date might round.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def version(comment: Comment) -> str:
    """What a page posts to say which state of `comment` it showed."""
    return str((comment.updated - _EPOCH) // _MICROSECOND)


def read_version(value: str) -> datetime | None:
    """The `seen_version` a posted version() stands for; None if it is not one."""
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        return None
    try:
        return _EPOCH + int(value) * _MICROSECOND
    except OverflowError:
        return None


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
    seen_version: datetime | None,
) -> Comment:
    from_status = comment.status
    # `updated` is the comment's version: never the one it had, even if the
    # clock stands still or steps back, so a page's stale version never
    # matches again.
    now = timezone.now()
    if comment.updated is not None:
        now = max(now, comment.updated + _MICROSECOND)
    updates = {**updates, "status": to, "updated": now}
    match = {"pk": comment.pk, "status": from_status}
    if seen_version is not None:
        match["updated"] = seen_version
    rows = Comment.objects.filter(**match).update(**updates)
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
    seen_version: datetime | None = None,
) -> Comment:
    """
    Move `comment` to status `to`, or raise TransitionNotAllowed /
    ConcurrentModification. `updates` are other columns to write in the same
    UPDATE (Akismet results, check schedule); `comment` is updated in place.
    `seen_version` (read_version() of what a page posted) refuses the move
    unless the comment is still as that page showed it.
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
        seen_version=seen_version,
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
    seen_version: datetime | None = None,
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
        seen_version=seen_version,
    )


@transaction.atomic
def record_many(
    comments: list[Comment],
    *,
    kind: str,
    reason: str,
    actor: AbstractBaseUser | None = None,
    updates: dict[str, Any],
) -> list[Comment]:
    """
    record() for many comments at once, in the same few queries however many
    there are: one UPDATE, one event per comment, new tokens for their
    articles' cached lists. The caller reads `comments` with
    select_for_update(), so none changes between its read and this write;
    every one gets a new version, so a page drawn before refuses to act.
    """
    if not comments:
        return []
    now = timezone.now()
    newest = max((c.updated for c in comments if c.updated is not None), default=now)
    now = max(now, newest + _MICROSECOND)
    updates = {**updates, "updated": now}
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(**updates)
    fragments.bump(*(fragments.comments_scope(c.article_id) for c in comments))
    ModerationEvent.objects.bulk_create(
        ModerationEvent(
            comment=comment,
            kind=kind,
            from_status=comment.status,
            to_status=comment.status,
            actor=_actor(actor),
            reason=reason[:300],
            created=now,
        )
        for comment in comments
    )
    for comment in comments:
        for field, value in updates.items():
            setattr(comment, field, value)
    return comments


# The key of a decision's event that names the report it sends to Akismet.
AKISMET_REPORT = "akismet_report"


def akismet_believes(comment: Comment) -> str:
    """
    What Akismet last believed about `comment`, as SPAM, HAM or NONE: the
    newer of its own latest verdict and the latest report a decision here
    sent it. A report counts from the decision on, not once its task has
    run, so a correction made before the first report goes out still
    follows it.
    """
    latest = (
        comment.events.filter(
            Q(kind=ModerationEvent.Kind.VERDICT) | Q(details__has_key=AKISMET_REPORT)
        )
        .order_by("-id")
        .values_list("details", flat=True)
        .first()
    )
    if latest is None:
        said = comment.akismet_verdict
    else:
        said = latest.get(AKISMET_REPORT) or latest.get("verdict", "")
    if said in AkismetVerdict.SPAMMY:
        return AkismetVerdict.SPAM
    if said == AkismetVerdict.HAM:
        return AkismetVerdict.HAM
    return AkismetVerdict.NONE


def _report_for(comment: Comment, decision: str) -> dict:
    """The event details that make a decision tell Akismet, if it thinks otherwise."""
    believed = akismet_believes(comment)
    if believed in (AkismetVerdict.NONE, decision):
        return {}
    return {AKISMET_REPORT: decision}


def _enqueue_feedback(comment: Comment, details: dict) -> None:
    if AKISMET_REPORT not in details:
        return
    comment_id, verdict = comment.pk, details[AKISMET_REPORT]
    transaction.on_commit(
        lambda: tasks.report_moderator_verdict.enqueue(comment_id, verdict)
    )


def approve(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    seen_version: datetime | None = None,
) -> Comment:
    """Publish a comment. If Akismet believes it spam, tell Akismet (ham)."""
    details = _report_for(comment, AkismetVerdict.HAM)
    transition(
        comment,
        Status.APPROVED,
        actor=actor,
        reason=reason or "Approved by a moderator",
        details=details,
        seen_version=seen_version,
    )
    _enqueue_feedback(comment, details)
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
    seen_version: datetime | None = None,
) -> Comment:
    return transition(
        comment,
        Status.HELD,
        actor=actor,
        reason=reason or "Held by a moderator",
        hold_reason=hold_reason,
        seen_version=seen_version,
    )


def mark_spam(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    seen_version: datetime | None = None,
) -> Comment:
    """Call a comment spam. If Akismet believes it ham, tell Akismet (spam)."""
    details = _report_for(comment, AkismetVerdict.SPAM)
    transition(
        comment,
        Status.SPAM,
        actor=actor,
        reason=reason or "Marked as spam by a moderator",
        hold_reason=HoldReason.MODERATOR,
        details=details,
        seen_version=seen_version,
    )
    _enqueue_feedback(comment, details)
    return comment


def mark_ham(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    seen_version: datetime | None = None,
) -> Comment:
    """Not spam: approve a spam comment (and tell Akismet if it believes spam)."""
    if comment.status != Status.SPAM:
        raise TransitionNotAllowed(comment, Status.APPROVED)
    return approve(
        comment,
        actor=actor,
        reason=reason or "Marked as not spam",
        seen_version=seen_version,
    )


def remove(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    seen_version: datetime | None = None,
) -> Comment:
    return transition(
        comment,
        Status.REMOVED,
        actor=actor,
        reason=reason or "Removed by a moderator",
        hold_reason=comment.hold_reason,
        updates={"hold_detail": comment.hold_detail},
        seen_version=seen_version,
    )


def restore(
    comment: Comment,
    *,
    actor: AbstractBaseUser | None = None,
    reason: str = "",
    seen_version: datetime | None = None,
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
        seen_version=seen_version,
    )


def dismiss_reports(
    *,
    comment: Comment,
    actor: AbstractBaseUser | None,
    seen_version: datetime | None = None,
) -> int:
    """
    Dismiss every open report of `comment`; returns how many. With
    `seen_version`, only while the comment is as the moderator saw it (no
    report came in since), else ConcurrentModification and nothing changes.
    """
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
                seen_version=seen_version,
            )
    return dismissed


IMPORTED_REASON = "Imported from WordPress"


def create_imported(
    levels: list[list[Comment]], *, details: dict[int, dict], scopes: set[str]
) -> list[Comment]:
    """
    Comments brought over from another site, saved with the status they had
    there: one "imported" event each, never Akismet, never a mail (they are
    marked as already announced). `levels` are saved in order, parents
    first, so each reply's `parent` has its id by then; `details` are the
    events' details by id(comment). The caller holds the transaction and
    bumps `scopes` in it (once for a whole batch of items).
    """
    comments = [comment for level in levels for comment in level]
    if not comments:
        return comments
    now = timezone.now()
    for comment in comments:
        comment.authors_notified_at = comment.reply_notified_at = now
        if comment.status == Status.REMOVED and not comment.previous_status:
            comment.previous_status = Status.HELD
    for level in levels:
        for comment in level:
            # Parents saved in an earlier level now have their ids.
            if comment.parent is not None:
                comment.parent_id = comment.parent.pk
            if comment.root is not None:
                comment.root_id = comment.root.pk
        bulk.insert(Comment, level)
    bulk.insert(
        ModerationEvent,
        [
            ModerationEvent(
                comment=comment,
                kind=ModerationEvent.Kind.IMPORT,
                to_status=comment.status,
                reason=IMPORTED_REASON,
                details=details.get(id(comment), {}),
                created=now,
            )
            for comment in comments
        ],
    )
    scopes.update(fragments.comments_scope(c.article_id) for c in comments)
    return comments


def update_imported(comment: Comment, *, fields: dict[str, Any], status: str) -> bool:
    """
    A later export changed an imported comment: its text and author follow,
    and its status too where the state machine allows it (else the comment
    keeps the status a moderator gave it here). True if the status moved.
    """
    if fields:
        Comment.objects.filter(pk=comment.pk).update(**fields, updated=timezone.now())
        for key, value in fields.items():
            setattr(comment, key, value)
        fragments.bump(fragments.comments_scope(comment.article_id))
    if status == comment.status or not allowed(
        comment.status, status, previous_status=comment.previous_status
    ):
        return False
    comment.refresh_from_db(fields=["updated"])
    _write(
        comment,
        to=status,
        kind=ModerationEvent.Kind.IMPORT,
        actor=None,
        reason=f"{IMPORTED_REASON}: status changed in the export",
        details={},
        updates={
            "hold_reason": "",
            "previous_status": comment.status if status == Status.REMOVED else "",
        },
        seen_version=None,
    )
    return True
