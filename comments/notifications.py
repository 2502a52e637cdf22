"""
Mail about comments, sent through Django's default mailer from tasks that are
enqueued after commit (never inside a request's transaction).

- Moderators (users with comments.moderate_comment and an email): a digest
  when comments are held or reported, at most one per THROTTLE_SECONDS across
  all servers (cache.add), with counts and signed one-click approve / spam /
  remove links that open a confirmation page.
- Article authors: when a comment on their article is published, unless
  Author.notify_on_comments is off (a signed link in each mail turns it off).
- Commenters: when someone replies, only if they ticked the box on the form
  and confirmed their address (double opt-in); every mail carries a signed
  one-click unsubscribe link and List-Unsubscribe headers.

Each "tell X about comment Y" is claimed with a conditional UPDATE on the
comment first, so calling these twice (pipeline and moderator, a retried
task) sends one mail.
"""

import dataclasses
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleAuthor, Author
from comments.models import (
    Comment,
    CommentReport,
    HoldReason,
    ReplySubscription,
    Status,
)

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = "comments.moderate_comment"
THROTTLE_SECONDS = 10 * 60
THROTTLE_KEY = "comments:notify:moderators"
DEFERRED_KEY = "comments:notify:moderators:deferred"
DIGEST_ITEMS = 10

MODERATE_SALT = "comments.moderate-link"
MODERATE_MAX_AGE = 7 * 24 * 60 * 60
MODERATE_ACTIONS = {"approve": "Approve", "spam": "Spam", "remove": "Remove"}

CONFIRM_SALT = "comments.replies.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
CONFIRMATION_RESEND_AFTER = timedelta(days=1)
UNSUBSCRIBE_SALT = "comments.replies.unsubscribe"
AUTHOR_OPTOUT_SALT = "comments.authors.optout"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# Signed links ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ModerateLink:
    comment_id: int
    user_id: int
    action: str
    # The status the comment had when the mail went out: a link acts once,
    # and never on a comment that someone has moved since.
    status: str


def moderate_token(*, comment: Comment, user: AbstractBaseUser, action: str) -> str:
    if action not in MODERATE_ACTIONS:
        raise ValueError(action)
    return signing.dumps(
        {"c": comment.pk, "u": user.pk, "a": action, "s": comment.status},
        salt=MODERATE_SALT,
    )


