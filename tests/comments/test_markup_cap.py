"""
A comment with more markup than the sanitiser accepts (COMMENT_LIMITS) is
refused by the form as an error on its body: a 400, the reason shown, nothing
saved and Akismet not asked. The author's edit is refused the same way.
"""

import pytest
from django.urls import reverse

from comments.models import Comment, ModerationEvent
from newsarchive.sanitize import COMMENT_LIMITS

pytestmark = pytest.mark.django_db

# 65 KB: as long as the form allows, and nested to the end.
NESTED = "<em>" * 7280 + "x" + "</em>" * 7280
REFUSAL = (
    f"This comment has too much markup (tags nested more than "
    f"{COMMENT_LIMITS.depth} deep). Please simplify its formatting."
)


def _quotes(depth: int) -> str:
    return "<blockquote>" * depth + "As was said before." + "</blockquote>" * depth


def test_a_comment_with_too_much_markup_is_a_400_with_the_reason_on_its_body(
    akismet_server, article, post_comment
):
    response = post_comment(article, body=NESTED)

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [REFUSAL]
    assert REFUSAL in response.content.decode()
    assert not Comment.objects.exists()
    assert akismet_server.checks() == []


def test_markup_just_within_the_cap_is_posted(akismet_server, article, post_comment):
    response = post_comment(article, body=_quotes(COMMENT_LIMITS.depth))

    assert response.status_code == 302
    assert Comment.objects.get().body_html.count("<blockquote>") == (
        COMMENT_LIMITS.depth
    )


def test_one_level_past_the_cap_is_refused(akismet_server, article, post_comment):
    response = post_comment(article, body=_quotes(COMMENT_LIMITS.depth + 1))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_authors_edit_with_too_much_markup_is_refused_and_the_comment_kept(
    akismet_server, article, post_comment, client, django_capture_on_commit_callbacks
):
    post_comment(article, body="The harbour wall looks sturdy.")
    comment = Comment.objects.get()
    checks_before = len(akismet_server.checks())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": NESTED}
        )

    assert response.status_code == 400
    assert response.context["form"].errors["body"] == [REFUSAL]
    assert REFUSAL in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "The harbour wall looks sturdy."
    assert comment.edited_at is None
    assert not comment.events.filter(kind=ModerationEvent.Kind.EDIT).exists()
    assert len(akismet_server.checks()) == checks_before
