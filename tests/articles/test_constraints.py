"""The database itself refuses articles that break the rules, whatever writes them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from tests.factories import at, make_article

pytestmark = pytest.mark.django_db


def test_an_unknown_status_is_refused_by_the_database():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="live")


@pytest.mark.parametrize("status", ["published", "scheduled"])
def test_a_published_or_scheduled_article_needs_a_date(status):
    article = make_article(status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=status)


def test_drafts_and_archived_articles_may_have_no_date():
    draft = make_article(status="draft")
    archived = make_article(status="draft")
    Article.objects.filter(pk=archived.pk).update(status="archived")
    assert draft.published_at is None
    assert Article.objects.get(pk=archived.pk, status="archived").published_at is None


def test_a_slug_is_unique_per_publication_day(site_zone):
    make_article(slug="harbour", published_at=at(2024, 3, 5, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(slug="harbour", published_at=at(2024, 3, 5, 18))


def test_the_same_slug_on_another_day_is_allowed(site_zone):
    make_article(slug="harbour", published_at=at(2024, 3, 5, 9))
    make_article(slug="harbour", published_at=at(2024, 3, 6, 9))
    assert Article.objects.filter(slug="harbour").count() == 2


def test_import_ref_is_unique_but_may_be_empty_on_many_articles():
    make_article(import_ref=None)
    make_article(import_ref=None)
    make_article(import_ref="wp:42")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(import_ref="wp:42")


def test_pub_date_follows_published_at_in_the_site_zone(site_zone):
    # 01:30 UTC on 6 March is still 5 March in New York.
    article = make_article(published_at=at(2024, 3, 5, 20, 30))
    assert str(article.pub_date) == "2024-03-05"
    article.published_at = timezone.now()
    article.save()
    assert article.pub_date == timezone.localdate()
