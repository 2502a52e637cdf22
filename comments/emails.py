"""
The mail itself, sent through Django's default mailer from tasks (never
inside a request's transaction):

- Moderators (users with the moderate permission and an email): a digest when
  comments are held or reported, at most one per THROTTLE_SECONDS across all
  servers (one that reached nobody does not count), with counts and signed
  one-click approve / spam / remove links.
- Article authors: when a comment on their article is published, unless
  Author.notify_on_comments is off (a signed link in each mail turns it off;
  only a link mailed to the author, on their request, turns it back on).
- Commenters: when someone replies, only if they ticked the box on the form
  and confirmed their address (double opt-in); every mail carries a signed
  one-click unsubscribe link and List-Unsubscribe headers. An unsubscribed
  address gets only the mail its owner asks for to lift that.

Each "tell X about comment Y" is claimed with a conditional UPDATE on the
comment first, so calling these twice (a retried task) sends one mail.
"""

import email.policy
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleAuthor, Author
from comments import tasks, tokens
from comments.models import Comment, ReplySubscription, Status
from comments.selectors.moderator import attention_counts, digest_comments, moderators
from newsarchive import cache

logger = logging.getLogger(__name__)

THROTTLE_SECONDS = 10 * 60
THROTTLE_KEY = "comments:notify:moderators"
DEFERRED_KEY = "comments:notify:moderators:deferred"
DIGEST_ITEMS = 10


class DigestNotSent(Exception):
    """No moderator could be mailed (the window was released for a retry)."""


def _unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# RFC 5322 allows 998 characters a line. Python's default of 78 makes it
# RFC 2047-encode a long unsubscribe URL, which mail clients then ignore.
LONG_LINES = email.policy.default.clone(max_line_length=998)


class _Mail(EmailMessage):
    def message(self, *, policy=LONG_LINES):
        # The SMTP backend passes email.policy.SMTP: keep its line endings.
        return super().message(policy=policy.clone(max_line_length=998))


def _send(
    *, subject: str, template: str, context: dict, to: str, headers: dict | None
) -> None:
    body = render_to_string(template, {"SITE_NAME": settings.SITE_NAME, **context})
    _Mail(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[to],
        headers=headers or {},
    ).send()


def _defer_digest() -> None:
    """A digest was due inside the throttle window: send it when the window ends."""
    task = tasks.notify_moderators
    if not task.get_backend().supports_defer:
        return
    until = cache.get(THROTTLE_KEY) or time.time() + THROTTLE_SECONDS
    if cache.add(DEFERRED_KEY, 1, timeout=THROTTLE_SECONDS):
        when = timezone.now() + timedelta(seconds=max(1, until - time.time()) + 1)
        task.using(run_after=when).enqueue()


def send_moderator_digest() -> int:
    """
    Mail each moderator the held / reported counts; returns mails sent.

    Raises DigestNotSent when every mail failed (SMTP down), having released
    the throttle window, so that the next held comment or scheduler tick
    tries again instead of moderators hearing nothing for ten minutes. It
    raises, not returns 0, because 0 already means "nothing to send" or
    "throttled": the task is then recorded as failed, with the reason.
    """
    counts = attention_counts()
    if not counts["held"] and not counts["reported"]:
        return 0
    recipients = list(moderators())
    if not recipients:
        return 0
    # One digest per window across all servers: only one cache.add wins.
    # With the cache down (None) the digest goes out unthrottled.
    window_ends = time.time() + THROTTLE_SECONDS
    if cache.add(THROTTLE_KEY, window_ends, timeout=THROTTLE_SECONDS) is False:
        _defer_digest()
        return 0
    held, reported = digest_comments(limit=DIGEST_ITEMS)
    # What each link is bound to: it acts only while nothing has happened since.
    events = tokens.latest_event_ids(c.pk for c in [*held, *reported])
    queue_url = tokens.absolute(reverse("admin:comments_comment_moderate"))
    sent = 0
    failure: Exception | None = None
    for user in recipients:
        items = [
            _digest_item(
                comment, user, events=events, actions=("approve", "spam", "remove")
            )
            for comment in held
        ] + [
            _digest_item(comment, user, events=events, actions=("spam", "remove"))
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
        except Exception as exc:
            failure = exc
            logger.exception("Could not mail moderator %s", user.pk)
    if not sent:
        # Ours still (not a later window, had sending outlasted this one).
        if cache.get(THROTTLE_KEY) == window_ends:
            cache.delete(THROTTLE_KEY)
        raise DigestNotSent(
            f"0 of {len(recipients)} moderator digests sent; the window is released"
        ) from failure
    # Some went out: the window stands, and the log names who missed it.
    return sent


def _digest_item(
    comment: Comment, user, *, events: dict[int, int], actions: tuple[str, ...]
) -> dict:
    return {
        "comment": comment,
        "why": comment.hold_detail or comment.get_hold_reason_display(),
        "links": [
            (
                tokens.MODERATE_ACTIONS[a],
                tokens.moderate_url(
                    comment=comment,
                    user=user,
                    action=a,
                    event_id=events.get(comment.pk, 0),
                ),
            )
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
    url = tokens.absolute(comment.get_absolute_url())
    sent = 0
    try:
        for author in authors:
            optout = tokens.author_optout_url(author)
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
    unsubscribe = tokens.unsubscribe_url(email)
    try:
        _send(
            subject=f"{comment.author_name} replied to your comment",
            template="comments/emails/reply.txt",
            context={
                "comment": comment,
                "parent": parent,
                "url": tokens.absolute(comment.get_absolute_url()),
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
    """
    The double opt-in mail; for an address that asked never to be emailed,
    the mail that lifts that, sent only if its owner asked for it since
    (notifications.request_reply_optout_lift).
    """
    subscription = ReplySubscription.objects.filter(email=email.lower()).first()
    if subscription is None or subscription.is_active:
        return False
    optout_at = subscription.unsubscribed_at
    asked_at = subscription.confirmation_sent_at
    if optout_at is not None and (asked_at is None or asked_at < optout_at):
        return False
    unsubscribe = tokens.unsubscribe_url(email)
    _send(
        subject=(
            "Turn reply notifications back on?"
            if optout_at
            else "Please confirm reply notifications"
        ),
        template="comments/emails/reply_confirm.txt",
        context={
            "confirm_url": tokens.confirm_url(email, optout_at=optout_at),
            "unsubscribe_url": unsubscribe,
            "days": tokens.CONFIRM_MAX_AGE // 86400,
            "lifting": optout_at is not None,
        },
        to=subscription.email,
        headers=_unsubscribe_headers(unsubscribe),
    )
    return True


def send_author_optin(*, author_id: int) -> bool:
    """The link that turns an author's comment mails back on, to their address."""
    author = (
        Author.objects.select_related("user")
        .filter(pk=author_id, notify_on_comments=False, user__is_active=True)
        .exclude(user__email="")
        .first()
    )
    if author is None:
        return False
    _send(
        subject="Turn emails about comments back on?",
        template="comments/emails/author_optin.txt",
        context={
            "author": author,
            "optin_url": tokens.author_optin_url(author),
            "days": tokens.CONFIRM_MAX_AGE // 86400,
        },
        to=author.user.email,
        headers=None,
    )
    return True
