"""
"Never email this address" lasts until the owner of the address lifts it:
ticking "email me replies" with it, an older confirmation link, or an editor
in the admin cannot undo it. The owner lifts it from the page their own mail
led to, through a fresh signed link mailed to that same address.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Author
from comments import tokens
from comments.models import Comment, ReplySubscription
from tests.factories import make_author, make_editor, make_user, role_group

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r"http://testserver(/comments/replies/confirm/\S+)")
UNSUBSCRIBE = re.compile(r"http://testserver(/comments/replies/unsubscribe/\S+)")
LIFT_FORM = re.compile(r'<form method="post" action="([^"]+/lift/)">')
AUTHOR_OPTIN = re.compile(r"http://testserver(/comments/authors/resubscribe/\S+)")


def to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def a_day_later() -> None:
    """Past the one-confirmation-a-day limit, so only the opt-out can stop a mail."""
    ReplySubscription.objects.update(
        confirmation_sent_at=timezone.now() - timedelta(days=2)
    )


def lift_form(page) -> str:
    """The lift-request form's target on a page the owner reached."""
    match = LIFT_FORM.search(page.content.decode())
    assert match, "the page offers no way to turn the mails back on"
    return match[1]


@pytest.fixture
def ask_for_lift(client, django_capture_on_commit_callbacks):
    """Post a lift request (a page's form, or a path); the mail it queues goes out."""

    def ask(page_or_path):
        path = (
            page_or_path if isinstance(page_or_path, str) else lift_form(page_or_path)
        )
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path)

    return ask


@pytest.fixture
def never_email_ada(akismet_server, article, post_comment):
    """
    Someone ticked the box with ada@example.com; Ada followed "Never email
    this address" in the confirmation mail. Returns the confirmation mail.
    """
    post_comment(article, notify_replies="on", body="Posted as Ada by someone.")
    [confirmation] = to("ada@example.com")
    Client().post(UNSUBSCRIBE.search(confirmation.body)[1])
    assert ReplySubscription.objects.get().unsubscribed_at is not None
    mail.outbox.clear()
    return confirmation


def test_ticking_the_box_with_an_unsubscribed_address_sends_nothing_and_changes_nothing(
    never_email_ada, article, post_comment
):
    before = ReplySubscription.objects.values().get()
    a_day_later()
    after_a_day = ReplySubscription.objects.values().get()

    post_comment(article, notify_replies="on", body="Trying again a day later.")

    assert to("ada@example.com") == []
    assert ReplySubscription.objects.values().get() == after_a_day
    assert after_a_day["unsubscribed_at"] == before["unsubscribed_at"]


def test_an_older_confirmation_link_does_not_undo_the_opt_out(never_email_ada, client):
    confirm = CONFIRM.search(never_email_ada.body)[1]

    response = client.post(confirm)

    subscription = ReplySubscription.objects.get()
    assert subscription.unsubscribed_at is not None
    assert not subscription.is_active
    assert "no longer turns them on" in response.content.decode()


def test_the_owner_lifts_it_through_a_link_mailed_to_the_address(
    never_email_ada, article, post_comment, client, ask_for_lift
):
    unsubscribe = UNSUBSCRIBE.search(never_email_ada.body)[1]
    page = client.get(unsubscribe)  # the page the mail's link opens

    ask_for_lift(page)

    # Nothing changes until the mailed link is used.
    assert ReplySubscription.objects.get().unsubscribed_at is not None
    [lift_mail] = to("ada@example.com")
    assert "back on" in lift_mail.subject
    lift = CONFIRM.search(lift_mail.body)[1]
    assert client.get(lift).status_code == 200
    assert not ReplySubscription.objects.get().is_active

    client.post(lift)

    assert ReplySubscription.objects.get().is_active
    mail.outbox.clear()
    parent = Comment.objects.get()
    post_comment(
        article,
        parent=str(parent.pk),
        author_name="Bob",
        author_email="bob@example.com",
        body="A reply Ada now hears about.",
    )
    assert len(to("ada@example.com")) == 1


def test_the_page_after_unsubscribing_offers_the_lift_too(
    akismet_server, article, post_comment, client, ask_for_lift
):
    post_comment(article, notify_replies="on")
    unsubscribe = UNSUBSCRIBE.search(to("ada@example.com")[0].body)[1]
    mail.outbox.clear()

    done = client.post(unsubscribe)
    ask_for_lift(done)

    assert len(to("ada@example.com")) == 1


