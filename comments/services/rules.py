"""
Our own rules, asked before Akismet: word lists, links, pre-moderated
articles and first-time commenters. Each returns a Rule (hold, or spam
outright) or None.
"""

import dataclasses

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser

from articles.models import Article
from comments.models import Comment, HoldReason, ModerationEvent, Status, WordRule
from comments.visitors import RequestMeta
from newsarchive.sanitize import count_links


@dataclasses.dataclass(frozen=True)
class Rule:
    status: str  # HELD or SPAM
    hold_reason: str
    detail: str


def is_staff(user: AbstractBaseUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def word_rule(*, data: dict, meta: RequestMeta) -> Rule | None:
    # Like WordPress's disallowed keys: any field, case-insensitive substring.
    haystack = "\n".join(
        [
            data["author_name"],
            data["author_email"],
            data.get("author_url") or "",
            data["body"],
            meta.ip or "",
            meta.user_agent,
        ]
    ).casefold()
    rules = sorted(WordRule.objects.all(), key=lambda r: r.action != "block")
    for rule in rules:
        phrase = rule.phrase.strip().casefold()
        if phrase and phrase in haystack:
            if rule.action == WordRule.Action.BLOCK:
                return Rule(
                    Status.SPAM, HoldReason.BLOCK_WORD, f"Blocked word “{rule.phrase}”"
                )
            return Rule(Status.HELD, HoldReason.HOLD_WORD, f"Hold word “{rule.phrase}”")
    return None


def local_rules(
    *,
    article: Article,
    data: dict,
    meta: RequestMeta,
    body_html: str,
    user: AbstractBaseUser | None,
) -> Rule | None:
    if rule := word_rule(data=data, meta=meta):
        return rule
    max_links = settings.COMMENTS_MAX_LINKS
    links = count_links(body_html)
    if max_links and links >= max_links:
        return Rule(Status.HELD, HoldReason.TOO_MANY_LINKS, f"{links} links")
    if article.comments_premoderate:
        return Rule(Status.HELD, HoldReason.PREMODERATED, "Pre-moderated article")
    if settings.COMMENTS_HOLD_FIRST_TIME and not is_staff(user):
        approved = Comment.objects.public()
        if user is not None and user.is_authenticated:
            approved = approved.filter(user=user)
        else:
            approved = approved.filter(author_email__iexact=data["author_email"])
        if not approved.exists():
            return Rule(Status.HELD, HoldReason.FIRST_TIME, "First-time commenter")
    return None


def rule_from_history(comment: Comment) -> Rule | None:
    """The local rule that held a comment at submission, for its rechecks."""
    event = (
        comment.events.filter(kind=ModerationEvent.Kind.STATUS, from_status="")
        .only("details")
        .first()
    )
    details = event.details if event else {}
    if details.get("rule_hold_reason"):
        return Rule(
            Status.HELD,
            details["rule_hold_reason"],
            details.get("rule_hold_detail", ""),
        )
    return None


def rules_now(comment: Comment) -> Rule | None:
    """Our rules on a saved comment as it reads now (after an edit, say)."""
    return local_rules(
        article=comment.article,
        data={
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": comment.author_url,
            "body": comment.body,
        },
        meta=RequestMeta(ip=comment.ip, user_agent=comment.user_agent),
        body_html=comment.body_html,
        user=comment.user,
    )


def rule_for_recheck(comment: Comment) -> Rule | None:
    """
    What our own rules say about a comment as it reads now: its author may
    have edited it, or the word list changed, since it was posted. The rule
    recorded at submission still holds if today's rules find nothing.
    """
    now = rules_now(comment)
    if now is not None:
        # A blocked word is a hold here: a recheck never calls spam on its own.
        return Rule(Status.HELD, now.hold_reason, now.detail)
    return rule_from_history(comment)
