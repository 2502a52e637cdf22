"""
Write-side actions on comments: the one pipeline every comment goes through.

comment_submit() follows the cheap-checks-first order of the comments issue:
form validation (done by CommentForm before this), honeypot and signed
timestamp, duplicate and flood control through the cache, local rules, then
save as UNCHECKED and ask Akismet, then decide. When Akismet cannot answer
the comment stays saved and held, and a recheck is scheduled with backoff.
"""

import dataclasses
import hashlib
import logging
import math
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from articles.models import Article
from comments import fragments, moderation, notifications, spam, tasks
from comments.forms import HONEYPOT_FIELD
from comments.models import Comment, HoldReason, ModerationEvent, Status, WordRule
from newsarchive.sanitize import clean_comment_html, count_links

logger = logging.getLogger(__name__)

TOO_FAST_SECONDS = 3
FORM_MAX_AGE = timedelta(hours=24)
DUPLICATE_CACHE_SECONDS = 60 * 60
# Backoff after failed checks: 1 min, 5 min, 20 min, then hourly.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=20))
RETRY_HOURLY = timedelta(hours=1)
INVALID_KEY_DELAY = timedelta(hours=6)
# Stored payloads expire, and rechecks stop, this long after submission.
CHECK_WINDOW = timedelta(days=15)
# A recheck claims its comment for this long, so a task and the sweep
# command never check the same comment twice at once.
CLAIM_LEASE = timedelta(minutes=5)
# If the process dies between saving and asking Akismet, the sweep picks it up.
FIRST_CHECK_GRACE = timedelta(minutes=1)


@dataclasses.dataclass(frozen=True)
class RequestMeta:
    ip: str | None
    user_agent: str = ""
    referrer: str = ""


class SubmitError(Exception):
    """A comment refused before it was saved; the view maps each to a status."""

    message = ""

    def __str__(self) -> str:
        return self.message


class CommentsClosed(SubmitError):
    message = "Comments are closed."


class StaleForm(SubmitError):
    message = (
        "This form was open for more than a day. Please check your comment and "
        "send it again."
    )


class DuplicateComment(SubmitError):
    message = "Duplicate comment detected; it looks as though you've already said that!"


