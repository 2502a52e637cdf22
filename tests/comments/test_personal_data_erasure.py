"""
Erasure: an email address's comments are anonymised in place ("Anonymous";
email, website, IP, user agent, referrer and the stored Akismet payload
blanked) so threads stay whole, each change is one row of the comment's
history, and nothing the site caches keeps serving what was erased.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments import moderation
from comments.models import (
    Comment,
    CommentReport,
    ModerationEvent,
    ReplySubscription,
    Status,
)
from comments.services import submit
from comments.services.personal_data import ANONYMOUS, erase_personal_data
from newsarchive import cache, fragments
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

ADA = "ada@example.com"


def _ada_comment(article, **fields):
    defaults = {
        "author_name": "Ada Lovelace",
        "author_email": ADA,
        "author_url": "https://ada.example/",
        "ip": "203.0.113.9",
        "user_agent": "Firefox/140",
        "referrer": "https://search.example/?q=ada",
        "akismet_payload": {"comment_author": "Ada Lovelace", "user_ip": "203.0.113.9"},
        "akismet_payload_expires_at": timezone.now() + timedelta(days=15),
        "notify_replies": True,
    }
    return make_comment(article=article, **{**defaults, **fields})


def test_it_anonymises_every_comment_of_the_address_and_keeps_the_words(article):
    comments = [
        _ada_comment(article, status=Status.APPROVED),
        _ada_comment(article, status=Status.SPAM, author_email="ADA@example.com"),
        _ada_comment(make_article(), status=Status.REMOVED),
    ]

    report = erase_personal_data(email="Ada@Example.com", actor=make_moderator())

    assert report.comments == 3
    for before in comments:
        after = Comment.objects.get(pk=before.pk)
        assert after.author_name == ANONYMOUS == "Anonymous"
        assert after.author_email == ""
        assert after.author_url == ""
        assert after.ip is None
        assert after.user_agent == ""
        assert after.referrer == ""
        assert after.akismet_payload is None
        assert after.notify_replies is False
        assert after.body == before.body
        assert after.status == before.status


def test_other_peoples_comments_are_left_alone(article):
    _ada_comment(article)
    bob = make_comment(
        article=article,
        author_name="Bob",
        author_email="bob@example.com",
        ip="10.0.0.2",
    )

    erase_personal_data(email=ADA)

    bob.refresh_from_db()
    assert (bob.author_name, bob.author_email, bob.ip) == (
        "Bob",
        "bob@example.com",
        "10.0.0.2",
    )
    assert not bob.events.exists()


def test_threads_stay_whole_and_the_page_shows_anonymous(client, article):
    top = make_comment(article=article, author_name="Bob", author_email="b@example.com")
    ada = _ada_comment(article, parent=top, body="Ada's reply.")
    reply = make_comment(
        article=article, parent=ada, author_name="Carol", body="Carol answers Ada."
    )

    erase_personal_data(email=ADA)

    ada.refresh_from_db()
    reply.refresh_from_db()
    assert (ada.parent_id, ada.root_id, ada.depth) == (top.pk, top.pk, 1)
    assert (reply.parent_id, reply.root_id, reply.depth) == (ada.pk, top.pk, 2)
    page = client.get(article.get_absolute_url()).text
    assert "Ada Lovelace" not in page
    assert "https://ada.example/" not in page
    assert "Anonymous" in page
    assert "Ada&#x27;s reply." in page or "Ada's reply." in page
    assert "Carol answers Ada." in page


def test_each_erased_comment_gets_one_history_row_naming_the_moderator(article):
    moderator = make_moderator()
    comments = [_ada_comment(article), _ada_comment(article, status=Status.HELD)]

    erase_personal_data(email=ADA, actor=moderator)

    for comment in comments:
        [event] = comment.events.all()
        assert event.kind == ModerationEvent.Kind.ERASURE
        assert event.actor == moderator
        assert event.from_status == event.to_status == comment.status
        assert "Ada" not in f"{event.reason} {event.details}"
        assert ADA not in f"{event.reason} {event.details}"


def test_a_moderator_page_drawn_before_the_erasure_cannot_act_on_it(article):
    comment = _ada_comment(article, status=Status.HELD)
    seen = moderation.read_version(moderation.version(comment))

    erase_personal_data(email=ADA)

    with pytest.raises(moderation.ConcurrentModification):
        moderation.approve(comment, seen_version=seen)


def test_a_comment_waiting_for_akismet_stops_waiting_for_a_check_it_cannot_have(
    article,
):
    comment = _ada_comment(
        article, status=Status.UNCHECKED, next_check_at=timezone.now()
    )

    erase_personal_data(email=ADA)

    comment.refresh_from_db()
    assert comment.next_check_at is None
    assert comment.status == Status.UNCHECKED


def test_the_reply_notification_record_is_deleted(db):
    ReplySubscription.objects.create(email=ADA, confirmed_at=timezone.now())
    ReplySubscription.objects.create(email="bob@example.com")

    report = erase_personal_data(email="ADA@example.com")

    assert report.subscriptions == 1
    assert list(ReplySubscription.objects.values_list("email", flat=True)) == [
        "bob@example.com"
    ]


def test_reports_they_sent_while_signed_in_lose_their_account_and_words(article):
    ada = make_user(username="ada", email=ADA)
    bob = make_comment(article=article, author_email="bob@example.com")
    sent = CommentReport.objects.create(
        comment=bob,
        reason=CommentReport.Reason.ABUSIVE,
        text="Ada says this is rude.",
        user=ada,
        reporter_key="a" * 64,
    )
    others = CommentReport.objects.create(
        comment=bob, reason=CommentReport.Reason.SPAM, text="x", reporter_key="b" * 64
    )

    report = erase_personal_data(email=ADA)

    sent.refresh_from_db()
    others.refresh_from_db()
    assert report.reports == 1
    assert sent.user is None
    assert sent.text == ""
    assert sent.reporter_key != "a" * 64
    # Still a report, so the comment's count of reporters does not change.
    assert sent.reason == CommentReport.Reason.ABUSIVE
    assert (others.text, others.reporter_key) == ("x", "b" * 64)


def test_the_cached_comment_list_is_drawn_again_without_the_name(
    client, article, settings
):
    _ada_comment(article)
    assert "Ada Lovelace" in client.get(article.get_absolute_url()).text

    erase_personal_data(email=ADA)

    assert "Ada Lovelace" not in client.get(article.get_absolute_url()).text


def test_flood_and_duplicate_records_of_the_address_are_forgotten(
    article, post_comment, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_FLOOD_SECONDS = 60
    post_comment(article, author_email=ADA, body="Hello there.")
    [comment] = Comment.objects.all()
    keys = [
        *submit.flood_keys(ip=comment.ip, email=ADA),
        submit.duplicate_key(article_id=article.pk, email=ADA, body="Hello there."),
    ]
    assert all(cache.get(key) is not None for key in keys)

    with django_capture_on_commit_callbacks(execute=True):
        erase_personal_data(email=ADA)

    assert [cache.get(key) for key in keys] == [None, None, None]


def test_an_address_with_nothing_stored_changes_nothing(article):
    bob = make_comment(article=article)

    report = erase_personal_data(email="nobody@example.com")

    assert (report.comments, report.reports, report.subscriptions) == (0, 0, 0)
    assert not bob.events.exists()


def test_erasing_twice_finds_nothing_the_second_time(article):
    _ada_comment(article)
    erase_personal_data(email=ADA)

    assert erase_personal_data(email=ADA).comments == 0
    assert ModerationEvent.objects.count() == 1


@pytest.mark.parametrize("email", ["", "  ", "nonsense"])
def test_a_blank_or_malformed_address_erases_nothing(article, email):
    # A blank address would otherwise match every comment already erased.
    erased = _ada_comment(article)
    erase_personal_data(email=ADA)

    with pytest.raises(ValidationError):
        erase_personal_data(email=email)

    assert erased.events.count() == 1


def test_the_history_refuses_an_event_kind_it_does_not_know(article):
    comment = make_comment(article=article)

    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationEvent.objects.create(comment=comment, kind="shredded")


@pytest.mark.parametrize("count", [1, 5])
def test_erasure_takes_the_same_queries_for_any_number_of_comments(
    count, django_assert_num_queries
):
    articles = [make_article() for _ in range(min(count, 3))]
    for n in range(count):
        _ada_comment(articles[n % len(articles)])
    # Each article's comment list has a token already, as once it was shown.
    fragments.bump(*(fragments.comments_scope(a.pk) for a in articles))
    ReplySubscription.objects.create(email=ADA)
    make_user(email=ADA)

    # The comments, their update, the list tokens, the history rows, the
    # reports sent, the reply-notification record (read for an opt-out to
    # keep, then deleted).
    with django_assert_num_queries(7):
        report = erase_personal_data(email=ADA, actor=None)

    assert report.comments == count
