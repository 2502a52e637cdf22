"""
manage.py purge_comments (and the task it shares a function with): old spam
and removed comments go, expired Akismet payloads go, old IPs are anonymised,
and replies of deleted comments stay in their threads.
"""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments import tasks
from comments.models import Comment, Status
from comments.services import retention
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _age(comment, *, days: float, field: str = "updated") -> None:
    Comment.objects.filter(pk=comment.pk).update(
        **{field: timezone.now() - timedelta(days=days)}
    )


def test_spam_older_than_15_days_is_deleted_and_newer_kept(article):
    old, recent = (make_comment(article=article, status=Status.SPAM) for _ in range(2))
    _age(old, days=15.1)
    _age(recent, days=14.9)

    report = retention.purge_comments()

    assert report.spam_deleted == 1
    assert set(Comment.objects.values_list("pk", flat=True)) == {recent.pk}


def test_removed_comments_older_than_30_days_are_deleted(article):
    old, recent = (
        make_comment(article=article, status=Status.REMOVED) for _ in range(2)
    )
    _age(old, days=30.1)
    _age(recent, days=20)

    report = retention.purge_comments()

    assert report.removed_deleted == 1
    assert set(Comment.objects.values_list("pk", flat=True)) == {recent.pk}


def test_old_approved_and_held_comments_are_never_deleted(article):
    kept = [
        make_comment(article=article, status=s) for s in (Status.APPROVED, Status.HELD)
    ]
    for comment in kept:
        _age(comment, days=400)
        _age(comment, days=400, field="created")

    retention.purge_comments()

    assert Comment.objects.count() == 2


def test_replies_to_deleted_comments_stay_in_their_thread(article):
    top = make_comment(article=article)
    spam = make_comment(article=article, parent=top, status=Status.SPAM)
    reply = make_comment(article=article, parent=spam)
    deeper = make_comment(article=article, parent=reply)
    _age(spam, days=20)

    report = retention.purge_comments()

    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert not Comment.objects.filter(pk=spam.pk).exists()
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 1)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, top.pk, 2)
    assert report.replies_kept == 2


def test_replies_to_a_deleted_top_level_comment_become_threads(article):
    spam = make_comment(article=article, status=Status.SPAM)
    reply = make_comment(article=article, parent=spam)
    deeper = make_comment(article=article, parent=reply)
    _age(spam, days=20)

    retention.purge_comments()

    reply.refresh_from_db()
    deeper.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (None, None, 0)
    assert (deeper.parent_id, deeper.root_id, deeper.depth) == (reply.pk, reply.pk, 1)


def test_expired_akismet_payloads_are_deleted(article):
    now = timezone.now()
    expired, current = (
        make_comment(
            article=article,
            akismet_payload={"user_ip": "10.0.0.1", "comment_content": "x"},
            akismet_payload_expires_at=at,
        )
        for at in (now - timedelta(minutes=1), now + timedelta(days=1))
    )

    report = retention.purge_comments()

    expired.refresh_from_db()
    current.refresh_from_db()
    assert report.payloads_deleted == 1
    assert expired.akismet_payload is None
    assert current.akismet_payload is not None


def test_ips_older_than_the_setting_are_anonymised(article, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 30
    old, recent = (make_comment(article=article, ip="203.0.113.9") for _ in range(2))
    _age(old, days=31, field="created")
    _age(recent, days=29, field="created")

    report = retention.purge_comments()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert report.ips_anonymised == 1
    assert old.ip is None
    assert recent.ip == "203.0.113.9"


def test_a_short_ip_setting_also_blanks_the_ip_in_the_kept_payload(article, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 5
    comment = make_comment(
        article=article,
        ip="203.0.113.9",
        akismet_payload={"user_ip": "203.0.113.9", "comment_content": "x"},
        akismet_payload_expires_at=timezone.now() + timedelta(days=5),
    )
    _age(comment, days=6, field="created")

    retention.purge_comments()

    comment.refresh_from_db()
    assert comment.ip is None
    assert comment.akismet_payload == {"user_ip": "", "comment_content": "x"}


def test_zero_days_turns_ip_anonymisation_off(article, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 0
    comment = make_comment(article=article, ip="203.0.113.9")
    _age(comment, days=400, field="created")

    assert retention.purge_comments().ips_anonymised == 0


def test_the_command_prints_what_it_did(article):
    spam = make_comment(article=article, status=Status.SPAM)
    _age(spam, days=16)
    out = StringIO()

    call_command("purge_comments", stdout=out)

    assert "Deleted 1 spam comment(s) older than 15 days." in out.getvalue()
    assert "Deleted 0 removed comment(s) older than 30 days." in out.getvalue()
    assert "Anonymised 0 IP address(es) older than 30 days." in out.getvalue()


def test_the_task_purges_too(article):
    spam = make_comment(article=article, status=Status.SPAM)
    _age(spam, days=16)

    result = tasks.purge_comments.enqueue()

    assert result.return_value["spam_deleted"] == 1
    assert not Comment.objects.exists()
