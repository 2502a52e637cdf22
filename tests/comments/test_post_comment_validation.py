"""
Bad input to the POST view: a clear 4xx, the reader's text kept, and no row.
"""

import pytest
from django.urls import reverse

from comments.models import Comment, Status
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def _refused(response, status=400) -> None:
    assert response.status_code == status
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("author_name", "", "This field is required."),
        ("author_name", "n" * 246, "at most 245 characters"),
        ("author_email", "", "This field is required."),
        ("author_email", "not-an-email", "Enter a valid email address."),
        ("author_email", "a" * 90 + "@example.com", "at most 100 characters"),
        ("author_url", "javascript:alert(1)", "Enter a valid URL."),
        ("author_url", "ftp://files.example/", "Enter a valid URL."),
        ("author_url", "https://example.com/" + "p" * 190, "at most 200 characters"),
        ("body", "", "This field is required."),
        ("body", "   ", "This field is required."),
        ("body", "b" * 65_526, "at most 65525 characters"),
        ("body", "b" * 100_001, "at most 65525 characters"),
        ("body", "nul \x00 byte", "Null characters are not allowed."),
        ("body", "bell \x07 char", "control characters"),
        ("body", "escape \x1b[31m red", "control characters"),
        ("body", "c1 \x85 control", "control characters"),
        ("author_name", "Ada\nReader", "control characters"),
        ("author_name", "Ada\x00", "Null characters are not allowed."),
    ],
)
def test_each_validation_rule_refuses_with_400(
    article, post_comment, field, value, error
):
    response = post_comment(article, **{field: value})

    _refused(response)
    assert error in response.content.decode()


def test_the_longest_allowed_body_is_accepted(article, post_comment):
    response = post_comment(article, body="b" * 65_525)

    assert response.status_code == 302
    assert len(Comment.objects.get().body) == 65_525


def test_tabs_and_newlines_are_allowed_in_the_body(article, post_comment):
    post_comment(article, body="line one\r\n\tline two")

    assert Comment.objects.get().body == "line one\r\n\tline two"


def test_the_readers_text_is_kept_on_the_reshown_form(article, post_comment):
    response = post_comment(article, author_email="nope", body="Keep my words")

    assert response.status_code == 400
    assert "Keep my words" in response.content.decode()


def test_a_lone_surrogate_in_the_raw_body_is_refused(article, client):
    # %ED%A0%80 is U+D800 encoded as if it were a character: not valid UTF-8.
    response = client.post(
        reverse("comments:post", kwargs={"article_id": article.pk}),
        "author_name=Ada&author_email=ada%40example.com&body=bad%ED%A0%80text",
        content_type="application/x-www-form-urlencoded",
    )

    _refused(response)
    assert "could not be read" in response.content.decode()


def test_a_lone_surrogate_reaching_the_form_is_refused(article):
    from comments.forms import CommentForm, sign_timestamp

    form = CommentForm(
        data={
            "author_name": "Ada",
            "author_email": "ada@example.com",
            "body": "bad \ud800 text",
            "timestamp": sign_timestamp(article_id=article.pk),
        },
        article=article,
    )

    assert not form.is_valid()
    assert "body" in form.errors


def test_a_parent_from_another_article_is_refused(article, post_comment):
    elsewhere = make_comment(article=make_article())

    response = post_comment(article, parent=str(elsewhere.pk))

    assert response.status_code == 400
    assert Comment.objects.count() == 1  # only the other article's comment
    assert "not found on this article" in response.content.decode()


@pytest.mark.parametrize("parent", ["abc", "1.5", "-1", "1e3", "١٢", "9" * 40])
def test_a_non_numeric_parent_is_refused(article, post_comment, parent):
    response = post_comment(article, parent=parent)

    _refused(response)


def test_an_unknown_parent_is_refused(article, post_comment):
    _refused(post_comment(article, parent="987654"))


def test_a_held_parent_is_refused(article, post_comment):
    held = make_comment(article=article, status=Status.HELD)

    response = post_comment(article, parent=str(held.pk))

    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_reply_beyond_the_maximum_depth_is_refused(article, post_comment, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    top = make_comment(article=article)
    reply = make_comment(article=article, parent=top)
    deepest = make_comment(article=article, parent=reply)  # depth 2

    response = post_comment(article, parent=str(deepest.pk))

    assert response.status_code == 400
    assert "nested too deeply" in response.content.decode()
    assert Comment.objects.count() == 3


def test_a_reply_at_the_last_allowed_depth_is_accepted(article, post_comment, settings):
    settings.COMMENTS_MAX_DEPTH = 3
    top = make_comment(article=article)
    reply = make_comment(article=article, parent=top)

    response = post_comment(article, parent=str(reply.pk))

    assert response.status_code == 302
    new = Comment.objects.latest("id")
    assert (new.parent_id, new.root_id, new.depth) == (reply.pk, top.pk, 2)


@pytest.mark.parametrize("timestamp", ["", "garbage", "eyJhIjoxfQ:bad:sig"])
def test_a_missing_or_forged_timestamp_is_refused(article, post_comment, timestamp):
    response = post_comment(article, timestamp=timestamp)

    _refused(response)
    assert "could not be checked" in response.content.decode()


def test_a_timestamp_signed_for_another_article_is_refused(article, post_comment):
    from comments.forms import sign_timestamp

    other = make_article()
    response = post_comment(article, timestamp=sign_timestamp(article_id=other.pk))

    _refused(response)


def test_get_is_not_allowed(article, client):
    response = client.get(reverse("comments:post", kwargs={"article_id": article.pk}))

    assert response.status_code == 405


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "not a url"]
)
def test_a_bad_website_is_one_error(post_comment, article, url):
    response = post_comment(article, author_url=url)

    _refused(response)
    assert response.content.decode().count("Enter a valid URL.") == 1


@pytest.mark.parametrize(
    "name",
    [
        "\u202e",
        "\u200b\u200b",
        "Ada \u202erevo LTR",
        "\u2066Ada\u2069",
        "\u3164\u3164",
        "\u2800",
        "\u0301\u0301",
        "a\u2028b",
    ],
)
def test_a_name_that_is_invisible_or_reverses_text_is_refused(
    post_comment, article, name
):
    _refused(post_comment(article, author_name=name))


def test_a_name_in_a_right_to_left_script_is_welcome(post_comment, article):
    assert post_comment(article, author_name="\u05e9\u05e8\u05d4").status_code == 302
