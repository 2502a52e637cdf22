"""
A commenter is mailed when someone replies, only after ticking the box and
confirming by email (double opt-in); every mail has a one-click unsubscribe.
"""

import email.policy
import re
import types

import pytest
from django.core import mail, signing
from django.test import Client

from comments import moderation, tokens
from comments.models import Comment, ReplySubscription, Status
from comments.services import checking
from tests.factories import make_moderator

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"http://testserver(/comments/replies/confirm/\S+)")
UNSUBSCRIBE = re.compile(r"http://testserver(/comments/replies/unsubscribe/\S+)")


@pytest.fixture
def reply(post_comment):
    def post(article, parent, *, email="bob@example.com", body="I disagree."):
        return post_comment(
            article,
            parent=str(parent.pk),
            author_name="Bob",
            author_email=email,
            body=body,
        )

    return post


def _to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def _opt_in_and_confirm(article, post_comment, client):
    post_comment(article, notify_replies="on")
    [confirmation] = _to("ada@example.com")
    client.post(CONFIRM.search(confirmation.body)[1])
    mail.outbox.clear()
    return Comment.objects.get(author_email="ada@example.com")


def test_ticking_the_box_sends_a_confirmation_mail(
    akismet_server, article, post_comment
):
    post_comment(article, notify_replies="on")

    [message] = _to("ada@example.com")
    assert "confirm" in message.subject.lower()
    assert CONFIRM.search(message.body)
    assert UNSUBSCRIBE.search(message.body)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/")
    comment = Comment.objects.get()
    assert comment.notify_replies
    assert not ReplySubscription.objects.get(email="ada@example.com").is_active


def test_without_the_box_nothing_is_sent(akismet_server, article, post_comment, reply):
    post_comment(article)
    reply(article, Comment.objects.get())

    assert _to("ada@example.com") == []
    assert not ReplySubscription.objects.exists()


def test_no_reply_mail_before_the_address_is_confirmed(
    akismet_server, article, post_comment, reply
):
    post_comment(article, notify_replies="on")
    mail.outbox.clear()

    reply(article, Comment.objects.get())

    assert _to("ada@example.com") == []


def test_the_confirmation_page_asks_then_confirms(
    akismet_server, article, post_comment, client
):
    post_comment(article, notify_replies="on")
    path = CONFIRM.search(_to("ada@example.com")[0].body)[1]

    assert client.get(path).status_code == 200
    assert not ReplySubscription.objects.get().is_active

    assert client.post(path).status_code == 200
    assert ReplySubscription.objects.get().is_active


