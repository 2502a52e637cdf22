"""
Asking Akismet and acting on its answer: the first check's verdict, rechecks
with backoff when Akismet could not answer, and moderators' spam / ham
decisions reported back to it.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from comments import moderation, notifications, spam, tasks
from comments.models import AkismetVerdict, Comment, HoldReason, ModerationEvent, Status
from comments.selectors.moderator import UNCHECKED_OVERDUE
from comments.services.rules import Rule, is_staff, rule_for_recheck

logger = logging.getLogger(__name__)

# Backoff after failed checks: 1 min, 5 min, 20 min, then hourly.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=20))
RETRY_HOURLY = timedelta(hours=1)
INVALID_KEY_DELAY = timedelta(hours=6)
# Rechecks stop this long after submission, or sooner if the stored payload
# goes first (payload_keep()).
CHECK_WINDOW = timedelta(days=15)
# A recheck claims its comment for this long, so a task and the sweep
# command never check the same comment twice at once.
CLAIM_LEASE = timedelta(minutes=5)
# If the process dies between saving and asking Akismet, the check scheduled
# at saving (and the sweep) picks it up; moderators see it from then on too.
FIRST_CHECK_GRACE = UNCHECKED_OVERDUE
# What a recheck tells Akismet (recheck_reason, "a string describing why the
# content is being rechecked": https://akismet.com/developers/detailed-docs/comment-check/).
RECHECK_KEY_CONFIGURED = "key_configured"
NO_PAYLOAD_WORDS = (
    "no stored Akismet payload (an imported or demo comment), so Akismet "
    "cannot check it; a moderator decides"
)


def payload_keep() -> timedelta:
    """How long after posting the copy sent to Akismet is kept (a setting)."""
    return timedelta(days=settings.COMMENTS_AKISMET_PAYLOAD_DAYS)


def recheck_window() -> timedelta:
    """How long after posting a comment is rechecked: no payload, no check."""
    return min(CHECK_WINDOW, payload_keep())


def retry_delay(*, attempts: int, reason: str) -> timedelta:
    """How long to wait after the `attempts`-th failed check."""
    if reason == HoldReason.AKISMET_INVALID_KEY:
        return INVALID_KEY_DELAY
    if 1 <= attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return RETRY_HOURLY


def schedule_check(comment: Comment) -> None:
    """Enqueue the check due at comment.next_check_at, after commit."""
    when = comment.next_check_at
    if when is None:
        return
    task = tasks.recheck_comment
    # Backends without run_after (the immediate one in tests) leave the
    # comment to `manage.py recheck_comments`, which sweeps next_check_at.
    if task.get_backend().supports_defer:
        comment_id = comment.pk
        transaction.on_commit(lambda: task.using(run_after=when).enqueue(comment_id))


def apply_verdict(
    comment: Comment,
    verdict: spam.Verdict,
    *,
    rule: Rule | None,
    user: AbstractBaseUser | None,
) -> Comment:
    """Turn Akismet's answer (or its absence) into a status."""
    now = timezone.now()
    attempts = comment.check_attempts + 1
    updates = {"check_attempts": attempts, "checked_at": now}
    details = {"verdict": verdict.kind.value or "unchecked", "attempt": attempts}
    if verdict.headers:
        details["headers"] = verdict.headers
        updates.update(
            akismet_headers=verdict.headers,
            akismet_guid=verdict.header("X-akismet-guid")[:100],
            akismet_pro_tip=verdict.header("X-akismet-pro-tip")[:100],
            akismet_alert_code=verdict.header("X-akismet-alert-code")[:20],
            akismet_alert_msg=verdict.header("X-akismet-alert-msg"),
        )
    if not verdict.checked:
        return _check_failed(
            comment, verdict, now=now, updates=updates, details=details
        )
    updates["akismet_verdict"] = verdict.kind.value

    # A provisional ham (spam.Verdict.recheck_after) waits, held, for the
    # recheck Akismet asked for. That recheck's answer is final, even if it
    # asks again, so a comment cannot wait for ever.
    if verdict.recheck_after and comment.hold_reason != HoldReason.AKISMET_PROVISIONAL:
        when = now + timedelta(seconds=verdict.recheck_after)
        updates["next_check_at"] = when
        details["recheck_at"] = when.isoformat()
        comment = move(
            comment,
            Status.HELD,
            kind=ModerationEvent.Kind.VERDICT,
            reason=f"Akismet asked to check again after {verdict.recheck_after} s",
            hold_reason=HoldReason.AKISMET_PROVISIONAL,
            hold_detail=f"Provisional: Akismet said {verdict.kind.value}",
            details=details,
            updates=updates,
        )
        schedule_check(comment)
        return comment

    updates["next_check_at"] = None
    if verdict.kind in AkismetVerdict.SPAMMY:
        discard = (
            verdict.kind == AkismetVerdict.DISCARD
            and settings.COMMENTS_AKISMET_DISCARD
            and not is_staff(user if user is not None else comment.user)
        )
        updates["discarded"] = discard
        return move(
            comment,
            Status.SPAM,
            kind=ModerationEvent.Kind.VERDICT,
            reason="Akismet said spam" + (" (discard)" if discard else ""),
            hold_reason=HoldReason.AKISMET_DISCARD
            if verdict.kind == AkismetVerdict.DISCARD
            else HoldReason.AKISMET_SPAM,
            hold_detail="",
            details=details,
            updates=updates,
        )
    # Ham: published, unless one of our own rules holds it.
    if rule is not None:
        return move(
            comment,
            Status.HELD,
            kind=ModerationEvent.Kind.VERDICT,
            reason=f"Akismet said ham; held: {rule.detail}",
            hold_reason=rule.hold_reason,
            hold_detail=rule.detail,
            details=details,
            updates=updates,
        )
    return move(
        comment,
        Status.APPROVED,
        kind=ModerationEvent.Kind.VERDICT,
        reason="Akismet said ham",
        hold_reason="",
        hold_detail="",
        details=details,
        updates=updates,
    )


