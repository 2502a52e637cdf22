"""
What happens after a comment changes, scheduled after commit: the one hook
for every status change (pipeline, edits, moderators), and reply
notifications' double opt-in. The mail is sent by tasks (comments/emails.py).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Author
from comments import tasks
from comments.models import (
    Comment,
    HoldReason,
    ReplyOptoutMarker,
    ReplySubscription,
    Status,
)
from comments.selectors.personal_data import optout_key
from newsarchive import cache

CONFIRMATION_RESEND_AFTER = timedelta(days=1)
AUTHOR_OPTIN_KEY = "comments:notify:author-optin"


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
        if comment.notify_replies:
            # Asked for at posting, mailed once the comment is published: a
            # held or spam comment sends nothing (one cannot be told from the
            # other), and a bot cannot use the box to mail strangers.
            request_reply_notifications(email=comment.author_email)
    elif (
        comment.status == Status.HELD
        and from_status != Status.HELD
        and comment.hold_reason not in HoldReason.TRANSIENT
    ):
        moderators_attention()


def _send_confirmation(email: str) -> None:
    transaction.on_commit(lambda: tasks.send_reply_confirmation.enqueue(email))


def request_reply_notifications(*, email: str) -> ReplySubscription | None:
    """
    The reader ticked "email me replies": start the double opt-in.
    Returns the subscription, with a confirmation mail queued unless the
    address is already confirmed or was sent one within the last day.

    An address that asked never to be emailed stays so: ticking the box is
    something anyone can do with any address, so it sends nothing and
    changes nothing. Only the address's owner lifts that
    (request_reply_optout_lift).
    """
    email = email.strip().lower()
    if not email:
        return None
    if _erased_optout(email) is not None:
        # Nothing stored either: the address was erased at its owner's request.
        return None
    subscription, _ = ReplySubscription.objects.get_or_create(email=email)
    if subscription.is_active or subscription.unsubscribed_at is not None:
        return subscription
    now = timezone.now()
    claimed = (
        ReplySubscription.objects.filter(pk=subscription.pk, unsubscribed_at=None)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=now - CONFIRMATION_RESEND_AFTER)
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        _send_confirmation(email)
    return subscription


def _erased_optout(email: str) -> datetime | None:
    """When an erased address had asked never to be emailed, if it had."""
    return (
        ReplyOptoutMarker.objects.filter(key=optout_key(email))
        .values_list("unsubscribed_at", flat=True)
        .first()
    )


def _restore_erased_optout(email: str) -> None:
    """The owner is acting on the address (through a link mailed to it):
    turn an erased address's marker back into its opted-out record, so
    lifting the opt-out works as it does for any address."""
    key = optout_key(email)
    marker = ReplyOptoutMarker.objects.filter(key=key).first()
    if marker is None:
        return
    with transaction.atomic():
        ReplySubscription.objects.get_or_create(
            email=email, defaults={"unsubscribed_at": marker.unsubscribed_at}
        )
        ReplyOptoutMarker.objects.filter(key=key).delete()


def reply_optout(*, email: str) -> datetime | None:
    """When the address asked never to be emailed about replies, if it did."""
    email = email.lower()
    subscription = ReplySubscription.objects.filter(email=email).first()
    if subscription is not None:
        return subscription.unsubscribed_at
    return _erased_optout(email)


def request_reply_optout_lift(*, email: str) -> bool:
    """
    Asked from a page that only a link mailed to the address leads to: mail
    the address a confirmation link that lifts its opt-out, so that only
    someone who reads that mailbox now can lift it. At most one a day, but
    the first after an opt-out always goes. Returns whether one was queued.
    """
    email = email.lower()
    _restore_erased_optout(email)
    now = timezone.now()
    claimed = (
        ReplySubscription.objects.filter(email=email, unsubscribed_at__isnull=False)
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=now - CONFIRMATION_RESEND_AFTER)
            | Q(confirmation_sent_at__lt=F("unsubscribed_at"))
        )
        .update(confirmation_sent_at=now)
    )
    if claimed:
        _send_confirmation(email)
    return bool(claimed)


def confirm_reply_notifications(
    *, email: str, optout_at: datetime | None = None
) -> bool:
    """
    The owner followed a confirmation link mailed while the address's opt-out
    was `optout_at` (None: not opted out). It confirms, and lifts that
    opt-out, only if it is still the one in force: a link mailed before the
    address asked never to be emailed cannot undo that.
    """
    email = email.lower()
    _restore_erased_optout(email)
    ReplySubscription.objects.get_or_create(email=email)
    return bool(
        ReplySubscription.objects.filter(email=email, unsubscribed_at=optout_at).update(
            confirmed_at=timezone.now(), unsubscribed_at=None
        )
    )


def unsubscribe_reply_notifications(*, email: str) -> int:
    return ReplySubscription.objects.filter(
        email=email.lower(), unsubscribed_at__isnull=True
    ).update(unsubscribed_at=timezone.now())


def author_opt_out(*, author_id: int) -> int:
    return Author.objects.filter(pk=author_id).update(notify_on_comments=False)


def author_opted_out(*, author_id: int) -> bool:
    return Author.objects.filter(pk=author_id, notify_on_comments=False).exists()


def request_author_optout_lift(*, author_id: int) -> bool:
    """
    Asked from the page an author's own opt-out link leads to: mail the
    author's address a link that turns comment mails back on (at most one a
    day). Nobody else can turn them on (see AuthorAdmin). Returns whether one
    was queued.
    """
    opted_out = Author.objects.filter(
        pk=author_id, notify_on_comments=False, user__is_active=True
    ).exclude(user__email="")
    if not opted_out.exists():
        return False
    # With the cache down (None) the mail goes out unthrottled.
    if cache.add(f"{AUTHOR_OPTIN_KEY}:{author_id}", 1, timeout=86400) is False:
        return False
    transaction.on_commit(lambda: tasks.send_author_optin.enqueue(author_id))
    return True


def author_opt_in(*, author_id: int) -> int:
    return Author.objects.filter(pk=author_id).update(notify_on_comments=True)
