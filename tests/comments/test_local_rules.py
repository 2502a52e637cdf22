"""Local rules, editable in the admin, held or blocked before Akismet decides."""

import pytest

from comments.models import Comment, HoldReason, Status, WordRule
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_two_links_hold_the_comment(akismet_server, article, post_comment):
    post_comment(article, body="See https://a.com/ and https://b.org/")

    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.TOO_MANY_LINKS
    assert comment.hold_detail == "2 links"
    assert comment.akismet_verdict == "ham"  # Akismet was still asked


def test_one_link_is_fine(akismet_server, article, post_comment):
    post_comment(article, body="See https://a.com/ for more.")

    assert Comment.objects.get().status == Status.APPROVED


def test_the_link_limit_follows_the_setting(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_MAX_LINKS = 1
    post_comment(article, body="See https://a.com/ for more.")

    assert Comment.objects.get().hold_reason == HoldReason.TOO_MANY_LINKS


def test_akismet_spam_beats_a_local_hold(akismet_server, article, post_comment):
    akismet_server.mode = "spam"
    post_comment(article, body="See https://a.com/ and https://b.org/")

    assert Comment.objects.get().status == Status.SPAM


def test_a_hold_word_holds_the_comment(akismet_server, article, post_comment):
    WordRule.objects.create(phrase="Sturdy", action=WordRule.Action.HOLD)

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.HOLD_WORD
    assert "Sturdy" in comment.hold_detail


def test_a_block_word_is_spam_without_asking_akismet(
    akismet_server, article, post_comment
):
    WordRule.objects.create(phrase="casino", action=WordRule.Action.BLOCK)

    post_comment(article, author_url="https://best-CASINO.example/")

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.hold_reason == HoldReason.BLOCK_WORD
    assert akismet_server.requests == []


def test_a_block_word_wins_over_a_hold_word(akismet_server, article, post_comment):
    WordRule.objects.create(phrase="harbour", action=WordRule.Action.HOLD)
    WordRule.objects.create(phrase="sturdy", action=WordRule.Action.BLOCK)

    post_comment(article)

    assert Comment.objects.get().hold_reason == HoldReason.BLOCK_WORD


def test_a_premoderated_article_holds_every_comment(akismet_server, post_comment):
    article = make_article(comments_premoderate=True)

    post_comment(article)

    comment = Comment.objects.get()
    assert comment.status == Status.HELD
    assert comment.hold_reason == HoldReason.PREMODERATED


def test_a_first_time_commenter_is_held_when_the_setting_is_on(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = True

    post_comment(article)

    assert Comment.objects.get().hold_reason == HoldReason.FIRST_TIME


def test_a_commenter_with_an_approved_comment_is_not_held_as_first_time(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    make_comment(article=article, author_email="ADA@example.com", body="Earlier.")

    post_comment(article)

    assert Comment.objects.latest("id").status == Status.APPROVED


def test_a_held_earlier_comment_does_not_count_as_approved(
    akismet_server, article, post_comment, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    make_comment(
        article=article,
        author_email="ada@example.com",
        body="Earlier.",
        status=Status.HELD,
    )

    post_comment(article)

    assert Comment.objects.latest("id").hold_reason == HoldReason.FIRST_TIME
