"""
Readers report comments; moderators dismiss reports.

A reporter is counted by a keyed hash (HMAC with SECRET_KEY) of their user id,
or of their IP when anonymous: distinct reporters can be counted without
storing the address. At COMMENTS_REPORT_THRESHOLD distinct open reports an
approved comment is held with reason "reported"; below it, it stays published
and shows in the moderation queue's Reported tab.
"""

import collections
import dataclasses
import hashlib
import hmac
import math
import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from comments import moderation, notifications
from comments.models import Comment, CommentReport, HoldReason, ModerationEvent, Status
from comments.network import network_key
from newsarchive import cache

# Per IP, counted in fixed one-hour windows through the shared cache.
REPORTS_PER_HOUR = 10
RATE_WINDOW_SECONDS = 60 * 60


class ReportError(Exception):
    message = ""

    def __str__(self) -> str:
        return self.message


class NotReportable(ReportError):
    message = "This comment cannot be reported."


class ReportRateLimited(ReportError):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        self.message = (
            "You have sent many reports in the last hour. Please try again in "
            f"{math.ceil(retry_after / 60)} minutes."
        )
        super().__init__(self.message)


@dataclasses.dataclass(frozen=True)
class ReportResult:
    report: CommentReport
    # False when this reporter had already reported the comment.
    created: bool
    # Distinct open reporters since a moderator last approved the comment.
    reporters: int
    held: bool


def reporter_key(*, ip: str | None, user: AbstractBaseUser | None = None) -> str:
    """A keyed hash naming one reporter: the account if signed in, else the IP."""
    if user is not None and user.is_authenticated:
        ident = f"user:{user.pk}"
    else:
        ident = f"ip:{network_key(ip)}"
    return hmac.new(
        settings.SECRET_KEY.encode(), ident.encode(), hashlib.sha256
    ).hexdigest()


def _rate_limit(key: str) -> None:
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    cache_key = f"comments:report-rate:{key[:32]}:{window}"
    # add + incr are atomic on locmem and Redis: no two servers share a count.
    cache.add(cache_key, 0, timeout=RATE_WINDOW_SECONDS)
    count = cache.incr(cache_key)
    if count is None:
        # Expired between add and incr, or the cache is down: this report
        # counts as the window's first rather than being refused.
        cache.add(cache_key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    if count > REPORTS_PER_HOUR:
        retry_after = (window + 1) * RATE_WINDOW_SECONDS - now
        raise ReportRateLimited(retry_after=max(1, math.ceil(retry_after)))


def report_comment(
    *,
    comment: Comment,
    reason: str,
    text: str = "",
    ip: str | None,
    user: AbstractBaseUser | None = None,
) -> ReportResult:
    """
    Store one reader's report of an approved comment, and hold the comment
    when enough distinct readers have reported it. The same reader reporting
    again counts once. Raises NotReportable or ReportRateLimited.
    """
    if user is not None and not user.is_authenticated:
        user = None
    if comment.status != Status.APPROVED:
        raise NotReportable
    if reason not in CommentReport.Reason.values:
        raise ValueError(f"unknown report reason {reason!r}")
    key = reporter_key(ip=ip, user=user)
    _rate_limit(reporter_key(ip=ip))

    created = False
    report = (
        CommentReport.objects.open().filter(comment=comment, reporter_key=key).first()
    )
    if report is None:
        try:
            with transaction.atomic():
                report = CommentReport.objects.create(
                    comment=comment,
                    reason=reason,
                    text=text[:1000],
                    user=user,
                    reporter_key=key,
                )
                created = True
        except IntegrityError:
            # The same reader's second click raced the first: one report.
            report = CommentReport.objects.open().get(comment=comment, reporter_key=key)

    reports = list(
        CommentReport.objects.open()
        .filter(comment=comment)
        .values_list("reporter_key", "reason")
    )
    reporters = len({k for k, _ in reports})
    held = False
    if created:
        held = _record_and_maybe_hold(comment, report, reports, reporters)
        notifications.moderators_attention()
    return ReportResult(report=report, created=created, reporters=reporters, held=held)


def _record_and_maybe_hold(
    comment: Comment,
    report: CommentReport,
    reports: list[tuple[str, str]],
    reporters: int,
) -> bool:
    details = {"report_id": report.pk, "reason": report.reason, "reporters": reporters}
    try:
        moderation.record(
            comment,
            kind=ModerationEvent.Kind.REPORT,
            reason=f"Reported by a reader: {report.get_reason_display()}",
            details=details,
        )
    except moderation.ConcurrentModification:
        comment.refresh_from_db()
    threshold = settings.COMMENTS_REPORT_THRESHOLD
    if not threshold or reporters < threshold or comment.status != Status.APPROVED:
        return False
    top_reason, _ = collections.Counter(r for _, r in reports).most_common(1)[0]
    label = CommentReport.Reason(top_reason).label.lower()
    detail = f"reported {reporters}× — {label}"
    try:
        moderation.transition(
            comment,
            Status.HELD,
            reason=f"Held after reports from {reporters} readers",
            hold_reason=HoldReason.REPORTED,
            details=details,
            updates={"hold_detail": detail},
        )
    except (moderation.ConcurrentModification, moderation.TransitionNotAllowed):
        # A moderator acted meanwhile; their decision stands.
        return False
    return True
