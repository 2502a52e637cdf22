"""
The one pipeline every new comment goes through, cheapest checks first:
honeypot and signed timestamp, duplicate and flood control, our own rules,
then save as UNCHECKED and ask Akismet. When Akismet cannot answer, the
comment stays saved and held, and a recheck is scheduled with backoff.
Once saved, a comment is never lost: its check is scheduled with the save,
and an error while deciding it leaves it UNCHECKED for that check.
"""

import hashlib
import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments import moderation, spam
from comments.forms import HONEYPOT_FIELD
from comments.models import Comment, HoldReason, ModerationEvent, Status
from comments.network import network_key
from comments.services.checking import (
    FIRST_CHECK_GRACE,
    apply_verdict,
    payload_keep,
    schedule_check,
    spam_by_rule,
)
from comments.services.rules import Rule, is_staff, local_rules
from comments.visitors import RequestMeta
from newsarchive import cache
from newsarchive.sanitize import clean_comment_html

logger = logging.getLogger(__name__)

TOO_FAST_SECONDS = 3
FORM_MAX_AGE = timedelta(hours=24)
DUPLICATE_CACHE_SECONDS = 60 * 60
# Comments of the flood window looked at when the cache is down.
FLOOD_FALLBACK_ROWS = 500


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


# Honeypot and signed timestamp --------------------------------------------------


def _bot_check(data: dict) -> Rule | None:
    if data.get(HONEYPOT_FIELD):
        return Rule(Status.SPAM, HoldReason.HONEYPOT, "The hidden field was filled.")
    age = time.time() - data["timestamp"]
    if age > FORM_MAX_AGE.total_seconds():
        raise StaleForm
    if age < TOO_FAST_SECONDS:
        return Rule(
            Status.SPAM, HoldReason.TOO_FAST, f"Sent {max(age, 0):.1f} s after loading."
        )
    return None


# Duplicates and flood control ---------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def duplicate_key(*, article_id: int, email: str, body: str) -> str:
    """The cache key that remembers one address's words on one article."""
    return f"comments:dup:{_digest(article_id, email.casefold(), body)}"


def flood_keys(*, ip: str | None, email: str) -> list[str]:
    """The cache keys flood control claims for a post from `ip` and `email`."""
    keys = [f"comments:flood:email:{_digest(email.casefold())}"]
    if ip:
        keys.insert(0, f"comments:flood:ip:{_digest(network_key(ip))}")
    return keys


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
    # also across app servers sharing the cache. With the cache down (None)
    # the query above is the whole check.
    key = duplicate_key(article_id=article.pk, email=email, body=data["body"])
    if cache.add(key, 1, timeout=DUPLICATE_CACHE_SECONDS) is False:
        raise DuplicateComment
    return key


def _flood_check(*, meta: RequestMeta, email: str) -> None:
    seconds = settings.COMMENTS_FLOOD_SECONDS
    if seconds <= 0:
        return
    now = time.time()
    for key in flood_keys(ip=meta.ip, email=email):
        # cache.add is atomic: the first post claims the window, the value
        # says when it ends so the refusal can give Retry-After.
        added = cache.add(key, now + seconds, timeout=seconds)
        if added is False:
            until = cache.get(key) or now + seconds
            raise FloodControlled(retry_after=max(1, math.ceil(until - now)))
    # The cache stops two posts racing each other; the table also remembers
    # the window when the cache is down or came back empty.
    _flood_check_in_database(meta=meta, email=email, seconds=seconds)


def _flood_check_in_database(*, meta: RequestMeta, email: str, seconds: int) -> None:
    """Flood control from the comments table, which outlives the cache."""
    since = timezone.now() - timedelta(seconds=seconds)
    network = network_key(meta.ip) if meta.ip else None
    # The window is seconds long, so its comments are few; an IPv6 /64 is
    # compared in Python, as the stored text of two addresses need not share
    # a prefix.
    recent = (
        Comment.objects.filter(created__gte=since)
        .order_by("-created")
        .values_list("created", "author_email", "ip")[:FLOOD_FALLBACK_ROWS]
    )
    for created, author_email, ip in recent:
        if author_email.casefold() == email.casefold() or (
            network is not None and ip and network_key(ip) == network
        ):
            left = (
                created + timedelta(seconds=seconds) - timezone.now()
            ).total_seconds()
            raise FloodControlled(retry_after=max(1, math.ceil(left)))


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
        if not is_staff(user):
            _flood_check(meta=meta, email=form_data["author_email"])
        body_html = clean_comment_html(form_data["body"])
        rule = bot_rule or local_rules(
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
    try:
        return _decide(comment, rule=rule, user=user)
    except Exception:
        # Saved, so the reader is answered "awaiting moderation" and the
        # check scheduled at saving decides it later; moderators see it as
        # overdue meanwhile.
        logger.exception(
            "Comment %s was saved but could not be decided; it will be checked later",
            comment.pk,
        )
        comment.refresh_from_db()
        return comment


def _decide(
    comment: Comment, *, rule: Rule | None, user: AbstractBaseUser | None
) -> Comment:
    """A saved comment's status: our own spam rules, else Akismet's verdict."""
    if rule is not None and rule.status == Status.SPAM:
        return spam_by_rule(comment, rule, reason=rule.detail)
    verdict = spam.check_comment(comment.akismet_payload)
    try:
        comment = apply_verdict(comment, verdict, rule=rule, user=user)
    except moderation.ConcurrentModification:
        # A moderator decided while Akismet was being asked; theirs stands.
        comment.refresh_from_db()
    return comment


@transaction.atomic
def _save_unchecked(
    *,
    article: Article,
    data: dict,
    meta: RequestMeta,
    user: AbstractBaseUser | None,
    body_html: str,
    rule: Rule | None,
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
        akismet_payload_expires_at=now + payload_keep(),
    )
    comment.akismet_payload = spam.build_payload(
        article=article,
        data=data,
        ip=meta.ip,
        user_agent=meta.user_agent,
        referrer=meta.referrer,
        user=user,
        created=now,
        honeypot_field=HONEYPOT_FIELD,
    )
    # The form validated every field; clean_fields() re-checks lengths and
    # formats without the queries full_clean() would add for foreign keys.
    comment.clean_fields(exclude=["article", "parent", "root", "user"])
    comment.save()
    # Enqueued with the save, before Akismet is asked: if this process dies
    # or errs from here on, the comment is still checked.
    schedule_check(comment)
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
