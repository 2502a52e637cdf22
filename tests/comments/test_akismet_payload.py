"""The exact fields sent to Akismet, as the local server received them."""

from datetime import UTC, timedelta

import pytest

from comments.models import Comment
from tests.factories import make_comment, make_user

pytestmark = pytest.mark.django_db


def test_it_sends_the_full_payload_and_stores_it_as_sent(
    akismet_server, article, post_comment
):
    post_comment(
        article,
        headers={"user-agent": "Mozilla/5.0 Test", "referer": "https://ref.example/"},
    )

    [request] = akismet_server.checks()
    comment = Comment.objects.get()
    sent = request.form
    assert request.path == "/1.1/comment-check"
    assert sent == {
        "api_key": "test-key-123",
        "blog": "http://testserver",
        "user_ip": "127.0.0.1",
        "user_agent": "Mozilla/5.0 Test",
        "referrer": "https://ref.example/",
        "permalink": "http://testserver" + article.get_absolute_url(),
        "comment_type": "comment",
        "comment_author": "Ada Reader",
        "comment_author_email": "ada@example.com",
        "comment_author_url": "https://ada.example/",
        "comment_content": "The new harbour wall looks sturdy.",
        "comment_date_gmt": comment.created.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "comment_post_modified_gmt": article.updated.astimezone(UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "blog_lang": "en_US",
        "blog_charset": "UTF-8",
        "honeypot_field_name": "leave_blank",
        "leave_blank": "",
        "is_test": "1",
    }
    # Stored exactly as sent, without the key, for later spam / ham reports.
    assert comment.akismet_payload == {k: v for k, v in sent.items() if k != "api_key"}
    assert request.headers["user-agent"].startswith("akismet.py/")


def test_the_stored_payload_expires_after_fifteen_days(
    akismet_server, article, post_comment
):
    post_comment(article)

    comment = Comment.objects.get()
    assert comment.akismet_payload_expires_at == comment.created + timedelta(days=15)


def test_a_reply_is_sent_as_comment_type_reply(akismet_server, article, post_comment):
    parent = make_comment(article=article)
    post_comment(article, parent=str(parent.pk))

    assert akismet_server.checks()[0].form["comment_type"] == "reply"


def test_is_test_is_left_out_in_production(
    akismet_server, article, post_comment, settings
):
    settings.AKISMET_IS_TEST = False
    post_comment(article)

    assert "is_test" not in akismet_server.checks()[0].form


def test_staff_are_sent_as_administrators(
    akismet_server, article, post_comment, client
):
    staff = make_user(is_staff=True, email="ed@example.com")
    client.force_login(staff)
    post_comment(article, client=client)

    sent = akismet_server.checks()[0].form
    assert sent["user_role"] == "administrator"
    assert sent["comment_author_email"] == "ed@example.com"


def test_signed_in_readers_are_sent_as_subscribers(
    akismet_server, article, post_comment, client
):
    client.force_login(make_user(email="reader@example.com"))
    post_comment(article, client=client)

    assert akismet_server.checks()[0].form["user_role"] == "subscriber"


def test_anonymous_readers_have_no_user_role(akismet_server, article, post_comment):
    post_comment(article)

    assert "user_role" not in akismet_server.checks()[0].form


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "not-an-ip", "127.0.0.1"),
    ],
)
def test_user_ip_comes_from_the_trusted_proxies_only(
    akismet_server, article, post_comment, settings, proxies, forwarded, expected
):
    settings.COMMENTS_TRUSTED_PROXIES = proxies
    post_comment(article, headers={"x-forwarded-for": forwarded})

    assert akismet_server.checks()[0].form["user_ip"] == expected
    assert Comment.objects.get().ip == expected
