"""The article change form as an editor meets it: links, room, filters."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db


def test_a_public_article_offers_preview_and_view_on_site(editor_client):
    article = make_article()

    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).text

    assert f'href="{article.get_preview_url()}"' in html
    assert "View on site" in html
    assert "headline-field" in html
    assert "css/newsroom-admin.css" in html


def test_a_draft_offers_preview_but_not_view_on_site(editor_client):
    article = make_article(status=Article.Status.DRAFT)

    html = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).text

    assert f'href="{article.get_preview_url()}"' in html
    assert "View on site" not in html


def test_the_list_filters_by_author(editor_client):
    ann, bo = make_author(name="Ann Writer"), make_author(name="Bo Reporter")
    make_article(title="Ann's story", authors=[ann])
    make_article(title="Bo's story", authors=[bo])

    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"authors__id__exact": ann.pk}
    )

    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Ann's story"]
