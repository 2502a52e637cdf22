"""A scheduled (not yet public) article's slug change must not tell anonymous
readers its new address (and so its headline) before it goes live."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import article_change_form, make_article, make_editor

pytestmark = pytest.mark.django_db


def test_renaming_a_future_scheduled_article_leaks_nothing(client):
    article = make_article(
        slug="embargoed",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    old_url = article.get_absolute_url()
    editor = client.__class__()
    editor.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = editor.post(
        url, article_change_form(article, slug="minister-resigns-over-scandal")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.is_public

    response = client.get(old_url)
    # Right answer: 404 as before; the article is not public yet.
    assert response.status_code == 404, response.get("Location")
