"""
An author's edit is checked again, but it can only release a hold the
pipeline made because it could not decide (Akismet unreachable, erroring,
rejecting the key, or no key). A hold made by readers' reports, by a
moderator or by one of our own rules stays: the edit is saved and recorded
for the moderator, and the comment waits for them.
"""

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation
from comments.models import (
    Comment,
    CommentReport,
    HoldReason,
    ModerationEvent,
    Status,
    WordRule,
)
from comments.services import reporting
from comments.services.checking import comment_recheck
from tests.factories import make_article, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


@pytest.fixture
def edit(client, django_capture_on_commit_callbacks):
    def post(comment, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": body}
            )

    return post


def _posted(post_comment, article, **fields) -> Comment:
    post_comment(article, **fields)
    return Comment.objects.latest("id")


def _report(comment, *, times: int) -> None:
    for n in range(times):
        reporting.report_comment(comment=comment, reason="abusive", ip=f"10.0.0.{n}")


def test_a_comment_held_by_reader_reports_stays_held_after_an_edit(
    akismet_server, article, post_comment, edit, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 2
    comment = _posted(post_comment, article, body="Something readers dislike.")
    _report(comment, times=2)
    comment.refresh_from_db()
    assert (comment.status, comment.hold_reason) == (Status.HELD, HoldReason.REPORTED)

    response = edit(comment, "Something softer.")

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.REPORTED
    assert comment.body == "Something softer."
    assert comment.events.filter(kind=ModerationEvent.Kind.EDIT).exists()
    assert CommentReport.objects.open().filter(comment=comment).count() == 2


def test_a_comment_held_by_a_moderator_stays_held_after_an_edit(
    akismet_server, article, post_comment, edit
):
    comment = _posted(post_comment, article, body="Words a moderator paused.")
    moderation.hold(comment, actor=make_moderator())

    edit(comment, "Words the author reworded.")

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.MODERATOR
    assert comment.body == "Words the author reworded."


def test_the_moderator_sees_the_new_text_and_the_edit_in_the_queue(
    akismet_server, article, post_comment, edit
):
    comment = _posted(post_comment, article, body="First draft.")
    moderation.hold(comment, actor=make_moderator())

    edit(comment, "Second draft.")

    moderator = Client()
    moderator.force_login(make_moderator())
    page = moderator.get(QUEUE).content.decode()
    assert "Second draft." in page
    event = comment.events.get(kind=ModerationEvent.Kind.EDIT)
    assert event.details["previous_body"] == "First draft."


def _hold_word(article, settings) -> str:
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    return "Ask the harbourmaster about the wall."


def _links(article, settings) -> str:
    return "See https://a.com/ and https://b.org/ for photos."


def _premoderated(article, settings) -> str:
    article.comments_premoderate = True
    article.save()
    return "On a pre-moderated article."


def _first_time(article, settings) -> str:
    settings.COMMENTS_HOLD_FIRST_TIME = True
    return "My very first comment."


@pytest.mark.parametrize(
    ("setup", "hold_reason"),
    [
        (_hold_word, HoldReason.HOLD_WORD),
        (_links, HoldReason.TOO_MANY_LINKS),
        (_premoderated, HoldReason.PREMODERATED),
        (_first_time, HoldReason.FIRST_TIME),
    ],
    ids=["hold word", "links", "pre-moderation", "first time"],
)
def test_a_comment_held_by_our_own_rules_stays_held_after_an_edit(
    akismet_server, article, post_comment, edit, settings, setup, hold_reason
):
    comment = _posted(post_comment, article, body=setup(article, settings))
    assert (comment.status, comment.hold_reason) == (Status.HELD, hold_reason)

    edit(comment, "Plain words without anything to hold.")

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == hold_reason
    assert comment.body == "Plain words without anything to hold."


@pytest.mark.parametrize(
    ("mode", "hold_reason"),
    [
        ("drop", HoldReason.AKISMET_UNREACHABLE),
        ("error500", HoldReason.AKISMET_ERROR),
        ("invalid", HoldReason.AKISMET_INVALID_KEY),
    ],
)
def test_a_hold_for_an_akismet_failure_is_released_by_an_edit_it_calls_ham(
    akismet_server, article, post_comment, edit, mode, hold_reason
):
    akismet_server.mode = mode
    comment = _posted(post_comment, article, body="Posted while Akismet failed.")
    assert (comment.status, comment.hold_reason) == (Status.HELD, hold_reason)
    akismet_server.mode = "ham"

    edit(comment, "Edited once Akismet was back.")

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert comment.hold_reason == HoldReason.NONE


def test_a_hold_for_a_missing_key_is_released_by_an_edit_akismet_calls_ham(
    article, post_comment, edit, settings, _akismet_server_process
):
    comment = _posted(post_comment, article, body="Posted before the key was set.")
    assert comment.hold_reason == HoldReason.NO_KEY
    _akismet_server_process.reset("ham")
    settings.AKISMET_API_KEY = "test-key-123"
    settings.AKISMET_API_URL = _akismet_server_process.url

    edit(comment, "Edited once the key was set.")

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_a_hold_word_held_comment_stays_held_even_when_akismet_had_failed_too(
    akismet_server, article, post_comment, edit
):
    # The hold reason says "unreachable", but our own rule held it as well.
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    akismet_server.mode = "drop"
    comment = _posted(post_comment, article, body="Ask the harbourmaster.")
    assert comment.hold_reason == HoldReason.AKISMET_UNREACHABLE
    akismet_server.mode = "ham"

    edit(comment, "Ask the council.")

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD


def test_an_approved_comment_edited_into_a_blocked_word_is_spam(
    akismet_server, article, post_comment, edit
):
    WordRule.objects.create(phrase="cheap pills", action=WordRule.Action.BLOCK)
    comment = _posted(post_comment, article, body="Nice article.")
    assert comment.status == Status.APPROVED

    edit(comment, "Buy cheap pills here.")

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.BLOCK_WORD


def test_an_approved_comment_edited_into_a_hold_word_stays_held_without_akismet(
    akismet_server, article, post_comment, edit
):
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    comment = _posted(post_comment, article, body="Nice article.")
    akismet_server.mode = "drop"

    edit(comment, "Ask the harbourmaster.")

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD
    # No recheck is scheduled that could publish it once Akismet says ham.
    assert comment.next_check_at is None
    akismet_server.mode = "ham"
    assert comment_recheck(comment_id=comment.pk) is None
    comment.refresh_from_db()
    assert comment.status == Status.HELD


def test_a_held_comment_edited_into_what_akismet_calls_spam_is_spam(
    akismet_server, article, post_comment, edit
):
    comment = _posted(post_comment, article, body="Words a moderator paused.")
    moderation.hold(comment, actor=make_moderator())
    akismet_server.mode = "spam"

    edit(comment, "Cheap watches at my shop.")

    comment.refresh_from_db()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.AKISMET_SPAM


def test_an_edit_of_a_reported_comment_keeps_its_reports_open(
    akismet_server, article, post_comment, edit, settings
):
    settings.COMMENTS_REPORT_THRESHOLD = 3
    comment = _posted(post_comment, article, body="Something one reader dislikes.")
    _report(comment, times=1)

    edit(comment, "Something reworded.")

    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    # The report was about the words before the edit; a moderator still
    # looks, and sees both in the EDIT event.
    assert CommentReport.objects.open().filter(comment=comment).count() == 1


def test_the_releasable_holds_are_exactly_the_pipeline_s_own_indecision():
    assert {
        HoldReason.AKISMET_UNREACHABLE,
        HoldReason.AKISMET_ERROR,
        HoldReason.AKISMET_INVALID_KEY,
        HoldReason.NO_KEY,
    } == HoldReason.RELEASABLE_BY_EDIT


def test_a_premoderated_article_s_comment_needs_a_moderator_again_after_an_edit(
    akismet_server, post_comment, edit
):
    article = make_article(comments_premoderate=True)
    comment = _posted(post_comment, article, body="Waiting my turn.")
    moderation.approve(comment, actor=make_moderator())

    edit(comment, "Approved, then changed.")

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.PREMODERATED


def test_a_moderator_s_recheck_keeps_a_hold_word_added_by_an_edit(
    akismet_server, article, post_comment, edit
):
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    comment = _posted(post_comment, article, body="Nice article.")
    akismet_server.mode = "drop"
    edit(comment, "Ask the harbourmaster.")
    akismet_server.mode = "ham"

    comment_recheck(comment_id=comment.pk, reason="moderator", force=True)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD


def test_a_recheck_follows_a_hold_word_added_to_the_list_since_posting(
    akismet_server, article, post_comment
):
    akismet_server.mode = "drop"
    comment = _posted(post_comment, article, body="Ask the harbourmaster.")
    WordRule.objects.create(phrase="harbourmaster", action=WordRule.Action.HOLD)
    akismet_server.mode = "ham"

    comment_recheck(comment_id=comment.pk, force=True)

    comment.refresh_from_db()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD
