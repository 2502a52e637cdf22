"""
An author edits their comment within EDIT_WINDOW of posting it.

The new words are checked like a new comment (our rules, then Akismet with
recheck_reason=edit), but an edit can only make a comment's standing worse,
with one exception: a hold the pipeline made because it could not ask
Akismet (HoldReason.RELEASABLE_BY_EDIT) is decided afresh. A comment held by
readers' reports, by a moderator or by one of our own rules stays held however
it is edited, and spam stays spam; either way the edit is saved and recorded,
so the moderator sees the new words and an EDIT event. Edits are throttled
per comment (its saved edits) and per address (through the shared cache).
"""

import hashlib
import math
from datetime import datetime, timedelta

from django.utils import timezone

from comments import moderation, spam
from comments.models import AkismetVerdict, Comment, HoldReason, ModerationEvent, Status
from comments.network import network_key
from comments.services.checking import apply_verdict, move, spam_by_rule
from comments.services.rules import Rule, rule_from_history, rules_now
from newsarchive import cache
from newsarchive.sanitize import clean_comment_html

# How long after posting the author may edit (with the pending cookie).
EDIT_WINDOW = timedelta(minutes=10)
# Spam is editable like held, so that its author cannot tell the two apart.
EDITABLE = frozenset({Status.UNCHECKED, Status.HELD, Status.APPROVED, Status.SPAM})

# Fixing a typo or two takes a few edits. Each edit costs an Akismet call and
# a new version of the article's cached comment list, which a script editing
# in a loop would otherwise spend freely.
EDITS_PER_COMMENT = 5
# Per address (an IPv6 /64 counting once) per ten minutes: room for a reader
# who posts a few comments in that time and fixes each, or for a household
# behind one address, but not for a script rewriting comments.
EDITS_PER_IP = 20
IP_WINDOW_SECONDS = 10 * 60


class EditNotAllowed(Exception):
    message = "This comment can no longer be edited."

    def __str__(self) -> str:
        return self.message


class EditThrottled(Exception):
    def __init__(self, *, retry_after: int, message: str) -> None:
        self.retry_after = retry_after
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