class FloodControlled(SubmitError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        self.message = (
            "You are posting comments too quickly. Please wait "
            f"{retry_after} seconds and try again."
        )
        super().__init__(self.message)


@dataclasses.dataclass(frozen=True)
class _Rule:
    status: str  # HELD or SPAM
    hold_reason: str
    detail: str


def _is_staff(user: AbstractBaseUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _gmt(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_payload(
    *,
    article: Article,
    data: dict,
    meta: RequestMeta,
    user: AbstractBaseUser | None,
    created: datetime,
) -> dict:
    """Akismet's comment-check fields, stored as sent for later reports."""
    payload = {
        "blog": settings.AKISMET_SITE_URL,
        "user_ip": meta.ip or "",
        "user_agent": meta.user_agent,
        "referrer": meta.referrer,
        "permalink": settings.SITE_URL + article.get_absolute_url(),
        "comment_type": "reply" if data.get("parent") else "comment",
        "comment_author": data["author_name"],
        "comment_author_email": data["author_email"],
        "comment_author_url": data.get("author_url") or "",
        "comment_content": data["body"],
        "comment_date_gmt": _gmt(created),
        "comment_post_modified_gmt": _gmt(article.updated),
        "blog_lang": translation.to_locale(settings.LANGUAGE_CODE),
        "blog_charset": "UTF-8",
        "honeypot_field_name": HONEYPOT_FIELD,
        HONEYPOT_FIELD: data.get(HONEYPOT_FIELD) or "",
    }
    if user is not None and user.is_authenticated:
        payload["user_role"] = "administrator" if user.is_staff else "subscriber"
    if settings.AKISMET_IS_TEST:
        payload["is_test"] = "1"
    return payload


# Step 2: honeypot and signed timestamp ------------------------------------


def _bot_check(data: dict) -> _Rule | None:
    if data.get(HONEYPOT_FIELD):
        return _Rule(Status.SPAM, HoldReason.HONEYPOT, "The hidden field was filled.")
    age = time.time() - data["timestamp"]
    if age > FORM_MAX_AGE.total_seconds():
        raise StaleForm
    if age < TOO_FAST_SECONDS:
        return _Rule(
            Status.SPAM, HoldReason.TOO_FAST, f"Sent {max(age, 0):.1f} s after loading."
        )
    return None


# Step 3: duplicates and flood control ---------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def _duplicate_check(*, article: Article, data: dict) -> str:
    """Raise DuplicateComment; return the cache key claimed for this one."""
    email = data["author_email"].casefold()
    if (
        Comment.objects.filter(
            article=article, author_email__iexact=email, body=data["body"]
        )
        .exclude(status=Status.REMOVED)
        .exists()
    ):
        raise DuplicateComment
    # Two identical posts racing past the query: only one cache.add wins,
    # also across app servers sharing Redis.
    key = f"comments:dup:{_digest(article.pk, email, data['body'])}"
    if not cache.add(key, 1, timeout=DUPLICATE_CACHE_SECONDS):
        raise DuplicateComment
    return key


def _flood_check(*, meta: RequestMeta, email: str) -> None:
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return
    now = time.time()
    keys = [f"comments:flood:email:{_digest(email.casefold())}"]
    if meta.ip:
        keys.insert(0, f"comments:flood:ip:{_digest(meta.ip)}")
    for key in keys:
        # cache.add is atomic: the first post claims the window, the value
        # says when it ends so the refusal can give Retry-After.
        if not cache.add(key, now + seconds, timeout=seconds):
            until = cache.get(key) or now + seconds
            raise FloodControlled(retry_after=max(1, math.ceil(until - now)))


# Step 4: local rules ----------------------------------------------------------


def _word_rule(*, data: dict, meta: RequestMeta) -> _Rule | None:
    # Like WordPress's disallowed keys: any field, case-insensitive substring.
    haystack = "\n".join(
        [
            data["author_name"],
            data["author_email"],
            data.get("author_url") or "",
            data["body"],
            meta.ip or "",
            meta.user_agent,
        ]
    ).casefold()
    rules = sorted(WordRule.objects.all(), key=lambda r: r.action != "block")
    for rule in rules:
        phrase = rule.phrase.strip().casefold()
        if phrase and phrase in haystack:
            if rule.action == WordRule.Action.BLOCK:
                return _Rule(
                    Status.SPAM, HoldReason.BLOCK_WORD, f"Blocked word “{rule.phrase}”"
                )
            return _Rule(
                Status.HELD, HoldReason.HOLD_WORD, f"Hold word “{rule.phrase}”"
            )
    return None


def _local_rules(
    *,
    article: Article,
    data: dict,
    meta: RequestMeta,
    body_html: str,
    user: AbstractBaseUser | None,
) -> _Rule | None:
    if rule := _word_rule(data=data, meta=meta):
        return rule
    max_links = settings.COMMENTS_MAX_LINKS
    links = count_links(body_html)
    if max_links and links >= max_links:
        return _Rule(Status.HELD, HoldReason.TOO_MANY_LINKS, f"{links} links")
    if article.comments_premoderate:
        return _Rule(Status.HELD, HoldReason.PREMODERATED, "Pre-moderated article")
    if settings.COMMENTS_HOLD_FIRST_TIME and not _is_staff(user):
        approved = Comment.objects.visible()
        if user is not None and user.is_authenticated:
            approved = approved.filter(user=user)
        else:
            approved = approved.filter(author_email__iexact=data["author_email"])
        if not approved.exists():
            return _Rule(Status.HELD, HoldReason.FIRST_TIME, "First-time commenter")
    return None


# The pipeline -----------------------------------------------------------------


def comment_submit(
    *,
    article: Article,
    form_data: dict,
    meta: RequestMeta,
    user: AbstractBaseUser | None = None,
) -> Comment:
    """
    Take one validated comment (CommentForm.cleaned_data) through the pipeline
    and return it saved with its final status. Raises a SubmitError subclass
    (closed, stale form, duplicate, flood) for refusals that save nothing.
    """
    if user is not None and not user.is_authenticated:
        user = None
    if not article.comments_are_open():
        raise CommentsClosed
    bot_rule = _bot_check(form_data)
    dup_key = _duplicate_check(article=article, data=form_data)
    try:
        if not _is_staff(user):
            _flood_check(meta=meta, email=form_data["author_email"])
        body_html = clean_comment_html(form_data["body"])
        rule = bot_rule or _local_rules(
            article=article, data=form_data, meta=meta, body_html=body_html, user=user
        )
        comment = _save_unchecked(
            article=article,
            data=form_data,
            meta=meta,
            user=user,
            body_html=body_html,
            rule=rule,
        )
    except Exception:
        # Refused or failed before saving: the same words may be sent again.
        cache.delete(dup_key)
        raise
    if rule is not None and rule.status == Status.SPAM:
        # Caught by our own cheap checks: Akismet is not asked.
        return moderation.transition(
            comment,
            Status.SPAM,
            reason=rule.detail,
            hold_reason=rule.hold_reason,
            updates={"hold_detail": rule.detail, "next_check_at": None},
        )
    verdict = spam.check_comment(comment.akismet_payload)
    try:
        comment = apply_verdict(comment, verdict, rule=rule, user=user)
    except moderation.ConcurrentModification:
        # A moderator decided while Akismet was being asked; theirs stands.
        comment.refresh_from_db()
    if comment.notify_replies and comment.status != Status.SPAM:
        notifications.request_reply_notifications(email=comment.author_email)
    return comment


@transaction.atomic
def _save_unchecked(
    *,
    article: Article,
    data: dict,
    meta: RequestMeta,
    user: AbstractBaseUser | None,
    body_html: str,
    rule: _Rule | None,
) -> Comment:
    now = timezone.now()
    parent: Comment | None = data.get("parent")
    comment = Comment(
        article=article,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_name=data["author_name"],
        author_email=data["author_email"],
        author_url=data.get("author_url") or "",
        user=user,
        body=data["body"],
        body_html=body_html,
        ip=meta.ip,
        user_agent=meta.user_agent[:1000],
        referrer=meta.referrer[:2000],
        notify_replies=bool(data.get("notify_replies")),
        status=Status.UNCHECKED,
        created=now,
        next_check_at=now + FIRST_CHECK_GRACE,
        akismet_payload_expires_at=now + CHECK_WINDOW,
    )
    comment.akismet_payload = build_payload(
        article=article, data=data, meta=meta, user=user, created=now
    )
    # The form validated every field; clean_fields() re-checks lengths and
    # formats without the queries full_clean() would add for foreign keys.
    comment.clean_fields(exclude=["article", "parent", "root", "user"])
    comment.save()
    ModerationEvent.objects.create(
        comment=comment,
        kind=ModerationEvent.Kind.STATUS,
        from_status="",
        to_status=Status.UNCHECKED,
        reason="Submitted",
        details={
            "rule_hold_reason": rule.hold_reason if rule else "",
            "rule_hold_detail": rule.detail if rule else "",
        },
        created=now,
    )
    return comment


def _rule_from_history(comment: Comment) -> _Rule | None:
    """The local rule that held a comment at submission, for its rechecks."""
    event = (
        comment.events.filter(kind=ModerationEvent.Kind.STATUS, from_status="")
        .only("details")
        .first()
    )
    details = event.details if event else {}
    if details.get("rule_hold_reason"):
        return _Rule(
            Status.HELD,
            details["rule_hold_reason"],
            details.get("rule_hold_detail", ""),
        )
    return None


def retry_delay(*, attempts: int, reason: str) -> timedelta:
    """How long to wait after the `attempts`-th failed check."""
    if reason == HoldReason.AKISMET_INVALID_KEY:
        return INVALID_KEY_DELAY
    if 1 <= attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return RETRY_HOURLY


def _schedule_recheck(comment: Comment) -> None:
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
    rule: _Rule | None,
    user: AbstractBaseUser | None,
) -> Comment:
    """Step 6 and 7: turn Akismet's answer (or its absence) into a status."""
    now = timezone.now()
    attempts = comment.check_attempts + 1
    updates = {"check_attempts": attempts, "checked_at": now}
    details = {"verdict": verdict.kind.value, "attempt": attempts}
    if verdict.headers:
        details["headers"] = verdict.headers
        updates.update(
            akismet_headers=verdict.headers,
            akismet_guid=verdict.header("X-akismet-guid")[:100],
            akismet_pro_tip=verdict.header("X-akismet-pro-tip")[:100],
            akismet_alert_code=verdict.header("X-akismet-alert-code")[:20],
            akismet_alert_msg=verdict.header("X-akismet-alert-msg"),
        )
    if verdict.kind == spam.Kind.UNCHECKED:
        return _check_failed(
            comment, verdict, now=now, updates=updates, details=details
        )
    updates["akismet_verdict"] = verdict.kind.value

    if verdict.recheck_after:
        when = now + timedelta(seconds=verdict.recheck_after)
        updates["next_check_at"] = when
        details["recheck_at"] = when.isoformat()
        comment = _move(
            comment,
            Status.HELD,
            kind=ModerationEvent.Kind.VERDICT,
            reason=f"Akismet asked to check again after {verdict.recheck_after} s",
            hold_reason=HoldReason.AKISMET_PROVISIONAL,
            hold_detail=f"Provisional: Akismet said {verdict.kind.value}",
            details=details,
            updates=updates,
        )
        _schedule_recheck(comment)
        return comment

    updates["next_check_at"] = None
    if verdict.kind in (spam.Kind.SPAM, spam.Kind.DISCARD):
        discard = (
            verdict.kind == spam.Kind.DISCARD
            and settings.COMMENTS_AKISMET_DISCARD
            and not _is_staff(user if user is not None else comment.user)
        )
        updates["discarded"] = discard
        return _move(
            comment,
            Status.SPAM,
            kind=ModerationEvent.Kind.VERDICT,
            reason="Akismet said spam" + (" (discard)" if discard else ""),
            hold_reason=HoldReason.AKISMET_DISCARD
            if verdict.kind == spam.Kind.DISCARD
            else HoldReason.AKISMET_SPAM,
            hold_detail="",
            details=details,
            updates=updates,
        )
    # Ham: published, unless one of our own rules holds it.
    if rule is not None:
        return _move(
            comment,
            Status.HELD,
            kind=ModerationEvent.Kind.VERDICT,
            reason=f"Akismet said ham; held: {rule.detail}",
            hold_reason=rule.hold_reason,
            hold_detail=rule.detail,
            details=details,
            updates=updates,
        )
    return _move(
        comment,
        Status.APPROVED,
        kind=ModerationEvent.Kind.VERDICT,
        reason="Akismet said ham",
        hold_reason="",
        hold_detail="",
        details=details,
        updates=updates,
    )


def _move(
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
    give_up = next_at > comment.created + CHECK_WINDOW
    details.update(reason=verdict.reason, detail=verdict.detail)
    if give_up:
        hold_reason, hold_detail = HoldReason.COULD_NOT_CHECK, verdict.detail
        updates["next_check_at"] = None
    else:
        hold_reason, hold_detail = verdict.reason, verdict.detail
        updates["next_check_at"] = next_at
        details["next_check_at"] = next_at.isoformat()
    comment = _move(
        comment,
        Status.HELD,
        kind=ModerationEvent.Kind.FAILURE,
        reason=verdict.detail or "Akismet could not check this comment",
        hold_reason=hold_reason,
        hold_detail=hold_detail,
        details=details,
        updates=updates,
    )
    if give_up:
        moderation.record(
            comment,
            kind=ModerationEvent.Kind.NOTE,
            reason="Could not be checked for 15 days; left for a moderator",
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
        _schedule_recheck(comment)
    return comment


def comment_recheck(
    *, comment_id: int, reason: str = "retry", force: bool = False
) -> Comment | None:
    """
    Check a waiting comment with Akismet again (the task and the sweep
    command both come here). Returns None when there was nothing to do.
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
    # Claim it: only one worker gets past this conditional UPDATE.
    claimed = Comment.objects.filter(
        pk=comment.pk, status=comment.status, next_check_at=comment.next_check_at
    ).update(next_check_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    comment.next_check_at = now + CLAIM_LEASE
    rule = _rule_from_history(comment)
    try:
        if now > comment.created + CHECK_WINDOW or not comment.akismet_payload:
            verdict = spam.Verdict(
                spam.Kind.UNCHECKED,
                reason=HoldReason.COULD_NOT_CHECK,
                detail="The check window (15 days) has passed.",
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
        if verdict == "spam"
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
    submit = spam.submit_spam if verdict == "spam" else spam.submit_ham
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


# Authors edit their comments ----------------------------------------------------

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
        payload = {**payload, "comment_content": body}
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
    rule = _local_rules(
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
            verdict = spam.Verdict(
                spam.Kind.UNCHECKED,
                reason=HoldReason.COULD_NOT_CHECK,
                detail="No stored Akismet payload to check the edit with.",
            )
        return apply_verdict(comment, verdict, rule=rule, user=comment.user)
    except moderation.ConcurrentModification:
        comment.refresh_from_db()
        return comment


# Housekeeping ------------------------------------------------------------------

SPAM_KEEP = timedelta(days=15)
REMOVED_KEEP = timedelta(days=30)
PURGE_BATCH = 500


@dataclasses.dataclass(frozen=True)
class PurgeReport:
    spam_deleted: int = 0
    removed_deleted: int = 0
    replies_kept: int = 0
    payloads_deleted: int = 0
    ips_anonymised: int = 0


def purge_comments(*, now: datetime | None = None) -> PurgeReport:
    """
    Delete spam untouched for 15 days and removed comments untouched for 30
    (`updated`: a moderator's late decision restarts the clock), delete stored
    Akismet payloads past akismet_payload_expires_at, and replace IP addresses
    older than COMMENTS_ANONYMISE_IP_DAYS with NULL. Replies to deleted
    comments stay, re-attached to their nearest surviving ancestor.
    """
    now = now or timezone.now()
    spam = dict(
        Comment.objects.filter(
            status=Status.SPAM, updated__lt=now - SPAM_KEEP
        ).values_list("pk", "article_id")
    )
    removed = dict(
        Comment.objects.filter(
            status=Status.REMOVED, updated__lt=now - REMOVED_KEEP
        ).values_list("pk", "article_id")
    )
    spam_ids, removed_ids = list(spam), list(removed)
    doomed = set(spam_ids) | set(removed_ids)
    replies_kept = _reattach_replies(doomed) if doomed else 0
    if replies_kept:
        # Re-attached replies may show at another depth: new cached lists.
        for article_id in {*spam.values(), *removed.values()}:
            fragments.bump_comments_version(article_id=article_id)
    doomed_list = sorted(doomed)
    for start in range(0, len(doomed_list), PURGE_BATCH):
        Comment.objects.filter(pk__in=doomed_list[start : start + PURGE_BATCH]).delete()

    payloads = Comment.objects.filter(
        akismet_payload__isnull=False, akismet_payload_expires_at__lt=now
    ).update(akismet_payload=None)

    ips = 0
    days = settings.COMMENTS_ANONYMISE_IP_DAYS
    if days and days > 0:
        old = Comment.objects.filter(created__lt=now - timedelta(days=days))
        ips = old.filter(ip__isnull=False).update(ip=None)
        # A payload kept longer than the IP (a short setting) loses it too.
        for comment in old.filter(akismet_payload__isnull=False).only(
            "pk", "akismet_payload"
        ):
            if comment.akismet_payload.get("user_ip"):
                payload = {**comment.akismet_payload, "user_ip": ""}
                Comment.objects.filter(pk=comment.pk).update(akismet_payload=payload)
    return PurgeReport(
        spam_deleted=len(spam_ids),
        removed_deleted=len(removed_ids),
        replies_kept=replies_kept,
        payloads_deleted=payloads,
        ips_anonymised=ips,
    )


@transaction.atomic
def _reattach_replies(doomed: set[int]) -> int:
    """
    Before deleting `doomed`, hang each surviving reply from its nearest
    surviving ancestor (or make it top-level), keeping root and depth true,
    so whole threads do not drop out of the page. Returns replies moved.
    """
    orphans = Comment.objects.filter(parent_id__in=doomed).exclude(pk__in=doomed)
    roots = {root or pk for root, pk in orphans.values_list("root_id", "pk")}
    if not roots:
        return 0
    rows = Comment.objects.filter(Q(pk__in=roots) | Q(root_id__in=roots)).values_list(
        "pk", "parent_id", "root_id", "depth"
    )
    parent_of = {pk: parent for pk, parent, _, _ in rows}
    current = {pk: (parent, root, depth) for pk, parent, root, depth in rows}

    def surviving_ancestors(pk: int) -> list[int]:
        chain, seen = [], {pk}
        parent = parent_of.get(pk)
        while parent is not None and parent not in seen:
            seen.add(parent)
            if parent not in doomed:
                chain.append(parent)
            parent = parent_of.get(parent)
        return chain  # nearest first

    moved = 0
    for pk in current:
        if pk in doomed:
            continue
        chain = surviving_ancestors(pk)
        new = (
            chain[0] if chain else None,
            chain[-1] if chain else None,
            len(chain),
        )
        if new != current[pk]:
            parent, root, depth = new
            Comment.objects.filter(pk=pk).update(
                parent_id=parent, root_id=root, depth=depth
            )
            moved += 1
    return moved
