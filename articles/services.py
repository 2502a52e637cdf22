"""Write-side actions on articles: keyword-only, typed, one transaction each."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from newsarchive.sanitize import clean_article_html


def article_set_body(*, article: Article, body: str) -> Article:
    """
    Keep the body as written and store its sanitised HTML beside it. Raises
    HtmlTooComplex past the sanitiser's markup caps (ArticleAdminForm checks
    them first, so editors see a form error).
    """
    article.body = body
    article.body_html = clean_article_html(body)
    return article


@transaction.atomic
def article_publish(*, article: Article, at: datetime | None = None) -> Article:
    """
    Publish now, or schedule for `at`. A future time makes the article
    scheduled; it becomes visible at that time with no job running.
    """
    now = timezone.now()
    when = at or article.published_at or now
    if article.status in (Article.Status.DRAFT, Article.Status.ARCHIVED) and not at:
        # Publishing a draft means "now" unless the editor set a future time.
        when = (
            article.published_at
            if article.published_at and article.published_at > now
            else now
        )
    article.published_at = when
    article.status = (
        Article.Status.SCHEDULED if when > now else Article.Status.PUBLISHED
    )
    # Derived in save(), but needed now so full_clean() checks the
    # (pub_date, slug) constraint and a clash is a ValidationError.
    article.pub_date = timezone.localdate(when)
    article.full_clean(exclude=["body_html"])
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Take an article off the site; it keeps its date so its link can return."""
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "updated"])
    return article
