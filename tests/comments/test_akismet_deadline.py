"""
Every Akismet call has one deadline, AKISMET_TIMEOUT for the whole call: an
Akismet that dribbles its answer, each piece well inside a per-read timeout,
is given up on at the deadline like one that does not answer at all.
"""

import pytest

from comments import spam
from comments.models import Comment, HoldReason, Status

pytestmark = pytest.mark.django_db

# Trickled 0.25 s a piece, an answer takes about 4 s by header lines and over
# 1 s by body pieces: each piece well inside the timeout, the whole beyond it.
TIMEOUT = 0.5
DID_NOT_ANSWER = "Akismet did not answer within 0.5 s."

_PAYLOAD = {
    "user_ip": "192.0.2.1",
    "user_agent": "Mozilla/5.0",
    "comment_type": "comment",
    "comment_author": "Ada Reader",
    "comment_content": "The new harbour wall looks sturdy.",
}


@pytest.fixture
def trickling(akismet_server, settings):
    settings.AKISMET_TIMEOUT = TIMEOUT
    return akismet_server


@pytest.mark.parametrize("mode", ["trickle", "trickle_body"])
def test_a_trickling_akismet_holds_the_comment_as_unreachable(
    trickling, article, post_comment, mode
):
    trickling.mode = mode

    response = post_comment(article)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE
    assert comment.hold_detail == DID_NOT_ANSWER
    assert comment.next_check_at is not None
    assert len(trickling.checks()) == 1


@pytest.mark.parametrize("mode", ["trickle", "trickle_body"])
@pytest.mark.parametrize("submit", [spam.submit_spam, spam.submit_ham])
def test_a_trickling_akismet_fails_spam_and_ham_reports(trickling, mode, submit):
    trickling.mode = mode

    feedback = submit(_PAYLOAD)

    assert feedback.ok is False
    assert feedback.reason == HoldReason.AKISMET_UNREACHABLE
    assert feedback.detail == DID_NOT_ANSWER


def test_the_next_call_gets_a_fresh_deadline_and_a_working_connection(
    trickling, article, post_comment
):
    trickling.mode = "trickle"
    post_comment(article, body="First.")

    trickling.mode = "ham"
    post_comment(article, body="Second.")

    first, second = Comment.objects.order_by("pk")
    assert first.hold_reason == HoldReason.AKISMET_UNREACHABLE
    assert second.status == Status.APPROVED
    assert second.akismet_verdict == "ham"


def test_an_answer_inside_the_deadline_still_counts(trickling, article, post_comment):
    # The body in five pieces 0.02 s apart: slow, but done well before the deadline.
    trickling.mode = "trickle_body"
    trickling.trickle_seconds = 0.02

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    assert comment.akismet_verdict == "ham"
