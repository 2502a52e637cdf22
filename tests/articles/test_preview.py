"""Staff who may view articles preview drafts; nobody else can."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_editor, make_moderator, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_article(title="Embargoed story", status=Article.Status.DRAFT)


def test_editor_sees_a_draft_with_the_preview_banner(client, draft):
    client.force_login(make_editor())
    response = client.get(reverse("articles:preview", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    assert "Preview — not published" in response.text
    assert "Embargoed story" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_anonymous_reader_is_sent_to_log_in(client, draft):
    response = client.get(draft.get_preview_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_logged_in_reader_gets_404(client, draft):
    client.force_login(make_user())
    assert client.get(draft.get_preview_url()).status_code == 404


def test_staff_without_view_article_permission_gets_404(client, draft):
    client.force_login(make_user(is_staff=True))
    assert client.get(draft.get_preview_url()).status_code == 404


def test_moderator_with_read_only_articles_may_preview(client, draft):
    # Moderators hold articles.view_article to judge comments in context.
    client.force_login(make_moderator())
    assert client.get(draft.get_preview_url()).status_code == 200


def test_preview_of_a_published_article_has_no_banner(client):
    article = make_article()
    client.force_login(make_editor())
    response = client.get(article.get_preview_url())
    assert response.status_code == 200
    assert "Preview — not published" not in response.text


def test_preview_of_a_missing_article_is_404(client):
    client.force_login(make_editor())
    assert client.get("/preview/999999/").status_code == 404
