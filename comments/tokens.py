"""
Signed tokens for the links in mail: moderators' one-click actions,
reply-notification confirm / unsubscribe, and authors' opt-out.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.urls import reverse

from articles.models import Author
from comments.models import Comment

MODERATE_SALT = "comments.moderate-link"
MODERATE_MAX_AGE = 7 * 24 * 60 * 60
MODERATE_ACTIONS = {"approve": "Approve", "spam": "Spam", "remove": "Remove"}

CONFIRM_SALT = "comments.replies.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60
UNSUBSCRIBE_SALT = "comments.replies.unsubscribe"
AUTHOR_OPTOUT_SALT = "comments.authors.optout"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@dataclasses.dataclass(frozen=True)
class ModerateLink:
    comment_id: int
    user_id: int
    action: str
    # The status the comment had when the mail went out: a link acts once,
    # and never on a comment that someone has moved since.
    status: str


def moderate_token(*, comment: Comment, user: AbstractBaseUser, action: str) -> str:
    if action not in MODERATE_ACTIONS:
        raise ValueError(action)
    return signing.dumps(
        {"c": comment.pk, "u": user.pk, "a": action, "s": comment.status},
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
            status=str(data["s"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("malformed moderation link") from exc
    if link.action not in MODERATE_ACTIONS:
        raise ValueError("unknown action")
    return link


def moderate_url(*, comment: Comment, user: AbstractBaseUser, action: str) -> str:
    token = moderate_token(comment=comment, user=user, action=action)
    return absolute(reverse("comments:moderate_link", kwargs={"token": token}))


def _email_token(email: str, salt: str) -> str:
    return signing.dumps({"e": email.lower()}, salt=salt)


def read_email_token(token: str, *, salt: str, max_age: int | None = None) -> str:
    data = signing.loads(token, salt=salt, max_age=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise signing.BadSignature("malformed token")
    return data["e"]


def confirm_url(email: str) -> str:
    token = _email_token(email, CONFIRM_SALT)
    return absolute(reverse("comments:replies_confirm", kwargs={"token": token}))


def unsubscribe_url(email: str) -> str:
    token = _email_token(email, UNSUBSCRIBE_SALT)
    return absolute(reverse("comments:replies_unsubscribe", kwargs={"token": token}))


def author_optout_url(author: Author) -> str:
    token = signing.dumps({"a": author.pk}, salt=AUTHOR_OPTOUT_SALT)
    return absolute(reverse("comments:author_optout", kwargs={"token": token}))


def read_author_optout_token(token: str) -> int:
    data = signing.loads(token, salt=AUTHOR_OPTOUT_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        raise signing.BadSignature("malformed token")
    return data["a"]
