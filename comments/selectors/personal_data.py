"""
Everything the comments app keeps about one email address, for a reader's
request to see it: their comments (with what was stored alongside each and
its history), the reports they sent while signed in, the reports others made
about their comments (without who made them or what they wrote, which is
the reporters' data), and their reply-notification record.
"""

import contextlib
import re
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from comments.models import (
    Comment,
    CommentReport,
    EventKind,
    ModerationEvent,
    ReplySubscription,
)


def normalise_email(email: str) -> str:
    """The address a request is for, lower-cased; ValidationError if it is none.

    Erased comments keep a blank address, so a blank one must never get
    this far: it would match every one of them.
    """
    email = (email or "").strip()
    if not email:
        raise ValidationError("Enter the email address the request is about.")
    validate_email(email)
    return email.lower()


def _domain_forms(domain: str) -> list[str]:
    """The domain as typed, in Unicode and in its ASCII (punycode) form."""
    forms = [domain]
    for convert in (
        lambda d: d.encode("idna").decode("ascii"),
        lambda d: d.encode("ascii").decode("idna"),
    ):
        # Not every domain has the other form (a label too long, say).
        with contextlib.suppress(UnicodeError):
            forms.append(convert(domain).lower())
    return sorted(set(forms))


def optout_key(email: str) -> str:
    """The ReplyOptoutMarker key of `email`: a keyed hash of one form of it
    (lower case, domain in punycode), so no table holds the address."""
    local, _, domain = email.strip().lower().rpartition("@")
    ascii_domain = next((d for d in _domain_forms(domain) if d.isascii()), domain)
    return salted_hmac(
        "comments.reply-optout", f"{local}@{ascii_domain}", algorithm="sha256"
    ).hexdigest()


def matching(field: str, email: str) -> Q:
    """
    Rows whose `field` is `email` in any case, its domain in Unicode or
    punycode. A case-insensitive regex rather than iexact: SQLite's iexact
    and lower() fold only ASCII letters, while its REGEXP is Python's re,
    which folds every letter, as PostgreSQL's ~* does.
    """
    local, _, domain = email.rpartition("@")
    domains = "|".join(re.escape(d) for d in _domain_forms(domain))
    return Q(**{f"{field}__iregex": f"^{re.escape(local)}@({domains})$"})


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _event(event: ModerationEvent) -> dict:
    row = {
        "at": _when(event.created),
        "what": EventKind(event.kind).label,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.reason,
    }
    # The words an edit replaced are the author's own; other details are
    # Akismet's and the site's workings.
    if "previous_body" in event.details:
        row["previous_text"] = event.details["previous_body"]
    return row


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "url": settings.SITE_URL + comment.get_absolute_url(),
        "article": {
            "title": comment.article.title,
            "url": settings.SITE_URL + comment.article.get_absolute_url(),
        },
        "in_reply_to": comment.parent_id,
        "status": comment.status,
        "posted_at": _when(comment.created),
        "edited_at": _when(comment.edited_at),
        "name": comment.author_name,
        "email": comment.author_email,
        "website": comment.author_url,
        "signed_in": comment.user_id is not None,
        "text": comment.body,
        "ip_address": comment.ip,
        "user_agent": comment.user_agent,
        "came_from": comment.referrer,
        "asked_for_reply_notifications": comment.notify_replies,
        "sent_to_akismet": comment.akismet_payload,
        "akismet_verdict": comment.akismet_verdict,
        "history": [_event(e) for e in comment.events.all()],
        "reports": [
            {
                "reason": report.get_reason_display(),
                "reported_at": _when(report.created),
                "dismissed": report.dismissed_at is not None,
            }
            for report in comment.reports.all()
        ],
    }


def personal_data(*, email: str) -> dict:
    """The export for `email` as JSON-ready data, in five queries."""
    email = normalise_email(email)
    comments = (
        Comment.objects.filter(matching("author_email", email))
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "events", queryset=ModerationEvent.objects.order_by("created", "id")
            ),
            Prefetch("reports", queryset=CommentReport.objects.order_by("created")),
        )
        .order_by("created", "id")
    )
    reports_sent = CommentReport.objects.filter(
        matching("user__email", email)
    ).order_by("created", "id")
    subscription = ReplySubscription.objects.filter(matching("email", email)).first()
    return {
        "email": email,
        "site": settings.SITE_URL,
        "exported_at": _when(timezone.now()),
        "comments": [_comment(c) for c in comments],
        "reports_sent": [
            {
                "comment_id": report.comment_id,
                "reason": report.get_reason_display(),
                "text": report.text,
                "reported_at": _when(report.created),
                "dismissed": report.dismissed_at is not None,
            }
            for report in reports_sent
        ],
        "reply_notifications": {
            "email": subscription.email,
            "asked_at": _when(subscription.created),
            "confirmed_at": _when(subscription.confirmed_at),
            "unsubscribed_at": _when(subscription.unsubscribed_at),
            "confirmation_sent_at": _when(subscription.confirmation_sent_at),
        }
        if subscription is not None
        else None,
    }


def stored_counts(*, email: str) -> dict[str, int]:
    """How much erasing `email` would change, for the question before it."""
    email = normalise_email(email)
    return {
        "comments": Comment.objects.filter(matching("author_email", email)).count(),
        "reports": CommentReport.objects.filter(matching("user__email", email)).count(),
        "subscriptions": ReplySubscription.objects.filter(
            matching("email", email)
        ).count(),
    }
