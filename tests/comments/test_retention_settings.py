"""
The retention settings (.env.example: COMMENTS_SPAM_KEEP_DAYS,
COMMENTS_AKISMET_PAYLOAD_DAYS, COMMENTS_ANONYMISE_IP_DAYS) are what the
daily purge applies, and the pipeline dates a new payload's expiry by them.
"""

import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, HoldReason, Status
from comments.services import checking, retention
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

PAYLOAD = {"user_ip": "203.0.113.9", "comment_content": "x"}


def _age(comment, *, days: float, field: str) -> None:
    Comment.objects.filter(pk=comment.pk).update(
        **{field: timezone.now() - timedelta(days=days)}
    )


def test_spam_is_kept_as_many_days_as_the_setting_says(article, settings):
    settings.COMMENTS_SPAM_KEEP_DAYS = 3
    old, recent = (make_comment(article=article, status=Status.SPAM) for _ in range(2))
    _age(old, days=3.1, field="updated")
    _age(recent, days=2.9, field="updated")

    report = retention.purge_comments()

    assert report.spam_deleted == 1
    assert list(Comment.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_longer_spam_setting_keeps_spam_past_fifteen_days(article, settings):
    settings.COMMENTS_SPAM_KEEP_DAYS = 60
    spam = make_comment(article=article, status=Status.SPAM)
    _age(spam, days=20, field="updated")

    assert retention.purge_comments().spam_deleted == 0
    assert Comment.objects.filter(pk=spam.pk).exists()


def test_a_new_payload_expires_after_the_payload_setting(
    article, post_comment, settings
):
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 4

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.akismet_payload is not None
    assert comment.akismet_payload_expires_at == comment.created + timedelta(days=4)


def test_a_shortened_payload_setting_reaches_payloads_stored_before_it(
    article, settings
):
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 2
    # Stored under the 15-day default: its own expiry is still far off.
    old, recent = (
        make_comment(
            article=article,
            akismet_payload=PAYLOAD,
            akismet_payload_expires_at=timezone.now() + timedelta(days=10),
        )
        for _ in range(2)
    )
    _age(old, days=2.1, field="created")
    _age(recent, days=1.9, field="created")

    report = retention.purge_comments()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert report.payloads_deleted == 1
    assert old.akismet_payload is None
    assert recent.akismet_payload == PAYLOAD


def test_rechecks_stop_when_a_short_payload_setting_ends_them(
    article, settings, akismet_server
):
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 2
    akismet_server.mode = "error500"
    comment = make_comment(
        article=article,
        status=Status.HELD,
        hold_reason=HoldReason.AKISMET_ERROR,
        akismet_payload=PAYLOAD,
        akismet_payload_expires_at=timezone.now() + timedelta(days=2),
        next_check_at=timezone.now(),
    )
    # Two days less an hour in: the next retry (an hour on) is past the window.
    _age(comment, days=2 - 1 / 24 + 0.001, field="created")
    Comment.objects.filter(pk=comment.pk).update(check_attempts=5)

    checking.comment_recheck(comment_id=comment.pk)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.COULD_NOT_CHECK
    assert comment.next_check_at is None
    assert comment.events.filter(reason__startswith="Could not be checked for 2 days")


def test_the_command_applies_the_ip_setting(article, settings):
    settings.COMMENTS_ANONYMISE_IP_DAYS = 10
    comment = make_comment(article=article, ip="2001:db8::7")
    _age(comment, days=11, field="created")

    call_command("purge_comments", stdout=StringIO())

    comment.refresh_from_db()
    assert comment.ip is None


def test_the_command_names_the_spam_setting(article, settings):
    settings.COMMENTS_SPAM_KEEP_DAYS = 7
    out = StringIO()

    call_command("purge_comments", stdout=out)

    assert "older than 7 days." in out.getvalue()


def test_the_privacy_page_states_the_payload_and_spam_settings(client, settings):
    settings.COMMENTS_SPAM_KEEP_DAYS = 9
    settings.COMMENTS_AKISMET_PAYLOAD_DAYS = 4

    text = client.get(reverse("privacy")).text

    assert '<span data-fact="keep_spam">9 days</span>' in text
    assert '<span data-fact="keep_payload_deleted">4 days</span>' in text
    # Rechecks cannot outlast the payload they send.
    assert '<span data-fact="keep_payload">4 days</span>' in text


@pytest.mark.parametrize(
    "variable", ["COMMENTS_SPAM_KEEP_DAYS", "COMMENTS_AKISMET_PAYLOAD_DAYS"]
)
def test_settings_refuse_a_retention_of_zero_days(variable):
    result = subprocess.run(
        [sys.executable, "-c", "import newsarchive.settings"],
        env={"PATH": "/usr/bin:/bin", variable: "0"},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert f"{variable}" in result.stderr
    assert "must be 1 or more" in result.stderr
