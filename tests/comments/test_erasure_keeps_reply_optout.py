"""
An address that asked never to be emailed, then asked for erasure, must not
start getting mail again because a stranger ticks "email me replies" with it.
Erasure keeps only a keyed hash of such an address, and its owner can still
lift the opt-out through a link mailed to it.
"""

import re

import pytest
from django.core import mail

from comments import notifications
from comments.models import ReplyOptoutMarker, ReplySubscription
from comments.services.personal_data import erase_personal_data
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"http://testserver(/comments/replies/confirm/\S+)")


@pytest.fixture
def quiet_erased(django_capture_on_commit_callbacks):
    """quiet@example.com opted out of reply mail, then had its data erased."""
    make_comment(article=make_article(), author_email="quiet@example.com")
    ReplySubscription.objects.create(email="quiet@example.com")
    notifications.unsubscribe_reply_notifications(email="quiet@example.com")
    erase_personal_data(email="Quiet@Example.com")
    mail.outbox.clear()


def test_a_stranger_ticking_the_box_after_erasure_sends_nothing(
    quiet_erased, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.request_reply_notifications(email="QUIET@example.com")

    assert [m.to for m in mail.outbox] == [], "opted-out address mailed again"
    assert not ReplySubscription.objects.exists()
    assert notifications.reply_optout(email="quiet@example.com") is not None


def test_erasure_keeps_no_plain_address_for_the_opt_out(quiet_erased):
    [marker] = ReplyOptoutMarker.objects.values_list("key", flat=True)
    assert "quiet" not in marker and len(marker) == 64
    assert not ReplySubscription.objects.exists()


def test_an_address_that_never_opted_out_leaves_no_marker():
    ReplySubscription.objects.create(email="chatty@example.com")
    erase_personal_data(email="chatty@example.com")
    assert not ReplyOptoutMarker.objects.exists()


def test_the_owner_still_lifts_the_opt_out_through_a_mailed_link(
    quiet_erased, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.request_reply_optout_lift(email="quiet@example.com")
    [lift_mail] = mail.outbox

    client.post(CONFIRM.search(lift_mail.body)[1])

    assert ReplySubscription.objects.get(email="quiet@example.com").is_active
    assert not ReplyOptoutMarker.objects.exists()
