"""
Background work through django.tasks (django-tasks-db's worker in production,
the immediate backend in tests). Each task is idempotent: it re-reads the
comment and does nothing if the work is no longer due.
"""

import dataclasses
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from comments import notifications, services

# Feedback to Akismet: retries after a failure, then left in the history.
REPORT_RETRY_DELAYS_MINUTES = (5, 30, 120)


@task
def recheck_comment(comment_id: int) -> str:
    """Ask Akismet again about a held or unchecked comment whose time has come."""
    comment = services.comment_recheck(comment_id=comment_id)
    return comment.status if comment is not None else "skipped"


@task
def recheck_due_comments() -> dict[str, int]:
    """Every comment whose next check time has come (run every minute)."""
    return services.sweep_due_comments()


@task
def report_moderator_verdict(
    comment_id: int, verdict: str, attempt: int = 1
) -> bool | None:
    """submit-spam / submit-ham with the payload stored at submission."""
    ok = services.report_verdict_to_akismet(comment_id=comment_id, verdict=verdict)
    if ok is False and attempt <= len(REPORT_RETRY_DELAYS_MINUTES):
        retry = report_moderator_verdict
        if retry.get_backend().supports_defer:
            when = timezone.now() + timedelta(
                minutes=REPORT_RETRY_DELAYS_MINUTES[attempt - 1]
            )
            transaction.on_commit(
                lambda: retry.using(run_after=when).enqueue(
                    comment_id, verdict, attempt + 1
                )
            )
    return ok


# Notifications (comments/notifications.py) ------------------------------------------


@task
def notify_moderators() -> int:
    """The held / reported digest for moderators (throttled to one per 10 min)."""
    return notifications.send_moderator_digest()


@task
def notify_comment_published(comment_id: int) -> dict[str, int]:
    """Mail the article's authors and the replied-to commenter, once each."""
    return notifications.send_published_notifications(comment_id=comment_id)


@task
def send_reply_confirmation(email: str) -> bool:
    """The double opt-in mail for reply notifications."""
    return notifications.send_reply_confirmation(email=email)


# Housekeeping -------------------------------------------------------------------------


@task
def purge_comments() -> dict[str, int]:
    """Old spam, removed comments, Akismet payloads and IPs (run daily)."""
    return dataclasses.asdict(services.purge_comments())
