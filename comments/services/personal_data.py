"""
Erasing what the comments app keeps about one email address, at its owner's
request (export is comments.selectors.personal_data).

Comments are anonymised in place rather than deleted, as WordPress's eraser
does: the words stay, so replies to them still make sense and threads keep
their shape, but nothing left says who wrote them. The stored Akismet payload
goes too (it repeats the name, address, IP and browser), which also ends any
recheck or spam / ham report that would have sent it.
"""

import dataclasses

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from comments import moderation
from comments.models import (
    Comment,
    CommentReport,
    EventKind,
    ReplyOptoutMarker,
    ReplySubscription,
)
from comments.selectors.personal_data import matching, normalise_email, optout_key
from comments.services.submit import duplicate_key, flood_keys
from newsarchive import cache

ANONYMOUS = "Anonymous"

# Every column of a comment that says who wrote it or from where.
ERASED = {
    "author_name": ANONYMOUS,
    "author_email": "",
    "author_url": "",
    "user": None,
    "ip": None,
    "user_agent": "",
    "referrer": "",
    "akismet_payload": None,
    "notify_replies": False,
    # No payload, no check: a comment still waiting for one waits for a
    # moderator instead.
    "next_check_at": None,
}


@dataclasses.dataclass(frozen=True)
class ErasureReport:
    comments: int = 0
    reports: int = 0
    subscriptions: int = 0


def erase_personal_data(
    *, email: str, actor: AbstractBaseUser | None = None
) -> ErasureReport:
    """
    Anonymise every comment by `email` (one ERASURE history row each, by
    `actor`), strip the reports its owner sent while signed in of their
    account and words, delete its reply-notification record (keeping only a
    hashed marker if it had opted out), and forget the
    flood and duplicate records of those comments. Raises ValidationError
    for a blank or malformed address; an unknown one changes nothing.
    """
    email = normalise_email(email)
    with transaction.atomic():
        comments = list(
            Comment.objects.select_for_update()
            .filter(matching("author_email", email))
            .only("pk", "article_id", "status", "updated", "ip", "body")
            .order_by("pk")
        )
        # Read before the update blanks them: what the cache keys are made of.
        forget = {key for c in comments for key in flood_keys(ip=c.ip, email=email)}
        forget |= {
            duplicate_key(article_id=c.article_id, email=email, body=c.body)
            for c in comments
        }
        moderation.record_many(
            comments,
            kind=EventKind.ERASURE,
            reason="Personal data erased at the author's request",
            actor=actor,
            updates=ERASED,
        )
        # Still counted as one distinct reporter each, but no longer
        # anyone's: the key was a hash of the account.
        reports = CommentReport.objects.filter(matching("user__email", email)).update(
            user=None,
            text="",
            reporter_key=Concat(Value("erased:"), Cast("pk", output_field=CharField())),
        )
        subscribed = ReplySubscription.objects.filter(matching("email", email))
        # "Never email me" must outlive the record that said it.
        optout = (
            subscribed.filter(unsubscribed_at__isnull=False)
            .order_by("-unsubscribed_at")
            .values_list("unsubscribed_at", flat=True)
            .first()
        )
        if optout is not None:
            ReplyOptoutMarker.objects.update_or_create(
                key=optout_key(email), defaults={"unsubscribed_at": optout}
            )
        subscriptions, _ = subscribed.delete()
        # After commit: a rollback must leave the records the rows still match.
        transaction.on_commit(lambda: [cache.delete(key) for key in sorted(forget)])
    return ErasureReport(
        comments=len(comments), reports=reports, subscriptions=subscriptions
    )
