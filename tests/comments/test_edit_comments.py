"""
The author may edit their own comment for ten minutes, from the browser that
posted it (the signed pending / editable cookie). An edit is re-sanitised,
rechecked with Akismet using recheck_reason=edit, marked edited and recorded.
"""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, ModerationEvent, Status
from comments.selectors.reader import CommentNode
from comments.services import editing
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def _edit_url(comment) -> str:
    return reverse("comments:edit", kwargs={"pk": comment.pk})


@pytest.fixture
def edit(client, django_capture_on_commit_callbacks):
    def post(comment, body, *, client=client):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(_edit_url(comment), {"body": body})

    return post


def test_the_author_sees_the_edit_form_with_their_words(
    akismet_server, article, post_comment, client
):
    post_comment(article, body="Teh harbour wall looks sturdy.")
    comment = Comment.objects.get()

    response = client.get(_edit_url(comment))

    assert response.status_code == 200
    assert "Teh harbour wall looks sturdy." in response.content.decode()


def test_an_edit_is_saved_sanitised_marked_and_recorded(
    akismet_server, article, post_comment, edit
):
    post_comment(article, body="Teh harbour wall looks sturdy.")
    comment = Comment.objects.get()

    response = edit(
        comment, "The harbour wall <strong>looks</strong> sturdy.<script>x</script>"
    )

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.status == Comment.Status.APPROVED
    assert (
        comment.body
        == "The harbour wall <strong>looks</strong> sturdy.<script>x</script>"
    )
    assert "<strong>looks</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert comment.edited_at is not None
    event = comment.events.get(kind=ModerationEvent.Kind.EDIT)
    assert event.details["previous_body"] == "Teh harbour wall looks sturdy."


def test_an_edit_is_rechecked_with_recheck_reason_edit_and_the_new_words(
    akismet_server, article, post_comment, edit
):
    post_comment(article, body="First words.")
    comment = Comment.objects.get()

    edit(comment, "Second words.")

    first, second = akismet_server.checks()
    assert "recheck_reason" not in first.form
    assert second.form["recheck_reason"] == "edit"
    assert second.form["comment_content"] == "Second words."
    assert second.form["user_ip"] == first.form["user_ip"]
    comment.refresh_from_db()
    # Later spam / ham reports send what readers now see.
    assert comment.akismet_payload["comment_content"] == "Second words."


def test_an_edit_akismet_calls_spam_takes_the_comment_down(
    akismet_server, article, post_comment, edit
):
    post_comment(article, body="Nice article.")
    comment = Comment.objects.get()
    akismet_server.mode = "spam"

    response = edit(comment, "Cheap pills at example.com")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    # Its author lands on it awaiting moderation, as with a held comment.
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert (
        "Cheap pills" not in Client().get(article.get_absolute_url()).content.decode()
    )


def test_a_held_comment_can_be_edited_and_stays_held(
    akismet_server, post_comment, edit
):
    article = make_article(comments_premoderate=True)
    post_comment(article, body="Pending words.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.HELD

    edit(comment, "Better pending words.")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.HELD
    assert comment.body == "Better pending words."
    assert akismet_server.checks()[-1].form["recheck_reason"] == "edit"


def test_editing_after_ten_minutes_is_forbidden(
    akismet_server, article, post_comment, client, edit
):
    post_comment(article, body="Old words.")
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        created=timezone.now() - timedelta(minutes=10, seconds=1)
    )
    akismet_server.requests.clear()

    assert client.get(_edit_url(comment)).status_code == 403
    assert edit(comment, "New words.").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Old words."
    assert comment.edited_at is None
    assert not [r for r in akismet_server.checks() if "recheck_reason" in r.form]


def test_editing_from_another_browser_is_forbidden(
    akismet_server, article, post_comment, edit
):
    post_comment(article, body="My words.")
    comment = Comment.objects.get()
    stranger = Client()

    assert stranger.get(_edit_url(comment)).status_code == 403
    assert edit(comment, "Your words.", client=stranger).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "My words."


def test_a_forged_cookie_is_forbidden(akismet_server, article, post_comment, edit):
    post_comment(article, body="My words.")
    comment = Comment.objects.get()
    stranger = Client()
    stranger.cookies["comments_editable"] = f'{{"{comment.pk}":9999999999}}'

    assert edit(comment, "Forged words.", client=stranger).status_code == 403


def test_the_edit_window_is_ten_minutes_from_posting(article):
    posted = timezone.now()
    comment = make_comment(article=article, created=posted)

    assert editing.can_edit(comment, now=posted + timedelta(minutes=10))
    assert not editing.can_edit(comment, now=posted + timedelta(minutes=10, seconds=1))
    with pytest.raises(editing.EditNotAllowed):
        editing.comment_edit(
            comment=comment, body="Late", now=posted + timedelta(minutes=11)
        )


def test_removed_comments_cannot_be_edited(article):
    comment = make_comment(article=article, status=Status.REMOVED)

    assert not editing.can_edit(comment)


def test_only_the_author_sees_the_edit_link(
    akismet_server, article, post_comment, client
):
    post_comment(article, body="Linked words.")
    comment = Comment.objects.get()

    mine = client.get(article.get_absolute_url()).content.decode()
    theirs = Client().get(article.get_absolute_url()).content.decode()

    assert _edit_url(comment) in mine
    assert _edit_url(comment) not in theirs


def test_an_edited_comment_shows_edited(article, rf):
    comment = make_comment(article=article, edited_at=timezone.now())
    plain = make_comment(article=article)
    request = rf.get("/")

    html = render_to_string(
        "comments/includes/comment_list.html",
        {"nodes": [CommentNode(comment=comment)], "section": None},
        request=request,
    )
    unedited = render_to_string(
        "comments/includes/comment_list.html",
        {"nodes": [CommentNode(comment=plain)], "section": None},
        request=request,
    )

    assert 'class="comment__edited"' in html
    assert 'class="comment__edited"' not in unedited
