"""Housekeeping: what is deleted or blanked, and when."""

import dataclasses
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, Status
from comments.services import checking
from comments.spam import without_ip
from newsarchive import fragments

# Blatant spam Akismet said can be discarded (COMMENTS_AKISMET_DISCARD on):
# nobody reviews it, so it is kept only for a day, for the queue's count.
DISCARD_KEEP = timedelta(days=1)
REMOVED_KEEP = timedelta(days=30)
PURGE_BATCH = 500


def spam_keep() -> timedelta:
    """How long spam is kept after its last change (COMMENTS_SPAM_KEEP_DAYS)."""
    return timedelta(days=settings.COMMENTS_SPAM_KEEP_DAYS)


@dataclasses.dataclass(frozen=True)
class PurgeReport:
    spam_deleted: int = 0
    discarded_deleted: int = 0
    removed_deleted: int = 0
    replies_kept: int = 0
    payloads_deleted: int = 0
    ips_anonymised: int = 0


def purge_comments(*, now: datetime | None = None) -> PurgeReport:
    """
    Delete spam untouched for COMMENTS_SPAM_KEEP_DAYS (discarded spam: one
    day) and removed comments untouched for 30 (`updated`: a moderator's
    late decision restarts the clock), delete stored Akismet payloads past
    akismet_payload_expires_at or older than COMMENTS_AKISMET_PAYLOAD_DAYS
    (so a shortened setting reaches comments posted before it), and replace
    IP addresses older than COMMENTS_ANONYMISE_IP_DAYS with NULL. Replies to deleted
    comments stay, re-attached to their nearest surviving ancestor.
    """
    now = now or timezone.now()
    spam = dict(
        Comment.objects.filter(
            status=Status.SPAM, discarded=False, updated__lt=now - spam_keep()
        ).values_list("pk", "article_id")
    )
    discarded = dict(
        Comment.objects.filter(
            status=Status.SPAM, discarded=True, updated__lt=now - DISCARD_KEEP
        ).values_list("pk", "article_id")
    )
    removed = dict(
        Comment.objects.filter(
            status=Status.REMOVED, updated__lt=now - REMOVED_KEEP
        ).values_list("pk", "article_id")
    )
    spam_ids, removed_ids = list(spam), list(removed)
    doomed = set(spam_ids) | set(discarded) | set(removed_ids)
    replies_kept = _reattach_replies(doomed) if doomed else 0
    if replies_kept:
        # Re-attached replies may show at another depth: new cached lists.
        for article_id in {*spam.values(), *discarded.values(), *removed.values()}:
            fragments.bump(fragments.comments_scope(article_id))
    doomed_list = sorted(doomed)
    for start in range(0, len(doomed_list), PURGE_BATCH):
        Comment.objects.filter(pk__in=doomed_list[start : start + PURGE_BATCH]).delete()

    payloads = (
        Comment.objects.filter(akismet_payload__isnull=False)
        .filter(
            Q(akismet_payload_expires_at__lt=now)
            | Q(created__lt=now - checking.payload_keep())
        )
        .update(akismet_payload=None)
    )

    ips = 0
    days = settings.COMMENTS_ANONYMISE_IP_DAYS
    if days and days > 0:
        old = Comment.objects.filter(created__lt=now - timedelta(days=days))
        ips = old.filter(ip__isnull=False).update(ip=None)
        # A payload kept longer than the IP (a short setting) loses it too.
        for comment in old.filter(akismet_payload__isnull=False).only(
            "pk", "akismet_payload"
        ):
            if payload := without_ip(comment.akismet_payload):
                # Only if the payload is still the one read: an erasure or an
                # edit landing meanwhile must not be overwritten with old data.
                Comment.objects.filter(
                    pk=comment.pk, akismet_payload=comment.akismet_payload
                ).update(akismet_payload=payload)
    return PurgeReport(
        spam_deleted=len(spam_ids),
        discarded_deleted=len(discarded),
        removed_deleted=len(removed_ids),
        replies_kept=replies_kept,
        payloads_deleted=payloads,
        ips_anonymised=ips,
    )


@transaction.atomic
def _reattach_replies(doomed: set[int]) -> int:
    """
    Before deleting `doomed`, hang each surviving reply from its nearest
    surviving ancestor (or make it top-level), keeping root and depth true,
    so whole threads do not drop out of the page. Returns replies moved.
    """
    orphans = Comment.objects.filter(parent_id__in=doomed).exclude(pk__in=doomed)
    roots = {root or pk for root, pk in orphans.values_list("root_id", "pk")}
    if not roots:
        return 0
    rows = Comment.objects.filter(Q(pk__in=roots) | Q(root_id__in=roots)).values_list(
        "pk", "parent_id", "root_id", "depth"
    )
    parent_of = {pk: parent for pk, parent, _, _ in rows}
    current = {pk: (parent, root, depth) for pk, parent, root, depth in rows}

    def surviving_ancestors(pk: int) -> list[int]:
        chain, seen = [], {pk}
        parent = parent_of.get(pk)
        while parent is not None and parent not in seen:
            seen.add(parent)
            if parent not in doomed:
                chain.append(parent)
            parent = parent_of.get(parent)
        return chain  # nearest first

    moved = 0
    for pk in current:
        if pk in doomed:
            continue
        chain = surviving_ancestors(pk)
        new = (
            chain[0] if chain else None,
            chain[-1] if chain else None,
            len(chain),
        )
        if new != current[pk]:
            parent, root, depth = new
            Comment.objects.filter(pk=pk).update(
                parent_id=parent, root_id=root, depth=depth
            )
            moved += 1
    return moved
