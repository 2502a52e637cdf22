"""
Background work through django.tasks (django-tasks-db's worker in production,
the immediate backend in tests). Each task is idempotent: it re-reads the
comment and does nothing if the work is no longer due.

Task bodies import the module they run inside the function: services and
mail enqueue these tasks, so importing them here would make a cycle.
"""

import dataclasses
from datetime import timedelta

from django.db import transaction
from django.tasks import task
from django.utils import timezone

# Feedback to Akismet: retries after a failure, then left in the history.
REPORT_RETRY_DELAYS_MINUTES = (5, 30, 120)


@task
def recheck_comment(comment_id: int) -> str:
    """Ask Akismet again about a held or unchecked comment whose time has come."""
    from comments.services.checking import comment_recheck

    comment = comment_recheck(comment_id=comment_id)
    return comment.status if comment is not None else "skipped"


@task
def recheck_due_comments() -> dict[str, int]:
    """Every comment whose next check time has come (run every minute)."""
    from comments.services.checking import sweep_due_comments

    return sweep_due_comments()


@task
def report_moderator_verdict(
    comment_id: int, verdict: str, attempt: int = 1
) -> bool | None:
    """submit-spam / submit-ham with the payload stored at submission."""
    from comments.services.checking import report_verdict_to_akismet

    ok = report_verdict_to_akismet(comment_id=comment_id, verdict=verdict)
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


# Mail (comments/emails.py) ------------------------------------------------------


@task
def notify_moderators() -> int:
    """The held / reported digest for moderators (throttled to one per 10 min)."""
    from comments.emails import send_moderator_digest

    return send_moderator_digest()


@task
def notify_comment_published(comment_id: int) -> dict[str, int]:
    """Mail the article's authors and the replied-to commenter, once each."""
    from comments.emails import send_published_notifications

    return send_published_notifications(comment_id=comment_id)


@task
def send_reply_confirmation(email: str) -> bool:
    """The double opt-in mail for reply notifications."""
    from comments.emails import send_reply_confirmation

    return send_reply_confirmation(email=email)


@task
def send_author_optin(author_id: int) -> bool:
    """The link that turns an author's comment mails back on, asked for by them."""
    from comments.emails import send_author_optin

    return send_author_optin(author_id=author_id)


# Housekeeping -----------------------------------------------------------------


@task
def purge_comments() -> dict[str, int]:
    """Old spam, removed comments, Akismet payloads and IPs (run daily)."""
    from comments.services.retention import purge_comments

    return dataclasses.asdict(purge_comments())
