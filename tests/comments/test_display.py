"""What readers see under an article: which comments, what of them, and the form."""

import re
from html import unescape

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from comments import cookies
from comments.forms import CommentForm
from comments.models import Status
from tests.factories import make_article, make_comment, make_user
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."


def get_page(client, article, query: str = "") -> str:
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def comments_region(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def give_pending_cookie(client, *comments) -> None:
    """Set the signed cookie the pipeline gives an author whose comment is held."""
    response, request = HttpResponse(), None
    for comment in comments:
        cookies.remember_pending(response, comment, request=request)
        request = RequestFactory().get("/")
        request.COOKIES = {k: m.value for k, m in response.cookies.items()}
    client.cookies.update(response.cookies)


def test_it_shows_approved_comments_only(client):
    article = make_article()
    make_comment(article=article, body="Approved words")
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        make_comment(article=article, status=status, body=f"Body while {status}")

    html = get_page(client, article)

    assert "Approved words" in html
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        assert f"Body while {status}" not in html


def test_replies_that_are_not_approved_are_not_shown(client):
    article = make_article()
    top = make_comment(article=article, body="Top words")
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        make_comment(article=article, parent=top, status=status, body=f"Reply {status}")
    make_comment(article=article, parent=top, body="Approved reply")

    html = get_page(client, article)

    assert "Approved reply" in html
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        assert f"Reply {status}" not in html
    assert re.search(r'id="comments-heading"[^>]*>\s*2 Comments\s*<', html)


def test_it_counts_the_visible_comments_in_the_heading(client):
    article = make_article()
    make_comment(article=article)
    make_comment(article=article)
    make_comment(article=article, status=Status.HELD)

    html = get_page(client, article)

    assert re.search(r'<h2 id="comments-heading"[^>]*>\s*2 Comments\s*</h2>', html)


def test_the_heading_is_singular_for_one_comment_and_says_zero_for_none(client):
    one, none = make_article(), make_article()
    make_comment(article=one)

    assert re.search(
        r'id="comments-heading"[^>]*>\s*1 Comment\s*<', get_page(client, one)
    )
    assert re.search(
        r'id="comments-heading"[^>]*>\s*0 Comments\s*<', get_page(client, none)
    )


def test_it_never_shows_an_email_address(client):
    article = make_article()
    comment = make_comment(article=article, author_email="very.private@example.org")
    held = make_comment(
        article=article, status=Status.HELD, author_email="held.private@example.org"
    )
    give_pending_cookie(client, held)

    html = get_page(client, article)

    assert f'id="comment-{comment.pk}"' in html
    assert f'id="comment-{held.pk}"' in html
    assert "private@example.org" not in html
    assert "very.private" not in html and "held.private" not in html


def test_each_comment_is_an_article_with_a_permalink_time(client):
    article = make_article()
    comment = make_comment(article=article)

    html = get_page(client, article)

    assert f'<article id="comment-{comment.pk}"' in html
    assert re.search(
        rf'<a class="comment__permalink" href="#comment-{comment.pk}"><time datetime="[^"]+">',
        html,
    )


def test_author_name_links_to_their_site_with_nofollow_ugc(client):
    article = make_article()
    make_comment(article=article, author_name="Ada", author_url="https://ada.example/")

    html = get_page(client, article)

    assert (
        '<a href="https://ada.example/" rel="nofollow ugc" class="url">Ada</a>' in html
    )


def test_an_author_url_that_is_not_http_is_not_linked(client):
    article = make_article()
    # Stored directly, as an old import might have: the form would refuse it.
    make_comment(
        article=article, author_name="Mallory", author_url="javascript:alert(1)"
    )

    html = get_page(client, article)

    assert "javascript:" not in html
    assert re.search(r'<b class="comment__author">Mallory</b>', html)


def test_author_without_avatar_gets_initials(client):
    article = make_article()
    make_comment(article=article, author_name="grace brewster hopper")

    html = get_page(client, article)

    assert re.search(
        r'<span class="avatar avatar--\d" aria-hidden="true">GH</span>', html
    )
    assert "gravatar" not in html


def test_a_pending_comment_shows_to_its_author_with_the_cookie(client):
    article = make_article()
    held = make_comment(article=article, status=Status.HELD, body="Held for review")
    unchecked = make_comment(
        article=article, status=Status.UNCHECKED, body="Still checking"
    )
    give_pending_cookie(client, held, unchecked)

    region = comments_region(get_page(client, article))

    assert "Held for review" in region
    assert "Still checking" in region
    assert region.count(AWAITING) == 2


def test_a_pending_comment_is_hidden_without_the_cookie(client):
    article = make_article()
    make_comment(article=article, status=Status.HELD, body="Held for review")

    html = get_page(client, article)

    assert "Held for review" not in html
    assert AWAITING not in html


def test_spam_shows_to_its_author_as_awaiting_like_held_but_removed_never(client):
    article = make_article()
    spam = make_comment(article=article, status=Status.SPAM, body="Cheap pills")
    removed = make_comment(article=article, status=Status.REMOVED, body="Gone now")
    give_pending_cookie(client, spam, removed)

    html = get_page(client, article)

    region = comments_region(html)
    assert "Cheap pills" in region
    assert region.count(AWAITING) == 1
    assert "Gone now" not in html
    assert "Cheap pills" not in get_page(Client(), article)


def test_a_forged_pending_cookie_shows_nothing(client):
    article = make_article()
    make_comment(article=article, status=Status.HELD, body="Someone else's")
    client.cookies[cookies.PENDING_COOKIE] = '{"1": 9999999999}'

    assert "Someone else's" not in get_page(client, article)


def test_a_pending_comment_of_another_article_stays_there(client):
    article, other = make_article(), make_article()
    held = make_comment(article=other, status=Status.HELD, body="Elsewhere")
    give_pending_cookie(client, held)

    assert "Elsewhere" not in get_page(client, article)
    assert "Elsewhere" in get_page(client, other)


def test_a_pending_comment_gets_no_reply_link(client):
    article = make_article()
    held = make_comment(article=article, status=Status.HELD)
    give_pending_cookie(client, held)

    assert f"replytocom={held.pk}" not in get_page(client, article)


def test_a_closed_article_says_so_and_has_no_form(client):
    article = make_article(comments_open=False)
    comment = make_comment(article=article, body="From when it was open")

    html = get_page(client, article)

    assert "Comments are closed." in html
    assert "From when it was open" in html
    assert 'id="commentform"' not in html
    assert f"replytocom={comment.pk}" not in html


def test_an_open_article_has_the_form_then_the_akismet_notice(client):
    article = make_article()

    region = comments_region(get_page(client, article))

    assert "Comments are closed." not in region
    assert '<div id="respond"' in region
    assert "Leave a Comment" in region
    assert region.index('id="respond"') < region.index("This site uses Akismet")
    assert (
        'This site uses Akismet to reduce spam. <a href="/privacy/#comments">'
        "Learn how your comment data is processed.</a>"
    ) in region


def test_the_form_posts_to_the_comment_endpoint_without_a_shared_csrf_token(client):
    from django.urls import reverse

    article = make_article()

    region = comments_region(get_page(client, article))

    assert f'action="{reverse("comments:post", args=[article.pk])}"' in region
    # The page is cached whole for every anonymous reader: no token of one.
    assert 'name="csrfmiddlewaretoken"' not in region


def test_a_signed_in_readers_form_carries_a_csrf_token(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ada"))
    article = make_article()

    region = comments_region(get_page(client, article))

    assert 'name="csrfmiddlewaretoken"' in region


def test_the_form_has_the_fields_and_the_consent_box(client):
    article = make_article()

    region = unescape(comments_region(get_page(client, article)))

    for name in (
        "body",
        "author_name",
        "author_email",
        "author_url",
        "parent",
        "timestamp",
    ):
        assert f'name="{name}"' in region
    assert (
        "Save my name, email, and website in this browser for the next time I comment."
        in region
    )
    assert re.search(r'<input type="checkbox" name="save_details"[^>]*>', region)
    assert 'name="save_details" id="id_save_details" checked' not in region


def test_the_honeypot_is_hidden_and_out_of_the_tab_order(client):
    article = make_article()

    region = comments_region(get_page(client, article))

    hp = re.search(r'<p class="comment-form__hp[^"]*"[^>]*>(.*?)</p>', region, re.S)
    assert hp is not None
    assert "Leave this field empty" in hp.group(1)
    assert re.search(
        r'<input type="text" name="leave_blank" [^>]*value="" tabindex="-1" autocomplete="off">',
        hp.group(1),
    )


def test_a_signed_in_reader_has_name_and_email_filled(client):
    user = make_user(username="kim", email="kim@example.com")
    user.first_name, user.last_name = "Kim", "Park"
    user.save()
    client.force_login(user)
    article = make_article()

    region = comments_region(get_page(client, article))

    assert re.search(r'<input type="text" name="author_name" value="Kim Park"', region)
    assert re.search(
        r'<input type="email" name="author_email" value="kim@example.com"', region
    )


def test_saved_details_fill_the_form_for_the_next_comment(client):
    response = HttpResponse()
    cookies.remember_commenter(
        response, name="Ola", email="ola@example.com", url="https://ola.example/"
    )
    client.cookies.update(response.cookies)
    article = make_article()

    region = comments_region(get_page(client, article))

    assert 'value="Ola"' in region
    assert 'value="ola@example.com"' in region
    assert 'value="https://ola.example/"' in region
    assert re.search(r'<input type="checkbox" name="save_details"[^>]*checked', region)


def test_the_form_page_shows_errors_next_to_fields_and_keeps_the_text(rf):
    article = make_article()
    form = CommentForm(
        {"body": "My careful words", "author_name": "", "author_email": "not-an-email"},
        article=article,
    )
    assert not form.is_valid()

    html = render_to_string(
        "comments/form_page.html",
        {"article": article, "form": form, "message": "Please fix the errors below."},
        request=rf.post("/"),
    )

    assert "My careful words" in html
    assert "Please fix the errors below." in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert re.search(r'id="id_author_email_error"', html)
    assert re.search(r'name="author_email"[^>]*aria-invalid="true"', html)
    assert re.search(r'name="author_name"[^>]*aria-invalid="true"', html)
    assert "This site uses Akismet to reduce spam." in html


def test_the_form_page_of_a_closed_article_has_no_form_but_keeps_the_text(rf):
    article = make_article(comments_open=False)
    form = CommentForm({"body": "Words I wrote"}, article=article)

    html = render_to_string(
        "comments/form_page.html",
        {"article": article, "form": form, "message": "Comments are closed."},
        request=rf.post("/"),
    )

    assert html.count("Comments are closed.") == 1
    assert 'id="commentform"' not in html
    assert re.search(r"<textarea[^>]*readonly[^>]*>Words I wrote</textarea>", html)


def test_the_form_page_remembers_which_comment_is_answered(rf):
    article = make_article()
    parent = make_comment(article=article, author_name="Bea")
    form = CommentForm({"body": "", "parent": str(parent.pk)}, article=article)
    form.is_valid()

    html = render_to_string(
        "comments/form_page.html",
        {"article": article, "form": form, "message": ""},
        request=rf.post("/"),
    )

    assert "Reply to Bea" in html
    assert f'name="parent" value="{parent.pk}"' in html


def _page_queries(client, article) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        get_page(client, article)
    return page_queries(ctx.captured_queries)


@pytest.mark.parametrize("threads", [0, 10, 200])
def test_the_article_page_makes_the_same_queries_for_any_number_of_comments(
    client, django_assert_num_queries, threads
):
    _page_queries(client, make_article())  # warm any per-process caches
    # A page not yet in the full-page cache, as the one measured below.
    baseline = len(_page_queries(client, make_article()))

    article = make_article()
    for i in range(threads):
        parent = make_comment(article=article)
        if i % 2:
            reply = make_comment(article=article, parent=parent)
            make_comment(article=article, parent=reply)

    with django_assert_num_queries(baseline):
        html = get_page(client, article)
    assert html.count('<article id="comment-') == min(threads, 50) + (
        min(threads, 50) // 2 * 2
    )


def test_the_comment_section_itself_takes_two_queries(client):
    article = make_article()
    for _ in range(5):
        parent = make_comment(article=article)
        make_comment(article=article, parent=parent)

    comment_queries = [
        sql for sql in _page_queries(client, article) if "comments_comment" in sql
    ]

    assert len(comment_queries) == 2