def move(
    comment: Comment,
    to: str,
    *,
    kind: str,
    reason: str,
    hold_reason: str,
    hold_detail: str,
    details: dict,
    updates: dict,
) -> Comment:
    """`comment` to status `to` with its reason: a transition, or an event
    with the new reason when it is already there."""
    updates = {**updates, "hold_detail": hold_detail[:300]}
    if comment.status == to:
        updates["hold_reason"] = hold_reason
        return moderation.record(
            comment, kind=kind, reason=reason, details=details, updates=updates
        )
    return moderation.transition(
        comment,
        to,
        kind=kind,
        reason=reason,
        hold_reason=hold_reason,
        details=details,
        updates=updates,
    )


def spam_by_rule(comment: Comment, rule: Rule, *, reason: str) -> Comment:
    """One of our own rules called it spam: Akismet is not asked."""
    return moderation.transition(
        comment,
        Status.SPAM,
        reason=reason,
        hold_reason=rule.hold_reason,
        updates={"hold_detail": rule.detail, "next_check_at": None},
    )


def _check_failed(
    comment: Comment,
    verdict: spam.Verdict,
    *,
    now: datetime,
    updates: dict,
    details: dict,
) -> Comment:
    attempts = updates["check_attempts"]
    next_at = now + retry_delay(attempts=attempts, reason=verdict.reason)
    give_up = next_at > comment.created + recheck_window()
    # Without a key no retry can succeed: held once, rechecked on demand
    # (the queue's Recheck, `manage.py recheck_comments --all-no-key`).
    no_key = verdict.reason == HoldReason.NO_KEY
    details.update(reason=verdict.reason, detail=verdict.detail)
    if no_key:
        # The label says it all; the queue's banner says what to do.
        hold_reason, hold_detail = verdict.reason, ""
        updates["next_check_at"] = None
    elif give_up:
        hold_reason, hold_detail = HoldReason.COULD_NOT_CHECK, verdict.detail
        updates["next_check_at"] = None
    else:
        hold_reason, hold_detail = verdict.reason, verdict.detail
        updates["next_check_at"] = next_at
        details["next_check_at"] = next_at.isoformat()
    comment = move(
        comment,
        Status.HELD,
        kind=ModerationEvent.Kind.FAILURE,
        reason=verdict.detail or "Akismet could not check this comment",
        hold_reason=hold_reason,
        hold_detail=hold_detail,
        details=details,
        updates=updates,
    )
    if no_key:
        return comment
    if give_up:
        moderation.record(
            comment,
            kind=ModerationEvent.Kind.NOTE,
            reason=f"Could not be checked for {recheck_window().days} days; "
            "left for a moderator",
        )
        notifications.moderators_attention()
    else:
        moderation.record(
            comment,
            kind=ModerationEvent.Kind.RETRY,
            reason=f"Next check at {timezone.localtime(next_at):%Y-%m-%d %H:%M} "
            f"(attempt {attempts + 1})",
            details={"next_check_at": next_at.isoformat(), "attempt": attempts + 1},
        )
        schedule_check(comment)
    return comment


