"""
The queue's counts stop at a cap, so that a large archive's approved
comments are never all counted on a queue view: the tabs say "cap+" and
the page "more than cap", while counts under the cap stay exact.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Status
from comments.selectors import moderator as selectors
from tests.factories import make_article, make_comment, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


@pytest.fixture
def cap(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    return 3


def test_counts_under_the_cap_are_exact_and_over_it_say_so(cap):
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    for _ in range(2):
        make_comment(article=article, status=Status.HELD)

    counts = selectors.tab_counts()

    assert counts["held"] == 2
    assert counts["approved"] == cap + 1  # "more than 3"
    assert counts["spam"] == 0


def test_all_counts_take_one_query(cap):
    make_comment(article=make_article(), status=Status.HELD)

    with CaptureQueriesContext(connection) as ctx:
        selectors.tab_counts()

    assert len(ctx.captured_queries) == 1


def test_the_queue_shows_a_capped_tab_and_page_count(client, cap):
    client.force_login(make_moderator())
    article = make_article()
    for _ in range(5):
        make_comment(article=article, status=Status.APPROVED)
    make_comment(article=article, status=Status.HELD)

    html = client.get(QUEUE, {"tab": "approved"}).content.decode()

    assert 'data-tab-count="approved">3+</span>' in html
    assert 'data-tab-count="held">1</span>' in html
    assert "More than 3 comments" in html
