"""
What the privacy page states, read from the code that makes it true.

Every duration on /privacy/ comes from the constant or setting that governs
it, read when the page is drawn, so the page cannot drift from the code. It
lives in the project package because its facts are the comments app's, and
articles never imports comments.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

from comments import cookies, spam, tokens
from comments.notifications import CONFIRMATION_RESEND_AFTER
from comments.services import checking, editing, reporting, retention, submit
from newsarchive import scheduler, tasks

_UNITS = (
    ("year", 365 * 24 * 3600),
    ("week", 7 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)


def duration(value: timedelta | int | float) -> str:
    """A whole number of the largest unit that divides it: '15 days', '52 weeks'."""
    seconds = int(value.total_seconds() if isinstance(value, timedelta) else value)
    for unit, size in _UNITS:
        count = seconds // size
        # "7 days", as the confirmation mail puts it, rather than "1 week".
        if count >= (2 if unit == "week" else 1) and seconds % size == 0:
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "0 seconds"


def per(value: timedelta | int | float) -> str:
    """How often: 'a day', 'an hour', 'every 2 days'."""
    words = duration(value)
    count, unit = words.split(" ", 1)
    if count == "1":
        return f"{'an' if unit == 'hour' else 'a'} {unit}"
    return f"every {words}"


def _purge_every() -> timedelta:
    return next(j.every for j in scheduler.JOBS if j.name == "purge-comments")


def privacy_context() -> dict:
    """The facts /privacy/ states, as the code and settings have them now."""
    ip_days = settings.COMMENTS_ANONYMISE_IP_DAYS
    return {
        "akismet_fields": list(dict.fromkeys(spam.FIELDS_IN_WORDS.values())),
        "purge_every": per(_purge_every()),
        "task_kept": duration(tasks.SUCCEEDED_KEEP),
        "task_failed_kept": duration(tasks.FAILED_KEEP),
        "purge_within": duration(_purge_every()),
        "keep_spam": duration(retention.spam_keep()),
        "keep_discarded": duration(retention.DISCARD_KEEP),
        "discard_on": settings.COMMENTS_AKISMET_DISCARD,
        "keep_removed": duration(retention.REMOVED_KEEP),
        "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
        "keep_payload": duration(checking.recheck_window()),
        "keep_payload_deleted": duration(checking.payload_keep()),
        "keep_ip": duration(timedelta(days=ip_days)) if ip_days > 0 else None,
        "edit_window": duration(editing.EDIT_WINDOW),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "confirm_link": duration(tokens.CONFIRM_MAX_AGE),
        "confirm_resend": per(CONFIRMATION_RESEND_AFTER),
        "flood": duration(settings.COMMENTS_FLOOD_SECONDS)
        if settings.COMMENTS_FLOOD_SECONDS > 0
        else None,
        "duplicate": duration(submit.DUPLICATE_CACHE_SECONDS),
        "report_rate": duration(reporting.RATE_WINDOW_SECONDS),
        "edit_rate": duration(editing.IP_WINDOW_SECONDS),
        "cookies": [
            {
                "name": cookies.COMMENTER_COOKIE,
                "holds": "the name, email address and website you typed, when "
                "you tick “Save my name, email, and website in this browser”",
                "lasts": duration(cookies.COMMENTER_MAX_AGE),
            },
            {
                "name": cookies.PENDING_COOKIE,
                "holds": "the numbers of your comments that are awaiting "
                "moderation, so that you can see them on the page",
                "lasts": duration(cookies.PENDING_MAX_AGE),
            },
            {
                "name": cookies.EDITABLE_COOKIE,
                "holds": "the numbers of your published comments you may still edit",
                "lasts": duration(cookies.PENDING_MAX_AGE),
            },
            {
                "name": settings.CSRF_COOKIE_NAME,
                "holds": "a random security token, set by pages with a form "
                "(such as the comment form), that stops other sites "
                "sending forms in your name",
                "lasts": duration(settings.CSRF_COOKIE_AGE),
            },
            {
                "name": CookieStorage.cookie_name,
                "holds": "a one-off notice such as “Your comment is awaiting "
                "moderation”, shown on the next page",
                "lasts": "until that page is shown, or you close the browser",
            },
            {
                "name": settings.SESSION_COOKIE_NAME,
                "holds": "your signed-in session; only staff sign in",
                "lasts": duration(settings.SESSION_COOKIE_AGE),
            },
        ],
    }