def test_a_confirmed_commenter_is_mailed_replies_with_unsubscribe(
    akismet_server, article, post_comment, reply, client
):
    parent = _opt_in_and_confirm(article, post_comment, client)

    reply(article, parent, body="I disagree with the harbour plan.")

    [message] = _to("ada@example.com")
    assert message.subject.endswith("Bob replied to your comment")
    assert "I disagree with the harbour plan." in message.body
    unsubscribe = UNSUBSCRIBE.search(message.body)[0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_one_click_unsubscribe_stops_reply_mails(
    akismet_server, article, post_comment, reply, client
):
    parent = _opt_in_and_confirm(article, post_comment, client)
    reply(article, parent, body="First reply.")
    path = UNSUBSCRIBE.search(_to("ada@example.com")[0].body)[1]
    mail.outbox.clear()

    response = Client(enforce_csrf_checks=True).post(
        path, {"List-Unsubscribe": "One-Click"}
    )
    reply(article, parent, body="Second reply.")

    assert response.status_code == 200
    assert _to("ada@example.com") == []
    assert ReplySubscription.objects.get().unsubscribed_at is not None


def test_the_unsubscribe_page_asks_before_acting(
    akismet_server, article, post_comment, client
):
    post_comment(article, notify_replies="on")
    path = UNSUBSCRIBE.search(_to("ada@example.com")[0].body)[1]

    assert Client().get(path).status_code == 200
    assert ReplySubscription.objects.get().unsubscribed_at is None


def test_replying_to_yourself_sends_no_mail(
    akismet_server, article, post_comment, reply, client
):
    parent = _opt_in_and_confirm(article, post_comment, client)

    reply(article, parent, email="ada@example.com", body="Also, one more thing.")

    assert _to("ada@example.com") == []


def test_a_held_reply_is_mailed_only_once_published(
    akismet_server,
    article,
    post_comment,
    reply,
    client,
    django_capture_on_commit_callbacks,
):
    parent = _opt_in_and_confirm(article, post_comment, client)
    akismet_server.mode = "recheck"  # provisional: held for a later check
    reply(article, parent)
    assert _to("ada@example.com") == []

    held = Comment.objects.get(author_email="bob@example.com")
    akismet_server.mode = "ham"
    with django_capture_on_commit_callbacks(execute=True):
        checking.comment_recheck(comment_id=held.pk, force=True)

    assert Comment.objects.get(pk=held.pk).status == Comment.Status.APPROVED
    assert len(_to("ada@example.com")) == 1


def test_spam_never_triggers_a_confirmation_mail(akismet_server, article, post_comment):
    akismet_server.mode = "spam"
    post_comment(article, notify_replies="on")

    assert mail.outbox == []


def test_confirmation_mails_go_out_at_most_once_a_day(
    akismet_server, article, post_comment
):
    post_comment(article, notify_replies="on", body="One")
    post_comment(article, notify_replies="on", body="Two")

    assert len(_to("ada@example.com")) == 1


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_tampered_links_are_refused(
    akismet_server, article, post_comment, client, kind
):
    post_comment(article, notify_replies="on")
    pattern = CONFIRM if kind == "confirm" else UNSUBSCRIBE
    path = pattern.search(_to("ada@example.com")[0].body)[1]

    assert client.post(path[:-4] + "xyz/").status_code == 400
    assert ReplySubscription.objects.get().confirmed_at is None
    assert ReplySubscription.objects.get().unsubscribed_at is None


def test_an_expired_confirmation_link_is_refused(db, client, monkeypatch):
    eight_days_ago = signing.time.time() - 8 * 24 * 60 * 60
    monkeypatch.setattr(
        signing, "time", types.SimpleNamespace(time=lambda: eight_days_ago)
    )
    url = tokens.confirm_url("ada@example.com")
    monkeypatch.undo()

    assert client.post(url.removeprefix("http://testserver")).status_code == 400
    assert not ReplySubscription.objects.filter(confirmed_at__isnull=False).exists()


def test_the_comment_form_offers_the_opt_in(article, client):
    html = client.get(article.get_absolute_url()).content.decode()

    assert 'name="notify_replies"' in html


def test_the_unsubscribe_header_is_sent_as_plain_ascii_on_one_line(
    akismet_server, article, post_comment
):
    post_comment(article, notify_replies="on")
    (message,) = mail.outbox

    for policy in (email.policy.default, email.policy.SMTP):
        raw = message.message(policy=policy).as_bytes().decode()
        (line,) = [x for x in raw.splitlines() if x.startswith("List-Unsubscribe:")]
        assert line == f"List-Unsubscribe: {message.extra_headers['List-Unsubscribe']}"
        assert "=?utf-8?" not in raw.split("\n\n")[0]


@pytest.mark.parametrize("mode", ["spam", "no key"])
def test_no_confirmation_is_mailed_until_the_comment_is_published(
    settings,
    akismet_server,
    article,
    post_comment,
    mode,
    django_capture_on_commit_callbacks,
):
    # Held (no key) and spam look alike to their poster: neither mails anyone.
    if mode == "spam":
        akismet_server.mode = "spam"
    else:
        settings.AKISMET_API_KEY = ""
    post_comment(article, notify_replies="on")
    comment = Comment.objects.get()
    assert comment.status == (Status.SPAM if mode == "spam" else Status.HELD)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment, actor=make_moderator())

    confirmations = [m.to for m in mail.outbox if "confirm" in m.subject.lower()]
    assert confirmations == [[comment.author_email]]
