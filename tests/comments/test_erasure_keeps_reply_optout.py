"""An address that asked never to be emailed, then asked for erasure, must
not start getting mail again because a stranger ticks "email me replies"
with it (README: an unsubscribed address gets nothing more until its owner
lifts the opt-out through a link mailed to that address)."""

import pytest
from django.core import mail

from comments import notifications
from comments.models import ReplySubscription
from comments.services.personal_data import erase_personal_data
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_erasure_keeps_the_never_email_me_promise(django_capture_on_commit_callbacks):
    make_comment(article=make_article(), author_email="quiet@example.com")
    ReplySubscription.objects.create(email="quiet@example.com")
    notifications.unsubscribe_reply_notifications(email="quiet@example.com")

    erase_personal_data(email="quiet@example.com")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.request_reply_notifications(email="quiet@example.com")
    assert [m.to for m in mail.outbox] == [], "opted-out address mailed again"
