"""An author edits their comment within EDIT_WINDOW of posting it."""

from datetime import datetime, timedelta

from django.utils import timezone

from comments import moderation, spam
from comments.models import Comment, HoldReason, ModerationEvent, Status
from comments.services.checking import apply_verdict
from comments.services.rules import local_rules
from comments.visitors import RequestMeta
from newsarchive.sanitize import clean_comment_html

# How long after posting the author may edit (with the pending cookie).
EDIT_WINDOW = timedelta(minutes=10)
EDITABLE = frozenset({Status.UNCHECKED, Status.HELD, Status.APPROVED})


class EditNotAllowed(Exception):
    message = "This comment can no longer be edited."

    def __str__(self) -> str:
        return self.message


def can_edit(comment: Comment, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return comment.status in EDITABLE and now - comment.created <= EDIT_WINDOW


def comment_edit(
    *, comment: Comment, body: str, now: datetime | None = None
) -> Comment:
    """
    The author's edit within EDIT_WINDOW (the caller checked the signed
    cookie): re-sanitise, record an EDIT event, then check the new words like
    a new comment (local rules, then Akismet with recheck_reason=edit, the
    stored payload updated so later spam / ham reports send what is shown).
    Raises EditNotAllowed.
    """
    now = now or timezone.now()
    if not can_edit(comment, now=now):
        raise EditNotAllowed
    if body == comment.body:
        return comment
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
    data = {
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "body": body,
    }
    meta = RequestMeta(ip=comment.ip, user_agent=comment.user_agent)
    rule = local_rules(
        article=comment.article,
        data=data,
        meta=meta,
        body_html=body_html,
        user=comment.user,
    )
    try:
        if rule is not None and rule.status == Status.SPAM:
            return moderation.transition(
                comment,
                Status.SPAM,
                reason=f"Edited: {rule.detail}",
                hold_reason=rule.hold_reason,
                updates={"hold_detail": rule.detail, "next_check_at": None},
            )
        if payload:
            verdict = spam.check_comment({**payload, "recheck_reason": "edit"})
        else:
            verdict = spam.unchecked(
                reason=HoldReason.COULD_NOT_CHECK,
                detail="No stored Akismet payload to check the edit with.",
            )
        return apply_verdict(comment, verdict, rule=rule, user=comment.user)
    except moderation.ConcurrentModification:
        comment.refresh_from_db()
        return comment
