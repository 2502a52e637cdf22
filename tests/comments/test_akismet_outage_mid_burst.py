"""
Akismet fails in the middle of a burst of 200 comments, over real HTTP to the
local Akismet-protocol server: every post is still answered with a redirect,
every comment so answered is in the database, the ones Akismet could not
check wait held with the reason, and the recheck path decides each of them
once, after Akismet recovers.
"""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, HoldReason, Status

pytestmark = pytest.mark.django_db

BURST = 200
# Comments 60..139 meet a failing Akismet, each way it fails in turn.
OUTAGE = range(60, 140)
# (Timeouts are covered in test_akismet_deadline.py, without a clock race here.)
FAILURES = ("error500", "drop", "garbage", "invalid")


def test_every_answered_comment_of_a_burst_survives_an_outage_and_is_decided_later(
    akismet_server, article, post_comment
):
    answers = {}
    for n in range(BURST):
        akismet_server.mode = FAILURES[n % len(FAILURES)] if n in OUTAGE else "ham"
        response = post_comment(
            article,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@example.com",
            body=f"Comment number {n} on the harbour wall.",
        )
        answers[n] = response.status_code
    akismet_server.mode = "ham"

    assert set(answers.values()) == {302}
    stored = {
        int(c.author_name.removeprefix("Reader ")): c for c in Comment.objects.all()
    }
    assert sorted(stored) == list(range(BURST))
    waiting = {n for n, c in stored.items() if c.status == Status.HELD}
    assert waiting == set(OUTAGE)
    assert {stored[n].hold_reason for n in waiting} <= HoldReason.RETRYING
    assert all(stored[n].next_check_at is not None for n in waiting)
    assert {c.status for n, c in stored.items() if n not in OUTAGE} == {Status.APPROVED}

    checks_before = len(akismet_server.checks())
    # The retries are due a minute later (an invalid key: six hours); the sweep (cron's or the
    # scheduler's) decides every waiting comment.
    with time_machine.travel(timezone.now() + timedelta(hours=7), tick=False):
        out = StringIO()
        call_command("recheck_comments", stdout=out)
        call_command("recheck_comments", stdout=StringIO())  # nothing left to do

    assert f"Rechecked {len(OUTAGE)} comment(s): {len(OUTAGE)} approved" in (
        out.getvalue()
    )
    rechecks = akismet_server.checks()[checks_before:]
    assert len(rechecks) == len(OUTAGE)
    assert {r.form["recheck_reason"] for r in rechecks} == {"retry"}
    statuses = Comment.objects.values_list("status", flat=True)
    assert set(statuses) == {Status.APPROVED}
    assert Comment.objects.filter(next_check_at__isnull=False).count() == 0
