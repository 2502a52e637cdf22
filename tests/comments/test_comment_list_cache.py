"""
The approved-comment list is cached for readers who see what everyone sees,
under a per-article version bumped by every status change and edit: a
moderator's decision or an author's edit shows on the very next page view,
and a reader's own pending comment is still shown to them only.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import moderation
from comments.models import Comment, Status
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def _page(article, client=None) -> str:
    response = (client or Client()).get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_of_the_comments_reads_the_list_from_the_cache(article):
    make_comment(article=article, body="Cached words.")
    _page(article)

    with CaptureQueriesContext(connection) as queries:
        html = _page(article)

    assert "Cached words." in html
    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


def test_an_article_with_no_comments_reads_its_empty_list_from_the_cache(article):
    first = _page(article)

    with CaptureQueriesContext(connection) as queries:
        html = _page(article)

    assert "No comments yet." in first
    assert "No comments yet." in html
    assert "0 Comments" in html
    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


def test_the_first_approved_comment_replaces_a_cached_empty_list_at_once(article):
    held = make_comment(article=article, status=Status.HELD, body="First words.")
    assert "No comments yet." in _page(article)
    assert "No comments yet." in _page(article)

    moderation.approve(held)

    html = _page(article)
    assert "First words." in html
    assert "1 Comment" in html
    assert "No comments yet." not in html


def test_approving_a_comment_shows_it_at_once(article):
    make_comment(article=article, body="Already here.")
    held = make_comment(article=article, status=Status.HELD, body="Held words.")
    assert "Held words." not in _page(article)

    moderation.approve(held)

    html = _page(article)
    assert "Held words." in html
    assert "2 Comments" in html


def test_removing_a_comment_hides_it_at_once(article):
    make_comment(article=article, body="Stays.")
    doomed = make_comment(article=article, body="Goes away.")
    assert "Goes away." in _page(article)

    moderation.remove(doomed)

    html = _page(article)
    assert "Goes away." not in html
    assert "Stays." in html
    assert "1 Comment" in html


def test_an_authors_edit_shows_to_other_readers_at_once(
    akismet_server, article, post_comment, client, django_capture_on_commit_callbacks
):
    post_comment(article, body="Teh harbour wall looks sturdy.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert "Teh harbour wall" in _page(article)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:edit", kwargs={"pk": comment.pk}),
            {"body": "The harbour wall looks sturdy."},
        )

    assert response.status_code == 302
    html = _page(article)
    assert "The harbour wall looks sturdy." in html
    assert "Teh harbour wall" not in html


def test_a_pending_comment_is_shown_to_its_author_only(
    article, post_comment, client, settings
):
    settings.COMMENTS_HOLD_FIRST_TIME = True
    make_comment(article=article, body="Everyone sees this.")
    assert "Everyone sees this." in _page(article)  # cached for everyone

    post_comment(article, body="My words await a moderator.")
    assert Comment.objects.get(body__startswith="My words").status == Status.HELD

    mine = _page(article, client)
    assert "My words await a moderator." in mine
    assert "Your comment is awaiting moderation." in mine
    assert "Everyone sees this." in mine
    theirs = _page(article)
    assert "My words await a moderator." not in theirs
    assert "Everyone sees this." in theirs


def test_the_cached_list_is_not_served_to_its_author_while_they_may_edit(
    akismet_server, article, post_comment, client
):
    make_comment(article=article, body="Someone else's comment.")
    _page(article)  # the shared list is cached

    post_comment(article, body="My published words.")

    mine = _page(article, client)
    assert "My published words." in mine
    assert "comment-edit-link" in mine
    assert "comment-edit-link" not in _page(article)


def test_a_signed_in_reader_gets_a_fresh_list(article, client):
    from tests.factories import make_user

    make_comment(article=article, body="First.")
    _page(article)
    client.force_login(make_user())

    with CaptureQueriesContext(connection) as queries:
        html = _page(article, client)

    assert "First." in html
    assert [q for q in queries.captured_queries if "comments_comment" in q["sql"]]
