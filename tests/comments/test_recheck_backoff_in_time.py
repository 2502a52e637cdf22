"""
The backoff as the clock sees it (time faked with time-machine): a comment
Akismet could not check waits 1, then 5, then 20 minutes between tries, and
nothing happens before its time.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments.models import Comment, Status
from comments.services import checking

pytestmark = pytest.mark.django_db


def test_it_waits_one_five_and_twenty_minutes_between_tries(
    akismet_server, article, post_comment
):
    akismet_server.mode = "error500"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_comment(article)
        comment = Comment.objects.get()
        assert comment.status == Status.HELD
        tries = len(akismet_server.checks())

        for minutes in (1, 5, 20):
            clock.shift(timedelta(minutes=minutes) - timedelta(seconds=1))
            assert checking.sweep_due_comments() == {}
            assert len(akismet_server.checks()) == tries

            clock.shift(timedelta(seconds=1))
            assert checking.sweep_due_comments() == {Status.HELD: 1}
            tries += 1
            assert len(akismet_server.checks()) == tries


def test_the_comment_is_published_at_the_first_try_after_akismet_recovers(
    akismet_server, article, post_comment
):
    akismet_server.mode = "drop"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_comment(article)
        akismet_server.mode = "ham"

        clock.shift(timedelta(minutes=1))
        checking.sweep_due_comments()

    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    assert comment.next_check_at is None
