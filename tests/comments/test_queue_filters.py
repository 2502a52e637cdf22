"""Searching and filtering the queue by article, section and date."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Status
from tests.factories import make_article, make_comment, make_moderator, make_section

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_moderate")


@pytest.fixture
def listed(client):
    client.force_login(make_moderator())

    def get(**params):
        response = client.get(QUEUE, params)
        assert response.status_code == 200
        return {row.comment.body for row in response.context["rows"]}

    return get


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Grace", {"by name"}),
        ("hopper@navy", {"by email"}),
        ("198.51.100", {"by ip"}),
        ("lighthouse", {"the lighthouse keeper"}),
        ("LIGHTHOUSE", {"the lighthouse keeper"}),
    ],
)
def test_search_covers_author_email_ip_and_text(listed, article, query, found):
    make_comment(
        article=article, status=Status.HELD, author_name="Grace H", body="by name"
    )
    make_comment(
        article=article,
        status=Status.HELD,
        author_email="hopper@navy.example",
        body="by email",
    )
    make_comment(article=article, status=Status.HELD, ip="198.51.100.7", body="by ip")
    make_comment(article=article, status=Status.HELD, body="the lighthouse keeper")

    assert listed(q=query) == found


def test_search_stays_within_the_tab(listed, article):
    make_comment(article=article, status=Status.HELD, body="harbour held")
    make_comment(article=article, status=Status.SPAM, body="harbour spam")

    assert listed(q="harbour") == {"harbour held"}
    assert listed(q="harbour", tab="spam") == {"harbour spam"}


def test_it_filters_by_article(listed):
    one, two = make_article(), make_article()
    make_comment(article=one, status=Status.HELD, body="on one")
    make_comment(article=two, status=Status.HELD, body="on two")

    assert listed(article=two.pk) == {"on two"}


def test_it_filters_by_section(listed):
    news, sport = make_section(slug="news"), make_section(slug="sport")
    make_comment(article=make_article(section=news), status=Status.HELD, body="news")
    make_comment(article=make_article(section=sport), status=Status.HELD, body="sport")

    assert listed(section="sport") == {"sport"}


def test_it_filters_by_date_in_the_site_time_zone(listed, article, settings):
    settings.TIME_ZONE = "America/New_York"
    tz = timezone.get_default_timezone()
    # 23:30 on 3 March in New York is already 4 March in UTC.
    late = datetime(2026, 3, 3, 23, 30, tzinfo=tz)
    make_comment(
        article=article, status=Status.HELD, body="late on the 3rd", created=late
    )
    make_comment(
        article=article,
        status=Status.HELD,
        body="the 5th",
        created=late + timedelta(days=2),
    )

    assert listed(date_from="2026-03-03", date_to="2026-03-03") == {"late on the 3rd"}
    assert listed(date_from="2026-03-04") == {"the 5th"}
    assert listed(date_to="2026-03-04") == {"late on the 3rd"}


def test_filters_that_are_not_understood_are_ignored(listed, article):
    make_comment(article=article, status=Status.HELD, body="still listed")

    assert listed(article="nope", date_from="yesterday", tab="bogus") == {
        "still listed"
    }


def test_the_article_menu_lists_articles_with_comments(client, article):
    client.force_login(make_moderator())
    quiet = make_article(title="No comments here")
    make_comment(article=article, status=Status.HELD)

    page = client.get(QUEUE).content.decode()

    assert f'<option value="{article.pk}">Harbour reopens</option>' in page
    assert quiet.title not in page