def read_moderate_token(token: str) -> ModerateLink:
    """Raises signing.BadSignature (tampered or expired) or ValueError."""
    data = signing.loads(token, salt=MODERATE_SALT, max_age=MODERATE_MAX_AGE)
    try:
        link = ModerateLink(
            comment_id=int(data["c"]),
            user_id=int(data["u"]),
            action=str(data["a"]),
            status=str(data["s"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("malformed moderation link") from exc
    if link.action not in MODERATE_ACTIONS:
        raise ValueError("unknown action")
    return link


def moderate_url(*, comment: Comment, user: AbstractBaseUser, action: str) -> str:
    token = moderate_token(comment=comment, user=user, action=action)
    return _absolute(reverse("comments:moderate_link", kwargs={"token": token}))


def _email_token(email: str, salt: str) -> str:
    return signing.dumps({"e": email.lower()}, salt=salt)


def read_email_token(token: str, *, salt: str, max_age: int | None = None) -> str:
    data = signing.loads(token, salt=salt, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise signing.BadSignature("malformed token")
    return data["e"]


def confirm_url(email: str) -> str:
    token = _email_token(email, CONFIRM_SALT)
    return _absolute(reverse("comments:replies_confirm", kwargs={"token": token}))


def unsubscribe_url(email: str) -> str:
    token = _email_token(email, UNSUBSCRIBE_SALT)
    return _absolute(reverse("comments:replies_unsubscribe", kwargs={"token": token}))


def author_optout_url(author: Author) -> str:
    token = signing.dumps({"a": author.pk}, salt=AUTHOR_OPTOUT_SALT)
    return _absolute(reverse("comments:author_optout", kwargs={"token": token}))


def read_author_optout_token(token: str) -> int:
    data = signing.loads(token, salt=AUTHOR_OPTOUT_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        raise signing.BadSignature("malformed token")
    return data["a"]


def _unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _send(
    *, subject: str, template: str, context: dict, to: str, headers: dict | None
) -> None:
    body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context})
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[to],
        headers=headers or {},
    ).send()


# Scheduling (called from services, reports and views) -----------------------------


def moderators_attention() -> None:
    """A comment was held or reported: mail moderators after commit (throttled)."""
    from comments import tasks

    transaction.on_commit(lambda: tasks.notify_moderators.enqueue())


def comment_published(comment: Comment) -> None:
    """`comment` became visible: tell the article's authors and the parent's author."""
    from comments import tasks

    comment_id = comment.pk
    transaction.on_commit(lambda: tasks.notify_comment_published.enqueue(comment_id))


# Held while a retry is due soon: no moderator is needed unless it gives up.
TRANSIENT_HOLDS = frozenset(
    {
        HoldReason.AKISMET_UNREACHABLE,
        HoldReason.AKISMET_ERROR,
        HoldReason.AKISMET_PROVISIONAL,
    }
)


def status_changed(comment: Comment, *, from_status: str) -> None:
    """The one hook for a comment's new status (pipeline, edits, moderators)."""
    if comment.status == Status.APPROVED and from_status != Status.APPROVED:
        comment_published(comment)
    elif (
        comment.status == Status.HELD
        and from_status != Status.HELD
        and comment.hold_reason not in TRANSIENT_HOLDS
    ):
        moderators_attention()


def request_reply_notifications(*, email: str) -> ReplySubscription | None:
    """
    The reader ticked "email me replies": start (or restart) the double opt-in.
    Returns the subscription, with a confirmation mail queued unless the
    address is already confirmed or was sent one within the last day.
    """
    from comments import tasks

    email = email.strip().lower()
    if not email:
        return None
    subscription, _ = ReplySubscription.objects.get_or_create(email=email)
    if subscription.is_active:
        return subscription
    now = timezone.now()
    if subscription.unsubscribed_at is not None:
        # Opting in again after unsubscribing: confirm the address again.
        ReplySubscription.objects.filter(pk=subscription.pk).update(
            unsubscribed_at=None, confirmed_at=None, confirmation_sent_at=None
        )
        subscription.refresh_from_db()
    claimed = (
        ReplySubscription.objects.filter(pk=subscription.pk)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=now - CONFIRMATION_RESEND_AFTER)
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        transaction.on_commit(lambda: tasks.send_reply_confirmation.enqueue(email))
    return subscription


def confirm_reply_notifications(*, email: str) -> ReplySubscription:
    subscription, _ = ReplySubscription.objects.get_or_create(email=email.lower())
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return subscription


def unsubscribe_reply_notifications(*, email: str) -> int:
    return ReplySubscription.objects.filter(
        email=email.lower(), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())


def author_opt_out(*, author_id: int) -> int:
    return Author.objects.filter(pk=author_id).update(notify_on_comments=False)


# Sending (called from tasks) -------------------------------------------------------


def moderators():
    """Active users allowed to moderate, with an email address."""
    return (
        get_user_model()
        .objects.with_perm(MODERATE_PERMISSION, include_superusers=True)
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _reported():
    return Exists(
        CommentReport.objects.filter(comment=OuterRef("pk"), dismissed_at__isnull=True)
    )


def attention_counts() -> dict[str, int]:
    held = Comment.objects.filter(status=Status.HELD).count()
    reported = (
        Comment.objects.filter(status=Status.APPROVED).filter(_reported()).count()
    )
    return {"held": held, "reported": reported}


def _defer_digest() -> None:
    """A digest was due inside the throttle window: send it when the window ends."""
    from comments import tasks

    task = tasks.notify_moderators
    if not task.get_backend().supports_defer:
        return
    until = cache.get(THROTTLE_KEY) or time.time() + THROTTLE_SECONDS
    if cache.add(DEFERRED_KEY, 1, timeout=THROTTLE_SECONDS):
        when = timezone.now() + timedelta(seconds=max(1, until - time.time()) + 1)
        task.using(run_after=when).enqueue()


def send_moderator_digest() -> int:
    """Mail each moderator the held / reported counts; returns mails sent."""
    counts = attention_counts()
    if not counts["held"] and not counts["reported"]:
        return 0
    recipients = list(moderators())
    if not recipients:
        return 0
    # One digest per window across all servers: only one cache.add wins.
    if not cache.add(
        THROTTLE_KEY, time.time() + THROTTLE_SECONDS, timeout=THROTTLE_SECONDS
    ):
        _defer_digest()
        return 0
    held = list(
        Comment.objects.filter(status=Status.HELD)
        .select_related("article")
        .order_by("-created", "-id")[:DIGEST_ITEMS]
    )
    reported = list(
        Comment.objects.filter(status=Status.APPROVED)
        .filter(_reported())
        .select_related("article")
        .order_by("-created", "-id")[:DIGEST_ITEMS]
    )
    queue_url = _absolute(reverse("admin:comments_comment_changelist"))
    sent = 0
    for user in recipients:
        items = [
            _digest_item(comment, user, actions=("approve", "spam", "remove"))
            for comment in held
        ] + [
            _digest_item(comment, user, actions=("spam", "remove"))
            for comment in reported
        ]
        subject = f"{counts['held']} held, {counts['reported']} reported comments"
        try:
            _send(
                subject=subject,
                template="comments/emails/moderators_digest.txt",
                context={
                    "user": user,
                    "counts": counts,
                    "items": items,
                    "queue_url": queue_url,
                },
                to=user.email,
                headers=None,
            )
            sent += 1
        except Exception:
            logger.exception("Could not mail moderator %s", user.pk)
    return sent


def _digest_item(comment: Comment, user, *, actions: tuple[str, ...]) -> dict:
    return {
        "comment": comment,
        "why": comment.hold_detail or comment.get_hold_reason_display(),
        "links": [
            (MODERATE_ACTIONS[a], moderate_url(comment=comment, user=user, action=a))
            for a in actions
        ],
    }


def _claim(comment: Comment, field: str) -> bool:
    return bool(
        Comment.objects.filter(pk=comment.pk, **{f"{field}__isnull": True}).update(
            **{field: timezone.now()}
        )
    )


def _unclaim(comment: Comment, field: str) -> None:
    Comment.objects.filter(pk=comment.pk).update(**{field: None})


def send_published_notifications(*, comment_id: int) -> dict[str, int]:
    """Tell the article's authors and the replied-to commenter; once each."""
    comment = (
        Comment.objects.select_related("article", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.status != Status.APPROVED:
        return {"authors": 0, "replies": 0}
    return {
        "authors": _notify_authors(comment),
        "replies": _notify_reply(comment),
    }


def _notify_authors(comment: Comment) -> int:
    bylines = (
        ArticleAuthor.objects.filter(
            article_id=comment.article_id,
            author__notify_on_comments=True,
            author__user__is_active=True,
        )
        .exclude(author__user__email="")
        .select_related("author__user")
        .order_by("position", "id")
    )
    authors = [
        byline.author
        for byline in bylines
        # Not about their own comment.
        if byline.author.user_id != comment.user_id
        and byline.author.user.email.lower() != comment.author_email.lower()
    ]
    if not authors or not _claim(comment, "authors_notified_at"):
        return 0
    url = _absolute(comment.get_absolute_url())
    sent = 0
    try:
        for author in authors:
            optout = author_optout_url(author)
            _send(
                subject=f"New comment on “{comment.article.title}”",
                template="comments/emails/author_new_comment.txt",
                context={
                    "author": author,
                    "comment": comment,
                    "url": url,
                    "optout_url": optout,
                },
                to=author.user.email,
                headers=_unsubscribe_headers(optout),
            )
            sent += 1
    except Exception:
        if not sent:
            # Nothing went out: let a retry try again.
            _unclaim(comment, "authors_notified_at")
        raise
    return sent


def _notify_reply(comment: Comment) -> int:
    parent = comment.parent
    if parent is None or not parent.notify_replies:
        return 0
    if parent.status in (Status.SPAM, Status.REMOVED):
        return 0
    email = parent.author_email.lower()
    if email == comment.author_email.lower():
        return 0
    subscription = ReplySubscription.objects.filter(email=email).first()
    if subscription is None or not subscription.is_active:
        return 0
    if not _claim(comment, "reply_notified_at"):
        return 0
    unsubscribe = unsubscribe_url(email)
    try:
        _send(
            subject=f"{comment.author_name} replied to your comment",
            template="comments/emails/reply.txt",
            context={
                "comment": comment,
                "parent": parent,
                "url": _absolute(comment.get_absolute_url()),
                "unsubscribe_url": unsubscribe,
            },
            to=email,
            headers=_unsubscribe_headers(unsubscribe),
        )
    except Exception:
        _unclaim(comment, "reply_notified_at")
        raise
    return 1


def send_reply_confirmation(*, email: str) -> bool:
    subscription = ReplySubscription.objects.filter(email=email.lower()).first()
    if subscription is None or subscription.is_active:
        return False
    unsubscribe = unsubscribe_url(email)
    _send(
        subject="Please confirm reply notifications",
        template="comments/emails/reply_confirm.txt",
        context={
            "confirm_url": confirm_url(email),
            "unsubscribe_url": unsubscribe,
            "days": CONFIRM_MAX_AGE // 86400,
        },
        to=subscription.email,
        headers=_unsubscribe_headers(unsubscribe),
    )
    return True
