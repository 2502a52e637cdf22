"""
Signed tokens for the links in mail: moderators' one-click actions,
reply-notification confirm / unsubscribe, authors' opt-out, and the links
that lift an opt-out, mailed only to the address that opted out.
"""

import dataclasses
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db.models import Max
from django.urls import reverse

from articles.models import Author
from comments.models import Comment, ModerationEvent

MODERATE_SALT = "comments.moderate-link"
MODERATE_MAX_AGE = 7 * 24 * 60 * 60
MODERATE_ACTIONS = {"approve": "Approve", "spam": "Spam", "remove": "Remove"}

CONFIRM_SALT = "comments.replies.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
UNSUBSCRIBE_SALT = "comments.replies.unsubscribe"
AUTHOR_OPTOUT_SALT = "comments.authors.optout"
AUTHOR_OPTIN_SALT = "comments.authors.optin"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@dataclasses.dataclass(frozen=True)
class ModerateLink:
    comment_id: int
    user_id: int
    action: str
    # The comment's latest ModerationEvent when the mail went out (0: none).
    # Any change writes a newer one, the link's own action included, so a
    # link acts once, and never on a comment that anything happened to since.
    event_id: int


def latest_event_ids(comment_ids: Iterable[int]) -> dict[int, int]:
    """Each comment's newest ModerationEvent id; comments without one are left out."""
    return dict(
        ModerationEvent.objects.filter(comment_id__in=list(comment_ids))
        .values("comment_id")
        .annotate(latest=Max("id"))
        .values_list("comment_id", "latest")
    )


def latest_event_id(comment_id: int) -> int:
    return latest_event_ids([comment_id]).get(comment_id, 0)


def moderate_token(
    *,
    comment: Comment,
    user: AbstractBaseUser,
    action: str,
    event_id: int | None = None,
) -> str:
    """`event_id` saves a query when the caller has latest_event_ids() at hand."""
    if action not in MODERATE_ACTIONS:
        raise ValueError(action)
    if event_id is None:
        event_id = latest_event_id(comment.pk)
    return signing.dumps(
        {"c": comment.pk, "u": user.pk, "a": action, "e": event_id},
        salt=MODERATE_SALT,
    )


def read_moderate_token(token: str) -> ModerateLink:
    """Raises signing.BadSignature (tampered or expired) or ValueError."""
    data = signing.loads(token, salt=MODERATE_SALT, max_age=MODERATE_MAX_AGE)
    try:
        link = ModerateLink(
            comment_id=int(data["c"]),
            user_id=int(data["u"]),
            action=str(data["a"]),
            event_id=int(data["e"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("malformed moderation link") from exc
    if link.action not in MODERATE_ACTIONS:
        raise ValueError("unknown action")
    return link


def moderate_url(
    *,
    comment: Comment,
    user: AbstractBaseUser,
    action: str,
    event_id: int | None = None,
) -> str:
    token = moderate_token(comment=comment, user=user, action=action, event_id=event_id)
    return absolute(reverse("comments:moderate_link", kwargs={"token": token}))


def _email_token(email: str, salt: str) -> str:
    return signing.dumps({"e": email.lower()}, salt=salt)


def read_email_token(token: str, *, salt: str, max_age: int | None = None) -> str:
    data = signing.loads(token, salt=salt, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise signing.BadSignature("malformed token")
    return data["e"]


@dataclasses.dataclass(frozen=True)
class ConfirmLink:
    email: str
    # The opt-out ("never email this address") in force when the link was
    # mailed, or None: a link confirms only while that is still the case, so
    # one mailed before an opt-out cannot undo it, and one mailed to lift an
    # opt-out lifts that one only.
    optout_at: datetime | None


def confirm_url(email: str, *, optout_at: datetime | None = None) -> str:
    data = {"e": email.lower()}
    if optout_at is not None:
        data["u"] = optout_at.isoformat()
    token = signing.dumps(data, salt=CONFIRM_SALT)
    return absolute(reverse("comments:replies_confirm", kwargs={"token": token}))


def read_confirm_token(token: str) -> ConfirmLink:
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise signing.BadSignature("malformed token")
    try:
        optout_at = datetime.fromisoformat(data["u"]) if "u" in data else None
    except (TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed token") from exc
    return ConfirmLink(email=data["e"], optout_at=optout_at)


def unsubscribe_url(email: str) -> str:
    token = _email_token(email, UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:replies_unsubscribe", kwargs={"token": token}))


def reply_optout_lift_path(email: str) -> str:
    """Where the owner's pages post to have an opt-out-lifting link mailed."""
    token = _email_token(email, UNSUBSCRIBE_SALT)
    return reverse("comments:replies_optout_lift", kwargs={"token": token})


def _author_optout_token(author_id: int) -> str:
    return signing.dumps({"a": author_id}, salt=AUTHOR_OPTOUT_SALT)


def author_optout_url(author: Author) -> str:
    token = _author_optout_token(author.pk)
    return absolute(reverse("comments:author_optout", kwargs={"token": token}))


def read_author_optout_token(token: str) -> int:
    data = signing.loads(token, salt=AUTHOR_OPTOUT_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        raise signing.BadSignature("malformed token")
    return data["a"]


def author_optout_lift_path(author_id: int) -> str:
    token = _author_optout_token(author_id)
    return reverse("comments:author_optout_lift", kwargs={"token": token})


def author_optin_url(author: Author) -> str:
    """Turns comment mails back on; mailed to the author's own address only."""
    token = signing.dumps(
        {"a": author.pk, "e": author.user.email.lower()}, salt=AUTHOR_OPTIN_SALT
    )
    return absolute(reverse("comments:author_optin", kwargs={"token": token}))


def read_author_optin_token(token: str) -> int:
    """
    The author's id, while the profile still mails the address the link was
    sent to: a link cannot act for whoever holds the profile after them.
    """
    data = signing.loads(token, salt=AUTHOR_OPTIN_SALT, max_age=CONFIRM_MAX_AGE)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("a"), int)
        or not isinstance(data.get("e"), str)
    ):
        raise signing.BadSignature("malformed token")
    if not Author.objects.filter(pk=data["a"], user__email__iexact=data["e"]).exists():
        raise signing.BadSignature("the profile's address has changed")
    return data["a"]
