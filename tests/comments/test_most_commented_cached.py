"""
The home page's "most commented this week" is rendered once per change of
the comments or the articles and once a day, and kept: a moderator's
decision, a retitled article and the week moving on all show on the next
view, and a view in between reads no comments.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import moderation
from comments.models import Status
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE = False


def _box(client) -> str:
    body = client.get("/").text
    if 'class="most-commented"' not in body:
        return ""
    start = body.index('class="most-commented"')
    return body[start : body.index("</aside>", start)]


def test_a_second_view_reads_no_comments(client):
    make_comment(article=make_article(title="Busy story"))
    assert "Busy story" in _box(client)

    with CaptureQueriesContext(connection) as queries:
        assert "Busy story" in _box(client)

    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


def test_an_approved_comment_shows_at_once(client):
    make_comment(article=make_article(title="Busy story"))
    quiet = make_article(title="Quiet story")
    held = make_comment(article=quiet, status=Status.HELD)
    assert "Quiet story" not in _box(client)

    moderation.approve(held)

    assert "Quiet story" in _box(client)


def test_a_removed_comment_leaves_at_once(client):
    comment = make_comment(article=make_article(title="Busy story"))
    assert "Busy story" in _box(client)

    moderation.remove(comment)

    assert _box(client) == ""


def test_a_retitled_article_shows_at_once(client):
    article = make_article(title="Busy story")
    make_comment(article=article)
    assert "Busy story" in _box(client)

    article.title = "Busier story"
    article.save()

    assert "Busier story" in _box(client)


def test_the_week_moves_on_at_midnight(client):
    make_comment(article=make_article(title="Busy story"))
    assert "Busy story" in _box(client)

    with time_machine.travel(timezone.now() + timedelta(days=9)):
        assert _box(client) == ""
