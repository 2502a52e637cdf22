"""Which articles take comments: closed ones refuse (403), unknown ones 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_closed_article_refuses_with_403(post_comment):
    article = make_article(comments_open=False)

    response = post_comment(article)

    assert response.status_code == 403
    assert "Comments are closed." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_article_past_its_closing_age_refuses(post_comment):
    article = make_article(
        published_at=timezone.now() - timedelta(days=40),
        comments_close_after_days=30,
    )

    assert post_comment(article).status_code == 403


def test_the_site_wide_closing_age_applies(post_comment, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    article = make_article(published_at=timezone.now() - timedelta(days=15))

    assert post_comment(article).status_code == 403


def test_a_draft_is_404(post_comment):
    assert post_comment(make_article(status=Article.Status.DRAFT)).status_code == 404


def test_a_scheduled_article_is_404_until_its_time(post_comment):
    article = make_article(
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )

    assert post_comment(article).status_code == 404
    assert not Comment.objects.exists()


def test_an_unknown_article_is_404(client, db):
    response = client.post(reverse("comments:post", kwargs={"article_id": 999999}))

    assert response.status_code == 404
