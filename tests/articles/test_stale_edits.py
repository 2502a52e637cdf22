"""Two editors on one article: the second save is refused and keeps its text."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import article_change_form, make_article, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(title="Storm closes the ferry", body="<p>First draft.</p>")


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(make_editor(username=username))
    return client


def test_the_second_save_is_refused_and_keeps_the_editors_text(article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    alice = client_for("alice")
    bob = client_for("bob")
    # Both open the article at the same version.
    alices_form = article_change_form(article, body="<p>Alice's rewrite.</p>")
    bobs_form = article_change_form(article, body="<p>Bob's rewrite.</p>")
    assert alice.post(url, alices_form).status_code == 302

    response = bob.post(url, bobs_form)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("alice saved this article")
    assert "your changes were not saved" in errors[0]
    assert "Bob&#x27;s rewrite." in response.text  # still in the form
    article.refresh_from_db()
    assert article.body == "<p>Alice's rewrite.</p>"


def test_saving_again_after_reopening_works(article, client):
    client.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert (
        client.post(url, article_change_form(article, title="One")).status_code == 302
    )
    article.refresh_from_db()

    response = client.post(url, article_change_form(article, title="Two"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Two"


def test_the_form_carries_the_version_the_editor_opened(article, client):
    client.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[article.pk])

    form = client.get(url).context["adminform"].form

    assert form["edit_version"].value() == article.version


def test_every_save_moves_the_version_on(article):
    before = article.version
    article.title = "Changed elsewhere"
    article.save()
    Article.objects.get(pk=article.pk).save(update_fields=["title"])

    assert Article.objects.get(pk=article.pk).version == before + 2


def test_a_publish_from_the_list_makes_an_open_form_stale(article, client):
    client.force_login(make_editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    opened = article_change_form(article, title="Edited meanwhile")
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )

    response = client.post(url, opened)

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).title == "Storm closes the ferry"
