"""
Moderators are mailed when comments are held or reported: counts, at most one
mail per 10 minutes, and signed one-click approve / spam / remove links that
open a confirmation page and act only on POST.
"""

import re
import types

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.tasks import default_task_backend

from articles.models import Article
from comments import emails, tokens
from comments.models import Comment, Status
from comments.services import reporting
from tests.factories import make_article, make_comment, make_moderator, make_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^(Approve|Spam|Remove): http://testserver(\S+)$", re.MULTILINE)


@pytest.fixture
def moderators(db):
    return [make_moderator(email=f"mod{n}@example.com") for n in (1, 2)]


@pytest.fixture
def premoderated(db) -> Article:
    return make_article(comments_premoderate=True)


def _links(message) -> dict[str, str]:
    return dict(LINK.findall(message.body))


def test_a_held_comment_mails_every_moderator_the_counts(
    akismet_server, moderators, premoderated, post_comment
):
    make_user(email="reader@example.com")  # not a moderator
    post_comment(premoderated)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "mod1@example.com",
        "mod2@example.com",
    ]
    message = mail.outbox[0]
    assert message.subject.endswith("1 held, 0 reported comments")
    assert "Held:     1" in message.body
    assert "Pre-moderated article" in message.body
    assert set(_links(message)) == {"Approve", "Spam", "Remove"}


def test_the_digest_links_to_the_moderation_queue(
    akismet_server, moderators, premoderated, post_comment
):
    post_comment(premoderated)

    assert "http://testserver/admin/comments/comment/moderate/" in mail.outbox[0].body


def test_each_moderator_gets_their_own_links(
    akismet_server, moderators, premoderated, post_comment
):
    post_comment(premoderated)

    first, second = (_links(m)["Approve"] for m in mail.outbox)
    assert first != second


def test_mails_are_throttled_to_one_per_ten_minutes(
    akismet_server, moderators, premoderated, post_comment
):
    post_comment(premoderated, body="One")
    post_comment(premoderated, body="Two")
    assert len(mail.outbox) == 2  # one per moderator, for the first only

    cache.delete(emails.THROTTLE_KEY)  # ten minutes later
    post_comment(premoderated, body="Three")

    assert len(mail.outbox) == 4
    assert "Held:     3" in mail.outbox[-1].body


def test_the_throttle_is_shared_through_the_cache(
    akismet_server, moderators, premoderated, post_comment
):
    # Another server sent a digest a minute ago.
    cache.add(emails.THROTTLE_KEY, 1, timeout=600)

    post_comment(premoderated)

    assert mail.outbox == []


def test_comments_waiting_for_an_akismet_retry_do_not_page_moderators(
    akismet_server, moderators, article, post_comment
):
    akismet_server.mode = "error500"
    post_comment(article)

    assert Comment.objects.get().status == Comment.Status.HELD
    assert mail.outbox == []


def test_published_comments_mail_no_moderator(
    akismet_server, moderators, article, post_comment
):
    post_comment(article)

    assert not [m for m in mail.outbox if m.to[0].startswith("mod")]


def test_a_report_mails_moderators_with_the_reported_count(
    moderators, article, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article)

    with django_capture_on_commit_callbacks(execute=True):
        reporting.report_comment(comment=comment, reason="spam", ip="10.0.0.1")

    assert len(mail.outbox) == 2
    assert "Reported: 1" in mail.outbox[0].body
    # Already published: no approve link, only spam and remove.
    assert set(_links(mail.outbox[0])) == {"Spam", "Remove"}


def test_the_link_asks_for_confirmation_before_acting(
    akismet_server, moderators, premoderated, post_comment, client
):
    post_comment(premoderated, body="Please approve me")
    path = _links(mail.outbox[0])["Approve"]

    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please approve me" in html
    assert '<button type="submit" class="button">Approve</button>' in html
    assert Comment.objects.get().status == Comment.Status.HELD


def test_posting_the_confirmation_approves_as_that_moderator(
    akismet_server,
    moderators,
    premoderated,
    post_comment,
    client,
    django_capture_on_commit_callbacks,
):
    post_comment(premoderated)
    message = next(m for m in mail.outbox if m.to == ["mod2@example.com"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_links(message)["Approve"])

    assert response.status_code == 200
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.events.last().actor == moderators[1]


@pytest.mark.parametrize(("label", "status"), [("Spam", "spam"), ("Remove", "removed")])
def test_spam_and_remove_links_do_what_they_say(
    akismet_server, moderators, premoderated, post_comment, client, label, status
):
    post_comment(premoderated)

    client.post(_links(mail.outbox[0])[label])

    assert Comment.objects.get().status == status


def test_a_link_works_once(
    akismet_server, moderators, premoderated, post_comment, client
):
    post_comment(premoderated)
    links = _links(mail.outbox[0])
    client.post(links["Approve"])

    assert client.post(links["Approve"]).status_code == 409
    # Nor can another link from the same mail act on the changed comment.
    assert client.post(links["Remove"]).status_code == 409
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_a_tampered_link_is_refused(
    akismet_server, moderators, premoderated, post_comment, client
):
    post_comment(premoderated)
    path = _links(mail.outbox[0])["Approve"]
    comment = Comment.objects.get()
    payload, rest = path.split("/comments/moderate/")[1].split(":", 1)
    forged = signing.b64_encode(
        signing.b64_decode(payload.encode()).replace(b'"approve"', b'"remove"')
    ).decode()

    for bad in (path[:-3] + "abc/", f"/comments/moderate/{forged}:{rest}"):
        assert client.get(bad).status_code == 400
        assert client.post(bad).status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD


def test_an_expired_link_is_refused(moderators, article, client, monkeypatch):
    comment = make_comment(article=article, status=Status.HELD)
    eight_days_ago = signing.time.time() - 8 * 24 * 60 * 60
    monkeypatch.setattr(
        signing, "time", types.SimpleNamespace(time=lambda: eight_days_ago)
    )
    url = tokens.moderate_url(comment=comment, user=moderators[0], action="approve")
    monkeypatch.undo()

    assert client.post(url.removeprefix("http://testserver")).status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD


def test_a_link_for_someone_who_cannot_moderate_is_forbidden(article, client):
    comment = make_comment(article=article, status=Status.HELD)
    reader = make_user()
    url = tokens.moderate_url(comment=comment, user=reader, action="approve")

    assert client.post(url.removeprefix("http://testserver")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD


def test_a_link_of_a_deactivated_moderator_is_forbidden(moderators, article, client):
    comment = make_comment(article=article, status=Status.HELD)
    url = tokens.moderate_url(comment=comment, user=moderators[0], action="approve")
    moderators[0].is_active = False
    moderators[0].save()

    assert client.post(url.removeprefix("http://testserver")).status_code == 403


def test_a_digest_due_inside_the_window_is_sent_when_it_ends(
    moderators, article, settings
):
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}
    }
    make_comment(article=article, status=Status.HELD)
    cache.add(emails.THROTTLE_KEY, 1, timeout=600)

    assert emails.send_moderator_digest() == 0
    assert emails.send_moderator_digest() == 0

    [deferred] = default_task_backend.results
    assert deferred.task.name == "notify_moderators"
    assert deferred.task.run_after is not None
    assert mail.outbox == []