def test_an_address_that_is_not_unsubscribed_is_sent_no_lift_mail(
    akismet_server, article, post_comment, client, ask_for_lift
):
    post_comment(article, notify_replies="on")
    unsubscribe = UNSUBSCRIBE.search(to("ada@example.com")[0].body)[1]
    mail.outbox.clear()

    response = ask_for_lift(unsubscribe.rstrip("/") + "/lift/")

    assert response.status_code == 200
    assert to("ada@example.com") == []


def test_lift_mails_go_out_at_most_once_a_day(never_email_ada, client, ask_for_lift):
    page = client.get(UNSUBSCRIBE.search(never_email_ada.body)[1])

    ask_for_lift(page)
    ask_for_lift(page)

    assert len(to("ada@example.com")) == 1


def test_a_lift_link_is_refused_once_the_address_opted_out_again(
    never_email_ada, client, ask_for_lift
):
    unsubscribe = UNSUBSCRIBE.search(never_email_ada.body)[1]
    ask_for_lift(client.get(unsubscribe))
    lift = CONFIRM.search(to("ada@example.com")[0].body)[1]
    client.post(lift)
    client.post(unsubscribe)  # and Ada changes her mind again

    client.post(lift)

    assert ReplySubscription.objects.get().unsubscribed_at is not None


def test_a_tampered_lift_request_is_refused(never_email_ada, client):
    unsubscribe = UNSUBSCRIBE.search(never_email_ada.body)[1]

    response = client.post(unsubscribe[:-4] + "xyz/lift/")

    assert response.status_code == 400
    assert mail.outbox == []


# Authors ------------------------------------------------------------------------


@pytest.fixture
def jo() -> Author:
    """An author who turned comment mails off with the link in one of them."""
    author = make_author(name="Jo")
    author.user = make_user(email="jo@example.com")
    author.save()
    Client().post(tokens.author_optout_url(author).removeprefix("http://testserver"))
    author.refresh_from_db()
    assert not author.notify_on_comments
    return author


def author_change_form(author: Author, **overrides) -> dict:
    return {
        "name": author.name,
        "slug": author.slug,
        "bio": author.bio,
        "user": str(author.user_id),
        **overrides,
    }


def test_an_editor_cannot_turn_an_authors_comment_mails_back_on(jo, client):
    client.force_login(make_editor())

    response = client.post(
        reverse("admin:articles_author_change", args=[jo.pk]),
        author_change_form(jo, notify_on_comments="on", bio="Edited bio."),
    )

    assert response.status_code == 302
    jo.refresh_from_db()
    assert jo.bio == "Edited bio."
    assert not jo.notify_on_comments


def test_the_author_can_turn_them_back_on_in_their_own_profile(jo, client):
    jo.user.groups.add(role_group("Editors"))
    jo.user.is_staff = True
    jo.user.save()
    client.force_login(jo.user)

    client.post(
        reverse("admin:articles_author_change", args=[jo.pk]),
        author_change_form(jo, notify_on_comments="on"),
    )

    jo.refresh_from_db()
    assert jo.notify_on_comments


def test_the_author_turns_them_back_on_through_a_link_mailed_to_them(
    jo, client, ask_for_lift
):
    page = client.get(tokens.author_optout_url(jo).removeprefix("http://testserver"))

    ask_for_lift(page)

    jo.refresh_from_db()
    assert not jo.notify_on_comments
    [lift_mail] = to("jo@example.com")
    optin = AUTHOR_OPTIN.search(lift_mail.body)[1]
    assert client.get(optin).status_code == 200
    jo.refresh_from_db()
    assert not jo.notify_on_comments

    client.post(optin)

    jo.refresh_from_db()
    assert jo.notify_on_comments


def test_an_author_link_is_refused_once_the_profile_has_another_address(
    jo, client, ask_for_lift
):
    page = client.get(tokens.author_optout_url(jo).removeprefix("http://testserver"))
    ask_for_lift(page)
    optin = AUTHOR_OPTIN.search(to("jo@example.com")[0].body)[1]
    jo.user.email = "new-jo@example.com"
    jo.user.save()

    response = client.post(optin)

    assert response.status_code == 400
    jo.refresh_from_db()
    assert not jo.notify_on_comments


def test_an_author_who_gets_mails_is_sent_no_lift_link(client, ask_for_lift):
    author = make_author(name="Sam")
    author.user = make_user(email="sam@example.com")
    author.save()
    optout = tokens.author_optout_url(author).removeprefix("http://testserver")

    response = ask_for_lift(optout.rstrip("/") + "/lift/")

    assert response.status_code == 200
    assert to("sam@example.com") == []
