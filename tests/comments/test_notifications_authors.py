"""
An article's authors are mailed when a comment on it is published, once,
unless they opted out (Author.notify_on_comments or the link in each mail).
"""

import re

import pytest
from django.core import mail
from django.test import Client

from articles.models import Author
from comments import emails, tokens
from comments.models import Comment
from tests.factories import make_article, make_author, make_moderator, make_user

pytestmark = pytest.mark.django_db


def _author(email: str, **fields) -> Author:
    author = make_author(name=email.split("@")[0].title())
    author.user = make_user(email=email)
    for name, value in fields.items():
        setattr(author, name, value)
    author.save()
    return author


@pytest.fixture
def bylined():
    return make_article(
        authors=[_author("jo@example.com"), _author("sam@example.com")],
        title="Harbour reopens",
    )


def _author_mails():
    return [m for m in mail.outbox if "New comment on" in m.subject]


def test_each_author_is_mailed_when_a_comment_is_published(
    akismet_server, bylined, post_comment
):
    post_comment(bylined, body="Great reporting.")

    mails = _author_mails()
    assert sorted(m.to[0] for m in mails) == ["jo@example.com", "sam@example.com"]
    assert mails[0].subject.endswith("New comment on “Harbour reopens”")
    assert "Great reporting." in mails[0].body
    comment = Comment.objects.get()
    assert f"http://testserver/comment/{comment.pk}/" in mails[0].body


def test_authors_who_opted_out_are_not_mailed(akismet_server, post_comment):
    article = make_article(
        authors=[
            _author("jo@example.com", notify_on_comments=False),
            _author("sam@example.com"),
        ]
    )

    post_comment(article)

    assert [m.to[0] for m in _author_mails()] == ["sam@example.com"]


def test_held_comments_mail_no_author_until_approved(
    akismet_server, post_comment, client, django_capture_on_commit_callbacks
):
    make_moderator(email="mod@example.com")
    article = make_article(
        authors=[_author("jo@example.com")], comments_premoderate=True
    )
    post_comment(article)
    assert _author_mails() == []

    [moderator_mail] = mail.outbox
    approve = re.search(r"Approve: http://testserver(\S+)", moderator_mail.body)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve)

    assert [m.to[0] for m in _author_mails()] == ["jo@example.com"]


def test_authors_are_mailed_once_however_often_asked(
    akismet_server, bylined, post_comment
):
    post_comment(bylined)
    comment = Comment.objects.get()

    emails.send_published_notifications(comment_id=comment.pk)

    assert len(_author_mails()) == 2


def test_an_author_commenting_on_their_own_article_is_not_mailed(
    akismet_server, bylined, post_comment
):
    post_comment(bylined, author_email="jo@example.com", author_name="Jo")

    assert [m.to[0] for m in _author_mails()] == ["sam@example.com"]


def test_each_mail_has_a_one_click_opt_out(akismet_server, bylined, post_comment):
    post_comment(bylined)
    message = next(m for m in _author_mails() if m.to == ["jo@example.com"])
    url = re.search(r"Stop these emails: (\S+)", message.body)[1]

    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    # What a mail client's one-click button sends: a POST without CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert not Author.objects.get(user__email="jo@example.com").notify_on_comments
    assert Author.objects.get(user__email="sam@example.com").notify_on_comments


def test_the_opt_out_page_asks_before_acting(akismet_server, bylined, post_comment):
    post_comment(bylined)
    message = _author_mails()[0]
    url = re.search(r"Stop these emails: (\S+)", message.body)[1]

    response = Client().get(url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert Author.objects.filter(notify_on_comments=False).count() == 0


def test_a_tampered_opt_out_link_is_refused(client):
    author = _author("jo@example.com")
    url = tokens.author_optout_url(author)

    response = client.post(url.removeprefix("http://testserver")[:-4] + "xyz/")

    assert response.status_code == 400
    author.refresh_from_db()
    assert author.notify_on_comments
