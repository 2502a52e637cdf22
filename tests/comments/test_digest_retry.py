"""
A moderators' digest that reached nobody (SMTP down) does not use up the
10-minute window: the next held comment mails them at once, and the task
says it failed rather than claiming success.
"""

import smtplib

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.tasks import TaskResultStatus

from comments import emails, tasks
from comments.models import Status
from tests.factories import make_article, make_comment, make_moderator

pytestmark = pytest.mark.django_db

WORKING = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SMTP_DOWN = {"default": {"BACKEND": "tests.comments.test_digest_retry.SMTPDownBackend"}}
REFUSES_MOD1 = {
    "default": {"BACKEND": "tests.comments.test_digest_retry.RefusesMod1Backend"}
}


class SMTPDownBackend(EmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusesMod1Backend(EmailBackend):
    """Delivers (to mail.outbox) everything but mail to mod1@example.com."""

    def send_messages(self, email_messages):
        if any("mod1@example.com" in m.to for m in email_messages):
            raise smtplib.SMTPRecipientsRefused({"mod1@example.com": (550, b"No")})
        return super().send_messages(email_messages)


@pytest.fixture
def moderators(db):
    return [make_moderator(email=f"mod{n}@example.com") for n in (1, 2)]


@pytest.fixture
def held(moderators):
    return make_comment(article=make_article(), status=Status.HELD)


def test_a_digest_that_reached_nobody_fails_and_frees_the_window(
    held, settings, caplog
):
    settings.MAILERS = SMTP_DOWN

    with pytest.raises(emails.DigestNotSent, match="0 of 2"):
        emails.send_moderator_digest()

    assert caplog.text.count("Could not mail moderator") == 2
    assert cache.get(emails.THROTTLE_KEY) is None
    settings.MAILERS = WORKING
    assert emails.send_moderator_digest() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mod1@example.com",
        "mod2@example.com",
    ]


def test_the_task_is_recorded_as_failed(held, settings):
    settings.MAILERS = SMTP_DOWN

    result = tasks.notify_moderators.enqueue()

    assert result.status == TaskResultStatus.FAILED
    [error] = result.errors
    assert error.exception_class_path == "comments.emails.DigestNotSent"


def test_the_next_held_comment_mails_moderators_once_smtp_is_back(
    akismet_server, moderators, post_comment, settings
):
    article = make_article(comments_premoderate=True)
    settings.MAILERS = SMTP_DOWN
    post_comment(article, body="While the mail server was down.")
    assert mail.outbox == []

    settings.MAILERS = WORKING
    post_comment(article, body="Once it is back.")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "mod1@example.com",
        "mod2@example.com",
    ]
    assert mail.outbox[0].subject.endswith("2 held, 0 reported comments")


def test_a_digest_some_moderators_received_keeps_the_window(held, settings):
    settings.MAILERS = REFUSES_MOD1

    assert emails.send_moderator_digest() == 1

    assert [m.to[0] for m in mail.outbox] == ["mod2@example.com"]
    assert cache.get(emails.THROTTLE_KEY) is not None
    settings.MAILERS = WORKING
    assert emails.send_moderator_digest() == 0
    assert len(mail.outbox) == 1
