"""
Signed cookies for commenters.

- pending: the ids of the reader's own comments that were not published (held
  or caught as spam, alike), so the article page can show them "awaiting
  moderation" to their author only, for ten minutes.
- editable: the ids of the reader's own published comments of the last ten
  minutes. Together with pending, the comments their author may still edit.
- commenter: name, email and website, kept only when the reader ticks "Save my
  name, email, and website in this browser for the next time I comment."
"""

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from comments.models import Comment

PENDING_COOKIE = "comments_pending"
PENDING_SALT = "comments.pending"
PENDING_MAX_AGE = 600

EDITABLE_COOKIE = "comments_editable"
EDITABLE_SALT = "comments.editable"

COMMENTER_COOKIE = "comments_commenter"
COMMENTER_SALT = "comments.commenter"
COMMENTER_MAX_AGE = 365 * 24 * 60 * 60


def _load(request: HttpRequest, name: str, salt: str, max_age: int):
    raw = request.COOKIES.get(name)
    if not raw:
        return None
    try:
        return signing.loads(raw, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def _set(response: HttpResponse, name: str, value, salt: str, max_age: int) -> None:
    response.set_cookie(
        name,
        signing.dumps(value, salt=salt, compress=True),
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _pending(
    request: HttpRequest | None,
    name: str = PENDING_COOKIE,
    salt: str = PENDING_SALT,
) -> dict[int, float]:
    """Pending ids with the time each was added, dropping expired ones."""
    if request is None:
        return {}
    value = _load(request, name, salt, PENDING_MAX_AGE)
    if not isinstance(value, dict):
        return {}
    now = time.time()
    pending = {}
    for key, added in value.items():
        try:
            comment_id, added = int(key), float(added)
        except (TypeError, ValueError):
            continue
        if now - added < PENDING_MAX_AGE:
            pending[comment_id] = added
    return pending


def remember_pending(
    response: HttpResponse, comment: Comment, *, request: HttpRequest | None = None
) -> None:
    """Let this browser see its own held (or spam) comment for ten minutes."""
    _remember(response, comment, request, PENDING_COOKIE, PENDING_SALT)


def remember_editable(
    response: HttpResponse, comment: Comment, *, request: HttpRequest | None = None
) -> None:
    """Let this browser edit its own published comment for ten minutes."""
    _remember(response, comment, request, EDITABLE_COOKIE, EDITABLE_SALT)


def _remember(
    response: HttpResponse,
    comment: Comment,
    request: HttpRequest | None,
    name: str,
    salt: str,
) -> None:
    pending = _pending(request, name, salt)
    pending[comment.pk] = time.time()
    # Keep the cookie small: the ten most recent are plenty.
    recent = dict(sorted(pending.items(), key=lambda item: item[1])[-10:])
    _set(
        response,
        name,
        {str(k): round(v, 1) for k, v in recent.items()},
        salt,
        PENDING_MAX_AGE,
    )


def pending_comment_ids(request: HttpRequest) -> set[int]:
    return set(_pending(request))


def editable_comment_ids(request: HttpRequest | None) -> set[int]:
    """
    The reader's own comments they may still edit: every comment this browser
    posted in the last ten minutes, held, spam or published, from the two signed
    cookies. editing.can_edit() checks the comment's own age as well.
    """
    return set(_pending(request)) | set(
        _pending(request, EDITABLE_COOKIE, EDITABLE_SALT)
    )


def remember_commenter(
    response: HttpResponse, *, name: str, email: str, url: str
) -> None:
    _set(
        response,
        COMMENTER_COOKIE,
        {"name": name, "email": email, "url": url},
        COMMENTER_SALT,
        COMMENTER_MAX_AGE,
    )


def forget_commenter(response: HttpResponse) -> None:
    response.delete_cookie(COMMENTER_COOKIE, samesite="Lax")


def commenter_details(request: HttpRequest) -> dict:
    """Saved name / email / url (keys author_name, author_email, author_url)."""
    value = _load(request, COMMENTER_COOKIE, COMMENTER_SALT, COMMENTER_MAX_AGE)
    if not isinstance(value, dict):
        return {}
    return {
        f"author_{key}": value[key]
        for key in ("name", "email", "url")
        if isinstance(value.get(key), str) and value[key]
    }