def can_edit(comment: Comment, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return comment.status in EDITABLE and now - comment.created <= EDIT_WINDOW


def comment_edit(
    *,
    comment: Comment,
    body: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> Comment:
    """
    The author's edit within EDIT_WINDOW (the caller checked the signed
    cookie), from address `ip`: throttle, re-sanitise, record an EDIT event
    with the stored Akismet payload updated (so later spam / ham reports send
    what is shown), then check the new words. Raises EditNotAllowed or
    EditThrottled; a refused edit changes nothing.
    """
    now = now or timezone.now()
    if not can_edit(comment, now=now):
        raise EditNotAllowed
    if body == comment.body:
        return comment
    _check_edit_rate(comment, ip=ip, now=now)
    body_html = clean_comment_html(body)
    payload = comment.akismet_payload
    if payload:
        payload = spam.with_content(payload, body)
    try:
        moderation.record(
            comment,
            kind=ModerationEvent.Kind.EDIT,
            reason="Edited by its author",
            details={"previous_body": comment.body[:5000]},
            updates={
                "body": body,
                "body_html": body_html,
                "edited_at": now,
                "akismet_payload": payload,
            },
        )
    except moderation.ConcurrentModification:
        # A moderator moved it meanwhile: the edit is refused, not merged.
        raise EditNotAllowed from None
    if comment.status == Status.SPAM:
        # Saved for a moderator, who may still rescue it; nothing else moves.
        return comment
    try:
        return _check_edit(comment, payload=payload)
    except moderation.ConcurrentModification:
        comment.refresh_from_db()
        return comment


# Throttling ---------------------------------------------------------------------


def _count(key: str, *, timeout: int) -> int | None:
    """This edit's number under `key`, or None when the cache cannot say."""
    if cache.add(key, 0, timeout=timeout) is None:
        return None
    return cache.incr(key)


def _check_edit_rate(comment: Comment, *, ip: str | None, now: datetime) -> None:
    window_left = max(
        1, math.ceil((comment.created + EDIT_WINDOW - now).total_seconds())
    )
    # The comment's own EDIT events say how many: only saved edits count,
    # whether or not the cache is up.
    count = comment.events.filter(kind=ModerationEvent.Kind.EDIT).count() + 1
    if count > EDITS_PER_COMMENT:
        raise EditThrottled(
            retry_after=window_left,
            message=f"You have edited this comment {EDITS_PER_COMMENT} times, "
            "which is as often as a comment may be edited. Your change was not "
            "saved.",
        )
    if not ip:
        return
    # Fixed windows per network; with the cache down only the limit above holds.
    stamp = now.timestamp()
    window = int(stamp // IP_WINDOW_SECONDS)
    network = hashlib.sha256(network_key(ip).encode()).hexdigest()[:32]
    count = _count(
        f"comments:edit-rate:ip:{network}:{window}", timeout=IP_WINDOW_SECONDS
    )
    if count is not None and count > EDITS_PER_IP:
        retry_after = max(1, math.ceil((window + 1) * IP_WINDOW_SECONDS - stamp))
        minutes = math.ceil(retry_after / 60)
        raise EditThrottled(
            retry_after=retry_after,
            message="You are editing comments too quickly. Please wait "
            f"{minutes} minute{'s' if minutes != 1 else ''} and try again. "
            "Your change was not saved.",
        )


# Checking the new words -----------------------------------------------------------


def _may_release(comment: Comment) -> bool:
    """Whether the edit's check may decide the comment's status afresh."""
    return (
        comment.status != Status.HELD
        or comment.hold_reason in HoldReason.RELEASABLE_BY_EDIT
    )


def _rule_for_edit(comment: Comment) -> Rule | None:
    """
    Our rules on the new words or, for a comment not yet published, the rule
    that held it when it was posted, which an edit does not lift (its hold
    reason may say only that Akismet failed as well).
    """
    rule = rules_now(comment)
    if rule is None and comment.status != Status.APPROVED:
        rule = rule_from_history(comment)
    return rule


def _check_edit(comment: Comment, *, payload: dict | None) -> Comment:
    rule = _rule_for_edit(comment)
    if rule is not None and rule.status == Status.SPAM:
        return spam_by_rule(comment, rule, reason=f"Edited: {rule.detail}")
    if payload:
        verdict = spam.check_comment({**payload, "recheck_reason": "edit"})
    else:
        verdict = spam.unchecked(
            reason=HoldReason.COULD_NOT_CHECK,
            detail="No stored Akismet payload to check the edit with.",
        )
    final = verdict.checked and not verdict.recheck_after
    if final and verdict.kind in AkismetVerdict.SPAMMY:
        return apply_verdict(comment, verdict, rule=rule, user=comment.user)
    if not _may_release(comment):
        return _stays_held(comment, verdict)
    if rule is not None and not final:
        return _held_by_rule(comment, rule, verdict)
    return apply_verdict(comment, verdict, rule=rule, user=comment.user)


def _event_kind(verdict: spam.Verdict) -> str:
    if verdict.checked:
        return ModerationEvent.Kind.VERDICT
    return ModerationEvent.Kind.FAILURE


def _verdict_details(verdict: spam.Verdict) -> dict:
    return {
        "verdict": verdict.kind.value or "unchecked",
        "recheck_reason": "edit",
        "reason": verdict.reason,
        "detail": verdict.detail,
    }


def _stays_held(comment: Comment, verdict: spam.Verdict) -> Comment:
    said = (
        f"Akismet said {verdict.kind.label.lower()}"
        if verdict.checked
        else "Akismet could not check it"
    )
    return moderation.record(
        comment,
        kind=_event_kind(verdict),
        reason=f"Edited: {said}; still held ({comment.get_hold_reason_display()})",
        details=_verdict_details(verdict),
    )


def _held_by_rule(comment: Comment, rule: Rule, verdict: spam.Verdict) -> Comment:
    """
    Our own rule holds the edit and Akismet gave no final answer: a moderator
    decides, so no recheck is scheduled.
    """
    return move(
        comment,
        Status.HELD,
        kind=_event_kind(verdict),
        reason=f"Edited; held: {rule.detail} (Akismet gave no final answer)",
        hold_reason=rule.hold_reason,
        hold_detail=rule.detail,
        details=_verdict_details(verdict),
        updates={"next_check_at": None},
    )
