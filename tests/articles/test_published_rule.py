"""ArticleQuerySet.published() is the one rule for what readers may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

PAST = timedelta(hours=2)


def visible(article: Article) -> bool:
    return Article.objects.published().filter(pk=article.pk).exists()


def test_published_article_in_the_past_is_visible():
    article = make_article(published_at=timezone.now() - PAST)
    assert visible(article)


def test_draft_is_hidden():
    article = make_article(status=Article.Status.DRAFT)
    assert not visible(article)


def test_draft_with_a_past_date_is_hidden():
    article = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() - PAST
    )
    assert not visible(article)


def test_scheduled_article_whose_time_has_come_is_visible():
    article = make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() - PAST
    )
    assert visible(article)


def test_scheduled_article_in_the_future_is_hidden():
    article = make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + PAST
    )
    assert not visible(article)


def test_published_article_dated_in_the_future_is_hidden():
    article = make_article(
        status=Article.Status.PUBLISHED, published_at=timezone.now() + PAST
    )
    assert not visible(article)


def test_archived_article_is_hidden():
    article = make_article(
        status=Article.Status.ARCHIVED, published_at=timezone.now() - PAST
    )
    assert not visible(article)


def test_scheduled_article_appears_when_its_time_comes_with_no_job():
    when = timezone.now() + PAST
    article = make_article(status=Article.Status.SCHEDULED, published_at=when)
    later = when + timedelta(seconds=1)
    assert Article.objects.published(now=later).filter(pk=article.pk).exists()
