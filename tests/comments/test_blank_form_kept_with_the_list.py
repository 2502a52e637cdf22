"""
The comment form a reader with no details of their own gets is kept
rendered with the article's comment list: later readers get it from the
cache, each with a form timestamp signed for them, and readers with saved
details, signed-in readers and repliers still get a form of their own.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.http import HttpResponse
from django.utils import timezone

from comments import cookies
from comments.forms import TIMESTAMP_SALT, CommentForm
from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db

TIMESTAMP = re.compile(r'<input type="hidden" name="timestamp" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


@pytest.fixture
def forms_built(monkeypatch):
    """How many comment forms the views build."""
    built = []
    original = CommentForm.__init__

    def counting(self, *args, **kwargs):
        built.append(kwargs.get("initial"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(CommentForm, "__init__", counting)
    return built


def _region(client, url: str) -> str:
    html = client.get(url).content.decode()
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def test_a_later_reader_gets_the_form_from_the_cache(client, forms_built):
    article = make_article()
    make_comment(article=article, body="First!")
    url = article.get_absolute_url()
    first = _region(client, url)
    forms_built.clear()

    later = _region(client, url)

    assert forms_built == []
    assert TIMESTAMP.sub("", later) == TIMESTAMP.sub("", first)


def test_each_reader_gets_a_timestamp_signed_for_them(client):
    article = make_article()
    url = article.get_absolute_url()
    _region(client, url)

    stamps = [TIMESTAMP.search(_region(client, url)).group(1) for _ in range(2)]

    assert stamps[0] != stamps[1]
    for stamp in stamps:
        assert signing.loads(stamp, salt=TIMESTAMP_SALT)["a"] == article.pk


def test_a_comment_posted_from_the_kept_form_is_taken(client, post_comment):
    article = make_article()
    url = article.get_absolute_url()
    _region(client, url)
    stamp = TIMESTAMP.search(_region(client, url)).group(1)

    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        response = post_comment(article, timestamp=stamp)

    assert response.status_code == 302
    assert Comment.objects.filter(article=article).count() == 1


def test_saved_details_still_fill_the_form_once_it_is_kept(client):
    article = make_article()
    url = article.get_absolute_url()
    _region(client, url)
    response = HttpResponse()
    cookies.remember_commenter(response, name="Ola", email="ola@example.com", url="")
    client.cookies.update(response.cookies)

    region = _region(client, url)

    assert 'value="Ola"' in region
    assert 'value="ola@example.com"' in region


def test_a_signed_in_reader_still_gets_a_form_of_their_own(client):
    article = make_article()
    url = article.get_absolute_url()
    _region(client, url)
    client.force_login(make_user(username="kim", email="kim@example.com"))

    region = _region(client, url)

    assert 'name="csrfmiddlewaretoken"' in region
    assert 'value="kim@example.com"' in region


def test_a_reply_still_names_the_comment_answered(client):
    article = make_article()
    comment = make_comment(article=article, author_name="Bea")
    url = article.get_absolute_url()
    _region(client, url)

    region = _region(client, f"{url}?replytocom={comment.pk}")

    assert "Reply to Bea" in region
    assert f'name="parent" value="{comment.pk}"' in region


def test_closing_comments_takes_the_kept_form_away(client):
    article = make_article()
    url = article.get_absolute_url()
    _region(client, url)

    article.comments_open = False
    article.save()

    region = _region(client, url)
    assert 'id="commentform"' not in region
    assert "Comments are closed." in region