def comment_recheck(
    *,
    comment_id: int,
    reason: str = "retry",
    force: bool = False,
    seen_version: datetime | None = None,
) -> Comment | None:
    """
    Check a waiting comment with Akismet again (the task and the sweep
    command both come here). Returns None when there was nothing to do, or
    when a moderator's `seen_version` is no longer the comment's.
    """
    now = timezone.now()
    comment = (
        Comment.objects.select_related("user", "article").filter(pk=comment_id).first()
    )
    if comment is None or comment.status not in moderation.CHECKABLE:
        return None
    if comment.next_check_at is None and not force:
        return None
    if comment.next_check_at is not None and comment.next_check_at > now and not force:
        return None
    # Claim it: only one worker gets past this conditional UPDATE, and a
    # moderator's recheck only while the comment is as they saw it.
    unchanged = {"updated": seen_version} if seen_version is not None else {}
    claimed = Comment.objects.filter(
        pk=comment.pk,
        status=comment.status,
        next_check_at=comment.next_check_at,
        **unchanged,
    ).update(next_check_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    comment.next_check_at = now + CLAIM_LEASE
    rule = rule_for_recheck(comment)
    # A payload deleted by the purge had its window end; one never stored
    # (an imported or demo comment) has no window at all.
    expires = comment.akismet_payload_expires_at
    purged = expires is not None and expires < now
    try:
        if not comment.akismet_payload and not purged:
            return _leave_without_payload(comment)
        if purged or now > comment.created + recheck_window():
            verdict = spam.unchecked(
                reason=HoldReason.COULD_NOT_CHECK,
                detail=f"The check window ({recheck_window().days} days) has passed.",
            )
            # Past the window _check_failed gives up whatever the attempt count.
        else:
            payload = {**comment.akismet_payload, "recheck_reason": reason}
            verdict = spam.check_comment(payload)
        return apply_verdict(comment, verdict, rule=rule, user=comment.user)
    except moderation.ConcurrentModification:
        # A moderator decided while we were asking; their decision stands.
        logger.info("Comment %s changed during its recheck", comment.pk)
        return None


def _leave_without_payload(comment: Comment) -> Comment:
    """
    Nothing was stored to send (an imported or demo comment), so no check can
    ever run: it stays where it is, with words saying why, for a moderator.
    """
    return moderation.record(
        comment,
        kind=ModerationEvent.Kind.NOTE,
        reason=f"Not checked: {NO_PAYLOAD_WORDS}",
        updates={"next_check_at": None, "hold_detail": NO_PAYLOAD_WORDS[:300]},
    )


def recheck_no_key_comments(*, limit: int = 500) -> dict[str, int]:
    """Check the comments held while no key was set, once one is."""
    counts: dict[str, int] = {}
    ids = list(
        Comment.objects.held()
        .filter(hold_reason=HoldReason.NO_KEY)
        .order_by("created", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for comment_id in ids:
        comment = comment_recheck(
            comment_id=comment_id, reason=RECHECK_KEY_CONFIGURED, force=True
        )
        key = comment.status if comment is not None else "skipped"
        counts[key] = counts.get(key, 0) + 1
    return counts


def sweep_due_comments(*, limit: int = 500) -> dict[str, int]:
    """Recheck every comment whose check time has come (cron-friendly)."""
    counts: dict[str, int] = {}
    ids = list(
        Comment.objects.due_for_check()
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    for comment_id in ids:
        comment = comment_recheck(comment_id=comment_id)
        key = comment.status if comment is not None else "skipped"
        counts[key] = counts.get(key, 0) + 1
    return counts


def report_verdict_to_akismet(*, comment_id: int, verdict: str) -> bool | None:
    """
    Send a moderator's spam / ham decision to Akismet with the stored payload.
    True when sent, False when sending failed (worth a retry), None when there
    is nothing that could be sent.
    """
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return None
    kind = (
        ModerationEvent.Kind.SUBMIT_SPAM
        if verdict == AkismetVerdict.SPAM
        else ModerationEvent.Kind.SUBMIT_HAM
    )
    expired = (
        comment.akismet_payload_expires_at is not None
        and comment.akismet_payload_expires_at < timezone.now()
    )
    if not comment.akismet_payload or expired:
        moderation.record(
            comment,
            kind=kind,
            reason="Not sent: the stored Akismet payload has expired",
        )
        return None
    submit = spam.submit_spam if verdict == AkismetVerdict.SPAM else spam.submit_ham
    feedback = submit(comment.akismet_payload)
    moderation.record(
        comment,
        kind=kind if feedback.ok else ModerationEvent.Kind.FAILURE,
        reason=f"Reported {verdict} to Akismet"
        if feedback.ok
        else f"Could not report {verdict} to Akismet: {feedback.detail}",
        details={"ok": feedback.ok, "headers": feedback.headers},
    )
    return feedback.ok
