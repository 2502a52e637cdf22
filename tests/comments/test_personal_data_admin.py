"""
In the admin, people with the personal-data permission (and superusers)
export an address's data as a JSON download, from the changelist's action or
the Personal data page, and erase it after a confirmation step. Moderators
without the permission can do neither.
"""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from comments import moderation
from comments.models import Comment, ModerationEvent, ReplySubscription, Status
from tests.factories import make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
PAGE = reverse("admin:comments_comment_personal_data")
ADA = "ada@example.com"


def _privacy_moderator():
    user = make_moderator()
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="comments", codename="manage_personal_data"
        )
    )
    return user


@pytest.fixture
def privacy_client(client):
    client.force_login(_privacy_moderator())
    return client


def _action(client, action: str, comments: list[Comment], **extra):
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [c.pk for c in comments],
            **{f"seen-{c.pk}": c.status for c in comments},
            **{f"version-{c.pk}": moderation.version(c) for c in comments},
            **extra,
        },
    )


def _is_private_download(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.json"')
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_action_downloads_the_authors_data_as_json(privacy_client, article):
    mine = make_comment(article=article, author_email=ADA)
    also = make_comment(article=article, author_email="Ada@Example.com")
    make_comment(article=article, author_email="bob@example.com")

    response = _action(privacy_client, "export_personal_data_selected", [mine])

    _is_private_download(response)
    data = json.loads(response.content)
    assert data["email"] == ADA
    assert {c["id"] for c in data["comments"]} == {mine.pk, also.pk}


def test_the_action_wants_one_author_at_a_time(privacy_client, article):
    comments = [
        make_comment(article=article, author_email=email)
        for email in (ADA, "bob@example.com")
    ]

    response = _action(privacy_client, "export_personal_data_selected", comments)

    assert response.status_code == 302
    page = privacy_client.get(response["Location"]).text
    assert "one author" in page


def test_the_page_exports_an_address_typed_in(privacy_client, article):
    make_comment(article=article, author_email=ADA)

    response = privacy_client.post(PAGE, {"email": " ADA@example.com ", "do": "export"})

    _is_private_download(response)
    assert len(json.loads(response.content)["comments"]) == 1


def test_a_malformed_address_is_shown_again_with_the_error(privacy_client):
    response = privacy_client.post(PAGE, {"email": "<b>ada</b>", "do": "export"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert "<b>ada</b>" not in response.text
    assert "&lt;b&gt;ada&lt;/b&gt;" in response.text


def test_erasing_from_the_page_asks_first_then_erases(privacy_client, article):
    comment = make_comment(article=article, author_email=ADA, author_name="Ada")
    ReplySubscription.objects.create(email=ADA)

    asked = privacy_client.post(PAGE, {"email": ADA, "do": "erase"})

    assert asked.status_code == 200
    assert "1 comment" in asked.text
    assert "1 reply-notification record" in asked.text
    assert "cannot be undone" in asked.text
    assert Comment.objects.get().author_name == "Ada"

    done = privacy_client.post(PAGE, {"emails": [ADA], "do": "confirm"}, follow=True)

    comment.refresh_from_db()
    assert comment.author_name == "Anonymous"
    assert not ReplySubscription.objects.exists()
    assert "Anonymised 1 comment" in done.text
    [event] = ModerationEvent.objects.all()
    assert event.actor == done.wsgi_request.user


def test_the_erase_action_confirms_every_selected_author(privacy_client, article):
    comments = [
        make_comment(article=article, author_email=email)
        for email in (ADA, "bob@example.com")
    ]

    asked = _action(privacy_client, "erase_personal_data_selected", comments)

    assert asked.status_code == 200
    assert ADA in asked.text and "bob@example.com" in asked.text
    assert set(Comment.objects.values_list("author_email", flat=True)) == {
        ADA,
        "bob@example.com",
    }

    privacy_client.post(
        PAGE, {"emails": [ADA, "bob@example.com"], "do": "confirm"}, follow=True
    )

    assert set(Comment.objects.values_list("author_email", flat=True)) == {""}
    assert ModerationEvent.objects.count() == 2


def test_moderators_without_the_permission_get_neither(client, article):
    comment = make_comment(article=article, author_email=ADA, author_name="Ada")
    client.force_login(make_moderator())

    changelist = client.get(CHANGELIST).text
    export = _action(client, "export_personal_data_selected", [comment])

    assert "export_personal_data_selected" not in changelist
    assert "erase_personal_data_selected" not in changelist
    assert export.get("Content-Disposition") is None
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"emails": [ADA], "do": "confirm"}).status_code == 403
    assert Comment.objects.get().author_name == "Ada"


def test_a_superuser_may(client, article):
    make_comment(article=article, author_email=ADA)
    client.force_login(make_user(is_staff=True, is_superuser=True))

    assert client.get(PAGE).status_code == 200
    _is_private_download(client.post(PAGE, {"email": ADA, "do": "export"}))


def test_readers_are_sent_to_the_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_changelist_links_to_the_page_for_those_allowed(privacy_client):
    assert f'href="{PAGE}"' in privacy_client.get(CHANGELIST).text


def test_the_page_is_never_cached(privacy_client):
    response = privacy_client.get(PAGE)

    assert "no-store" in response["Cache-Control"]


def test_an_erased_comment_cannot_be_exported_by_its_blank_address(
    privacy_client, article
):
    comment = make_comment(article=article, author_email=ADA)
    privacy_client.post(PAGE, {"emails": [ADA], "do": "confirm"})
    comment.refresh_from_db()

    response = _action(privacy_client, "export_personal_data_selected", [comment])

    assert response.status_code == 302
    assert "already anonymised" in privacy_client.get(response["Location"]).text
    assert comment.status == Status.APPROVED


def test_the_comments_history_shows_the_erasure_and_who_did_it(privacy_client, article):
    comment = make_comment(article=article, author_email=ADA, author_name="Ada L.")
    privacy_client.post(PAGE, {"emails": [ADA], "do": "confirm"})

    page = privacy_client.get(
        reverse("admin:comments_comment_moderate_history", args=[comment.pk])
    ).text

    assert "Personal data erased at the author&#x27;s request" in page
    assert "Ada L." not in page
    assert ADA not in page
