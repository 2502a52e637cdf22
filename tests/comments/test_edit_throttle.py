"""
Edits are throttled: a few per comment within its edit window, and a few
dozen per address (an IPv6 /64 counting once) per ten minutes, counted in
the shared cache for addresses; the per-comment limit counts the comment's
saved EDIT events. A throttled edit is refused with 429 and
Retry-After, and changes nothing.
"""

import pytest
from django.urls import reverse

from comments.models import Comment, ModerationEvent
from comments.services import editing

pytestmark = pytest.mark.django_db

# The limits as comments/services/editing.py sets them, spelt out so that a
# change to them is a decision these tests make visible.
EDITS_PER_COMMENT = 5
EDITS_PER_IP = 20
EDIT_WINDOW_SECONDS = 600


@pytest.fixture
def edit(client, django_capture_on_commit_callbacks):
    def post(comment, body, *, remote_addr="127.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("comments:edit", kwargs={"pk": comment.pk}),
                {"body": body},
                REMOTE_ADDR=remote_addr,
            )

    return post


def _edits(comment) -> int:
    return comment.events.filter(kind=ModerationEvent.Kind.EDIT).count()


def _post_comments(post_comment, article, count: int) -> list[Comment]:
    for n in range(count):
        post_comment(article, body=f"Comment number {n}.")
    return list(Comment.objects.order_by("id"))


def test_the_sixth_edit_of_a_comment_is_refused_and_changes_nothing(
    akismet_server, article, post_comment, edit
):
    post_comment(article, body="Version 0.")
    comment = Comment.objects.get()
    for n in range(1, EDITS_PER_COMMENT + 1):
        assert edit(comment, f"Version {n}.").status_code == 302
    checks = len(akismet_server.checks())

    response = edit(comment, "One edit too many.")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= EDIT_WINDOW_SECONDS
    page = response.content.decode()
    assert "edited this comment" in page
    assert "One edit too many." in page  # their words are not lost
    comment.refresh_from_db()
    assert comment.body == f"Version {EDITS_PER_COMMENT}."
    assert _edits(comment) == EDITS_PER_COMMENT
    assert len(akismet_server.checks()) == checks


def test_the_twenty_first_edit_from_one_address_is_refused_whatever_the_comment(
    akismet_server, article, post_comment, edit
):
    per_comment = EDITS_PER_COMMENT - 1
    needed = -(-EDITS_PER_IP // per_comment) + 1
    comments = _post_comments(post_comment, article, needed)
    done = 0
    for comment in comments[:-1]:
        for n in range(min(per_comment, EDITS_PER_IP - done)):
            assert edit(comment, f"Edit {n} of {comment.pk}.").status_code == 302
            done += 1
    assert done == EDITS_PER_IP
    fresh = comments[-1]

    response = edit(fresh, "Still editing.")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= EDIT_WINDOW_SECONDS
    assert "editing comments too quickly" in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.body != "Still editing."
    assert _edits(fresh) == 0


def test_an_ipv6_64_counts_as_one_address(akismet_server, article, post_comment, edit):
    per_comment = EDITS_PER_COMMENT - 1
    needed = -(-EDITS_PER_IP // per_comment) + 1
    comments = _post_comments(post_comment, article, needed)
    done = 0
    for comment in comments[:-1]:
        for n in range(min(per_comment, EDITS_PER_IP - done)):
            # A different address of the same /64 for every edit.
            address = f"2001:db8:0:7::{done + 1:x}"
            response = edit(comment, f"Edit {n} of {comment.pk}.", remote_addr=address)
            assert response.status_code == 302
            done += 1

    response = edit(comments[-1], "From a sibling.", remote_addr="2001:db8:0:7::ffff")

    assert response.status_code == 429
    other_network = edit(comments[-1], "From elsewhere.", remote_addr="2001:db8:0:8::1")
    assert other_network.status_code == 302


def test_the_per_comment_limit_holds_while_the_cache_is_down(
    akismet_server, article, post_comment, edit, settings
):
    # Nothing listens on port 9: every cache call fails, as when Redis stops.
    settings.CACHES = {
        "default": {
            "BACKEND": "newsarchive.cache.FaultTolerantCache",
            "OPTIONS": {"BACKING": "backing"},
        },
        "backing": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        },
    }
    post_comment(article, body="Version 0.")
    comment = Comment.objects.get()
    for n in range(1, EDITS_PER_COMMENT + 1):
        assert edit(comment, f"Version {n}.").status_code == 302

    response = edit(comment, "One edit too many.")

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    comment.refresh_from_db()
    assert comment.body == f"Version {EDITS_PER_COMMENT}."


def test_an_edit_refused_for_its_address_does_not_count_against_the_comment(
    monkeypatch, akismet_server, article, post_comment, edit
):
    post_comment(article, body="My words.")
    comment = Comment.objects.get()
    monkeypatch.setattr(editing, "EDITS_PER_IP", 0)
    assert edit(comment, "Edited once.", remote_addr="10.9.9.9").status_code == 429
    monkeypatch.setattr(editing, "EDITS_PER_IP", EDITS_PER_IP)

    for n in range(EDITS_PER_COMMENT):
        response = edit(comment, f"Edit {n}.", remote_addr="10.9.9.8")
        assert response.status_code == 302, n
    assert _edits(comment) == EDITS_PER_COMMENT
