"""
No `next` or return URL sends a visitor off the site: admin login and logout,
the moderation queue's actions and replies, the comment and report forms,
the signed mail links, and the site's own slash and redirect handling.
"""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from comments import moderation, tokens
from comments.forms import HONEYPOT_FIELD, sign_timestamp
from comments.models import Comment, Status
from newsarchive.redirects import record_move
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

OFFSITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    " //evil.example",
    "\t//evil.example",
    "https:evil.example",
    "https://testserver@evil.example/",
    "https://evil.example\\@testserver/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
]
QUEUE = reverse("admin:comments_comment_moderate")


def assert_stays_on_site(response) -> None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return
    location = response["Location"]
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), location
    assert parts.netloc in ("", "testserver"), location
    # Browsers read "/\" and "//" as the start of another host.
    assert not location.startswith(("//", "/\\", "\\")), location
    assert "evil.example" not in parts.netloc, location


def test_the_check_catches_an_offsite_redirect():
    class Redirect:
        status_code = 302

        def __getitem__(self, key):
            return "//evil.example/"

    with pytest.raises(AssertionError):
        assert_stays_on_site(Redirect())


@pytest.fixture
def staff(db):
    return make_user(username="ed", password="secret-pass-123", is_staff=True)


@pytest.mark.parametrize("target", OFFSITE)
def test_admin_login_ignores_an_offsite_next(staff, target):
    response = Client().post(
        f"/admin/login/?next={target}",
        {"username": "ed", "password": "secret-pass-123", "next": target},
    )

    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFFSITE)
def test_a_signed_in_visit_to_the_login_page_ignores_an_offsite_next(staff, target):
    client = Client()
    client.force_login(staff)

    assert_stays_on_site(client.get("/admin/login/", {"next": target}))


@pytest.mark.parametrize("target", OFFSITE)
def test_admin_logout_ignores_an_offsite_next(staff, target):
    client = Client()
    client.force_login(staff)

    response = client.post("/admin/logout/", {"next": target})

    assert_stays_on_site(response)


@pytest.mark.parametrize("target", [*OFFSITE, f"{QUEUE}//evil.example/"])
def test_a_queue_action_goes_back_to_the_queue_only(target):
    moderator = make_moderator()
    client = Client()
    client.force_login(moderator)
    comment = make_comment(article=make_article(), status=Status.HELD)

    response = client.post(
        reverse("admin:comments_comment_moderate_act"),
        {
            "do": f"approve:{comment.pk}",
            f"seen-{comment.pk}": comment.status,
            f"version-{comment.pk}": moderation.version(comment),
            "next": target,
        },
    )

    assert response.status_code == 302
    assert_stays_on_site(response)
    assert urlsplit(response["Location"]).path.startswith(QUEUE)


@pytest.mark.parametrize("target", OFFSITE)
def test_a_reply_from_the_queue_goes_back_to_the_queue_only(target):
    moderator = make_moderator()
    client = Client()
    client.force_login(moderator)
    comment = make_comment(article=make_article(), status=Status.APPROVED)

    response = client.post(
        reverse("admin:comments_comment_moderate_reply", kwargs={"pk": comment.pk}),
        {
            "body": "Thanks, fixed.",
            "seen": comment.status,
            "version": moderation.version(comment),
            "timestamp": sign_timestamp(article_id=comment.article_id),
            "next": target,
        },
    )

    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFFSITE[:6])
def test_the_comment_form_returns_to_the_article_whatever_next_says(
    client, target, django_capture_on_commit_callbacks
):
    article = make_article()
    data = {
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "body": "Good reporting.",
        "timestamp": sign_timestamp(article_id=article.pk, at=time.time() - 10),
        HONEYPOT_FIELD: "",
        "next": target,
        "return_to": target,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:post", kwargs={"article_id": article.pk}), data
        )

    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFFSITE[:6])
def test_a_report_returns_to_the_comment_whatever_next_says(client, target):
    comment = make_comment(article=make_article())

    response = client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}),
        {"reason": "spam", "text": "", "next": target},
    )

    assert response.status_code == 302
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", OFFSITE[:6])
def test_a_signed_mail_link_never_redirects_elsewhere(client, target):
    moderator = make_moderator()
    comment = make_comment(article=make_article(), status=Status.HELD)
    token = tokens.moderate_token(
        comment=Comment.objects.get(pk=comment.pk), user=moderator, action="approve"
    )
    url = reverse("comments:moderate_link", kwargs={"token": token})

    shown = client.get(url, {"next": target})
    done = client.post(f"{url}?next={target}", {"next": target})

    assert (shown.status_code, done.status_code) == (200, 200)
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED


@pytest.mark.parametrize(
    "path", ["//evil.example", "//evil.example/", "/\\evil.example", "///evil.example"]
)
def test_the_missing_slash_redirect_stays_on_site(client, path):
    assert_stays_on_site(client.get(path))


def test_the_redirect_table_refuses_a_target_on_another_site():
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        record_move(old_path="/old/", new_path="https://evil.example/")
    with pytest.raises(Exception):  # noqa: B017
        record_move(old_path="/old/", new_path="//evil.example/")
