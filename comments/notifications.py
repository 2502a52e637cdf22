"""
What happens after a comment changes, scheduled after commit: the one hook
for every status change (pipeline, edits, moderators), and reply
notifications' double opt-in. The mail is sent by tasks (comments/emails.py).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Author
from comments import tasks
from comments.models import Comment, HoldReason, ReplySubscription, Status

CONFIRMATION_RESEND_AFTER = timedelta(days=1)


def moderators_attention() -> None:
    """A comment was held or reported: mail moderators after commit (throttled)."""
    transaction.on_commit(lambda: tasks.notify_moderators.enqueue())


def comment_published(comment: Comment) -> None:
    """`comment` became visible: tell the article's authors and the parent's author."""
    comment_id = comment.pk
    transaction.on_commit(lambda: tasks.notify_comment_published.enqueue(comment_id))


def status_changed(comment: Comment, *, from_status: str) -> None:
    """The one hook for a comment's new status (pipeline, edits, moderators)."""
    if comment.status == Status.APPROVED and from_status != Status.APPROVED:
        comment_published(comment)
    elif (
        comment.status == Status.HELD
        and from_status != Status.HELD
        and comment.hold_reason not in HoldReason.TRANSIENT
    ):
        moderators_attention()


def request_reply_notifications(*, email: str) -> ReplySubscription | None:
    """
    The reader ticked "email me replies": start (or restart) the double opt-in.
    Returns the subscription, with a confirmation mail queued unless the
    address is already confirmed or was sent one within the last day.
    """
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
