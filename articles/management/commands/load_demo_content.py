"""
manage.py load_demo_content: about 30 articles, comments in every state and,
in DEBUG, `editor` and `moderator` accounts. Idempotent: a second run creates
nothing and changes nothing.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.demo import COMMENTS, load_demo_articles
from articles.models import Article

DEMO_ACCOUNTS = [("editor", "Editors"), ("moderator", "Moderators")]
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


class Command(BaseCommand):
    help = "Load demo articles and comments (idempotent); demo staff in DEBUG."

    def handle(self, *args, **options):
        now = timezone.now()
        with transaction.atomic():
            report = load_demo_articles(now=now)
            accounts = self._load_accounts() if settings.DEBUG else {}
            comments = self._load_comments(now=now, accounts=accounts)
        created = ", ".join(f"{n} {kind}" for kind, n in report.created.items())
        self.stdout.write(f"Demo content: created {created}, {comments} comments.")

    def _load_accounts(self) -> dict:
        """Demo staff accounts; a new account's password is printed once."""
        User = get_user_model()
        users = {}
        for username, group_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = getattr(settings, "DEMO_PASSWORD", "") or (
                    secrets.token_urlsafe(12)
                )
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@example.com",
                    password=password,
                    is_staff=True,
                )
                user.groups.add(Group.objects.get(name=group_name))
                if getattr(settings, "DEMO_PASSWORD", ""):
                    shown = "the DEMO_PASSWORD setting"
                else:
                    shown = password
                self.stdout.write(
                    f"Created demo account {username!r} ({group_name}), "
                    f"password: {shown}"
                )
            users[username] = user
        return users

    def _load_comments(self, *, now, accounts: dict) -> int:
        # Imported here: articles never imports comments at module level.
        from comments.models import Comment, ModerationEvent
        from newsarchive.sanitize import clean_comment_html

        refs = [f"demo:comment:{c.key}" for c in COMMENTS]
        saved = {c.import_ref: c for c in Comment.objects.filter(import_ref__in=refs)}
        articles = {
            a.import_ref: a
            for a in Article.objects.filter(
                import_ref__in={f"demo:{c.story}" for c in COMMENTS}
            )
        }
        moderator = accounts.get("moderator")
        count = 0
        for demo in COMMENTS:
            ref = f"demo:comment:{demo.key}"
            article = articles.get(f"demo:{demo.story}")
            if ref in saved or article is None or not article.published_at:
                continue
            created = min(
                article.published_at + timedelta(hours=demo.hours_after),
                now - timedelta(minutes=5),
            )
            parent = saved[f"demo:comment:{demo.parent}"] if demo.parent else None
            comment = Comment.objects.create(
                import_ref=ref,
                article=article,
                parent=parent,
                root=(parent.root or parent) if parent else None,
                depth=parent.depth + 1 if parent else 0,
                author_name=demo.author_name,
                author_email=demo.author_email,
                author_url=demo.author_url,
                body=demo.body,
                body_html=clean_comment_html(demo.body),
                ip=demo.ip,
                user_agent=USER_AGENT,
                referrer=f"{settings.SITE_URL}{article.get_absolute_url()}",
                status=demo.status,
                previous_status="approved" if demo.status == "removed" else "",
                hold_reason=demo.hold_reason,
                hold_detail=demo.hold_detail,
                akismet_verdict=demo.verdict,
                discarded=demo.discarded,
                check_attempts=_check_attempts(demo.hold_reason, demo.verdict),
                checked_at=created
                if demo.verdict in ("ham", "spam", "discard")
                else None,
                next_check_at=_next_check(demo.status, demo.hold_reason, now),
                created=created,
            )
            ModerationEvent.objects.create(
                comment=comment,
                kind=demo.event_kind,
                from_status=demo.event_from,
                to_status=demo.status,
                actor=moderator if demo.by_moderator else None,
                reason=demo.event_reason,
                details={"hold_reason": demo.hold_reason} if demo.hold_reason else {},
                created=created + timedelta(seconds=1),
            )
            saved[ref] = comment
            count += 1
        return count


def _check_attempts(hold_reason: str, verdict: str) -> int:
    if hold_reason == "could_not_check":
        return 24
    if hold_reason in ("akismet_unreachable", "no_key"):
        return 2
    return 1 if verdict else 0


def _next_check(status: str, hold_reason: str, now):
    """When the recheck would run: waiting comments keep a time, others none."""
    if status == "unchecked":
        return now
    return {
        "akismet_provisional": now + timedelta(minutes=10),
        "akismet_unreachable": now + timedelta(minutes=5),
        "no_key": now + timedelta(hours=1),
    }.get(hold_reason)
