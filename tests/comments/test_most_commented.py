"""
"Most commented this week" on the home page: public comments of the last
seven days on public articles, most first, in one query.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Status
from comments.selectors.reader import most_commented
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def box(client) -> str:
    body = client.get("/").text
    if 'class="most-commented"' not in body:
        return ""
    start = body.index('class="most-commented"')
    return body[start : body.index("</aside>", start)]


def test_the_home_page_lists_the_weeks_most_commented_articles(client):
    busy, quiet, old = (
        make_article(title="Busy story"),
        make_article(title="Quiet story"),
        make_article(title="Old story"),
    )
    for _ in range(3):
        make_comment(article=busy)
    make_comment(article=quiet)
    for _ in range(5):
        make_comment(article=old, created=timezone.now() - timedelta(days=8))

    html = box(client)

    assert "Most commented this week" in html
    assert html.index("Busy story") < html.index("Quiet story")
    assert "3 comments" in html and "1 comment<" in html
    assert "Old story" not in html
    assert f'href="{busy.get_absolute_url()}#comments"' in html


def test_held_spam_and_removed_comments_do_not_count(client):
    article = make_article(title="Trolled story")
    for status in (Status.HELD, Status.SPAM, Status.REMOVED, Status.UNCHECKED):
        make_comment(article=article, status=status)
    assert box(client) == ""


def test_comments_on_hidden_articles_do_not_count(client):
    make_comment(article=make_article(title="Draft story", status="draft"))
    make_article(title="Visible")
    assert "Draft story" not in client.get("/").text


def test_the_list_is_one_query_for_few_or_many_articles(
    client, django_assert_num_queries
):

    for n in (3, 30):
        for _ in range(n):
            make_comment(article=make_article())
        with django_assert_num_queries(1):
            assert len(most_commented(limit=50)) == {3: 3, 30: 33}[n]
