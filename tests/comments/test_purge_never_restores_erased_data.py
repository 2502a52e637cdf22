"""The daily purge reads each old comment's Akismet payload, strips the IP and
writes it back with an unconditional UPDATE, without a lock: an erasure that
lands between the read and the write is undone, and the name, email and user
agent are stored again on the "Anonymous" comment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.services import personal_data, retention
from comments.spam import without_ip
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_an_erasure_during_the_purge_keeps_its_payload_erased(settings, monkeypatch):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 30
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 60  # kept longer than the IP
    comment = make_comment(
        article=make_article(),
        author_email="late@example.com",
        ip="203.0.113.9",
        created=timezone.now() - timedelta(days=40),
        akismet_payload={
            "comment_author": "Late Person",
            "comment_author_email": "late@example.com",
            "user_ip": "203.0.113.9",
            "user_agent": "UA",
            "comment_content": "A thoughtful comment.",
        },
        akismet_payload_expires_at=timezone.now() + timedelta(days=20),
    )

    def erase_meanwhile(payload):
        # The reader's erasure request is handled while the purge runs.
        personal_data.erase_personal_data(email="late@example.com")
        return without_ip(payload)

    monkeypatch.setattr(retention, "without_ip", erase_meanwhile)
    retention.purge_comments()

    comment.refresh_from_db()
    assert comment.author_email == ""
    # Right answer: the erased comment keeps no payload.
    assert comment.akismet_payload is None, comment.akismet_payload
    assert not Comment.objects.filter(akismet_payload__icontains="late@").exists()


def test_the_purge_still_blanks_the_ip_of_a_payload_nobody_touched(settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 30
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 60
    payload = {"comment_author": "Early", "user_ip": "203.0.113.9", "n": [1, 2]}
    comment = make_comment(
        article=make_article(),
        created=timezone.now() - timedelta(days=40),
        akismet_payload=payload,
        akismet_payload_expires_at=timezone.now() + timedelta(days=20),
    )
    retention.purge_comments()
    comment.refresh_from_db()
    assert comment.akismet_payload == {**payload, "user_ip": ""}
