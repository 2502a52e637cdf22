"""An article's old address keeps working when an editor changes its slug or date."""

from datetime import timedelta

import pytest
from django.urls import reverse

from articles.models import Article
from newsarchive.models import Redirect
from tests.factories import article_change_form, make_article

pytestmark = pytest.mark.django_db


def change(client, article: Article, **overrides):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_change_form(article, **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return article


def test_a_new_slug_leaves_a_301_at_the_old_address(editor_client, client):
    article = make_article(slug="harbour-closes")
    old_url = article.get_absolute_url()

    change(editor_client, article, slug="harbour-reopens")

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert article.get_absolute_url().endswith("/harbour-reopens/")


def test_a_new_date_leaves_a_301_at_the_old_address(editor_client, client):
    article = make_article(slug="budget-vote")
    old_url = article.get_absolute_url()
    earlier = article.published_at - timedelta(days=3)

    change(
        editor_client,
        article,
        published_at_0=f"{earlier.astimezone(article.published_at.tzinfo):%Y-%m-%d}",
    )

    assert article.get_absolute_url() != old_url
    assert client.get(old_url)["Location"] == article.get_absolute_url()


def test_two_renames_make_no_chain(editor_client, client):
    article = make_article(slug="first-name")
    first_url = article.get_absolute_url()
    change(editor_client, article, slug="second-name")
    second_url = article.get_absolute_url()

    change(editor_client, article, slug="third-name")

    new_url = article.get_absolute_url()
    # Each address moves with its comment feed.
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        first_url: new_url,
        second_url: new_url,
        f"{first_url}feed/": f"{new_url}feed/",
        f"{second_url}feed/": f"{new_url}feed/",
    }
    assert client.get(first_url)["Location"] == article.get_absolute_url()


def test_renaming_back_drops_the_redirect_that_would_loop(editor_client, client):
    article = make_article(slug="original")
    original_url = article.get_absolute_url()
    change(editor_client, article, slug="renamed")

    change(editor_client, article, slug="original")

    assert client.get(original_url).status_code == 200
    renamed_url = original_url.replace("/original/", "/renamed/")
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        renamed_url: original_url,
        f"{renamed_url}feed/": f"{original_url}feed/",
    }


def test_a_draft_that_was_never_public_leaves_no_redirect(editor_client):
    article = make_article(slug="draft-slug", status=Article.Status.DRAFT)

    change(editor_client, article, slug="better-slug")

    assert not Redirect.objects.exists()


def test_saving_without_changing_the_address_writes_nothing(editor_client):
    article = make_article(slug="steady")

    change(editor_client, article, title="A new headline, same address")

    assert not Redirect.objects.exists()
