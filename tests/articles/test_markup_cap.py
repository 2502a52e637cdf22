"""
An article body with more markup than the sanitiser accepts (ARTICLE_LIMITS)
is an error on the admin form's body field, not a server error, and nothing
is saved; a long article within the caps saves as before.
"""

import pytest
from django.urls import reverse

from articles.models import Article
from newsarchive.sanitize import ARTICLE_LIMITS
from tests.factories import article_admin_form, make_article

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NESTED = "<div>" * 8000 + "Deep." + "</div>" * 8000
REFUSAL = (
    f"This article has too much markup (tags nested more than "
    f"{ARTICLE_LIMITS.depth} deep). Please simplify its formatting."
)


def test_adding_an_article_with_too_much_markup_shows_a_form_error(editor_client):
    response = editor_client.post(ADD_URL, article_admin_form(body=NESTED))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [REFUSAL]
    assert REFUSAL in response.text
    assert not Article.objects.exists()


def test_changing_an_article_to_too_much_markup_keeps_the_saved_body(editor_client):
    article = make_article(
        title="Harbour reopens", slug="harbour-reopens", body="<p>Saved words.</p>"
    )
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = editor_client.post(
        url,
        article_admin_form(
            body=NESTED,
            status=article.status,
            published_at_0=f"{article.published_at:%Y-%m-%d}",
            published_at_1=f"{article.published_at:%H:%M:%S}",
        ),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [REFUSAL]
    article.refresh_from_db()
    assert article.body == "<p>Saved words.</p>"
    assert article.body_html == "<p>Saved words.</p>"


def test_a_long_article_within_the_caps_is_saved(editor_client):
    # 2,000 paragraphs of 8 tags each: 16,000 tags, all kept.
    paragraph = (
        '<p>Turnout rose in <a href="https://example.com/d">every district</a>, '
        "<em>most</em> of all in the <strong>north</strong>.</p>"
    )
    body = paragraph * 2000

    response = editor_client.post(ADD_URL, article_admin_form(body=body))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().body_html == body
